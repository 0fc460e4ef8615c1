"""examples/tour.ipynb runs top to bottom in a fresh Jupyter kernel and shows what it says.

The notebook is executed once per test session with nbclient, in a temporary working
directory, by a kernel of this very Python: the kernelspec is written for the test into a
temporary directory, so a ``python3`` kernel installed elsewhere on the machine (another
interpreter, another rlsandbox) cannot stand in. The kernel runs headless as on a notebook
server or Colab: no ``$DISPLAY``, pygame's dummy video driver, Jupyter's inline matplotlib
backend.

The printed numbers are checked twice: against what the notebook's own cells print when run
in this process (the notebook is reproducible), and against oracles (the maze's shortest path
in closed form, the cliff's optimal return from value iteration, Sutton & Barto's ordering of
SARSA and Q-learning).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import io
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "tour.ipynb"
INLINE = "module://matplotlib_inline.backend_inline"
# Appended to the executed copy (never to the file): which Python and which rlsandbox ran.
PROBE = "import sys\nimport rlsandbox\nprint(sys.executable)\nprint(rlsandbox.__file__)"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook after a run in a fresh kernel: ``(notebook, working directory)``."""
    import nbformat
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient

    work = tmp_path_factory.mktemp("tour")
    kernels = tmp_path_factory.mktemp("kernels")
    write_kernel_spec(kernels / "python3")  # argv: [sys.executable, "-m", "ipykernel_launcher"...]
    km = AsyncKernelManager(kernel_name="python3",
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", MPLBACKEND=INLINE,
               PYGAME_HIDE_SUPPORT_PROMPT="1",
               # This checkout's rlsandbox, as in this process, whatever the working directory.
               PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]))

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(nb, km=km, timeout=120, startup_timeout=60, allow_errors=True,
                            resources={"metadata": {"path": str(work)}})
    client.execute(env=env, cleanup_kc=True)  # cleanup_kc: shut the kernel down afterwards
    return nb, work


# -- finding cells and their outputs ---------------------------------------------------------
def _code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _cell(nb, text: str):
    """The one code cell whose source contains ``text``."""
    found = [cell for cell in _code_cells(nb) if text in cell.source]
    assert len(found) == 1, f"{len(found)} code cells contain {text!r}"
    return found[0]


def _stdout(cell) -> str:
    return "".join(out.text for out in cell.outputs
                   if out.output_type == "stream" and out.name == "stdout")


def _data(cell, mime: str) -> list[str]:
    return [out.data[mime] for out in cell.outputs if mime in out.get("data", {})]


def _run_here(nb, *texts: str):
    """Run the notebook's import cell, then the cells containing ``texts``, in this process
    and the current directory, as IPython would: ``(what the last cell prints, its value)``."""
    namespace: dict = {}
    # IPython magics ("%matplotlib inline") are not Python.
    imports = "\n".join(line for line in _code_cells(nb)[0].source.splitlines()
                        if not line.startswith("%"))
    exec(imports, namespace)
    for text in texts:
        *body, last = ast.parse(_cell(nb, text).source).body
        printed, value = io.StringIO(), None
        with contextlib.redirect_stdout(printed):
            exec(compile(ast.Module(body, type_ignores=[]), text, "exec"), namespace)
            if isinstance(last, ast.Expr):  # the cell's value
                value = eval(compile(ast.Expression(last.value), text, "eval"), namespace)
            else:
                exec(compile(ast.Module([last], type_ignores=[]), text, "exec"), namespace)
    return printed.getvalue(), value


def _numbers(pattern: str, text: str) -> list[float]:
    return [float(x) for x in re.findall(pattern, text)]


# -- the run -----------------------------------------------------------------------------------
def test_every_code_cell_runs_in_order_without_an_error(executed):
    nb, _ = executed
    errors = [f"cell {i}: {out.ename}: {out.evalue}\n{cell.source}"
              for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for out in cell.outputs if out.output_type == "error"]
    assert not errors, "\n\n".join(errors)
    counts = [cell.execution_count for cell in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1))


def test_the_kernel_is_this_python_with_this_checkouts_rlsandbox(executed):
    import rlsandbox

    nb, _ = executed
    executable, package = _stdout(_cell(nb, PROBE)).splitlines()
    assert executable == sys.executable
    assert Path(package).resolve() == Path(rlsandbox.__file__).resolve()


def test_the_notebook_writes_its_files_into_its_working_directory(executed):
    _, work = executed
    assert {"history.npz", "agent.npz", "report"} <= {p.name for p in work.iterdir()}
    assert {p.name for p in (work / "report").iterdir()} == {
        "report.json", "pca.png", "dendrogram.png", "roc.png"}


def test_the_committed_notebook_has_no_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(cell.outputs == [] and cell.execution_count is None for cell in _code_cells(nb))


# -- what it shows -----------------------------------------------------------------------------
_URI = r"data:image/png;base64,[A-Za-z0-9+/=]+"


