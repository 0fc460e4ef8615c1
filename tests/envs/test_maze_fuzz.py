"""Fuzzing MazeEnv's layout parser and model with hypothesis.

Any text either builds a maze or raises ValueError (never another exception, never a hang);
every valid random layout has a model P that agrees with step and with outcome_arrays.
"""

import numpy as np
import pytest
from gymnasium.error import ResetNeeded
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rlsandbox.envs import MazeEnv

FUZZ = settings(max_examples=300, deadline=2000)
MODEL = settings(
    max_examples=80,
    deadline=2000,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)

layout_chars = st.sampled_from("#. SGX\n\r\t?é\u2028\x00")
texts = st.one_of(
    st.text(max_size=200),  # any unicode
    st.text(layout_chars, max_size=200),  # mostly layout characters, a few strangers
    st.lists(st.text("#. SGX", max_size=12), max_size=12).map("\n".join),
)


def try_build(text, **kwargs):
    try:
        return MazeEnv(text, **kwargs)
    except ValueError:
        return None


@FUZZ
@given(text=texts)
def test_any_text_builds_a_maze_or_raises_value_error(text):
    env = try_build(text)
    if env is not None:
        assert env.observation_space.n == (env.grid != "#").sum()
        assert env.grid[env.state_to_cell(env.start_state)] == "S"


@FUZZ
@given(layout=st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text())))
def test_a_layout_that_is_not_text_raises_value_error(layout):
    with pytest.raises(ValueError):
        MazeEnv(layout)


@st.composite
def valid_layouts(draw):
    """Rectangular layouts over '#.GX' with exactly one S (the parser rejects the rest)."""
    rows = draw(st.integers(1, 7))
    cols = draw(st.integers(1, 7))
    cells = draw(st.lists(st.sampled_from("#....GX"), min_size=rows * cols, max_size=rows * cols))
    cells[draw(st.integers(0, rows * cols - 1))] = "S"
    return "\n".join("".join(cells[r * cols : (r + 1) * cols]) for r in range(rows))


@MODEL
@given(layout=valid_layouts(), slip=st.sampled_from([0.0, 0.25, 2 / 3, 1.0]))
def test_p_of_random_layouts_agrees_with_step_and_outcome_arrays(layout, slip):
    env = try_build(layout, slip=slip)
    assume(env is not None)
    next_states, probs, rewards, terminated = env.outcome_arrays()
    np.testing.assert_allclose(probs.sum(axis=2), 1.0)
    ends = set(env.goal_states.tolist()) | set(env.trap_states.tolist())
    offsets = [0] if slip == 0 else [0, 3, 1]
    for s in range(env.observation_space.n):
        for a in range(4):
            model = {ns: (p, r, t) for p, ns, r, t in env.P[s][a]}
            assert len(model) == len(env.P[s][a])  # duplicates merged
            assert sum(p for p, _, _ in model.values()) == pytest.approx(1.0)
            if s in ends:
                assert env.P[s][a] == [(1.0, s, 0.0, True)]
                continue
            for k, offset in enumerate(offsets):
                env.reset()
                env._state, env._draws = s, [offset]
                ns, reward, term, _, info = env.step(a)
                assert (ns, reward, term) == (
                    next_states[s, a, k],
                    rewards[s, a, k],
                    terminated[s, a, k],
                )
                if probs[s, a, k] > 0:
                    assert model[ns][1:] == (reward, term)
                assert info.get("is_success", False) == (ns in env.goal_states.tolist())


@MODEL
@given(layout=valid_layouts(), actions=st.lists(st.integers(0, 3), max_size=60))
def test_random_play_stays_on_states_and_ends_as_declared(layout, actions):
    env = try_build(layout, slip=0.3, max_steps=25)
    assume(env is not None)
    obs, _ = env.reset(seed=0)
    steps = 0
    for action in actions:
        obs, reward, terminated, truncated, info = env.step(action)
        steps += 1
        assert env.observation_space.contains(obs)
        assert env.grid[env.state_to_cell(obs)] != "#"
        assert terminated == (obs in env.goal_states.tolist() + env.trap_states.tolist())
        assert truncated == (steps == 25)
        if terminated or truncated:
            assert info["is_success"] == (obs in env.goal_states.tolist())
            with pytest.raises(ResetNeeded):
                env.step(action)
            obs, _ = env.reset()
            steps = 0
