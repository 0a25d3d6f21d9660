"""Random codes printed on labels."""

import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a short code is read off a dirty sticker and typed.
SHORT_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
SHORT_LENGTH = 6


def tag_code() -> str:
    """The opaque code in the QR URL: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def short_code() -> str:
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def normalise_short_code(raw: str) -> str:
    """What a person types: any case, spaces or dashes between groups."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())
