"""plot_values, value_limits and plot_trajectory on TabularEnv grids and TabularMDPs with cells."""

import numpy as np
import pytest

from rlsandbox import textbook
from rlsandbox.envs import TabularEnv
from rlsandbox.loop import run_episode
from rlsandbox.mdp import q_values, value_iteration
from rlsandbox.plots import plot_trajectory, plot_values, value_limits
from tests.plots.helpers import assert_real_png

# On screen (x = column, y = row growing downwards), the textbook's moves 0..7.
SCREEN = {0: (0, -1), 1: (1, 0), 2: (0, 1), 3: (-1, 0), 4: (1, -1), 5: (1, 1), 6: (-1, 1),
          7: (-1, -1)}


def quiver_of(ax):
    (arrows,) = [c for c in ax.collections if type(c).__name__ == "Quiver"]
    return arrows


@pytest.fixture(scope="module")
def cliff():
    env = textbook.make("cliff-walking")
    return env, value_iteration(env.mdp)


def test_values_sit_on_their_cells_and_cells_that_are_no_state_are_walls(tmp_path, cliff):
    env, plan = cliff
    fig = plot_values(env, plan.values, plan.policy)
    background, heat = fig.axes[0].images
    image = heat.get_array()
    assert image.shape == (4, 12)
    goal = 37
    expected = np.full((4, 12), np.nan)
    cells = env.mdp.cells
    expected[cells[:, 0], cells[:, 1]] = plan.values
    expected[tuple(cells[goal])] = np.nan  # the goal ends the episode: tinted, not coloured
    np.testing.assert_array_equal(np.ma.filled(image, np.nan), expected)
    # The cliff (row 3, columns 1..10) holds no state: drawn dark, like a maze's walls.
    assert (background.get_array()[3, 1:11].max(axis=1) < 0.2).all()
    assert background.get_array()[0, 0].min() > 0.9  # a state: light floor under the colour
    assert fig.axes[0].get_xlabel() == "S start · G goal · dark: no state"
    assert_real_png(fig, tmp_path / "cliff.png")


def test_the_colour_scale_spans_the_values_of_the_states_that_are_not_ends(cliff):
    env, plan = cliff
    heat = plot_values(env, plan.values).axes[0].images[-1]
    assert heat.get_clim() == (-14.0, -1.0)  # v*: -14 at the top-left corner, -1 beside G
    assert value_limits(env, plan.values) == (-14.0, -1.0)


def test_a_tabular_mdp_with_cells_is_drawn_as_its_env_is(cliff):
    env, plan = cliff
    from_env = plot_values(env, plan.values, plan.policy).axes[0]
    from_mdp = plot_values(env.mdp, plan.values, plan.policy).axes[0]
    for a, b in zip(from_env.images, from_mdp.images, strict=True):
        np.testing.assert_array_equal(np.ma.filled(a.get_array(), -1),
                                      np.ma.filled(b.get_array(), -1))
    np.testing.assert_array_equal(quiver_of(from_env).U, quiver_of(from_mdp).U)


def test_one_arrow_per_state_that_is_not_an_end_pointing_the_greedy_way(cliff):
    env, plan = cliff
    arrows = quiver_of(plot_values(env, plan.values, plan.policy).axes[0])
    assert arrows.N == env.mdp.n_states - 1  # all but the goal
    # The start's greedy move is up (the cliff is to its right); arrow 0 is state 0's, in
    # the top-left corner, which heads right along the top row.
    start = int(np.flatnonzero((arrows.X == 0) & (arrows.Y == 3))[0])
    assert (np.sign(arrows.U[start]), np.sign(arrows.V[start])) == (0, -1)
    assert (np.sign(arrows.U[0]), np.sign(arrows.V[0])) == (1, 0)


@pytest.mark.parametrize("action", range(8))
def test_king_move_arrows_point_the_way_of_their_action_all_of_one_length(action):
    env = textbook.make("windy-gridworld", king_moves=True)
    n = env.observation_space.n
    arrows = quiver_of(plot_values(env, np.zeros(n), np.full(n, action)).axes[0])
    assert arrows.N == n - 1  # every state but the goal
    dx, dy = SCREEN[action]
    assert (np.sign(arrows.U) == dx).all() and (np.sign(arrows.V) == dy).all()
    np.testing.assert_allclose(np.hypot(arrows.U, arrows.V), 0.55)


def test_a_boolean_policy_draws_every_marked_action_from_the_cells_centre():
    mdp = textbook.gridworld()
    q = q_values(mdp, value_iteration(mdp, tol=1e-12).values)
    optimal = np.isclose(q, q.max(axis=1, keepdims=True), rtol=0, atol=1e-9)
    arrows = quiver_of(plot_values(mdp, q.max(axis=1), optimal).axes[0])
    # Figure 3.5's pi*: 4 moves at A and at B, 2 in 14 cells, 1 in the other 9.
    assert sorted(optimal.sum(axis=1)) == [1] * 9 + [2] * 14 + [4] * 2
    assert arrows.N == 4 * 2 + 2 * 14 + 9
    states, actions = np.nonzero(optimal)
    np.testing.assert_array_equal(arrows.X, mdp.cells[states, 1])  # tails at the centres
    np.testing.assert_array_equal(arrows.Y, mdp.cells[states, 0])
    assert arrows.pivot == "tail"
    for u, v, a in zip(arrows.U, arrows.V, actions, strict=True):
        assert (np.sign(u), np.sign(v)) == SCREEN[a]


