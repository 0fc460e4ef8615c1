"""Sphinx helpers of the rlsandbox site: environment pages from the envs' own docstrings.

The environments' class docstrings follow Gymnasium's layout, written in the Markdown that
Gymnasium's docstrings use (``## Description``, fenced ``python`` blocks, pipe tables). This
extension turns that Markdown into reStructuredText in two places:

* in the API reference (``autodoc-process-docstring``): the ``##`` headings become rubrics,
  so numpydoc sees one long description instead of unknown sections;
* on the environment pages, ``.. gym-env-sections:: rlsandbox.envs.MazeEnv`` writes the
  docstring's sections as the page's sections, so the page and ``help(MazeEnv)`` say the
  same thing.

It also draws pictures at build time, so they never fall behind the code:
``.. maze-layouts::`` (every layout in ``rlsandbox.envs.LAYOUTS``) and
``.. env-frame:: ID`` (one rendered frame of a registered env); ``.. env-summary:: ID``
writes Gymnasium's summary table (the spaces and how to make the env), and
``.. module-docstring:: PATH`` shows a Python file's docstring without importing it.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

ROOT = Path(__file__).resolve().parents[2]
GENERATED = "generated"  # pictures drawn at build time, relative to the source dir

_HEADING = re.compile(r"^##\s+(.+?)\s*$")
_FENCE = re.compile(r"^```(\w*)\s*$")
_SINGLE_TICKS = re.compile(r"(?<!`)`([^`]+)`(?!`)")


def is_gym_docstring(lines: list[str]) -> bool:
    """Whether a docstring is written in Gymnasium's Markdown layout."""
    return any(line.strip() == "## Description" for line in lines)


def _table(rows: list[str]) -> list[str]:
    """A Markdown pipe table as a ``list-table`` (the first row is the header)."""
    cells = [
        [_SINGLE_TICKS.sub(r"``\1``", cell.strip()) for cell in row.strip().strip("|").split("|")]
        for row in rows
        if not re.fullmatch(r"\|?[\s:|-]+\|?", row.strip())  # the |---|---| line
    ]
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in cells:
        for i, cell in enumerate(row):
            out.append(("   * - " if i == 0 else "     - ") + (cell or r"\ "))
    return [*out, ""]


def markdown_to_rst(lines: list[str], *, heading: str | None = "rubric") -> list[str]:
    """Turn the Markdown of a Gymnasium-style docstring into reStructuredText.

    ``## Title`` becomes ``.. rubric:: Title`` (``heading="rubric"``) or is kept as is
    (``heading=None``, for callers that split the sections themselves); fenced code becomes
    a ``code-block``; pipe tables become ``list-table`` s. Everything else is already
    reStructuredText and passes through.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        fence = _FENCE.match(stripped)
        if fence:
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            i += 1  # the closing fence
            while body and not body[-1].strip():
                body.pop()
            language = "pycon" if any(b.lstrip().startswith(">>>") for b in body) else (
                fence.group(1) or "text")
            out += [f".. code-block:: {language}", ""] + [f"   {b}" if b else "" for b in body]
            out.append("")
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += _table(rows)
            continue
        match = _HEADING.match(stripped)
        if match and heading == "rubric":
            out += [f".. rubric:: {match.group(1)}", ""]
        else:
            out.append(line)
        i += 1
    return out


def gym_sections(doc: str) -> dict[str, list[str]]:
    """The ``## `` sections of a Gymnasium-style docstring, in order, as rST lines."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        match = _HEADING.match(line.strip())
        if match:
            current = sections.setdefault(match.group(1), [])
        elif current is not None:
            current.append(line)
    return {name: markdown_to_rst(body, heading=None) for name, body in sections.items()}


def _process_docstring(app, what, name, obj, options, lines: list[str]) -> None:
    if is_gym_docstring(lines):
        lines[:] = markdown_to_rst(lines)


def _import(path: str):
    module, _, attr = path.rpartition(".")
    return getattr(__import__(module, fromlist=[attr]), attr)


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _RstDirective(SphinxDirective):
    """A directive that writes reStructuredText and parses it in place."""

    def parse_rst(self, text: list[str], *, titles: bool = False) -> list[nodes.Node]:
        container = nodes.section() if titles else nodes.container()
        content = StringList(text, source=self.get_source_info()[0])
        if titles:
            nested_parse_with_titles(self.state, content, container)
        else:
            self.state.nested_parse(content, self.content_offset, container)
        return container.children