@pytest.mark.parametrize("cells", [["animate_episode(cartpole"],
                                   ['make_agent("q-learning"', "animate_episode(env, greedy"]],
                         ids=["cartpole random", "maze greedy"])
def test_an_episode_is_an_inline_player_holding_every_frame(executed, cells, tmp_path,
                                                            monkeypatch):
    nb, _ = executed
    (html,) = _data(_cell(nb, cells[-1]), "text/html")
    # Self-contained: every image is a data: URI, nothing is fetched from elsewhere.
    assert not re.search(r"""\b(?:src|href)\s*=\s*["'](?!data:)""", html)
    shown = set(re.findall(_URI, html))
    # The very frames the same cells draw in this process (PNG encoding is deterministic);
    # each frame's caption (step, return) makes every frame distinct.
    monkeypatch.chdir(tmp_path)  # the training cell saves files
    _, animation = _run_here(nb, *cells)
    assert shown == set(re.findall(_URI, animation.to_html()))
    assert len(shown) == len(animation) >= 15  # an episode, not a still


def test_figures_are_shown_inline_as_png_images(executed):
    from PIL import Image

    nb, _ = executed
    for text, count in [("plot_learning_curve(history", 1), ("plot_values(env, plan.values", 1),
                        ("plot_trajectory(env, greedy", 1), ('display(Image(filename', 3),
                        ("ax.plot(np.arange(window", 1)]:
        pngs = _data(_cell(nb, text), "image/png")
        assert len(pngs) == count, text  # each figure once (not again as the cell's value)
        for png in pngs:
            image = Image.open(io.BytesIO(base64.b64decode(png)))
            assert image.format == "PNG" and min(image.size) >= 200


# -- the numbers ---------------------------------------------------------------------------------
def test_the_maze_training_prints_what_it_prints_in_this_process(executed, tmp_path,
                                                                  monkeypatch):
    nb, _ = executed
    monkeypatch.chdir(tmp_path)  # the cell saves history.npz and agent.npz
    text = 'make_agent("q-learning"'
    assert _stdout(_cell(nb, text)) == _run_here(nb, text)[0]


def test_the_maze_numbers_are_the_shortest_paths(executed):
    nb, _ = executed
    steps, gamma = 20, 0.99  # the classic maze's shortest way out; the plan's discount
    closed_form = -0.1 * (1 - gamma ** (steps - 1)) / (1 - gamma) + 10 * gamma ** (steps - 1)
    start_value = _numbers(r"^(\S+) \d+$", _stdout(_cell(nb, "plan = value_iteration(mdp)"))
                           .splitlines()[0])
    assert start_value == [pytest.approx(closed_form, abs=1e-9)]
    greedy = _stdout(_cell(nb, "animate_episode(env, greedy"))
    assert greedy == f"greedy episode: {steps} steps, return {10 - 0.1 * (steps - 1):.1f}\n"
    mean_return = _stdout(_cell(nb, 'make_agent("q-learning"')).splitlines()[-1]
    assert float(mean_return) == pytest.approx(10 - 0.1 * (steps - 1))  # evaluate: greedy


def test_the_cliff_comparison_prints_what_it_prints_in_this_process(executed):
    nb, _ = executed
    text = "for name, Learner in"
    printed = _stdout(_cell(nb, text))
    assert printed == _run_here(nb, text)[0]
    assert len(printed.splitlines()) == 2


def test_the_cliff_returns_order_as_in_the_book(executed):
    from rlsandbox import textbook
    from rlsandbox.mdp import value_iteration

    nb, _ = executed
    online = dict(re.findall(r"^(\S+): mean online return of episodes 100 to 500: (\S+)$",
                             _stdout(_cell(nb, "for name, Learner in")), re.M))
    # Example 6.6: SARSA's online return (about -25) beats Q-learning's (about -50).
    assert -40 < float(online["SARSA"]) and float(online["Q-learning"]) < -40
    greedy = dict(re.findall(r"^(\S+): greedy path of \d+ steps, return (\S+)$",
                             _stdout(_cell(nb, "walk = textbook.make")), re.M))
    mdp = textbook.cliff_walking()
    optimal = value_iteration(mdp).values[mdp.start]  # -13: along the cliff's edge
    assert float(greedy["Q-learning"]) == optimal
    assert float(greedy["SARSA"]) < optimal  # the safer, longer path


def test_the_cliff_players_show_the_recorded_frames(executed):
    nb, _ = executed
    players = _data(_cell(nb, "walk = textbook.make"), "text/html")
    steps = [int(n) for n in re.findall(r"greedy path of (\d+) steps",
                                        _stdout(_cell(nb, "walk = textbook.make")))]
    assert len(players) == 2
    for html, n in zip(players, steps, strict=True):
        assert len(set(re.findall(_URI, html))) == n + 1  # the start and each step