def test_q_values_as_the_policy_draw_their_argmax():
    mdp = textbook.small_gridworld()
    q = np.zeros((16, 4))
    q[:, 2] = 1.0  # down everywhere
    arrows = quiver_of(plot_values(mdp, np.zeros(16), q).axes[0])
    assert arrows.N == 14 and (arrows.U == 0).all() and (arrows.V > 0).all()


def test_annotate_writes_each_value_of_a_state_that_is_not_an_end_in_its_cell():
    mdp = textbook.small_gridworld()
    values = -np.arange(16) / 3
    ax = plot_values(mdp, values, annotate=".2f").axes[0]
    numbers = {(round(t.get_position()[1]), t.get_position()[0]): t.get_text()
               for t in ax.texts if t.get_text() not in ("G", "S")}
    expected = {(int(r), int(c)): f"{values[s]:.2f}"
                for s, (r, c) in enumerate(mdp.cells) if s not in (0, 15)}  # corners end
    assert numbers == expected
    assert {t.get_text() for t in ax.texts} >= {"G"}


def test_annotate_true_writes_one_decimal_and_a_bad_format_is_refused():
    mdp = textbook.gridworld()
    ax = plot_values(mdp, np.full(25, 8.75), annotate=True).axes[0]
    assert {t.get_text() for t in ax.texts} == {"8.8"}
    with pytest.raises(ValueError, match="annotate must be True, False or a format spec"):
        plot_values(mdp, np.zeros(25), annotate="%d")


def test_colorbar_false_draws_the_heat_map_alone_with_the_given_scale_and_title():
    mdp = textbook.small_gridworld()
    fig = plot_values(mdp, -np.arange(16.0), colorbar=False, vmin=-22, vmax=0, title="k = 3")
    assert len(fig.axes) == 1
    assert fig.axes[0].images[-1].get_clim() == (-22, 0)
    assert fig.axes[0].get_title() == "k = 3"


def test_ends_that_are_not_goals_are_marked_x_and_named_in_the_key():
    env = TabularEnv(textbook.random_walk(3), goal_states=[4])
    ax = plot_values(env, np.arange(5.0)).axes[0]
    assert {t.get_text() for t in ax.texts} == {"S", "G", "X"}
    assert ax.get_xlabel() == "S start · G goal · X other end"


def test_a_grid_whose_actions_are_not_moves_gets_values_but_no_arrows():
    env = textbook.make("random-walk")
    assert plot_values(env, np.zeros(7)).axes[0].images  # values are fine
    with pytest.raises(ValueError, match="env has 1 actions, so draw its values alone"):
        plot_values(env, np.zeros(7), np.zeros(7, dtype=int))


def test_king_move_actions_beyond_seven_are_refused():
    env = textbook.make("windy-gridworld", king_moves=True)
    with pytest.raises(ValueError, match=r"in 0\.\.7 \(king's moves\)"):
        plot_values(env, np.zeros(70), np.full(70, 8))
    with pytest.raises(ValueError, match=r"in 0\.\.3 \(up, right, down, left\)"):
        plot_values(textbook.make("cliff-walking"), np.zeros(38), np.full(38, 4))


@pytest.mark.parametrize("grid", [TabularEnv(textbook.gamblers_problem(goal=10)),
                                  textbook.gamblers_problem(goal=10)])
def test_an_mdp_without_cells_is_refused_with_a_value_error(grid):
    with pytest.raises(ValueError, match="draws grids, and this .* no cells"):
        plot_values(grid, np.zeros(11))
    with pytest.raises(ValueError, match="no cells"):
        value_limits(grid, np.zeros(11))


def test_the_trajectory_of_a_grid_episode_follows_its_cells(tmp_path):
    env = textbook.make("windy-gridworld", max_steps=50)
    plan = value_iteration(env.mdp)
    episode = run_episode(env, _Greedy(plan.policy), learn=False, explore=False, seed=0)
    assert episode.length == 15 and episode.success  # the book's shortest windy episode
    fig = plot_trajectory(env, episode)
    ax = fig.axes[0]
    (path,) = [line for line in ax.lines if line.get_label() == "path"]
    cells = env.mdp.cells[episode.observations]
    np.testing.assert_array_equal(path.get_xdata(), cells[:, 1])
    np.testing.assert_array_equal(path.get_ydata(), cells[:, 0])
    assert "15 steps, return -15.00, success" in ax.get_title()
    assert_real_png(fig, tmp_path / "windy.png")


def test_a_trajectory_on_a_tabular_mdp_and_one_without_cells():
    mdp = textbook.cliff_walking()
    ax = plot_trajectory(mdp, [36, 24, 25]).axes[0]
    (path,) = [line for line in ax.lines if line.get_label() == "path"]
    assert path.get_xdata().tolist() == [0, 0, 1] and path.get_ydata().tolist() == [3, 2, 2]
    with pytest.raises(ValueError, match="no cells"):
        plot_trajectory(TabularEnv(textbook.gamblers_problem(goal=10)), [3, 4])


class _Greedy:
    def __init__(self, policy):
        self.policy = policy

    def act(self, observation, *, explore=True):
        return int(self.policy[observation])