class GymEnvSections(_RstDirective):
    """``.. gym-env-sections:: rlsandbox.envs.MazeEnv``: the class docstring's sections.

    Options: ``:only:`` or ``:skip:`` (comma-separated section names), and ``:extra:`` with
    ``:after:``: a section of that title, whose body is the directive's content, placed
    after the named docstring section (so that it is a section of the same level).
    """

    required_arguments = 1
    has_content = True
    option_spec = {"only": _csv, "skip": _csv, "extra": directives.unchanged,
                   "after": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        cls = _import(self.arguments[0])
        self.env.note_dependency(inspect.getsourcefile(cls))
        sections = gym_sections(inspect.getdoc(cls) or "")
        only, skip = self.options.get("only"), self.options.get("skip", [])
        after = self.options.get("after")
        for name in (only or []) + skip + ([after] if after else []):
            if name not in sections:
                raise self.error(f"{self.arguments[0]} has no '## {name}' section; "
                                 f"it has {', '.join(sections)}")
        if bool(after) != ("extra" in self.options):
            raise self.error(":extra: and :after: go together")
        text: list[str] = []
        for name, body in sections.items():
            if (only and name not in only) or name in skip:
                continue
            text += [name, "-" * len(name), "", *body, ""]
            if name == after:
                extra = self.options["extra"]
                text += [extra, "-" * len(extra), "", *self.content, ""]
        return self.parse_rst(text, titles=True)


def _save_png(array, path: Path) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, optimize=True)


class MazeLayouts(_RstDirective):
    """``.. maze-layouts::``: a picture of every named layout in ``rlsandbox.envs.LAYOUTS``."""

    def run(self) -> list[nodes.Node]:
        from rlsandbox.envs import LAYOUTS, MazeEnv

        text = [".. container:: rlsandbox-layouts", ""]
        for name in LAYOUTS:
            env = MazeEnv(name, render_mode="rgb_array")
            env.reset(seed=0)
            frame = env.render()
            env.close()
            _save_png(frame, Path(self.env.srcdir) / GENERATED / "envs" / f"maze-{name}.png")
            rows, cols = env.unwrapped.grid_shape
            text += [
                f"   .. figure:: /{GENERATED}/envs/maze-{name}.png",
                f"      :alt: the {name} maze layout",
                f"      :width: {frame.shape[1] // 2}px",
                "",
                f'      ``"{name}"``: {rows} × {cols} grid, {env.observation_space.n} states',
                "",
            ]
        return self.parse_rst(text)


def _make(env_id: str, kwargs: dict):
    import gymnasium

    import rlsandbox  # noqa: F401  (registers the ids)

    return gymnasium.make(env_id, **kwargs)


