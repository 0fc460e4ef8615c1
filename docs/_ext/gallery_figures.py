"""Sphinx-Gallery hooks: show the figures that the example scripts save.

The scripts in ``examples/`` save their figures as PNG files into
``$RLSANDBOX_EXAMPLES_OUT`` (``docs/conf.py`` points it at ``docs/_build/gallery-figures``)
and close them before they end, so Sphinx-Gallery's matplotlib scraper would find no open
figure. :func:`reset` empties that directory before each example runs, and :func:`scraper`
takes the images written since the last code block, oldest first, into the gallery. A script
that leaves its figures open instead (and saves none) is scraped the usual way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

IMAGE_SUFFIXES = (".png", ".gif", ".jpg", ".svg")

# Images already shown for the current example (path -> modification time): a script with
# several code blocks shows each image once, after the block that wrote it.
_shown: dict[Path, int] = {}


def _out_dir() -> Path:
    return Path(os.environ["RLSANDBOX_EXAMPLES_OUT"])


def reset(gallery_conf, fname) -> None:
    """Empty the figure directory before an example runs."""
    out = _out_dir()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    _shown.clear()


def scraper(block, block_vars, gallery_conf) -> str:
    """The rST of the images the last code block wrote (or of its open matplotlib figures)."""
    from sphinx_gallery.scrapers import figure_rst, matplotlib_scraper

    out = _out_dir()
    new = sorted(
        (path for path in out.rglob("*") if path.suffix.lower() in IMAGE_SUFFIXES
         and _shown.get(path) != path.stat().st_mtime_ns),
        key=lambda path: (path.stat().st_mtime_ns, path.name),
    )
    if not new:
        return matplotlib_scraper(block, block_vars, gallery_conf)
    import matplotlib.pyplot as plt

    plt.close("all")  # what is still open was saved already: do not show it twice
    targets = []
    for image, target in zip(new, block_vars["image_path_iterator"], strict=False):
        target = Path(target).with_suffix(image.suffix.lower())
        shutil.copyfile(image, target)
        _shown[image] = image.stat().st_mtime_ns
        targets.append(target)
    return figure_rst(targets, gallery_conf["src_dir"])
