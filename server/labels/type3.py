"""Label text as real PDF text: a Type3 font made from the CJK font's own
glyphs (rendered by Pillow at GLYPH_EM pixels per em), embedded in the PDF
with a ToUnicode map. Printed, it looks like the font; read by a program
(copy, search, a screen reader, a test), it is the label's Unicode text.

Why Type3 and not the OpenType font itself: Noto Sans CJK is a 19 MB
collection, and embedding a subset of it needs a font subsetter the project
does not otherwise depend on. Only the glyphs a sheet uses are embedded.

A Type3 font is a simple font (one byte per character), so a face is split
into as many fonts of 255 glyphs as a sheet needs."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

GLYPH_EM = 160  # px per em of the glyph bitmaps: ~680 dpi at the largest label text (6 mm)
PER_FONT = 255


@dataclass
class _Font:
    name: str  # resource name, e.g. "T1"
    face: str  # family name of the source font
    glyphs: list[tuple[str, int, tuple[int, int, int, int], bytes, tuple[int, int]]] = field(default_factory=list)
    # (char, advance, (llx, lly, urx, ury), mask bits, (w, h))


class Type3Faces:
    """The glyphs a document uses, per source font, packed into Type3 fonts."""

    def __init__(self) -> None:
        self._fonts: list[_Font] = []
        self._where: dict[tuple[str, str], tuple[_Font, int]] = {}  # (face key, char) -> (font, code)
        self._open: dict[str, _Font] = {}

    def encode(self, key: str, em_font: ImageFont.FreeTypeFont | ImageFont.ImageFont, face: str,
               text: str) -> list[tuple[str, bytes]]:
        """`text` as runs of (font resource name, char codes)."""
        runs: list[tuple[str, bytearray]] = []
        for ch in text:
            font, code = self._glyph(key, em_font, face, ch)
            if not runs or runs[-1][0] != font.name:
                runs.append((font.name, bytearray()))
            runs[-1][1].append(code)
        return [(name, bytes(codes)) for name, codes in runs]

    def _glyph(self, key: str, em_font, face: str, ch: str) -> tuple[_Font, int]:
        found = self._where.get((key, ch))
        if found:
            return found
        font = self._open.get(key)
        if font is None or len(font.glyphs) >= PER_FONT:
            font = _Font(name=f"T{len(self._fonts) + 1}", face=face)
            self._fonts.append(font)
            self._open[key] = font
        font.glyphs.append(_render(em_font, ch))
        self._where[(key, ch)] = (font, len(font.glyphs))
        return self._where[(key, ch)]

    @property
    def fonts(self) -> list[_Font]:
        return self._fonts


def _render(em_font, ch: str) -> tuple[str, int, tuple[int, int, int, int], bytes, tuple[int, int]]:
    advance = round(em_font.getlength(ch))
    left, top, right, bottom = em_font.getbbox(ch, anchor="ls")  # y grows downwards from the baseline
    w, h = right - left, bottom - top
    if ch.isspace() or w <= 0 or h <= 0:
        return ch, advance, (0, 0, 0, 0), b"", (0, 0)
    img = Image.new("1", (w, h), 1)
    ImageDraw.Draw(img).text((-left, -top), ch, font=em_font, fill=0, anchor="ls")
    # glyph space: y up from the baseline
    return ch, advance, (left, -bottom, right, -top), img.tobytes(), (w, h)


def _utf16(ch: str) -> str:
    return ch.encode("utf-16-be").hex().upper()


def font_objects(font: _Font, add) -> int:
    """Write the font's objects with `add(body) -> object number`; returns the
    font dictionary's object number."""
    procs = []
    for i, (_, advance, (llx, lly, urx, ury), bits, (w, h)) in enumerate(font.glyphs, start=1):
        ops = f"{advance} 0 {llx} {lly} {urx} {ury} d1\n".encode()
        if bits:
            ops += (f"q {w} 0 0 {h} {llx} {lly} cm\nBI /W {w} /H {h} /IM true /BPC 1 ID\n").encode() + bits + b"\nEI Q"
        data = zlib.compress(ops, 9)
        procs.append(f"/g{i} {add(_stream('/Filter /FlateDecode', data))} 0 R")
    cmap = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Rounds-UCS def /CMapType 2 def",
        "1 begincodespacerange <01> <FF> endcodespacerange",
    ]
    entries = [f"<{i:02X}> <{_utf16(g[0])}>" for i, g in enumerate(font.glyphs, start=1)]
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        cmap += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    cmap += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    to_unicode = add(_stream("/Filter /FlateDecode", zlib.compress("\n".join(cmap).encode("ascii"), 9)))
    safe = "".join(c for c in font.face if c.isalnum()) or "Rounds"
    descriptor = add((f"<< /Type /FontDescriptor /FontName /{safe}-Rounds /FontFamily ({_pdf_string(font.face)}) "
                      f"/Flags 4 /FontBBox [0 {-GLYPH_EM // 4} {GLYPH_EM} {GLYPH_EM}] /ItalicAngle 0 "
                      f"/Ascent {GLYPH_EM} /Descent {-GLYPH_EM // 4} /CapHeight {GLYPH_EM * 3 // 4} "
                      f"/StemV 80 >>").encode())
    n = len(font.glyphs)
    widths = " ".join(str(g[1]) for g in font.glyphs)
    names = " ".join(f"/g{i}" for i in range(1, n + 1))
    scale = f"{1 / GLYPH_EM:.8f}".rstrip("0")
    return add((
        # /BaseFont is not a Type3 key, but readers (pdfium) report it as the font's name
        f"<< /Type /Font /Subtype /Type3 /Name /{font.name} /BaseFont /{safe} /FontBBox [0 {-GLYPH_EM // 2} {GLYPH_EM * 2} {GLYPH_EM * 2}] "
        f"/FontMatrix [{scale} 0 0 {scale} 0 0] /CharProcs << {' '.join(procs)} >> "
        f"/Encoding << /Type /Encoding /Differences [1 {names}] >> /FirstChar 1 /LastChar {n} "
        f"/Widths [{widths}] /FontDescriptor {descriptor} 0 R /ToUnicode {to_unicode} 0 R /Resources << >> >>"
    ).encode())


def _stream(head: str, data: bytes) -> bytes:
    return (f"<< {head} /Length {len(data)} >>\nstream\n").encode() + data + b"\nendstream"


def _pdf_string(text: str) -> str:
    ascii_only = text.encode("ascii", "replace").decode()
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
