"""Draw the app icon (a shop front on a blue tile) into resources/.

The PNG and ICO are committed; run this only to change the icon:
`QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py`.
Drawn in code so the icon has no licence question and can be re-rendered at any size.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QImageWriter,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
BLUE_TOP, BLUE_BOTTOM = QColor("#2f6fd6"), QColor("#163f8c")
AWNING_RED, AWNING_WHITE = QColor("#e8553f"), QColor("#fbfbfb")
WALL, GLASS, DOOR = QColor("#fbfbfb"), QColor("#9cc8f2"), QColor("#1d4f9e")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # everything below is in a 256x256 design grid

    # Tile: rounded square with a soft vertical gradient.
    tile = QLinearGradient(QPointF(0, 8), QPointF(0, 248))
    tile.setColorAt(0, BLUE_TOP)
    tile.setColorAt(1, BLUE_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(tile))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 52, 52)

    # Shop wall with a window on the left and a door on the right.
    p.setBrush(WALL)
    p.drawRoundedRect(QRectF(52, 118, 152, 96), 8, 8)
    p.setBrush(GLASS)
    p.drawRoundedRect(QRectF(68, 136, 64, 44), 5, 5)
    p.setBrush(DOOR)
    p.drawRoundedRect(QRectF(146, 136, 42, 78), 5, 5)
    p.setBrush(WALL)
    p.drawEllipse(QPointF(179, 176), 3.5, 3.5)  # door knob

    # Awning: five stripes, red and white, each ending in a scallop.
    left, top, width, height, stripes = 40.0, 62.0, 176.0, 44.0, 5
    w = width / stripes
    for i in range(stripes):
        x = left + i * w
        path = QPainterPath()
        path.moveTo(x, top)
        path.lineTo(x + w, top)
        path.lineTo(x + w, top + height)
        path.arcTo(QRectF(x, top + height - w / 2, w, w), 0, -180)
        path.closeSubpath()
        p.setBrush(AWNING_RED if i % 2 == 0 else AWNING_WHITE)
        p.drawPath(path)
    p.setPen(QPen(QColor(0, 0, 0, 40), 2))
    p.drawLine(QPointF(left, top), QPointF(left + width, top))
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # QImageWriter rather than QImage.save: PySide6's stubs and runtime disagree on the type
    # of save()'s format argument (bytes vs str).
    if not QImageWriter(buffer, QByteArray(b"png")).write(image):
        raise RuntimeError("PNG encoding failed")
    return bytes(data.data())


def ico_bytes(sizes: tuple[int, ...]) -> bytes:
    """A multi-size .ico with PNG entries (Windows Vista+).

    Qt's ico writer stores one uncompressed image per file; the .exe wants several sizes,
    each drawn at its own size rather than scaled, so the file is assembled here.
    """
    images = [png_bytes(draw(s)) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    for size, data in zip(sizes, images, strict=True):
        # width/height 0 means 256; 32 bits per pixel; no palette.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


# icns element types holding PNG data (macOS 10.7+), with their pixel sizes.
ICNS_TYPES = (
    (b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic13", 256),
    (b"ic08", 256), (b"ic14", 512), (b"ic09", 512),
)  # fmt: skip


def icns_bytes() -> bytes:
    """The macOS bundle icon. Qt can write .icns too, but its table of contents is one that
    Qt's own reader rejects, so the (simple) container is assembled here."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = png_bytes(draw(size))
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    RESOURCES.mkdir(exist_ok=True)
    (RESOURCES / "merchant-desk.png").write_bytes(png_bytes(draw(256)))
    (RESOURCES / "merchant-desk.ico").write_bytes(ico_bytes((16, 24, 32, 48, 64, 256)))
    (RESOURCES / "merchant-desk.icns").write_bytes(icns_bytes())
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
