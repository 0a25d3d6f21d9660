"""gzip for text responses (the app shell, console pages, JSON), never for
bodies that are already compressed (photos, PNG icons, PDFs) nor for bodies a
handler encoded itself. Litestar's CompressionMiddleware compresses every
response above a size; this subclass looks at the response's headers first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from litestar.config.compression import CompressionConfig
from litestar.enums import CompressionEncoding
from litestar.middleware.compression import CompressionMiddleware

if TYPE_CHECKING:
    from litestar.types import Message, Scope, Send

# Media types whose bytes are already compressed: gzip would spend CPU to gain nothing.
_COMPRESSED_PREFIXES = ("image/", "video/", "audio/", "font/woff")
_COMPRESSED_TYPES = {
    "application/zip", "application/gzip", "application/x-gzip", "application/pdf",
    "application/octet-stream", "application/x-7z-compressed", "application/zstd",
}
_TEXTUAL_IMAGES = {"image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon", "image/bmp"}
MINIMUM_SIZE = 1024  # below this the gzip header and a round of CPU cost more than they save
LEVEL = 6  # level 9 costs about twice the CPU for ~1 % smaller files; the server has 2 cores


def compressible(headers: list[tuple[bytes, bytes]], status: int) -> bool:
    """May this response be gzipped? Partial content and bodies that already
    have an encoding never are."""
    if status in (204, 206, 304):
        return False
    media = ""
    for name, value in headers:
        lname = name.lower()
        if lname == b"content-encoding":
            return False
        if lname == b"content-type":
            media = value.decode("latin-1").split(";", 1)[0].strip().lower()
        if lname == b"content-range":
            return False
    if media in _TEXTUAL_IMAGES:
        return True
    return not (media.startswith(_COMPRESSED_PREFIXES) or media in _COMPRESSED_TYPES)


class SelectiveCompressionMiddleware(CompressionMiddleware):
    def create_compression_send_wrapper(
        self,
        send: Send,
        compression_encoding: Literal[CompressionEncoding.BROTLI, CompressionEncoding.GZIP] | str,
        scope: Scope,
    ) -> Send:
        compressing = super().create_compression_send_wrapper(send, compression_encoding, scope)
        plain = False

        async def choose(message: Message) -> None:
            nonlocal plain
            if message["type"] == "http.response.start":
                plain = not compressible(list(message.get("headers") or []), message["status"])
            await (send if plain else compressing)(message)

        return choose


def compression_config() -> CompressionConfig:
    return CompressionConfig(backend="gzip", minimum_size=MINIMUM_SIZE, gzip_compress_level=LEVEL,
                             middleware_class=SelectiveCompressionMiddleware)
