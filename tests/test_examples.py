"""Every example in examples/ runs to completion (quick mode) and prints the right numbers.

Each example is a script whose ``main()`` returns its key numbers. The tests load the
script by path after setting ``RLSANDBOX_EXAMPLES_QUICK=1`` (fewer episodes) and
``RLSANDBOX_EXAMPLES_OUT`` (a temporary directory for the figures), then call ``main()``.
"""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def run_example(tmp_path, monkeypatch):
    """Load ``examples/<name>.py`` in quick mode and return ``(main(), output directory)``."""
    import matplotlib

    matplotlib.use("Agg")  # the examples save figures; never open a window in the tests
    monkeypatch.setenv("RLSANDBOX_EXAMPLES_QUICK", "1")
    monkeypatch.setenv("RLSANDBOX_EXAMPLES_OUT", str(tmp_path))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")

    def run(name: str):
        spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # reads the environment variables at the top
        return module.main(), tmp_path

    return run


def _pngs(out: Path) -> set[str]:
    return {p.name for p in out.glob("*.png") if p.stat().st_size > 0}


def test_cartpole_random_agent_runs_the_tutorial_loop_and_matches_gymnasium(run_example):
    result, out = run_example("cartpole_random_agent")
    assert 1 <= len(result["tutorial_rewards"]) <= 10
    assert all(r == 1.0 for r in result["tutorial_rewards"])
    assert 8 <= result["mean_return"] <= 100  # a random agent keeps the pole up ~22 steps
    assert result["same_as_gymnasium"] is True
    assert {"cartpole_random_returns.png", "cartpole_random_trajectory.png"} <= _pngs(out)


def test_maze_q_learning_reaches_the_exit(run_example):
    result, out = run_example("maze_q_learning")
    assert result["success"] is True
    assert result["steps"] == 20  # the shortest way out of the classic maze
    assert result["greedy_return"] == pytest.approx(10 - 0.1 * 19)
    assert {"maze_q_learning_curve.png", "maze_q_learning_values.png",
            "maze_q_learning_path.png"} <= _pngs(out)


def test_maze_value_iteration_start_value_equals_the_closed_form(run_example):
    result, out = run_example("maze_value_iteration")
    gamma, steps = 0.95, 20
    closed = -0.1 * (1 - gamma ** (steps - 1)) / (1 - gamma) + 10 * gamma ** (steps - 1)
    assert result["path_length"] == steps
    assert result["start_value"] == pytest.approx(closed, abs=1e-6)
    assert result["closed_form"] == pytest.approx(closed, abs=1e-12)
    assert result["policy_iteration_agrees"] is True
    assert result["random_start_value"] < 0 < result["slippery_start_value"]
    assert result["slippery_start_value"] < result["start_value"]
    # Monte Carlo within 4 standard errors of V*(start).
    assert abs(result["slippery_monte_carlo"] - result["slippery_start_value"]) < (
        4 * result["slippery_monte_carlo_se"]
    )
    assert "maze_value_iteration.png" in _pngs(out)


def test_write_your_own_agent_passes_check_agent_and_beats_random(run_example):
    result, out = run_example("write_your_own_agent")  # main() runs check_agent itself
    assert result["mean_return"] > result["random_mean_return"]
    assert result["success_rate"] > result["random_success_rate"]
    assert result["success_rate"] == 1.0
    assert "own_agent_vs_random.png" in _pngs(out)


def test_roc_of_success_auc_beats_a_random_guess(run_example):
    result, out = run_example("roc_of_success")
    assert result["successes"] > 0 and result["failures"] > 0  # outcomes are mixed
    assert result["auc"] > 0.5
    assert result["auc_value_iteration"] > 0.5
    assert "roc_of_success.png" in _pngs(out)


def test_pca_of_behaviour_reproduces_the_iris_ratios(run_example):
    result, out = run_example("pca_of_behaviour")
    ratio = np.array(result["iris_ratio"])
    assert ratio == pytest.approx([0.92461872, 0.05306648], abs=1e-8)
    assert (np.trunc(ratio * 1e4) / 1e4).tolist() == [0.9246, 0.0530]  # the tutorial's digits
    assert np.round(result["iris_ratio_standardized"], 4).tolist() == [0.7296, 0.2285]
    assert 0 < sum(result["behaviour_ratio"]) <= 1
    # PC1 separates the random robot from the planner.
    centres = result["centres"]
    assert abs(centres["random"][0] - centres["planner"][0]) > 1
    assert {"pca_iris.png", "pca_behaviour.png"} <= _pngs(out)


