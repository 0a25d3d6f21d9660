"""A minimal PDF writer: pages with filled rectangles (the QR codes, cut
guides), 1-bit image masks, and text in Type3 fonts made from the label
fonts' glyphs (server/labels/type3.py). Enough for labels, nothing else."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from PIL import Image

from server.labels.type3 import Type3Faces, font_objects

MM = 72 / 25.4  # PDF points per millimetre


@dataclass
class _Page:
    width: float  # mm
    height: float
    ops: list[str] = field(default_factory=list)
    images: list[tuple[str, Image.Image]] = field(default_factory=list)


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


class PdfDocument:
    def __init__(self, title: str = "") -> None:
        self.pages: list[_Page] = []
        self.title = title
        self.faces = Type3Faces()

    def add_page(self, width_mm: float, height_mm: float) -> None:
        self.pages.append(_Page(width_mm, height_mm))

    @property
    def _page(self) -> _Page:
        return self.pages[-1]

    def _y(self, y_mm: float, h_mm: float) -> float:
        return (self._page.height - y_mm - h_mm) * MM

    def rects(self, boxes: list[tuple[float, float, float, float]], gray: float = 0.0) -> None:
        """Filled rectangles (x, y, w, h in mm from the top-left)."""
        if not boxes:
            return
        ops = [f"{_n(gray)} g"]
        for x, y, w, h in boxes:
            ops.append(f"{_n(x * MM)} {_n(self._y(y, h))} {_n(w * MM)} {_n(h * MM)} re")
        ops.append("f")
        self._page.ops.append("\n".join(ops))

    def outline(self, x: float, y: float, w: float, h: float, gray: float = 0.75,
                width_mm: float = 0.2, dash_mm: float = 0) -> None:
        dash = f"[{_n(dash_mm * MM)}] 0 d " if dash_mm else ""
        self._page.ops.append(
            f"q {_n(gray)} G {_n(width_mm * MM)} w {dash}{_n(x * MM)} {_n(self._y(y, h))} "
            f"{_n(w * MM)} {_n(h * MM)} re S Q")

    def image_mask(self, image: Image.Image, x: float, y: float, w: float, h: float) -> None:
        """Paint the black pixels of a mode "1" image into the box, in black."""
        name = f"Im{len(self._page.images) + 1}"
        self._page.images.append((name, image.convert("1")))
        self._page.ops.append(
            f"q 0 g {_n(w * MM)} 0 0 {_n(h * MM)} {_n(x * MM)} {_n(self._y(y, h))} cm /{name} Do Q")

    def text(self, key: str, em_font, face: str, line: str, x: float, baseline: float, size_pt: float) -> None:
        """One line of text, left end at `x` mm, its baseline `baseline` mm from
        the top of the page, `size_pt` points high (the em)."""
        runs = self.faces.encode(key, em_font, face, line)
        y = (self._page.height - baseline) * MM
        ops = [f"BT 0 g {_n(x * MM)} {_n(y)} Td"]
        for name, codes in runs:
            ops.append(f"/{name} {_n(size_pt)} Tf <{codes.hex().upper()}> Tj")
        ops.append("ET")
        self._page.ops.append(" ".join(ops))

    def output(self) -> bytes:
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(head: str, data: bytes) -> bytes:
            return (f"<< {head} /Length {len(data)} >>\nstream\n").encode() + data + b"\nendstream"

        catalog = add(b"")  # filled in below
        pages_id = add(b"")
        fonts = " ".join(f"/{f.name} {font_objects(f, add)} 0 R" for f in self.faces.fonts)
        kids = []
        for page in self.pages:
            xobjects = []
            for name, img in page.images:
                # Image masks: sample 0 paints. Mode "1" stores black as 0.
                data = zlib.compress(img.tobytes(), 9)
                oid = add(stream(
                    f"/Type /XObject /Subtype /Image /Width {img.width} /Height {img.height} "
                    "/ImageMask true /BitsPerComponent 1 /Decode [0 1] /Filter /FlateDecode", data))
                xobjects.append(f"/{name} {oid} 0 R")
            content = zlib.compress("\n".join(page.ops).encode("ascii"), 9)
            content_id = add(stream("/Filter /FlateDecode", content))
            parts = []
            if xobjects:
                parts.append(f"/XObject << {' '.join(xobjects)} >>")
            if fonts:
                parts.append(f"/Font << {fonts} >>")
            resources = f"<< {' '.join(parts)} >>"
            kids.append(add((
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {_n(page.width * MM)} "
                f"{_n(page.height * MM)}] /Resources {resources} /Contents {content_id} 0 R >>"
            ).encode()))
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
        objects[pages_id - 1] = (
            f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
        ).encode()
        info = add(f"<< /Producer (Rounds) /Title ({_pdf_text(self.title)}) >>".encode())

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        for off in offsets:
            out += f"{off:010d} 00000 n \n".encode()
        out += (f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n"
                f"startxref\n{xref}\n%%EOF\n").encode()
        return bytes(out)


def _pdf_text(text: str) -> str:
    ascii_only = text.encode("ascii", "replace").decode()
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
