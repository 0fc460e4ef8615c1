"""Sphinx configuration of the rlsandbox documentation site.

Build it from the repository root (after ``pip install -e ".[docs]"``)::

    python -m sphinx -W -b html docs docs/_build/html

The gallery runs every script in ``examples/`` (and in each sub-folder that has a
``README.txt``, such as ``examples/textbook/``) at build time and shows its code, its printed
output and its figures. The maze-layout pictures and the CartPole picture are drawn at build
time too (``docs/_ext/rlsandbox_docs.py``), so the pages never fall behind the code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# Headless: pygame (the envs' pictures) and matplotlib (the gallery) never open a window.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# The examples save their figures into $RLSANDBOX_EXAMPLES_OUT; the gallery's scraper picks
# them up from there (docs/_ext/gallery_figures.py), so the build never writes examples/output/.
os.environ["RLSANDBOX_EXAMPLES_OUT"] = str(DOCS / "_build" / "gallery-figures")

sys.path.insert(0, str(ROOT))  # this checkout's rlsandbox, even when it is not installed
sys.path.insert(0, str(DOCS / "_ext"))

import rlsandbox  # noqa: E402

project = "rlsandbox"
author = "the rlsandbox authors"
copyright = "the rlsandbox authors"
release = version = getattr(rlsandbox, "__version__", "0.1.0")

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
    "rlsandbox_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"

# -- API reference ------------------------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints = "none"  # numpydoc's "Parameters" already give the types, in words
autodoc_member_order = "bysource"
numpydoc_show_class_members = False  # the class template lists members with autodoc instead
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# -- Gallery ------------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # Every script is an example: run them all (data/, sweeps/ and output/ have no
    # README.txt, so they are not galleries; a sub-folder with one is a sub-gallery).
    "filename_pattern": r"\.py$",
    "ignore_pattern": r"__init__\.py$",
    "within_subsection_order": "FileNameSortKey",
    # The scripts save their figures and close them: take the PNGs they wrote, or the open
    # matplotlib figures of a script that leaves them open.
    "image_scrapers": ("gallery_figures.scraper",),
    "reset_modules": ("matplotlib", "gallery_figures.reset"),
    "doc_module": ("rlsandbox",),
    "backreferences_dir": "api/generated/backreferences",
    "remove_config_comments": True,
    "show_memory": False,
    "download_all_examples": False,
    "plot_gallery": "True",
    "abort_on_example_error": True,
    "capture_repr": ("_repr_html_",),
}

# -- HTML ---------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "rlsandbox"
html_favicon = "_static/favicon.png"
html_static_path = ["_static"]
html_css_files = ["rlsandbox.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "header_links_before_dropdown": 7,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "hi/index": []}
html_context = {"default_mode": "auto"}  # light or dark as the reader's system prefers
html_show_sourcelink = False
html_copy_source = False

# MyST (docs/sweeps.md, and benchmarks/RESULTS.md included by the Speed guide).
myst_heading_anchors = 3