def test_cluster_episodes_reproduces_the_tutorial_ward_example(run_example):
    result, out = run_example("cluster_episodes")
    labels = result["ward_labels"]
    assert labels[0] == labels[1] != labels[2] == labels[3]
    Z = np.array(result["ward_linkage"])
    # SciPy: linkage([[1, 2], [2, 3], [5, 8], [6, 9]], "ward")
    assert Z[:, 2] == pytest.approx([math.sqrt(2), math.sqrt(2), math.sqrt(104)])
    assert Z[:, 3].tolist() == [2, 2, 4]
    assert result["random_separated"] is True
    assert result["learner_vs_planner_purity"] > 0.5
    assert {"cluster_ward_4_points.png", "cluster_episodes.png"} <= _pngs(out)


def test_returns_and_discounting_gives_the_tutorial_729(run_example):
    result, out = run_example("returns_and_discounting")
    assert result["G0"] == pytest.approx(7.29)
    assert result["returns_to_go"] == pytest.approx([7.29, 8.1, 9.0, 10.0])
    assert result["costly_G0"] == pytest.approx(-0.1 - 0.09 - 0.081 + 7.29)
    assert result["horizons"][0.9] == pytest.approx(10.0)
    assert result["horizons"][1.0] == math.inf
    steps = result["maze_steps"]
    expected = -0.1 * (1 - 0.9 ** (steps - 1)) / (1 - 0.9) + 10 * 0.9 ** (steps - 1)
    assert result["maze_G0"] == pytest.approx(expected)
    assert "returns_and_discounting.png" in _pngs(out)


# -- examples/textbook: Sutton & Barto's figures (their numbers: tests/test_textbook_figures.py)
TEXTBOOK_FIGURES = sorted(p.stem for p in (EXAMPLES / "textbook").glob("figure_*.py"))


@pytest.mark.parametrize("name", TEXTBOOK_FIGURES)
def test_textbook_figure_prints_the_books_numbers_and_saves_its_figure(run_example, capsys, name):
    result, out = run_example(f"textbook/{name}")
    assert isinstance(result, dict) and result
    assert f"{name}.png" in _pngs(out)
    text = capsys.readouterr().out
    assert text.startswith(f"Figure {name[7:].replace('_', '.')}:")
    assert "book" in text
    if "runs" in result:  # a learning curve: the run count is printed
        assert f"{result['runs']} runs" in text


@pytest.mark.parametrize("name", TEXTBOOK_FIGURES)
def test_textbook_figure_docstring_is_a_gallery_title_and_a_paragraph(name):
    import ast

    source = (EXAMPLES / "textbook" / f"{name}.py").read_text(encoding="utf-8")
    lines = ast.get_docstring(ast.parse(source)).splitlines()
    number = name[7:].replace("_", ".")
    assert lines[0].startswith(f"Figure {number}: ") and lines[0].endswith(".")
    assert lines[1] == "=" * len(lines[0])  # a reStructuredText title: the gallery's page title
    assert lines[2] == "" and lines[3].startswith("Sutton & Barto (2nd ed.)")
    assert "The lesson" in "\n".join(lines)


def test_textbook_gallery_has_a_section_readme():
    title, underline, *_ = (EXAMPLES / "textbook" / "README.txt").read_text().splitlines()
    assert title and set(underline) == {"-"} and len(underline) == len(title)


def test_cartpole_linear_sarsa_learns_to_balance(run_example):
    result, out = run_example("cartpole_linear_sarsa")  # quick: 200 of the recipe's episodes
    assert result["episodes"] == 200 and result["steps"] > 200 * 22  # longer than random
    assert result["greedy_mean_return"] >= 195  # DESIGN's bar, already in quick mode
    assert 0.0 <= result["success_rate"] <= 1.0
    assert "cartpole_linear_sarsa_curve.png" in _pngs(out)
