"""The QR code of a label: BASE_URL/t/<code>."""

from __future__ import annotations

from dataclasses import dataclass

import segno

from server.domain.label_layout import QUIET_ZONE


@dataclass(frozen=True)
class QrMatrix:
    version: int
    error: str  # L M Q H
    rows: list[list[bool]]  # modules only, without the quiet zone

    @property
    def size(self) -> int:
        return len(self.rows)


def make(url: str) -> QrMatrix:
    """The smallest QR version that holds `url` at error level M, with the
    error level raised to Q or H when that fits in the same version (segno's
    boost_error): the biggest modules and the most damage tolerance the label
    can have (see server/domain/label_layout.py)."""
    qr = segno.make_qr(url, error="m", boost_error=True)
    rows = [[bool(v) for v in row] for row in qr.matrix_iter(scale=1, border=0)]
    return QrMatrix(version=int(qr.version), error=qr.error.upper(), rows=rows)


def quiet_zone() -> int:
    return QUIET_ZONE
