"""Sweep reports: each env gets its own y-axis, shared only between its own panels."""

import numpy as np
import pytest

import rlsandbox.plots
from rlsandbox.cli import main
from rlsandbox.sweep import run_sweep


@pytest.fixture(scope="module")
def two_env_sweep(tmp_path_factory):
    """Maze (returns about 10) and CartPole (returns in the tens): 2 configs x 2 seeds each."""
    out = tmp_path_factory.mktemp("sweep") / "two-envs"
    spec = {
        "name": "two-envs", "seeds": [0, 1], "episodes": 20, "eval_episodes": 0, "window": 5,
        "envs": [{"id": "maze", "layout": "tiny"},
                 {"id": "cartpole", "max_steps": 100, "bins": [1, 4, 6, 6]}],
        "agents": [{"name": "q-learning", "grid": {"alpha": [0.1, 0.5]}}],
    }
    run_sweep(spec, backend="local", workers=1, out=out, progress=False)
    return out


@pytest.fixture
def report_figures(two_env_sweep, monkeypatch):
    """The sweep report's figures by file name, kept open for inspection."""
    figures = {}

    def keep(fig, path, *, dpi=100):
        figures[str(path).rsplit("/", 1)[-1]] = fig
        return str(path)

    monkeypatch.setattr(rlsandbox.plots, "save_figure", keep)  # what the report calls
    assert main(["sweep-report", str(two_env_sweep)]) == 0
    return figures


def shared(a, b):
    return a.get_shared_y_axes().joined(a, b)


def panels_by_env(fig):
    axes = [ax for ax in fig.axes if ax.get_visible()]
    return ([ax for ax in axes if ax.get_title().startswith("maze")],
            [ax for ax in axes if ax.get_title().startswith("cartpole")])


def test_learning_curves_share_the_y_axis_within_an_env_only(report_figures):
    maze, cartpole = panels_by_env(report_figures["learning_curves.png"])
    assert len(maze) == 2 and len(cartpole) == 2
    assert shared(*maze) and shared(*cartpole)
    assert not any(shared(m, c) for m in maze for c in cartpole)
    # Each env's scale fits its own returns: the maze's top is far below CartPole's.
    assert maze[0].get_ylim() == maze[1].get_ylim()
    assert maze[0].get_ylim()[1] < cartpole[0].get_ylim()[1] / 2


def test_each_env_starts_its_own_row_of_panels(report_figures):
    maze, cartpole = panels_by_env(report_figures["learning_curves.png"])
    maze_rows = {round(ax.get_position().y0, 3) for ax in maze}
    cartpole_rows = {round(ax.get_position().y0, 3) for ax in cartpole}
    assert maze_rows.isdisjoint(cartpole_rows)


def test_final_returns_get_one_chart_per_env_with_its_own_y_axis(report_figures):
    fig = report_figures["final_returns.png"]
    by_title = {ax.get_title(): ax for ax in fig.axes}
    assert sorted(by_title) == ["cartpole", "maze"]
    maze, cartpole = by_title["maze"], by_title["cartpole"]
    assert not shared(maze, cartpole)
    assert [t.get_text() for t in maze.get_xticklabels()] == [
        "q-learning alpha=0.1", "q-learning alpha=0.5"]
    heights = [p.get_height() for p in cartpole.patches]
    assert len(heights) == 2 and max(heights) <= cartpole.get_ylim()[1]
    assert np.all(np.array([p.get_height() for p in maze.patches]) < 11)
