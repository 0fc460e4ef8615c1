"""NStepSarsaAgent: n-step returns (Sutton & Barto eq. 7.4), flushed at the episode's end."""

import numpy as np
import pytest

from rlsandbox.agents import NStepSarsaAgent, SarsaAgent
from rlsandbox.envs import MazeEnv
from rlsandbox.loop import Transition, train
from tests.agents.mazes import greedy_episodes_after_training


def step(s, a, r, s2, *, terminated=False, truncated=False):
    return Transition(s, a, r, s2, terminated, truncated, {})


def two_step_agent():
    agent = NStepSarsaAgent(5, 2, n=2, alpha=1.0, gamma=0.5, epsilon=0.0, seed=0)
    agent.q_table[2] = [8.0, 0.0]  # the greedy A' in state 2 is 0
    agent.q_table[3] = [0.0, 16.0]  # and in state 3, 1
    return agent


def test_nothing_is_learned_before_n_rewards_are_in():
    agent = two_step_agent()
    agent.update(step(0, 1, 1.0, 1))
    assert agent.q_table[0, 1] == 0.0 and agent.steps == 1


def test_the_n_step_return_bootstraps_from_the_chosen_action():
    agent = two_step_agent()
    agent.update(step(0, 1, 1.0, 1))
    agent.update(step(1, 1, 2.0, 2))
    assert agent.q_table[0, 1] == 1.0 + 0.5 * 2.0 + 0.25 * 8.0  # G = 4
    assert agent.act(2) == 0  # the action the target assumed is the one taken


def test_termination_flushes_the_waiting_steps_without_bootstrapping():
    agent = two_step_agent()
    for transition in (step(0, 1, 1.0, 1), step(1, 1, 2.0, 2), step(2, 0, 4.0, 3, terminated=True)):
        agent.update(transition)
    assert agent.q_table[1, 1] == 2.0 + 0.5 * 4.0
    assert agent.q_table[2, 0] == 4.0
    assert agent._states == [] and agent._pending_state is None


def test_truncation_flushes_the_waiting_steps_bootstrapping_from_the_last_state():
    agent = two_step_agent()
    for transition in (step(0, 1, 1.0, 1), step(1, 1, 2.0, 2), step(2, 0, 4.0, 3, truncated=True)):
        agent.update(transition)
    assert agent.q_table[1, 1] == 2.0 + 0.5 * 4.0 + 0.25 * 16.0
    assert agent.q_table[2, 0] == 4.0 + 0.5 * 16.0
    assert agent._states == [] and agent._pending_state is None


def test_an_episode_shorter_than_n_is_learned_from_at_its_end():
    agent = NStepSarsaAgent(3, 2, n=10, alpha=1.0, gamma=0.5, seed=0)
    agent.update(step(0, 1, 2.0, 1))
    agent.update(step(1, 0, 4.0, 2, terminated=True))
    assert agent.q_table[0, 1] == 2.0 + 0.5 * 4.0 and agent.q_table[1, 0] == 4.0


def test_begin_episode_drops_an_unfinished_episode():
    agent = two_step_agent()
    agent.update(step(0, 1, 1.0, 1))
    agent.begin_episode()
    agent.update(step(1, 1, 2.0, 2, terminated=True))
    assert agent.q_table[0, 1] == 0.0 and agent.q_table[1, 1] == 2.0


def test_one_step_is_sarsa_bit_for_bit():
    env = MazeEnv("classic", max_steps=40)  # truncations happen too
    runs = []
    for agent in (NStepSarsaAgent.for_env(env, n=1, alpha=0.5, epsilon=0.2, seed=2),
                  SarsaAgent.for_env(env, alpha=0.5, epsilon=0.2, seed=2)):
        runs.append((train(env, agent, 40, seed=2, progress=False), agent.q_table))
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])
    assert runs[0][0].lengths.max() == 40  # the run did see truncations


@pytest.mark.parametrize("n", [0, -1, 1.5, True])
def test_n_must_be_a_positive_integer(n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        NStepSarsaAgent(3, 2, n=n)


def test_learns_a_successful_path_through_a_small_maze():
    greedy = greedy_episodes_after_training("n-step-sarsa", 300, alpha=0.2)
    assert all(e.success for e in greedy) and max(e.length for e in greedy) <= 9
