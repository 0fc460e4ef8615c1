"""Figures and GIFs: every function returns a Figure that saves to a real image."""

import json
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from rlsandbox.agents import RandomAgent
from rlsandbox.analysis import BehaviourReport
from rlsandbox.envs import CartPoleEnv
from rlsandbox.loop import Episode, History, run_episode
from rlsandbox.plots import (
    moving_average,
    plot_dendrogram,
    plot_learning_curve,
    plot_pca,
    plot_roc,
    plot_trajectory,
    plot_values,
    save_behaviour_figures,
    save_gif,
)

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _no_show_and_close_figures(monkeypatch):
    def show(*args, **kwargs):
        raise AssertionError("plots must never call plt.show()")

    monkeypatch.setattr(plt, "show", show)
    yield
    plt.close("all")


def assert_real_png(fig, path, min_kb=3):
    """The figure saves to a PNG of some size that is not one flat colour."""
    fig.savefig(path, dpi=60)
    assert path.stat().st_size > min_kb * 1024
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
    assert pixels.std() > 10


def episode_from(observations, success=None):
    observations = np.asarray(observations)
    steps = len(observations) - 1
    return Episode(observations, np.zeros(steps, dtype=np.int64), np.full(steps, -0.1),
                   terminated=bool(success), truncated=not success, success=success)


def history(returns, keep="all"):
    """One single-step episode per return."""
    return History((Episode(np.zeros(2, dtype=np.int64), np.zeros(1, dtype=np.int64),
                            np.array([float(r)]), True, False, True) for r in returns),
                   keep=keep)


# Maze, planner and clustering fixtures import lazily, so that the other tests run on their own.
@pytest.fixture(scope="module")
def maze():
    from rlsandbox.envs import MazeEnv

    return MazeEnv("classic")


@pytest.fixture(scope="module")
def planner(maze):
    from rlsandbox.agents import ValueIterationAgent

    return ValueIterationAgent(maze)


@pytest.fixture(scope="module")
def greedy_episode(maze, planner):
    return run_episode(maze, planner, learn=False, explore=False, seed=0)


@pytest.fixture(scope="module")
def cartpole_episode():
    env = CartPoleEnv()
    return run_episode(env, RandomAgent(env.action_space, seed=0), learn=False, seed=0)


