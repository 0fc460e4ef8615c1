"""MonteCarloAgent: on-policy ε-soft MC control (Sutton & Barto section 5.4) at episode ends."""

import pytest

from rlsandbox.agents import MonteCarloAgent
from rlsandbox.loop import Transition
from tests.agents.mazes import greedy_episodes_after_training


def step(s, a, r, s2, *, terminated=False, truncated=False):
    return Transition(s, a, r, s2, terminated, truncated, {})


# (0, 1) is visited twice: returns, walking back with gamma 0.5: 4, 2 + 0.5 * 4 = 4,
# 1 + 0.5 * 4 = 3.
REVISITING = [step(0, 1, 1.0, 1), step(1, 0, 2.0, 0), step(0, 1, 4.0, 2, terminated=True)]


def run(agent, transitions):
    for transition in transitions:
        agent.update(transition)
    return agent


def test_nothing_is_learned_before_the_episode_ends():
    agent = run(MonteCarloAgent(3, 2, gamma=0.5, seed=0), REVISITING[:2])
    assert not agent.q_table.any() and agent.steps == 2


def test_first_visit_learns_from_the_first_visit_only():
    agent = run(MonteCarloAgent(3, 2, gamma=0.5, seed=0), REVISITING)
    assert agent.q_table[0, 1] == 3.0 and agent.q_table[1, 0] == 4.0
    assert agent.counts[0, 1] == 1.0


def test_every_visit_averages_every_visit():
    agent = run(MonteCarloAgent(3, 2, gamma=0.5, first_visit=False, seed=0), REVISITING)
    assert agent.q_table[0, 1] == (4.0 + 3.0) / 2 and agent.counts[0, 1] == 2.0


def test_sample_averages_forget_the_initial_value_and_average_across_episodes():
    agent = MonteCarloAgent(2, 2, gamma=1.0, initial_q=5.0, seed=0)
    returns = [1.0, 2.0, 6.0]
    for g in returns:
        run(agent, [step(0, 1, g, 1, terminated=True)])
    assert agent.q_table[0, 1] == sum(returns) / 3 and agent.q_table[0, 0] == 5.0


def test_constant_alpha_moves_a_fraction_of_the_way():
    agent = MonteCarloAgent(2, 2, gamma=1.0, alpha=0.25, initial_q=2.0, seed=0)
    run(agent, [step(0, 1, 6.0, 1, terminated=True)])
    assert agent.q_table[0, 1] == 2.0 + 0.25 * (6.0 - 2.0)


def test_truncation_bootstraps_from_the_last_states_value_under_the_policy():
    agent = MonteCarloAgent(3, 2, gamma=0.5, epsilon=0.5, seed=0)
    agent.q_table[2] = [2.0, 4.0]  # under epsilon 0.5: 0.5 * 4 + 0.5 * 3 = 3.5
    run(agent, [step(0, 1, 1.0, 1), step(1, 0, 2.0, 2, truncated=True)])
    assert agent.q_table[1, 0] == 2.0 + 0.5 * 3.5
    assert agent.q_table[0, 1] == 1.0 + 0.5 * (2.0 + 0.5 * 3.5)


def test_termination_does_not_bootstrap():
    agent = MonteCarloAgent(3, 2, gamma=0.5, epsilon=0.5, seed=0)
    agent.q_table[2] = [2.0, 4.0]
    run(agent, [step(1, 0, 2.0, 2, terminated=True)])
    assert agent.q_table[1, 0] == 2.0


def test_begin_episode_drops_an_unfinished_episode():
    agent = run(MonteCarloAgent(3, 2, gamma=0.5, seed=0), REVISITING[:2])
    agent.begin_episode()
    run(agent, [step(0, 1, 4.0, 2, terminated=True)])
    assert agent.q_table[0, 1] == 4.0 and agent.q_table[1, 0] == 0.0


@pytest.mark.parametrize("kw", [{"alpha": 0.0}, {"alpha": 2.0}, {"first_visit": "yes"}])
def test_invalid_arguments_raise_value_error(kw):
    with pytest.raises(ValueError, match=next(iter(kw))):
        MonteCarloAgent(3, 2, **kw)


def test_learns_a_successful_path_through_a_small_maze():
    greedy = greedy_episodes_after_training("monte-carlo", 300, first_visit=False)
    assert all(e.success for e in greedy) and max(e.length for e in greedy) <= 9
