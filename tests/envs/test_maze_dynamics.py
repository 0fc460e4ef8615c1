"""rlsandbox.envs.maze_dynamics: the one definition of the maze's slip rule and arrays."""

import ast
from pathlib import Path

import numpy as np
import pytest

from rlsandbox.envs import MazeEnv, MazeVectorEnv
from rlsandbox.envs.maze_dynamics import (
    SLIP_OFFSETS,
    maze_arrays,
    outcome_arrays,
    slip_bands,
    slip_cuts,
    slip_offsets,
    state_cells,
    step_table,
)

ENVS = Path(__file__).resolve().parents[2] / "rlsandbox" / "envs"


def test_slip_offsets_turn_as_chosen_left_then_right_by_band():
    assert SLIP_OFFSETS == (0, 3, 1)
    cuts = slip_cuts(0.4)  # [0.6, 0.8]
    u = np.array([0.0, 0.59, 0.6, 0.79, 0.8, 0.99])
    assert slip_bands(u, cuts).tolist() == [0, 0, 1, 1, 2, 2]  # a cut belongs to the band above
    assert slip_offsets(u, cuts).tolist() == [0, 0, 3, 3, 1, 1]


@pytest.mark.parametrize(("slip", "expected"), [(0.0, {0}), (1.0, {3, 1})])
def test_no_slip_never_turns_and_full_slip_always_turns(slip, expected):
    u = np.random.default_rng(0).random(10_000)
    assert set(slip_offsets(u, slip_cuts(slip)).tolist()) == expected


def test_slip_turns_each_way_with_half_the_slip_probability():
    offsets = slip_offsets(np.random.default_rng(1).random(200_000), slip_cuts(0.3))
    shares = [np.mean(offsets == k) for k in SLIP_OFFSETS]
    assert shares == pytest.approx([0.7, 0.15, 0.15], abs=0.005)


def test_maze_arrays_of_a_small_layout_match_a_hand_count():
    env = MazeEnv("#####\n#S.G#\n#X..#\n#####", step_reward=-1.0, goal_reward=5.0,
                  trap_reward=-7.0)
    arrays = maze_arrays(env)
    # States row by row: 0 S(1,1), 1 (1,2), 2 G(1,3), 3 X(2,1), 4 (2,2), 5 (2,3).
    assert state_cells(env.grid).tolist() == [6, 7, 8, 11, 12, 13]
    assert arrays.move.tolist() == [
        [0, 1, 3, 0], [1, 2, 4, 0], [2, 2, 5, 1], [0, 4, 3, 3], [1, 5, 4, 3], [2, 5, 5, 4],
    ]
    assert arrays.reward_in.tolist() == [-1.0, -1.0, 5.0, -7.0, -1.0, -1.0]
    assert arrays.ends_in.tolist() == [False, False, True, True, False, False]
    assert arrays.is_goal.tolist() == [False, False, True, False, False, False]
    assert arrays.start == 0


def test_step_table_and_outcomes_turn_by_the_slip_offsets():
    env = MazeEnv("four-rooms", slip=0.5)
    arrays = maze_arrays(env)
    table = step_table(arrays)
    next_states = outcome_arrays(arrays, 0.5)[0]
    for s in np.flatnonzero(~arrays.ends_in).tolist():
        for a in range(4):
            for k, offset in enumerate(SLIP_OFFSETS):
                assert table[8 * s + a + offset][0] == next_states[s, a, k]
                assert next_states[s, a, k] == arrays.move[s, (a + offset) % 4]


def test_envs_read_no_other_objects_private_fields():
    """``obj._name`` only on ``self`` or ``cls``: shared rules live in named modules."""
    def own(node):
        return isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")

    reads = [
        f"{path.name}:{node.lineno}: {ast.unparse(node)}"
        for path in sorted(ENVS.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr.startswith("_")
        and not node.attr.startswith("__") and not own(node)
    ]
    assert reads == []


def test_maze_state_is_none_before_reset_and_can_be_set():
    env = MazeEnv("classic", render_mode="ansi")
    assert env.state is None and "A" not in env.render()
    env.reset(seed=0)
    assert env.state == env.start_state
    env.state = 5
    assert env.state == 5 and env.render().count("A") == 1
    with pytest.raises(ValueError, match="state must be an int"):
        env.state = env.observation_space.n


def test_vector_maze_renders_its_first_sub_env_before_and_after_reset():
    venv = MazeVectorEnv(2, "classic", render_mode="ansi")
    single = MazeEnv("classic", render_mode="ansi")
    assert venv.render() == single.render()  # the maze alone
    venv.reset(seed=0)
    single.reset(seed=0)
    assert venv.render() == single.render()


@pytest.mark.parametrize("size", [1, 100, 512, 513, 5000])
def test_slip_bands_count_the_cuts_at_or_below_each_draw_at_every_size(size):
    u = np.random.default_rng(size).random(size)
    u[: min(size, 2)] = [0.6, 0.8][: min(size, 2)]  # exactly on the cuts
    cuts = slip_cuts(0.4)
    expected = (u >= cuts[0]).astype(int) + (u >= cuts[1]).astype(int)
    assert slip_bands(u, cuts).tolist() == expected.tolist()
    assert slip_bands(u.reshape(1, -1), cuts).shape == (1, size)
