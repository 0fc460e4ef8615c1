"""ExpectedSarsaAgent: the expectation over the ε-greedy policy (Sutton & Barto eq. 6.9)."""

import numpy as np

from rlsandbox.agents import ExpectedSarsaAgent, QLearningAgent
from rlsandbox.envs import MazeEnv
from rlsandbox.loop import Transition, train
from tests.agents.mazes import SHORTEST, greedy_episodes_after_training


def step(s, a, r, s2, *, terminated=False, truncated=False):
    return Transition(s, a, r, s2, terminated, truncated, {})


def test_update_matches_a_hand_computed_step():
    agent = ExpectedSarsaAgent(3, 2, alpha=0.5, gamma=0.5, epsilon=0.5, seed=0)
    agent.q_table[1] = [2.0, 4.0]  # pi(.|1) = (0.25, 0.75): expectation 0.5 + 3 = 3.5
    agent.update(step(0, 0, 1.0, 1))
    assert agent.q_table[0, 0] == 0.5 * (1.0 + 0.5 * 3.5)


def test_tied_greedy_actions_share_the_greedy_probability():
    agent = ExpectedSarsaAgent(3, 4, alpha=1.0, gamma=1.0, epsilon=0.5, seed=0)
    agent.q_table[1] = [4.0, 4.0, 0.0, 0.0]  # pi = (0.375, 0.375, 0.125, 0.125): 3.0
    agent.update(step(0, 0, 0.0, 1))
    assert agent.q_table[0, 0] == 3.0


def test_termination_does_not_bootstrap():
    agent = ExpectedSarsaAgent(3, 2, alpha=0.5, gamma=0.5, epsilon=0.5, seed=0)
    agent.q_table[:2] = [[0.0, 1.0], [2.0, 4.0]]
    agent.update(step(0, 1, 10.0, 1, terminated=True))
    assert agent.q_table[0, 1] == 1.0 + 0.5 * (10.0 - 1.0)


def test_truncation_bootstraps():
    agent = ExpectedSarsaAgent(3, 2, alpha=1.0, gamma=0.5, epsilon=0.5, seed=0)
    agent.q_table[1] = [2.0, 4.0]
    agent.update(step(0, 0, 1.0, 1, truncated=True))
    assert agent.q_table[0, 0] == 1.0 + 0.5 * 3.5


def test_the_target_uses_the_scheduled_epsilon_of_the_step():
    agent = ExpectedSarsaAgent(3, 2, alpha=1.0, gamma=1.0, epsilon=lambda t: 0.5 * t, seed=0)
    agent.q_table[1] = [2.0, 4.0]
    agent.update(step(0, 0, 0.0, 1))  # step 0: epsilon 0, the target is max = 4
    agent.update(step(2, 0, 0.0, 1))  # step 1: epsilon 0.5, the target is 3.5
    assert agent.q_table[[0, 2], 0].tolist() == [4.0, 3.5]


def test_with_epsilon_zero_it_is_q_learning_bit_for_bit():
    env = MazeEnv("classic")
    tables = []
    for cls in (ExpectedSarsaAgent, QLearningAgent):
        agent = cls.for_env(env, alpha=0.5, epsilon=0.0, seed=4)
        history = train(env, agent, 30, seed=4, progress=False)
        tables.append((history, agent.q_table))
    assert tables[0][0] == tables[1][0] and np.array_equal(tables[0][1], tables[1][1])


def test_learns_the_shortest_path_of_a_small_maze():
    greedy = greedy_episodes_after_training("expected-sarsa", 200, alpha=0.5)
    assert [(e.success, e.length) for e in greedy] == [(True, SHORTEST)] * 5
