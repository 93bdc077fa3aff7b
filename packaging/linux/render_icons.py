"""Render the app icon (resources/icons/studio-console.svg) to the PNG sizes desktops use.

Run after changing the SVG: ``.venv/bin/python packaging/linux/render_icons.py``. Writes
``packaging/linux/icons/hicolor/<N>x<N>/apps/studio-console.png`` (committed, so install.sh
needs no Python) and ``packaging/windows/studio-console.ico`` when Pillow is available.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "studio-console.svg"
SIZES = (256, 128, 64, 48)
OUT = Path(__file__).resolve().parent / "icons" / "hicolor"


def render(size: int) -> QImage:
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    pngs = []
    for size in SIZES:
        path = OUT / f"{size}x{size}" / "apps" / "studio-console.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        pngs.append(path)
        print(path.relative_to(ROOT))
    try:
        from PIL import Image
    except ImportError:
        return 0
    ico = ROOT / "packaging" / "windows" / "studio-console.ico"
    Image.open(pngs[0]).save(ico, sizes=[(s, s) for s in (256, 128, 64, 48, 32, 16)])
    print(ico.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
