"""MazeEnv: dynamics, rewards, episode ends, the model (P, outcome_arrays), seeding,
FrozenLake equivalence, rendering and argument checks."""

import subprocess
import sys
import types
import warnings

import gymnasium
import numpy as np
import pytest
from gymnasium.error import ResetNeeded
from gymnasium.utils.env_checker import check_env

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox.envs import LAYOUTS, MazeEnv, generate_maze

OUR_ID = "rlsandbox/Maze-v0"
UP, RIGHT, DOWN, LEFT = range(4)
# FrozenLake numbers actions left, down, right, up.
FROZEN_LAKE_ACTION = (3, 2, 1, 0)

OPEN = """
#####
#...#
#.S.#
#...#
#G..#
#####
"""


@pytest.fixture
def no_frame_wait(monkeypatch):
    """Let the human window show frames without waiting 1/fps between them."""
    import rlsandbox.envs._viewer as viewer

    fake_time = types.SimpleNamespace(sleep=lambda s: None, perf_counter=viewer.time.perf_counter)
    monkeypatch.setattr(viewer, "time", fake_time)


def outcomes(p_sa):
    """``P[s][a]`` as {next_state: (prob, reward, terminated)}, duplicates merged."""
    out = {}
    for prob, ns, reward, terminated in p_sa:
        old = out.get(ns, (0.0, reward, terminated))
        assert old[1:] == (reward, terminated)
        out[ns] = (old[0] + prob, reward, terminated)
    return out


def force_step(env, state, action, offset=0):
    """Step ``env`` from ``state`` with the slip draw ``offset`` (0 intended, 3 left, 1 right)."""
    env.reset()
    env._state = state
    env._draws = [offset]
    return env.step(action)


# -- check_env ----------------------------------------------------------------------------------
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("slip", [0.0, 0.2])
def test_passes_gymnasium_check_env_without_warnings(layout, slip, no_frame_wait):
    env = gymnasium.make(OUR_ID, layout=layout, slip=slip, render_mode="rgb_array")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)  # also makes and renders the human and ansi modes
    env.close()


