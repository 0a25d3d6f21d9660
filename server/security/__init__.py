"""Sessions, the signed-in user, and request-forgery defences (Litestar-facing)."""
