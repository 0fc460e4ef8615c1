"""Planners return arrays of their own: a later call never changes an earlier result."""

import numpy as np
import pytest

from rlsandbox.mdp import TabularMDP, policy_iteration, value_iteration


def chain(reward: float, n_states: int = 3, n_actions: int = 1) -> TabularMDP:
    """A deterministic chain: every action moves one state right; the last one terminates."""
    shape = (n_states, n_actions, 1)
    next_states = np.minimum(np.arange(n_states) + 1, n_states - 1)[:, None, None]
    next_states = np.broadcast_to(next_states, shape).copy()
    terminated = np.zeros(shape, dtype=bool)
    terminated[-1] = True
    return TabularMDP(next_states, np.ones(shape), np.full(shape, reward), terminated, gamma=0.9)


@pytest.mark.parametrize("planner", [value_iteration, policy_iteration])
@pytest.mark.parametrize("n_states, n_actions", [(3, 1), (1, 2), (1, 1), (4, 2)])
def test_a_second_solve_leaves_the_first_result_unchanged(planner, n_states, n_actions):
    first = planner(chain(1.0, n_states, n_actions))
    kept = {name: getattr(first, name).copy()
            for name in ("values", "q_values", "policy", "residuals")}
    second = planner(chain(5.0, n_states, n_actions))
    for name, value in kept.items():
        np.testing.assert_array_equal(getattr(first, name), value, err_msg=name)
        assert not np.shares_memory(getattr(first, name), getattr(second, name)), name


def test_one_action_chain_values_are_the_discounted_sums():
    # r = 1 a step for 3 steps from state 0, then termination: 1 + 0.9 + 0.81.
    result = value_iteration(chain(1.0))
    np.testing.assert_allclose(result.values, [2.71, 1.9, 1.0])
    np.testing.assert_allclose(result.q_values[:, 0], result.values)