def test_make_with_module_prefix_works_in_a_fresh_interpreter_without_pygame():
    code = (
        "import sys, gymnasium\n"
        "env = gymnasium.make('rlsandbox:rlsandbox/Maze-v0', layout='tiny')\n"
        "assert env.reset(seed=0) == (0, {})\n"
        "assert 'pygame' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- moves, walls, rewards, episode ends ---------------------------------------------------------
def test_moves_go_up_right_down_left():
    env = MazeEnv(OPEN)
    for action, cell in [(UP, (1, 2)), (RIGHT, (2, 3)), (DOWN, (3, 2)), (LEFT, (2, 1))]:
        state, _ = env.reset()
        assert env.state_to_cell(state) == (2, 2)
        state, reward, terminated, truncated, info = env.step(action)
        assert env.state_to_cell(state) == cell
        assert (reward, terminated, truncated, info) == (-0.1, False, False, {})


def test_moving_into_a_wall_stays_and_costs_a_step():
    env = MazeEnv(OPEN, step_reward=-0.5)
    env.reset()
    env.step(UP)
    state, reward, terminated, _, _ = env.step(UP)
    assert env.state_to_cell(state) == (1, 2)
    assert (reward, terminated) == (-0.5, False)


def test_the_outside_of_the_grid_is_wall():
    env = MazeEnv("S.G")
    state, _ = env.reset()
    for action in (UP, LEFT, DOWN):
        assert env.step(action)[0] == state


def test_entering_the_goal_pays_goal_reward_and_succeeds():
    env = MazeEnv(OPEN, goal_reward=7.0)
    env.reset()
    env.step(LEFT)
    env.step(DOWN)
    state, reward, terminated, truncated, info = env.step(DOWN)
    assert state in env.goal_states and env.state_to_cell(state) == (4, 1)
    assert (reward, terminated, truncated, info) == (7.0, True, False, {"is_success": True})


def test_entering_a_trap_pays_trap_reward_and_fails():
    env = MazeEnv("S.X\n..G", trap_reward=-3.0)
    env.reset()
    env.step(RIGHT)
    state, reward, terminated, truncated, info = env.step(RIGHT)
    assert state in env.trap_states
    assert (reward, terminated, truncated, info) == (-3.0, True, False, {"is_success": False})


def test_episode_is_truncated_after_exactly_four_times_the_number_of_cells():
    env = MazeEnv("tiny")
    n = env.observation_space.n
    assert n == 10 and env.max_steps == 4 * n
    env.reset()
    for _ in range(4 * n - 1):
        _, _, terminated, truncated, info = env.step(UP)
        assert not (terminated or truncated) and info == {}
    _, reward, terminated, truncated, info = env.step(UP)
    assert (reward, terminated, truncated, info) == (-0.1, False, True, {"is_success": False})


def test_max_steps_sets_the_truncation_step():
    env = gymnasium.make(OUR_ID, layout="tiny", max_steps=3)
    env.reset()
    assert [env.step(UP)[3] for _ in range(3)] == [False, False, True]


def test_stepping_before_reset_or_after_the_end_raises_reset_needed():
    env = MazeEnv("S.G")
    with pytest.raises(ResetNeeded, match="before reset"):
        env.step(RIGHT)
    env.reset()
    env.step(RIGHT)
    assert env.step(RIGHT)[2]  # terminated in the goal
    with pytest.raises(ResetNeeded, match="call reset"):
        env.step(RIGHT)


@pytest.mark.parametrize("action", [4, -1, 1.0, "up", None, np.int64(7), np.array([1])])
def test_an_action_outside_the_space_raises_value_error_naming_it(action):
    env = MazeEnv("tiny")
    env.reset()
    with pytest.raises(ValueError, match=r"invalid action .*0 \(up\)"):
        env.step(action)


@pytest.mark.parametrize("action", [np.int64(1), np.int32(1), np.array(1), True])
def test_numpy_integer_actions_are_accepted(action):
    env = MazeEnv("S.G")
    env.reset()
    assert env.step(action)[0] == 1


def test_observations_are_plain_python_ints():
    env = gymnasium.make(OUR_ID, layout="classic", slip=0.3)
    obs, _ = env.reset(seed=0)
    assert type(obs) is int
    for action in np.random.default_rng(0).integers(0, 4, 50).tolist():
        obs, reward, *_ = env.step(action)
        assert type(obs) is int and type(reward) is float
        assert env.observation_space.contains(obs)


# -- slip -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("slip", [0.3, 2 / 3, 1.0])
def test_slip_moves_perpendicular_with_given_probability(slip):
    env = MazeEnv(OPEN, slip=slip)
    env.reset(seed=1)
    counts = {cell: 0 for cell in [(2, 3), (1, 2), (3, 2)]}  # right, its left (up), its right
    n = 6000
    for _ in range(n):
        env.reset()
        counts[env.state_to_cell(env.step(RIGHT)[0])] += 1
    for cell, p in zip(counts, [1 - slip, slip / 2, slip / 2], strict=True):
        sigma = np.sqrt(n * p * (1 - p))
        assert abs(counts[cell] - n * p) <= 3 * sigma + 1e-9, (cell, counts)


def test_same_seed_gives_identical_slippery_trajectories():
    def trajectory(env, seed):
        rng = np.random.default_rng(123)
        obs, _ = env.reset(seed=seed)
        seen = [obs]
        for action in rng.integers(0, 4, 3000).tolist():  # crosses several draw batches
            obs, _, terminated, truncated, _ = env.step(action)
            seen.append(obs)
            if terminated or truncated:
                seen.append(env.reset()[0])
        return seen

    env = gymnasium.make(OUR_ID, layout="four-rooms", slip=0.4)
    first = trajectory(env, seed=7)
    assert trajectory(env, seed=7) == first  # the same env: reset(seed) drops pending draws
    assert trajectory(gymnasium.make(OUR_ID, layout="four-rooms", slip=0.4), 7) == first
    assert trajectory(env, seed=8) != first


def test_assigning_np_random_drops_pending_draws():
    def moves(env):
        seen = []
        for _ in range(50):
            env.reset()
            seen.append(env.step(RIGHT)[0])
        return seen

    used = MazeEnv(OPEN, slip=0.5)
    used.reset(seed=3)
    used.step(RIGHT)  # leaves 4095 draws of the old generator pending
    used.np_random = np.random.default_rng(0)
    fresh = MazeEnv(OPEN, slip=0.5)
    fresh.np_random = np.random.default_rng(0)
    assert moves(used) == moves(fresh)


# -- the model ------------------------------------------------------------------------------------
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("slip", [0.0, 0.2, 1.0])
def test_p_agrees_with_step_and_with_outcome_arrays(layout, slip):
    env = MazeEnv(layout, slip=slip)
    next_states, probs, rewards, terminated = env.outcome_arrays()
    n = env.observation_space.n
    k = 1 if slip == 0 else 3
    assert next_states.shape == probs.shape == rewards.shape == terminated.shape == (n, 4, k)
    assert (next_states.dtype, probs.dtype, rewards.dtype, terminated.dtype) == (
        np.int64,
        np.float64,
        np.float64,
        np.bool_,
    )
    np.testing.assert_allclose(probs.sum(axis=2), 1.0)
    ends = set(env.goal_states.tolist()) | set(env.trap_states.tolist())
    for s in range(n):
        for a in range(4):
            model = outcomes(env.P[s][a])
            from_arrays = outcomes(
                zip(probs[s, a], next_states[s, a], rewards[s, a], terminated[s, a], strict=True)
            )
            from_arrays = {ns: v for ns, v in from_arrays.items() if v[0] > 0}
            assert model.keys() == from_arrays.keys()
            for ns, (p, r, t) in model.items():
                assert p == pytest.approx(from_arrays[ns][0])
                assert (r, t) == from_arrays[ns][1:]
            if s in ends:
                assert env.P[s][a] == [(1.0, s, 0.0, True)]
                continue
            for j, offset in enumerate([0, 3, 1][:k]):
                ns, reward, term, _, _ = force_step(env, s, a, offset)
                assert (ns, reward, term) == (
                    next_states[s, a, j],
                    rewards[s, a, j],
                    terminated[s, a, j],
                )
                if probs[s, a, j] > 0:  # slip 1: the intended move has probability 0
                    assert ns in model and model[ns][1:] == (reward, term)


def test_p_merges_outcomes_that_end_in_the_same_cell():
    env = MazeEnv("#####\n#S.G#\n#####", slip=0.2)
    # From S, up slips left (into wall) or right; left and up both stay in place.
    assert len(env.P[0][UP]) == 2
    assert outcomes(env.P[0][UP]) == {
        0: (pytest.approx(0.9), -0.1, False),
        1: (pytest.approx(0.1), -0.1, False),
    }
    assert outcomes(env.P[0][RIGHT]) == {
        1: (pytest.approx(0.8), -0.1, False),
        0: (pytest.approx(0.2), -0.1, False),
    }


def test_p_is_built_once():
    env = MazeEnv("tiny")
    assert env.P is env.P


def test_outcome_arrays_are_fast_for_a_large_maze():
    env = MazeEnv(generate_maze(601, 601, seed=0, loops=0.1), slip=0.1)
    import time

    start = time.perf_counter()
    next_states, probs, _, _ = env.outcome_arrays()
    assert time.perf_counter() - start < 5
    assert next_states.shape == (env.observation_space.n, 4, 3)
    np.testing.assert_allclose(probs.sum(axis=2), 1.0)


# -- FrozenLake -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_frozen_lake_layout_gives_frozen_lake_observations(seed):
    ours = gymnasium.make(OUR_ID, layout="frozen-lake-8x8", max_steps=100)
    ref = gymnasium.make("FrozenLake-v1", map_name="8x8", is_slippery=False)  # limit 100
    assert ours.reset(seed=seed)[0] == ref.reset(seed=seed)[0]
    for action in np.random.default_rng(seed).integers(0, 4, 3000).tolist():
        obs, reward, terminated, truncated, _ = ours.step(action)
        ref_obs, ref_reward, *ref_ends, _ = ref.step(FROZEN_LAKE_ACTION[action])
        assert (obs, terminated, truncated) == (ref_obs, *ref_ends)
        assert (reward == 10.0) == (ref_reward == 1.0)
        if terminated or truncated:
            assert ours.reset()[0] == ref.reset()[0]


def test_frozen_lake_layout_has_slippery_frozen_lakes_p():
    ours = MazeEnv("frozen-lake-8x8", slip=2 / 3)
    ref = gymnasium.make("FrozenLake-v1", map_name="8x8", is_slippery=True).unwrapped
    assert ours.observation_space.n == ref.observation_space.n == 64
    for s in range(64):
        for a in range(4):
            mine = outcomes(ours.P[s][a])
            theirs = outcomes(ref.P[s][FROZEN_LAKE_ACTION[a]])
            assert mine.keys() == theirs.keys(), (s, a)
            absorbing = ref.P[s][0] == [(1.0, s, 0, True)]  # FrozenLake's holes and goal
            for ns, (p, reward, terminated) in mine.items():
                ref_p, ref_reward, ref_terminated = theirs[ns]
                assert p == pytest.approx(ref_p) and terminated == ref_terminated
                # Rewards differ: FrozenLake pays 1 for the goal and 0 otherwise.
                if absorbing:
                    expected = 0.0
                elif ref_reward == 1.0:
                    expected = 10.0
                else:
                    expected = -10.0 if ref_terminated else -0.1
                assert reward == expected


# -- attributes -----------------------------------------------------------------------------------
def test_states_number_the_non_wall_cells_row_by_row():
    env = MazeEnv("tiny")
    cells = [env.state_to_cell(s) for s in range(env.observation_space.n)]
    assert cells == sorted(cells) and len(set(cells)) == len(cells)
    assert all(env.grid[r, c] != "#" for r, c in cells)
    assert all(env.cell_to_state(r, c) == s for s, (r, c) in enumerate(cells))
    assert env.state_to_cell(env.start_state) == (1, 1)
    assert env.goal_states.tolist() == [3] and env.trap_states.tolist() == [5]


@pytest.mark.parametrize("cell", [(0, 0), (-1, 2), (1, 6), (5, 1)])
def test_cell_to_state_rejects_walls_and_cells_outside(cell):
    with pytest.raises(ValueError, match="not a state"):
        MazeEnv("tiny").cell_to_state(*cell)


@pytest.mark.parametrize("state", [-1, 10, 1.5, None])
def test_state_to_cell_rejects_non_states(state):
    with pytest.raises(ValueError, match=r"state must be an int in \[0, 10\)"):
        MazeEnv("tiny").state_to_cell(state)


def test_grid_and_layout_text_are_the_normalised_layout():
    env = MazeEnv("\nS G\n.\n")
    assert env.grid.dtype == np.dtype("<U1")
    assert env.grid.tolist() == [["S", ".", "G"], [".", "#", "#"]]
    assert env.grid_shape == (2, 3)
    assert env.layout_text == "S.G\n.##"
    assert MazeEnv(env.layout_text).P == env.P


def test_parameters_are_read_only():
    env = MazeEnv("tiny", slip=0.1)
    with pytest.raises(AttributeError):
        env.slip = 0.5
    with pytest.raises(ValueError):
        env.grid[1, 1] = "#"


# -- rendering ------------------------------------------------------------------------------------
def test_rgb_array_frame_shows_every_kind_of_cell_and_the_agent():
    env = MazeEnv("tiny", render_mode="rgb_array")
    before = env.render()  # before reset: no agent
    env.reset()
    frame = env.render()
    assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3
    rows, cols = env.grid_shape
    assert frame.shape[0] % rows == 0 and frame.shape[0] // rows == frame.shape[1] // cols
    cell = frame.shape[0] // rows

    def centre(img, r, c, dx=0.5):
        return tuple(img[int((r + 0.5) * cell), int((c + dx) * cell)].tolist())

    # wall, floor, start (beside the agent disc), goal, trap (beside the X)
    colours = {
        centre(before, 0, 0),
        centre(before, 1, 2),
        centre(before, 1, 1, dx=0.2),
        centre(before, 1, 4),
        centre(before, 2, 4, dx=0.3),
    }
    assert len(colours) == 5
    assert centre(frame, 1, 1) not in colours  # the agent
    assert not np.array_equal(before, frame)
    env.step(RIGHT)
    moved = env.render()
    assert centre(moved, 1, 2) == centre(frame, 1, 1) and centre(moved, 1, 1) != centre(frame, 1, 1)


def test_ansi_shows_the_layout_with_the_agent():
    env = MazeEnv("tiny", render_mode="ansi")
    assert env.render() == "######\n#S..G#\n#.##X#\n#....#\n######\n"
    env.reset()
    env.step(DOWN)
    assert env.render() == "######\n#S..G#\n#A##X#\n#....#\n######\n"


def test_human_render_works_headless(no_frame_wait):
    env = MazeEnv("classic", render_mode="human")
    assert env.render() is None  # before reset
    env.reset(seed=0)
    for action in (DOWN, RIGHT, DOWN, DOWN):
        env.step(action)
    env.close()
    env.close()


def test_render_without_a_mode_warns_and_returns_none():
    env = MazeEnv("tiny")
    with pytest.warns(UserWarning, match="render_mode"):
        assert env.render() is None


# -- arguments ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"slip": -0.1}, r"slip must be a probability in \[0, 1\]"),
        ({"slip": 1.5}, "slip must be a probability"),
        ({"slip": float("nan")}, "slip must be a probability"),
        ({"slip": "0.1"}, "slip must be a probability"),
        ({"step_reward": float("inf")}, "step_reward must be a finite number"),
        ({"goal_reward": None}, "goal_reward must be a finite number"),
        ({"trap_reward": "x"}, "trap_reward must be a finite number"),
        ({"max_steps": 0}, "max_steps must be a positive int"),
        ({"max_steps": 2.5}, "max_steps must be a positive int"),
        ({"render_mode": "rgb"}, "render_mode 'rgb' is not supported"),
        ({"layout": "clasic"}, "unknown layout name 'clasic'; use one of 'tiny'"),
        ({"layout": "S.?G"}, "unknown layout name"),
        ({"layout": "S..\n.?G"}, "row 1, column 1: unknown character '\\?'"),
        ({"layout": 3}, "must be a string"),
    ],
)
def test_bad_arguments_raise_value_error_saying_what_is_wrong(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MazeEnv(**kwargs)


def test_a_one_line_layout_string_is_a_layout_not_a_name():
    env = MazeEnv("S..G")
    assert env.observation_space.n == 4 and env.goal_states.tolist() == [3]
