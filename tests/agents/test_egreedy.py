"""The one ε-greedy rule (rlsandbox.agents.egreedy): its distribution and its tie-breaking."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rlsandbox.agents.egreedy import epsilon_greedy, epsilon_greedy_probs, expected_value, greedy

# Small integer values make ties common; up to 8 actions.
rows = st.lists(st.integers(-3, 3).map(float), min_size=1, max_size=8)
CELLS_U1 = 8  # epsilon = i / 8
CELLS_U2 = 840  # lcm(1..8): every action count and every tie count divides it


def frequencies(row, epsilon):
    """Each action's share of the (u1, u2) square, counted exactly on a midpoint lattice."""
    counts = [0] * len(row)
    for k in range(CELLS_U1):
        u1 = (k + 0.5) / CELLS_U1
        for j in range(CELLS_U2):
            counts[epsilon_greedy(row, epsilon, u1, (j + 0.5) / CELLS_U2)] += 1
    return [c / (CELLS_U1 * CELLS_U2) for c in counts]


@given(rows, st.integers(0, CELLS_U1))
def test_epsilon_greedy_takes_each_action_with_its_stated_probability(row, i):
    epsilon = i / CELLS_U1
    assert frequencies(row, epsilon) == pytest.approx(epsilon_greedy_probs(row, epsilon),
                                                      abs=1e-12)


@given(rows, st.floats(0.0, 1.0))
def test_probabilities_sum_to_one_and_favour_only_the_best(row, epsilon):
    probs = epsilon_greedy_probs(row, epsilon)
    assert math.isclose(sum(probs), 1.0, abs_tol=1e-12)
    best = max(row)
    assert all(p == epsilon / len(row) for p, q in zip(probs, row, strict=True) if q != best)


@given(rows, st.floats(0.0, 0.999999))
def test_greedy_returns_the_tie_numbered_by_the_uniform(row, u):
    ties = [a for a, q in enumerate(row) if q == max(row)]
    assert greedy(row, u) == ties[int(u * len(ties))]


@given(rows)
def test_every_tied_action_is_chosen_for_an_equal_share_of_uniforms(row):
    ties = [a for a, q in enumerate(row) if q == max(row)]
    picks = [greedy(row, (j + 0.5) / CELLS_U2) for j in range(CELLS_U2)]
    assert sorted(set(picks)) == ties
    assert all(picks.count(a) == CELLS_U2 // len(ties) for a in ties)


@given(rows, st.floats(0.0, 0.999999), st.floats(0.0, 0.999999))
def test_a_greedy_choice_is_epsilon_greedy_with_epsilon_zero(row, u1, u2):
    assert epsilon_greedy(row, 0.0, u1, u2) == greedy(row, u2)


@given(rows, st.floats(0.0, 1.0))
def test_expected_value_is_the_mean_under_the_policy(row, epsilon):
    mean = sum(p * q for p, q in zip(epsilon_greedy_probs(row, epsilon), row, strict=True))
    assert expected_value(row, epsilon) == pytest.approx(mean, abs=1e-12)
