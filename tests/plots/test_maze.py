"""Value heat maps and trajectories, in a maze and in CartPole."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rlsandbox.envs import CartPoleEnv
from rlsandbox.loop import Episode
from rlsandbox.plots import plot_trajectory, plot_values
from tests.plots.helpers import assert_real_png


def episode_from(observations, success=None):
    observations = np.asarray(observations)
    steps = len(observations) - 1
    return Episode(observations, np.zeros(steps, dtype=np.int64), np.full(steps, -0.1),
                   terminated=bool(success), truncated=not success, success=success)


def free_cells(env):
    """States that get a policy arrow: floor cells that are neither goal nor trap."""
    maze = env.unwrapped
    n = maze.observation_space.n
    special = {tuple(c) for c in np.argwhere(np.isin(np.asarray(maze.grid), ["G", "X"]))}
    return n - sum(tuple(maze.state_to_cell(s)) in special for s in range(n))


def quiver_of(ax):
    (arrows,) = [c for c in ax.collections if type(c).__name__ == "Quiver"]
    return arrows


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
