"""The documentation site builds, has the pages it promises, and works in a real browser.

The site is built once per test session with ``python -m sphinx -W -b html docs
docs/_build/html``, the command CI runs before the tests: where CI (or you) built it
already, Sphinx only checks that nothing changed. Select these tests with ``pytest -m
docs``; they also run in the default ``pytest``.

The browser tests drive Debian's Chromium (``apt-get install chromium``; ``.ci/run``
installs it) with Playwright, against the site served by a local ``http.server`` on
127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import pkgutil
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

import rlsandbox

pytestmark = pytest.mark.docs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")
GYM_SECTIONS = ["Description", "Action Space", "Observation Space", "Rewards",
                "Starting State", "Episode End", "Arguments", "Version History"]
NOT_IN_API = {"cli"}  # the command line has --help, not an API page


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site (``docs/_build/html``), built or brought up to date with ``-W``."""
    out = DOCS / "_build" / "html"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(DOCS), str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, f"the docs build failed:\n{done.stdout}\n{done.stderr}"
    return out


class _Page(HTMLParser):
    """The headings, images, code blocks, element ids and language of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []  # (tag, text)
        self.images: list[dict[str, str]] = []
        self.pres: list[str] = []
        self.ids: set[str] = set()
        self.lang = ""
        self._heading: str | None = None
        self._pre = 0
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang", "")
        elif tag == "img":
            self.images.append(attrs)
        elif tag in ("h1", "h2", "h3"):
            self._heading, self._text = tag, []
        elif tag == "pre":
            self._pre += 1
            if self._pre == 1:
                self._text = []

    def handle_endtag(self, tag):
        if tag == self._heading:
            self.headings.append((tag, "".join(self._text).strip().rstrip("#").strip()))
            self._heading = None
        elif tag == "pre" and self._pre:
            self._pre -= 1
            if not self._pre:
                self.pres.append("".join(self._text))

    def handle_data(self, data):
        if self._heading or self._pre:
            self._text.append(data)


def page(site: Path, name: str) -> _Page:
    path = site / name
    assert path.is_file(), f"{name} was not built"
    return _Page(path.read_text(encoding="utf-8"))


def local_images(site: Path, name: str) -> list[Path]:
    """The image files a page shows, each checked to exist and not be empty."""
    files = []
    for img in page(site, name).images:
        file = (site / name).parent / img["src"]
        assert file.is_file() and file.stat().st_size > 0, f"{name}: image {img['src']} missing"
        files.append(file.resolve())
    return files


def gallery_examples() -> list[Path]:
    """Every script of the gallery: examples/*.py, and *.py of sub-folders with a README.txt."""
    scripts = sorted(ROOT.glob("examples/*.py"))
    for readme in sorted(ROOT.glob("examples/*/README.txt")):
        scripts += sorted(readme.parent.glob("*.py"))
    return [script for script in scripts if script.name != "__init__.py"]


# -- the gallery -------------------------------------------------------------------------------


@pytest.mark.parametrize("script", gallery_examples(), ids=lambda p: p.stem)
def test_every_example_has_a_gallery_page_with_its_figures(site, script):
    name = script.relative_to(ROOT / "examples").with_suffix(".html").as_posix()
    images = [p.name for p in local_images(site, f"auto_examples/{name}")]
    figures = [n for n in images if n.startswith(f"sphx_glr_{script.stem}_0")]
    assert figures, f"the gallery page of {script.name} shows no figure (images: {images})"


@pytest.mark.parametrize("script", sorted(ROOT.glob("examples/*.py")), ids=lambda p: p.stem)
def test_every_example_names_the_tutorial_lesson_it_follows(script):
    doc = script.read_text(encoding="utf-8").split('"""')[1]
    assert re.search(r"^Lesson: \*[^*]+\*", doc, re.M), f"{script.name} names no lesson"


def test_the_gallery_index_shows_a_thumbnail_of_every_example(site):
    images = {p.name for p in local_images(site, "auto_examples/index.html")}
    for script in ROOT.glob("examples/*.py"):
        assert f"sphx_glr_{script.stem}_thumb.png" in images


# -- the environment pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["maze", "cartpole", "vector", "tabular"])
def test_every_env_page_has_gymnasiums_sections_in_order(site, name):
    found = [text for tag, text in page(site, f"envs/{name}.html").headings if tag == "h2"]
    sections = [text for text in found if text in GYM_SECTIONS]
    assert sections == GYM_SECTIONS, f"envs/{name}: sections {found}"


def test_the_maze_page_shows_every_named_layout(site):
    from rlsandbox.envs import LAYOUTS

    alts = {img.get("alt") for img in page(site, "envs/maze.html").images}
    assert {f"the {name} maze layout" for name in LAYOUTS} <= alts
    local_images(site, "envs/maze.html")  # and every image file is there


