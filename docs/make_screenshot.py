"""Make docs/fix-diff-seed.svg: `cleaner fix --diff fixtures/seed.txt` as a terminal shows it.

Run from the repository root: `python docs/make_screenshot.py`. Rich records the render and
saves it as SVG; a PNG beside it is made too when rsvg-convert or cairosvg is available.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from cleaner.config import Config
from cleaner.engine import process_text
from cleaner.files import read_file
from cleaner.report import Reporter

ROOT = Path(__file__).resolve().parent.parent
SEED = "fixtures/seed.txt"
SVG = ROOT / "docs" / "fix-diff-seed.svg"
TITLE = "cleaner fix --diff fixtures/seed.txt"


def render() -> Console:
    """Render the seed's diff into a recording console, as on a 100-column terminal."""
    console = Console(record=True, width=100, file=io.StringIO(), color_system="truecolor")
    reporter = Reporter("rich", out=io.StringIO(), err=io.StringIO(), color=True, console=console)
    text = read_file(ROOT / SEED).text
    result = process_text(text, path=SEED, config=Config(), fix=True, keep_text=True)[0]
    reporter.diff(result)
    reporter.close()
    return console


def to_png(svg: Path) -> Path | None:
    """Convert `svg` to PNG with whichever converter is installed; None when neither is."""
    png = svg.with_suffix(".png")
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True)
        return png
    if importlib.util.find_spec("cairosvg") is not None:
        import cairosvg  # type: ignore[import-not-found]

        cairosvg.svg2png(url=str(svg), write_to=str(png))
        return png
    return None


def main() -> int:
    """Write the SVG (and a PNG when possible) and name what was written."""
    render().save_svg(str(SVG), title=TITLE)
    print(f"written: {SVG.relative_to(ROOT)}")
    png = to_png(SVG)
    if png is not None:
        print(f"written: {png.relative_to(ROOT)} (for looking, not committed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
