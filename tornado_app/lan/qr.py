"""QR codes of join URLs: as text for the terminal, and as a PNG for the desktop app and browsers."""

from __future__ import annotations

import io

import segno


def qr_text(url: str) -> str:
    """The QR code as lines of block characters (two modules a character), dark on light."""
    qr = segno.make(url, error="m", boost_error=False)
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    # Light modules print as blocks, so the code reads on dark terminals too (quiet zone included).
    glyph = {(1, 1): " ", (1, 0): "\u2584", (0, 1): "\u2580", (0, 0): "\u2588"}
    lines = []
    for top, bottom in zip(matrix[0::2], matrix[1::2]):
        lines.append("".join(glyph[(bool(a), bool(b))] for a, b in zip(top, bottom)))
    return "\n".join(lines)


def qr_png(url: str, scale: int = 8) -> bytes:
    """The QR code as PNG bytes."""
    out = io.BytesIO()
    segno.make(url, error="m", boost_error=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