def test_env_pages_take_their_sections_from_the_class_docstring(site):
    text = (site / "envs/cartpole.html").read_text(encoding="utf-8")
    assert "sutton_barto_reward" in text and "Barto, Sutton and Anderson (1983)" in text


# -- the API reference ---------------------------------------------------------------------------


def public_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(rlsandbox.__path__)
                  if not m.name.startswith("_") and m.name not in NOT_IN_API)


@pytest.mark.parametrize("module", public_modules())
def test_every_public_name_has_an_api_entry(site, module):
    ids: set[str] = set()
    for html in (site / "api").rglob("*.html"):
        ids |= page(site, html.relative_to(site).as_posix()).ids
    names = importlib.import_module(f"rlsandbox.{module}").__all__
    missing = [n for n in names if f"rlsandbox.{module}.{n}" not in ids]
    assert not missing, f"docs/api/{module}.rst does not list {missing}"


def test_every_top_level_name_is_documented_in_its_module():
    modules = [importlib.import_module(f"rlsandbox.{m}") for m in public_modules()]
    documented = {id(getattr(module, name)) for module in modules for name in module.__all__}
    assert [n for n in rlsandbox.__all__ if id(getattr(rlsandbox, n)) not in documented] == []


# -- the quick-starts ----------------------------------------------------------------------------


def test_the_hindi_quick_start_is_in_hindi(site):
    hindi = page(site, "hi/index.html")
    assert hindi.lang == "hi"
    prose = (site / "hi/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r"[\u0900-\u097F]", prose)) > 1500  # Devanagari, not a stub


def test_the_hindi_and_english_quick_starts_run_the_same_code(site):
    english = page(site, "quickstart.html").pres
    hindi = page(site, "hi/index.html").pres
    assert len(hindi) >= 12  # install, demo, and five snippets with their output
    assert hindi == english


@pytest.mark.parametrize("expected", [
    "[0.9246 0.0531]",                    # PCA on iris
    "reward of the last step: +10.0",     # the maze robot's exit
    "return: 8.1 = 10 - 0.1 x 19",
    "Cluster Labels: [0 0 1 1]",          # Ward on the four points
    "AUC = 0.",
])
def test_the_quick_start_shows_the_tutorials_numbers(site, expected):
    outputs = "\n".join(page(site, "hi/index.html").pres)
    assert expected in outputs


def test_the_quick_start_shows_the_figures_its_code_writes(site):
    images = {p.name for p in local_images(site, "hi/index.html")}
    for figure in ("maze_robot-maze_robot.png", "roc_auc-roc.png", "pca_iris-pca_iris.png",
                   "ward-dendrogram.png"):
        assert figure in images


def test_the_own_agent_guide_shows_its_gif(site):
    images = {p.name for p in local_images(site, "guides/own_agent.html")}
    assert "own_agent-optimistic_q.gif" in images


# -- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def server(site):
    """The site on http://127.0.0.1:PORT/, served from a thread for this session."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        httpd.shutdown()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "the browser tests need Debian's chromium: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


# Waits for every image (lazy ones made eager) and returns (src, naturalWidth) of each.
_IMAGES_JS = """async () => {
    const images = Array.from(document.images);
    images.forEach(img => { img.loading = "eager"; });
    await Promise.all(images.map(img => img.complete ? null :
        new Promise(done => { img.addEventListener("load", done);
                              img.addEventListener("error", done); })));
    return images.map(img => [img.currentSrc || img.src, img.naturalWidth]);
}"""


def browser_pages() -> list[str]:
    gallery = [f"auto_examples/{s.relative_to(ROOT / 'examples').with_suffix('.html').as_posix()}"
               for s in gallery_examples()]
    return ["index.html", "auto_examples/index.html", *gallery, "quickstart.html",
            "hi/index.html", "envs/maze.html", "guides/own_agent.html"]


@pytest.mark.parametrize("name", browser_pages())
def test_page_loads_in_chromium_with_every_image_and_no_javascript_error(server, browser, name):
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    tab.on("console", lambda msg: errors.append(f"console: {msg.text}")
           if msg.type == "error" else None)
    tab.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}")
           if r.status >= 400 else None)
    try:
        response = tab.goto(server + name, wait_until="load")
        assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
        images = tab.evaluate(_IMAGES_JS)
        tab.wait_for_timeout(200)  # scripts that run after load (theme, search) get their turn
    finally:
        tab.close()
    assert images, f"{name} shows no image"
    broken = [src for src, width in images if not width]
    assert not broken, f"{name}: images that did not load: {broken}"
    assert not errors, f"{name}: {errors}"
