"""Figures that compare honestly: one colour scale for value maps side by side, and titles
that name the env and the agent."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rlsandbox.agents import ValueIterationAgent
from rlsandbox.plots import (
    plot_dendrogram,
    plot_learning_curve,
    plot_pca,
    plot_trajectory,
    plot_values,
    value_limits,
)
from tests.plots.helpers import history


def heat_of(fig):
    return fig.axes[0].images[-1]


def free_states(maze):
    ends = {int(s) for s in (*maze.goal_states, *maze.trap_states)}
    return np.array(sorted(set(range(maze.observation_space.n)) - ends))


# -- value maps side by side -------------------------------------------------------------------
def test_value_maps_side_by_side_share_one_colour_scale(maze, planner):
    discounted = ValueIterationAgent(maze, gamma=0.8).values  # lower values than gamma 0.99
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    lo, hi = value_limits(maze, planner.values, discounted)
    plot_values(maze, planner.values, ax=left, vmin=lo, vmax=hi)
    plot_values(maze, discounted, ax=right, vmin=lo, vmax=hi)
    # The oracle: the extremes over the coloured states (not goals or traps) of both arrays.
    free = free_states(maze)
    both = np.concatenate([planner.values[free], discounted[free]])
    assert (lo, hi) == (both.min(), both.max())
    left_norm, right_norm = left.images[-1].norm, right.images[-1].norm
    assert (left_norm.vmin, left_norm.vmax) == (right_norm.vmin, right_norm.vmax) == (lo, hi)
    # The same value gets the same colour in both maps.
    value = (lo + hi) / 2
    assert left.images[-1].to_rgba(value) == right.images[-1].to_rgba(value)
    # Each map's colourbar spans the shared scale.
    colourbars = [ax for ax in fig.axes if ax.get_ylabel() == "value V(s)"]
    assert len(colourbars) == 2
    assert all(cb.get_ylim() == pytest.approx((lo, hi)) for cb in colourbars)


def test_without_limits_each_map_spans_its_own_values(maze, planner):
    discounted = ValueIterationAgent(maze, gamma=0.8).values
    free = free_states(maze)
    norm = heat_of(plot_values(maze, discounted)).norm
    assert (norm.vmin, norm.vmax) == (discounted[free].min(), discounted[free].max())


def test_values_outside_the_limits_take_the_end_colours(maze, planner):
    fig = plot_values(maze, planner.values, vmin=0.0, vmax=1.0)
    norm = heat_of(fig).norm
    assert (norm.vmin, norm.vmax) == (0.0, 1.0)
    assert planner.values[free_states(maze)].max() > 1.0  # clipped, still drawn


@pytest.mark.parametrize(("vmin", "vmax", "match"), [
    (1.0, 1.0, "below vmax"), (2.0, 1.0, "below vmax"), (np.nan, None, "vmin"),
    (None, np.inf, "vmax"),
])
def test_bad_colour_limits_are_refused(maze, planner, vmin, vmax, match):
    with pytest.raises(ValueError, match=match):
        plot_values(maze, planner.values, vmin=vmin, vmax=vmax)


def test_value_limits_needs_values_of_the_maze(maze):
    with pytest.raises(ValueError, match="at least one"):
        value_limits(maze)
    with pytest.raises(ValueError, match="entries"):
        value_limits(maze, np.zeros(3))


# -- titles ---------------------------------------------------------------------------------------
def test_titles_name_env_and_agent_where_given(maze, planner, greedy_episode, cartpole_episode,
                                               points, tree):
    from rlsandbox.envs import CartPoleEnv

    name = "classic maze, value iteration"
    assert plot_values(maze, planner.values, title=name).axes[0].get_title() == name
    assert plot_learning_curve(history([1, 2, 3]), title=name).axes[0].get_title() == name
    assert plot_pca(points[0], title=name).axes[0].get_title() == name
    assert plot_dendrogram(tree, title=name).axes[0].get_title() == name
    maze_title = plot_trajectory(maze, greedy_episode, title=name).axes[0].get_title()
    assert maze_title.splitlines() == [name, f"{greedy_episode.length} steps, return "
                                       f"{greedy_episode.total_reward:.2f}, success"]
    fig = plot_trajectory(CartPoleEnv(), cartpole_episode, title="CartPole, random agent")
    assert fig._suptitle.get_text().splitlines()[0] == "CartPole, random agent"


def test_default_titles_stay(maze, planner, greedy_episode):
    assert plot_values(maze, planner.values).axes[0].get_title() == "State values"
    assert plot_learning_curve(history([1, 2])).axes[0].get_title() == "Learning curve"
    assert plot_trajectory(maze, greedy_episode).axes[0].get_title().startswith("Trajectory: ")