class EnvFrame(_RstDirective):
    """``.. env-frame:: rlsandbox/CartPole-v0``: one rendered frame, after ``:steps:`` random
    actions (seeded), with the env made from ``:kwargs:`` (JSON)."""

    required_arguments = 1
    option_spec = {"steps": directives.nonnegative_int, "kwargs": json.loads,
                   "width": directives.unchanged, "alt": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        env_id = self.arguments[0]
        kwargs = self.options.get("kwargs", {})
        env = _make(env_id, {**kwargs, "render_mode": "rgb_array"})
        env.reset(seed=0)
        env.action_space.seed(0)
        for _ in range(self.options.get("steps", 0)):
            env.step(env.action_space.sample())
        frame = env.render()
        env.close()
        stem = re.sub(r"[^A-Za-z0-9]+", "-", env_id + json.dumps(kwargs, sort_keys=True)).strip("-")
        _save_png(frame, Path(self.env.srcdir) / GENERATED / "envs" / f"{stem}.png")
        width = self.options.get("width", f"{frame.shape[1] // 2}px")
        alt = self.options.get("alt", f"a frame of {env_id}")
        return self.parse_rst([f".. image:: /{GENERATED}/envs/{stem}.png", f"   :alt: {alt}",
                               f"   :width: {width}", ""])


class EnvSummary(_RstDirective):
    """``.. env-summary:: rlsandbox/Maze-v0``: Gymnasium's table of an env's spaces and id."""

    required_arguments = 1
    option_spec = {"kwargs": json.loads}

    def run(self) -> list[nodes.Node]:
        env_id = self.arguments[0]
        kwargs = self.options.get("kwargs", {})
        env = _make(env_id, kwargs)
        call = ", ".join([f'"{env_id}"'] + [f"{k}={v!r}" for k, v in kwargs.items()])
        rows = [
            ("Action Space", f"``{env.action_space}``"),
            ("Observation Space", f"``{env.observation_space}``"),
            ("import", f"``gymnasium.make({call})``"),
            ("class", f":class:`{type(env.unwrapped).__name__} "
                      f"<rlsandbox.envs.{type(env.unwrapped).__name__}>`"),
        ]
        env.close()
        text = [".. list-table::", "   :widths: 1 3", "   :class: rlsandbox-env-summary", ""]
        for key, value in rows:
            text += [f"   * - {key}", f"     - {value}"]
        return self.parse_rst([*text, ""])


class ModuleDocstring(_RstDirective):
    """``.. module-docstring:: benchmarks/bench_envs.py [NAME]``: the file's docstring (or that
    of its top-level function or class ``NAME``), as rST, read with ``ast`` (nothing is
    imported)."""

    required_arguments = 1
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        path = ROOT / self.arguments[0]
        self.env.note_dependency(str(path))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if len(self.arguments) == 2:
            found = [node for node in tree.body if getattr(node, "name", None) == self.arguments[1]]
            if not found:
                raise self.error(f"{self.arguments[0]} defines no {self.arguments[1]}")
            tree = found[0]
        doc = ast.get_docstring(tree)
        if not doc:
            raise self.error(f"{' '.join(self.arguments)} has no docstring")
        return self.parse_rst(doc.splitlines())


# Snippet runs of this build: (path, modification time) -> (output, images). The English and
# the Hindi pages show the same snippets; each runs once.
_RUNS: dict[tuple[str, int], tuple[str, list[str]]] = {}
SNIPPET_TIMEOUT = 300  # seconds; every snippet takes a few


def run_snippet(path: Path, files: list[Path], images_to: Path) -> tuple[str, list[str]]:
    """Run a ``.py`` (Python) or ``.sh`` (bash) snippet in a fresh interpreter and a fresh
    working directory; return what it printed and the names of the images it wrote, which
    are copied into ``images_to`` as ``<snippet>-<image>``.

    The working directory holds ``files`` (copies) and ``examples`` (a link to the
    repository's ``examples/``, for ``examples/data/iris.csv``), as a checkout would.
    """
    env = {**os.environ, "MPLBACKEND": "Agg", "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           # the snippets' `python` and `rlsandbox` are this build's
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    command = [sys.executable, str(path)] if path.suffix == ".py" else ["bash", "-e", str(path)]
    with tempfile.TemporaryDirectory(prefix=f"rlsandbox-snippet-{path.stem}-") as tmp:
        work = Path(tmp)
        (work / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
        for file in files:
            shutil.copy(file, work / file.name)
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True,
                              timeout=SNIPPET_TIMEOUT)
        if done.returncode != 0:
            raise RuntimeError(f"{path.name} exited with {done.returncode}:\n"
                               f"{done.stderr[-3000:]}")
        images = sorted(
            (p for p in work.rglob("*") if p.suffix in (".png", ".gif")
             and p.relative_to(work).parts[0] != "examples"),
            key=lambda p: (p.stat().st_mtime_ns, p.name),
        )
        images_to.mkdir(parents=True, exist_ok=True)
        names = []
        for image in images:
            names.append(f"{path.stem}-{image.name}")
            shutil.copyfile(image, images_to / names[-1])
    # Paths inside the working directory print as the reader would see them: relative.
    return done.stdout.replace(f"{work}/", "").replace(str(work), "."), names


class Runnable(_RstDirective):
    """``.. runnable:: /snippets/pca_iris.py``: the snippet's code, then what it prints and
    the images it writes, all made by running it at build time (a failing snippet fails the
    build). Options: ``:files:`` (other snippets copied beside it), ``:output-caption:``,
    ``:language:`` (of the code block; from the suffix by default)."""

    required_arguments = 1
    option_spec = {"files": _csv, "output-caption": directives.unchanged,
                   "language": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        files = [Path(self.env.relfn2path(f, self.env.docname)[1])
                 for f in self.options.get("files", [])]
        for file in files:
            self.env.note_dependency(str(file))
        key = (str(path), Path(path).stat().st_mtime_ns)
        if key not in _RUNS:
            try:
                _RUNS[key] = run_snippet(Path(path), files,
                                         Path(self.env.srcdir) / GENERATED / "snippets")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                raise self.error(f"snippet {self.arguments[0]} failed: {exc}") from None
        output, names = _RUNS[key]
        language = self.options.get("language",
                                    "python" if path.endswith(".py") else "bash")
        text = [f".. literalinclude:: {self.arguments[0]}", f"   :language: {language}", ""]
        if output.strip():
            caption = self.options.get("output-caption", "Output")
            text += [".. code-block:: text", f"   :caption: {caption}",
                     "   :class: rlsandbox-output", ""]
            text += [f"   {line}" if line else "" for line in output.rstrip().splitlines()]
            text.append("")
        for name in names:
            text += [f".. image:: /{GENERATED}/snippets/{name}", f"   :alt: {name}", ""]
        return self.parse_rst(text)


def _page_language(app, pagename, templatename, context, doctree) -> None:
    # The Hindi pages say so (<html lang="hi">): browsers pick Devanagari fonts and screen
    # readers a Hindi voice.
    if pagename.startswith("hi/"):
        context["language"] = "hi"


def setup(app):
    # Before numpydoc (priority 500): numpydoc must see rST, not Markdown.
    app.connect("autodoc-process-docstring", _process_docstring, priority=400)
    app.add_directive("gym-env-sections", GymEnvSections)
    app.add_directive("maze-layouts", MazeLayouts)
    app.add_directive("env-frame", EnvFrame)
    app.add_directive("env-summary", EnvSummary)
    app.add_directive("module-docstring", ModuleDocstring)
    app.add_directive("runnable", Runnable)
    app.connect("html-page-context", _page_language)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