@pytest.fixture(scope="module")
def points():
    """Two well-separated groups of points and their labels."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (6, 3)), rng.normal(5, 1, (5, 3))])
    return X, np.repeat([0, 1], [6, 5])


@pytest.fixture(scope="module")
def tree(points):
    from rlsandbox.analysis import linkage

    return linkage(points[0], method="ward")


def free_cells(env):
    """States that get a policy arrow: floor cells that are neither goal nor trap."""
    maze = env.unwrapped
    n = maze.observation_space.n
    special = {tuple(c) for c in np.argwhere(np.isin(np.asarray(maze.grid), ["G", "X"]))}
    return n - sum(tuple(maze.state_to_cell(s)) in special for s in range(n))


def quiver_of(ax):
    (arrows,) = [c for c in ax.collections if type(c).__name__ == "Quiver"]
    return arrows


# -- learning curves ----------------------------------------------------------------------------
def test_moving_average_is_the_mean_of_the_last_window_values():
    values = np.array([1.0, 5.0, 3.0, 7.0, 2.0])
    expected = [np.mean(values[max(0, i - 1):i + 1]) for i in range(len(values))]
    np.testing.assert_allclose(moving_average(values, 2), expected)


def test_moving_average_rejects_a_non_positive_window():
    with pytest.raises(ValueError, match="window"):
        moving_average([1.0, 2.0], 0)


def test_learning_curve_of_one_run_draws_faint_returns_and_a_bold_moving_average(tmp_path):
    returns = np.linspace(-5, 5, 60) + np.sin(np.arange(60))
    fig = plot_learning_curve(history(returns), window=5)
    ax = fig.axes[0]
    raw, smooth = ax.lines
    np.testing.assert_allclose(raw.get_ydata(), returns)
    np.testing.assert_allclose(smooth.get_ydata(), moving_average(returns, 5))
    assert raw.get_alpha() < 0.5 and smooth.get_linewidth() > raw.get_linewidth()
    assert not ax.collections  # no band for a single run
    assert ax.get_xlabel() == "episode" and ax.get_ylabel() == "return" and ax.get_title()
    assert len(ax.get_legend().get_texts()) == 2
    assert_real_png(fig, tmp_path / "curve.png")


def test_learning_curve_default_window_is_a_twentieth_of_the_episodes():
    fig = plot_learning_curve(history(np.arange(100.0)))
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(),
                               moving_average(np.arange(100.0), 5))


def test_learning_curve_works_with_a_summary_only_history():
    returns = np.arange(30.0)
    summary = history(returns, keep="summary")
    fig = plot_learning_curve(summary, window=3)
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), returns)
    fig = plot_learning_curve([summary, history(returns + 1, keep="summary")], window=3)
    assert len(fig.axes[0].collections) == 1


def test_learning_curve_of_several_runs_shades_a_band_around_their_mean(tmp_path):
    rng = np.random.default_rng(0)
    runs = [rng.normal(size=40) for _ in range(3)]
    fig = plot_learning_curve([history(r) for r in runs], window=4)
    ax = fig.axes[0]
    (band,) = ax.collections
    mean = np.mean([moving_average(r, 4) for r in runs], axis=0)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), mean)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.mean(runs, axis=0))
    # The band's vertices lie on both sides of the mean.
    (path,) = band.get_paths()
    assert path.vertices[:, 1].min() < mean.min() and path.vertices[:, 1].max() > mean.max()
    assert "95%" in ax.get_legend_handles_labels()[1][2]
    assert_real_png(fig, tmp_path / "curves.png")


@pytest.mark.parametrize(
    ("histories", "match"),
    [
        ("lengths", "equal length"),
        ([], "non-empty sequence of History"),
        ([1, 2, 3], "non-empty sequence of History"),
        (5, "non-empty sequence of History"),
    ],
)
def test_learning_curve_rejects_what_is_not_histories_of_one_length(histories, match):
    if histories == "lengths":
        histories = [history([1, 2, 3]), history([1, 2])]
    with pytest.raises(ValueError, match=match):
        plot_learning_curve(histories)


@pytest.mark.parametrize("window", [0, -3, 2.5, True])
def test_learning_curve_rejects_a_window_that_is_not_a_positive_integer(window):
    with pytest.raises(ValueError, match="window"):
        plot_learning_curve(history([1, 2, 3]), window=window)


# -- values and trajectories --------------------------------------------------------------------
def test_value_heat_map_has_a_colourbar_and_one_arrow_per_free_cell(tmp_path, maze, planner):
    fig = plot_values(maze, planner.values, planner.policy)
    heat, colourbar = fig.axes
    assert colourbar.get_ylabel() == "value V(s)"
    assert quiver_of(heat).N == free_cells(maze)
    assert {t.get_text() for t in heat.texts} >= {"S", "G"}
    assert_real_png(fig, tmp_path / "values.png")


def test_value_heat_map_colours_each_value_on_its_cell_and_leaves_walls_and_ends_off(maze,
                                                                                   planner):
    fig = plot_values(maze, planner.values)
    ax = fig.axes[0]
    background, heat = ax.images
    image = heat.get_array()
    grid = np.asarray(maze.grid)
    np.testing.assert_array_equal(np.ma.getmaskarray(image), np.isin(grid, ["#", "G", "X"]))
    ends = {int(s) for s in (*maze.goal_states, *maze.trap_states)}
    for s in set(range(maze.observation_space.n)) - ends:
        assert image[maze.state_to_cell(s)] == pytest.approx(planner.values[s])
    # The colour scale spans the values of the states that are not goals or traps.
    low, high = heat.get_clim()
    free = np.array(sorted(set(range(maze.observation_space.n)) - ends))
    assert (low, high) == pytest.approx((planner.values[free].min(), planner.values[free].max()))
    # Walls are drawn dark underneath.
    wall = tuple(np.argwhere(grid == "#")[0])
    assert background.get_array()[wall].max() < 0.2


def test_value_heat_map_accepts_a_gymnasium_wrapped_maze(planner):
    import gymnasium

    env = gymnasium.make("rlsandbox/Maze-v0", layout="classic")
    fig = plot_values(env, planner.values)
    assert fig.axes[0].get_title() == "State values"


def test_value_heat_map_accepts_q_values_as_the_policy(maze, planner):
    fig = plot_values(maze, planner.values, planner.q_values)
    assert quiver_of(fig.axes[0]).N == free_cells(maze)


@pytest.mark.parametrize(("action", "dx", "dy"), [(0, 0, -1), (1, 1, 0), (2, 0, 1), (3, -1, 0)])
def test_policy_arrows_point_the_way_of_their_action(action, dx, dy):
    from rlsandbox.envs import MazeEnv

    env = MazeEnv("tiny")
    n = env.observation_space.n
    arrows = quiver_of(plot_values(env, np.zeros(n), np.full(n, action)).axes[0])
    # Rows grow downwards on screen (inverted y-axis), so "up" is a negative row step.
    assert (np.sign(arrows.U) == dx).all() and (np.sign(arrows.V) == dy).all()


@pytest.mark.parametrize(
    ("values", "policy", "match"),
    [
        ("short", None, "entries; expected"),
        ("ok", "short", "one action per state"),
        ("ok", "out of range", "in 0..3"),
        ("ok", "fractional", "integers"),
        ("2-D", None, "1-D"),
        ("nan", None, "NaN"),
    ],
)
def test_value_heat_map_rejects_inputs_that_do_not_fit_the_maze(maze, values, policy, match):
    n = maze.observation_space.n
    values = {"short": np.zeros(n - 1), "ok": np.zeros(n), "2-D": np.zeros((n, 4)),
              "nan": np.full(n, np.nan)}[values]
    policy = {None: None, "short": np.zeros(n - 1, dtype=int), "out of range": np.full(n, 4),
              "fractional": np.full(n, 0.5)}[policy]
    with pytest.raises(ValueError, match=match):
        plot_values(maze, values, policy)


def test_value_heat_map_needs_a_maze():
    with pytest.raises(ValueError, match="maze"):
        plot_values(CartPoleEnv(), np.zeros(4))


def test_maze_trajectory_draws_the_path_through_the_visited_cells(tmp_path, maze,
                                                                  greedy_episode):
    fig = plot_trajectory(maze, greedy_episode)
    ax = fig.axes[0]
    (path,) = [line for line in ax.lines if line.get_label() == "path"]
    cells = np.array([maze.state_to_cell(int(s)) for s in greedy_episode.observations])
    np.testing.assert_array_equal(path.get_xdata(), cells[:, 1])
    np.testing.assert_array_equal(path.get_ydata(), cells[:, 0])
    assert ax.get_legend_handles_labels()[1] == ["path", "start", "end"]
    assert f"{greedy_episode.length} steps" in ax.get_title()
    assert_real_png(fig, tmp_path / "trajectory.png")


def test_maze_trajectory_accepts_bare_states(maze):
    start = maze.start_state
    fig = plot_trajectory(maze, [start, start])
    assert "1 steps" in fig.axes[0].get_title()


@pytest.mark.parametrize(
    ("states", "match"),
    [
        (lambda n: [0, n], "states in"),
        (lambda n: [-1, 0], "states in"),
        (lambda n: [0.5, 1.0], "states in"),
        (lambda n: [[0, 1]], "1-D"),
    ],
)
def test_maze_trajectory_rejects_what_are_not_states_of_the_maze(maze, states, match):
    with pytest.raises(ValueError, match=match):
        plot_trajectory(maze, np.asarray(states(maze.observation_space.n)))


def test_cartpole_trajectory_traces_each_state_variable_in_its_own_axes(tmp_path,
                                                                       cartpole_episode):
    fig = plot_trajectory(CartPoleEnv(), cartpole_episode)
    assert len(fig.axes) == 4
    assert [ax.get_ylabel().split("\n")[0] for ax in fig.axes] == [
        "cart position x", "cart velocity ẋ", "pole angle θ", "pole angular velocity θ̇"]
    for i, ax in enumerate(fig.axes):
        np.testing.assert_allclose(ax.lines[0].get_ydata(), cartpole_episode.observations[:, i])
    # The random agent lets the pole fall: the angle's failure limit is drawn.
    assert "failure limit" in fig.axes[2].get_legend_handles_labels()[1]
    assert_real_png(fig, tmp_path / "cartpole.png")


def test_cartpole_trajectory_in_one_given_axes_draws_four_labelled_traces(cartpole_episode):
    fig, ax = plt.subplots()
    assert plot_trajectory(CartPoleEnv(), cartpole_episode, ax=ax) is fig
    assert len(ax.get_legend_handles_labels()[1]) == 4


def test_cartpole_trajectory_fills_a_given_column_of_four_axes(cartpole_episode):
    fig, axes = plt.subplots(4, 1)
    assert plot_trajectory(CartPoleEnv(), cartpole_episode, ax=axes) is fig
    assert all(ax.has_data() for ax in axes)


def test_cartpole_trajectory_rejects_the_wrong_number_of_axes(cartpole_episode):
    _, axes = plt.subplots(3, 1)
    with pytest.raises(ValueError, match="3 axes for 4"):
        plot_trajectory(CartPoleEnv(), cartpole_episode, ax=axes)


def test_trajectory_of_discrete_observations_needs_a_maze():
    with pytest.raises(ValueError, match="vector observations"):
        plot_trajectory(CartPoleEnv(), episode_from([0, 1, 2]))


# -- analyses -----------------------------------------------------------------------------------
def test_roc_draws_the_chance_diagonal_once_for_several_curves(tmp_path):
    fig = plot_roc([0, 0.2, 1], [0, 0.8, 1], auc=0.8, label="value")
    plot_roc([0, 0.5, 1], [0, 0.5, 1], auc=0.5, ax=fig.axes[0], label="noise")
    ax = fig.axes[0]
    chance, first, second = ax.lines
    np.testing.assert_array_equal(chance.get_xydata(), [[0, 0], [1, 1]])
    assert ax.get_legend_handles_labels()[1] == [
        "chance", "value (AUC = 0.800)", "noise (AUC = 0.500)"]
    assert first.get_color() != second.get_color()
    assert_real_png(fig, tmp_path / "roc.png")


def test_roc_without_auc_or_label_is_called_roc_curve():
    fig = plot_roc([0, 1], [0, 1])
    assert fig.axes[0].get_legend_handles_labels()[1] == ["chance", "ROC curve"]


@pytest.mark.parametrize(
    ("fpr", "tpr", "auc", "match"),
    [
        ([0, 0.5, 1], [0, 1], None, "same length"),
        ([0, 1.5], [0, 1], None, r"\[0, 1\]"),
        ([[0, 1]], [[0, 1]], None, "1-D"),
        ([0], [0], None, "at least 2"),
        ([0, np.nan], [0, 1], None, "NaN"),
        ([0, 1], [0, 1], 2.0, "auc"),
        ([0, 1], [0, 1], "high", "auc"),
    ],
)
def test_roc_rejects_bad_rates(fpr, tpr, auc, match):
    with pytest.raises(ValueError, match=match):
        plot_roc(fpr, tpr, auc)


def test_pca_scatter_has_a_legend_entry_per_label_and_variance_in_axis_labels(tmp_path,
                                                                              points):
    X, labels = points
    fig = plot_pca(X[:, :2], labels, explained_variance_ratio=[0.6234, 0.25])
    ax = fig.axes[0]
    assert ax.get_xlabel() == "PC1 (62.3%)" and ax.get_ylabel() == "PC2 (25.0%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0", "1"]
    first, second = ax.collections
    np.testing.assert_allclose(first.get_offsets(), X[labels == 0, :2])
    assert tuple(first.get_facecolor()[0]) != tuple(second.get_facecolor()[0])
    assert_real_png(fig, tmp_path / "pca.png")


def test_pca_scatter_without_labels_draws_one_group_and_no_legend(points):
    fig = plot_pca(points[0])  # extra columns are ignored: only PC1 and PC2 are drawn
    ax = fig.axes[0]
    (dots,) = ax.collections
    np.testing.assert_allclose(dots.get_offsets(), points[0][:, :2])
    assert ax.get_legend() is None and ax.get_xlabel() == "PC1"


@pytest.mark.parametrize(
    ("X2", "labels", "ratio", "match"),
    [
        (np.zeros((5, 1)), None, None, "shape"),
        (np.zeros(5), None, None, "shape"),
        (np.full((5, 2), np.inf), None, None, "infinite"),
        (np.zeros((5, 2)), [0, 1], None, "one entry per point"),
        (np.zeros((5, 2)), None, [0.5], "explained_variance_ratio"),
    ],
)
def test_pca_scatter_rejects_bad_shapes(X2, labels, ratio, match):
    with pytest.raises(ValueError, match=match):
        plot_pca(X2, labels, explained_variance_ratio=ratio)


def test_dendrogram_draws_a_link_per_merge_and_names_the_leaves(tmp_path, points, tree):
    names = [f"ep{i}" for i in range(len(points[0]))]
    fig = plot_dendrogram(tree, labels=names)
    ax = fig.axes[0]
    (links,) = ax.collections
    assert len(links.get_segments()) == len(tree)
    assert all(len(segment) == 4 for segment in links.get_segments())  # U-shaped
    assert sorted(t.get_text() for t in ax.get_xticklabels()) == sorted(names)
    # The two well-separated groups get two colours below the default threshold.
    assert len({tuple(c) for c in links.get_colors()}) == 3  # 2 clusters + grey above
    assert_real_png(fig, tmp_path / "dendrogram.png")


def test_dendrogram_has_scipys_layout(tree):
    hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
    expected = hierarchy.dendrogram(tree, no_plot=True)
    ax = plot_dendrogram(tree).axes[0]
    segments = ax.collections[0].get_segments()
    np.testing.assert_allclose([s[:, 0] for s in segments], expected["icoord"])
    np.testing.assert_allclose([s[:, 1] for s in segments], expected["dcoord"])
    assert [int(t.get_text()) for t in ax.get_xticklabels()] == expected["leaves"]


def test_dendrogram_with_threshold_zero_draws_every_link_grey(tree):
    (links,) = plot_dendrogram(tree, color_threshold=0).axes[0].collections
    assert len({tuple(c) for c in links.get_colors()}) == 1


@pytest.mark.parametrize(
    ("Z", "labels", "threshold", "match"),
    [
        (np.zeros((3, 3)), None, None, "shape"),
        (np.array([[0, 1, 1.0, 2], [0, 5, 2.0, 3]]), None, None, "earlier clusters"),
        (np.array([[0, 1, -1.0, 2]]), None, None, "non-negative"),
        ("ok", ["a", "b"], None, "leaves"),
        ("ok", None, "high", "color_threshold"),
    ],
)
def test_dendrogram_rejects_a_bad_linkage_matrix_labels_or_threshold(tree, Z, labels,
                                                                     threshold, match):
    Z = tree if isinstance(Z, str) else Z
    with pytest.raises(ValueError, match=match):
        plot_dendrogram(Z, labels, color_threshold=threshold)


def behaviour_report_of(points, tree, with_roc=True):
    X, labels = points
    roc = {"start_value": (np.array([0, 0.5, 1]), np.array([0, 1, 1]))} if with_roc else {}
    return BehaviourReport(
        labels=labels, projection=X[:, :2], explained_variance_ratio=np.array([0.7, 0.2]),
        linkage_matrix=tree, clusters=[],
        auc={"start_value": 0.75 if with_roc else None, "mean_value_first_k": None}, roc=roc,
    )


def test_behaviour_figures_are_written_listed_and_closed(tmp_path, points, tree):
    written = save_behaviour_figures(behaviour_report_of(points, tree), tmp_path / "figs")
    assert written == [str(tmp_path / "figs" / f) for f in ("pca.png", "dendrogram.png",
                                                            "roc.png")]
    for path in written:
        pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
        assert pixels.std() > 10
    assert plt.get_fignums() == []  # figures are closed once saved
    assert not (tmp_path / "figs" / "report.json").exists()  # behaviour_report writes it


def test_behaviour_figures_skip_the_roc_when_success_cannot_be_predicted(tmp_path, points,
                                                                        tree):
    written = save_behaviour_figures(behaviour_report_of(points, tree, with_roc=False),
                                     tmp_path)
    assert [p.rsplit("/", 1)[-1] for p in written] == ["pca.png", "dendrogram.png"]


def test_behaviour_report_with_out_dir_writes_the_json_and_the_figures(tmp_path, maze,
                                                                      planner):
    from rlsandbox.agents import make_agent
    from rlsandbox.analysis import behaviour_report
    from rlsandbox.loop import train

    agent = make_agent("q-learning", maze, seed=0)
    runs = train(maze, agent, 30, seed=0, progress=False)
    behaviour_report(runs, n_states=maze.observation_space.n, values=planner.values,
                     out_dir=tmp_path)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["episodes"] == 30
    assert {"pca.png", "dendrogram.png"} <= {p.name for p in tmp_path.iterdir()}


# -- drawing into a given axes ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["curve", "values", "maze path", "cartpole", "roc", "pca",
                                  "dendrogram"])
def test_every_plot_draws_into_the_axes_it_is_given(name, request):
    def get(fixture):
        return request.getfixturevalue(fixture)

    draw = {
        "curve": lambda ax: plot_learning_curve(history([1, 2, 3]), ax=ax),
        "values": lambda ax: plot_values(get("maze"), get("planner").values,
                                         get("planner").policy, ax=ax),
        "maze path": lambda ax: plot_trajectory(get("maze"), get("greedy_episode"), ax=ax),
        "cartpole": lambda ax: plot_trajectory(CartPoleEnv(), get("cartpole_episode"), ax=ax),
        "roc": lambda ax: plot_roc([0, 1], [0, 1], ax=ax),
        "pca": lambda ax: plot_pca(get("points")[0], get("points")[1], ax=ax),
        "dendrogram": lambda ax: plot_dendrogram(get("tree"), ax=ax),
    }[name]
    fig, (left, right) = plt.subplots(1, 2)
    assert draw(right) is fig
    assert right.has_data() and not left.has_data()
    assert plt.get_fignums() == [fig.number]  # no other figure was opened


# -- GIFs ---------------------------------------------------------------------------------------
def solid_frames(colours, shape=(12, 16)):
    return [np.full((*shape, 3), colour, dtype=np.uint8) for colour in colours]


def gif_frames(path):
    """``(rgb frames, durations in ms)`` of a GIF, as Pillow reads it."""
    frames, durations = [], []
    with Image.open(path) as gif:
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
            frames.append(np.asarray(gif.convert("RGB")))
    return frames, durations


def test_gif_holds_exactly_the_frames_given(tmp_path):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0)]
    save_gif(solid_frames(colours), tmp_path / "a.gif", fps=20)
    frames, durations = gif_frames(tmp_path / "a.gif")
    assert durations == [50] * len(colours)
    assert len(frames) == len(colours)
    for frame, colour in zip(frames, colours, strict=True):
        assert frame.shape == (12, 16, 3)
        assert (frame == colour).all()
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.info["loop"] == 0  # loops forever


def test_gif_keeps_a_rendered_frame_pixel_for_pixel(tmp_path):
    rng = np.random.default_rng(0)
    palette = rng.integers(0, 256, (6, 3), dtype=np.uint8)  # few colours: no quantisation loss
    frames = [palette[rng.integers(0, 6, (20, 30))] for _ in range(3)]
    save_gif(frames, tmp_path / "r.gif", fps=10)
    read, _ = gif_frames(tmp_path / "r.gif")
    for got, want in zip(read, frames, strict=True):
        np.testing.assert_array_equal(got, want)


def test_gif_keeps_the_playing_time_when_identical_frames_merge(tmp_path):
    save_gif(solid_frames([(0, 0, 0), (0, 0, 0), (255, 255, 255)]), tmp_path / "b.gif", fps=10)
    frames, durations = gif_frames(tmp_path / "b.gif")
    assert durations == [200, 100]
    assert [int(f[0, 0, 0]) for f in frames] == [0, 255]


def test_gif_keeps_the_playing_time_when_delays_round_to_hundredths(tmp_path):
    colours = [(i * 8, 0, 0) for i in range(30)]
    save_gif(solid_frames(colours), tmp_path / "c.gif", fps=30)
    frames, durations = gif_frames(tmp_path / "c.gif")
    assert len(frames) == 30 and sum(durations) == 1000  # 30 frames at 30 fps: 1 s
    assert set(durations) == {30, 40}


@pytest.mark.parametrize(
    ("frames", "fps", "match"),
    [
        ([], 10, "at least one frame"),
        (solid_frames([(0, 0, 0)]) + solid_frames([(0, 0, 0)], shape=(5, 5)), 10, "frame 1"),
        ([np.zeros((4, 4))], 10, "frame 0"),
        ([np.full((4, 4, 3), 0.5)], 10, "uint8"),
        ([np.full((4, 4, 3), 300)], 10, "uint8"),
        (solid_frames([(0, 0, 0)]), 0, "fps"),
        (solid_frames([(0, 0, 0)]), 250, r"frames\[::k\]"),
    ],
)
def test_gif_rejects_bad_frames_and_fps(tmp_path, frames, fps, match):
    with pytest.raises(ValueError, match=match):
        save_gif(frames, tmp_path / "bad.gif", fps=fps)
    assert not (tmp_path / "bad.gif").exists()


def test_importing_plots_does_not_import_matplotlib():
    code = "import sys, rlsandbox, rlsandbox.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
