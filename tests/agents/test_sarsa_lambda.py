"""SarsaLambdaAgent: eligibility traces (Sutton & Barto section 12.7, tabular case)."""

import numpy as np
import pytest

from rlsandbox.agents import Agent, SarsaLambdaAgent
from rlsandbox.loop import Transition
from tests.agents.mazes import SHORTEST, greedy_episodes_after_training


def step(s, a, r, s2, *, terminated=False, truncated=False):
    return Transition(s, a, r, s2, terminated, truncated, {})


# All values start at 0 and the first two rewards are 0, so delta is 0 until the last step;
# by then z[0, 1] = 1 * 0.5 * 0.5 = 0.25 and z[1, 0] = 0.5, and (0, 1) is visited again.
REVISITING = [step(0, 1, 0.0, 1), step(1, 0, 0.0, 0), step(0, 1, 4.0, 2, terminated=True)]


def run(agent, transitions):
    for transition in transitions:
        agent.update(transition)
    return agent


@pytest.mark.parametrize("traces, revisited", [("replacing", 1.0), ("accumulating", 1.25)])
def test_one_error_updates_every_traced_pair_by_its_trace(traces, revisited):
    agent = SarsaLambdaAgent(3, 2, alpha=0.5, gamma=1.0, lam=0.5, traces=traces, seed=0)
    run(agent, REVISITING)
    # delta = 4 - Q[0, 1] = 4; Q += alpha * delta * z
    assert agent.q_table[0, 1] == 0.5 * 4.0 * revisited
    assert agent.q_table[1, 0] == 0.5 * 4.0 * 0.5


def test_the_error_bootstraps_from_the_chosen_next_action():
    agent = SarsaLambdaAgent(3, 2, alpha=0.5, gamma=0.5, lam=0.5, epsilon=0.0, seed=0)
    agent.q_table[:2] = [[2.0, 0.0], [0.0, 8.0]]
    agent.update(step(0, 0, 1.0, 1))  # delta = 1 - 2 + 0.5 * 8 = 3
    assert agent.q_table[0, 0] == 2.0 + 0.5 * 3.0
    assert agent.act(1) == 1 and agent._z == {0: 0.25}


def test_lambda_zero_updates_only_the_current_pair():
    agent = SarsaLambdaAgent(3, 2, alpha=0.5, gamma=1.0, lam=0.0, seed=0)
    run(agent, REVISITING[:2] + [step(1, 0, 4.0, 2, terminated=True)])
    assert agent.q_table.tolist() == [[0.0, 0.0], [2.0, 0.0], [0.0, 0.0]]


def test_termination_does_not_bootstrap_and_clears_the_traces():
    agent = SarsaLambdaAgent(3, 2, alpha=1.0, gamma=0.5, lam=0.5, seed=0)
    agent.q_table[1] = [8.0, 8.0]
    agent.update(step(0, 0, 1.0, 1, terminated=True))
    assert agent.q_table[0, 0] == 1.0 and agent._z == {}


def test_truncation_bootstraps_and_clears_the_traces():
    agent = SarsaLambdaAgent(3, 2, alpha=1.0, gamma=0.5, lam=0.5, seed=0)
    agent.q_table[1] = [8.0, 8.0]
    agent.update(step(0, 0, 1.0, 1, truncated=True))
    assert agent.q_table[0, 0] == 1.0 + 0.5 * 8.0 and agent._z == {}
    assert agent._pending_state is None


def test_begin_episode_clears_the_traces():
    agent = run(SarsaLambdaAgent(3, 2, seed=0), REVISITING[:2])
    agent.begin_episode()
    assert agent._z == {}


def test_traces_survive_save_and_load_mid_episode(tmp_path):
    agent = run(SarsaLambdaAgent(3, 2, alpha=0.5, gamma=1.0, lam=0.5, seed=0), REVISITING[:2])
    agent.save(tmp_path / "agent.npz")
    loaded = Agent.load(tmp_path / "agent.npz")
    assert loaded._z == agent._z
    run(agent, REVISITING[2:])
    run(loaded, REVISITING[2:])
    assert np.array_equal(loaded.q_table, agent.q_table)


@pytest.mark.parametrize("kw", [{"lam": -0.1}, {"lam": 1.5}, {"lam": lambda t: 0.5},
                                {"traces": "dutch"}])
def test_invalid_arguments_raise_value_error(kw):
    with pytest.raises(ValueError, match=next(iter(kw))):
        SarsaLambdaAgent(3, 2, **kw)


@pytest.mark.parametrize("traces", ["replacing", "accumulating"])
def test_learns_the_shortest_path_of_a_small_maze(traces):
    greedy = greedy_episodes_after_training("sarsa-lambda", 300, alpha=0.2, traces=traces,
                                            seeds=range(3))
    assert all(e.success for e in greedy) and max(e.length for e in greedy) <= SHORTEST + 2
