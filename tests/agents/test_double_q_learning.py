"""DoubleQLearningAgent: two tables, each judged by the other (Sutton & Barto eq. 6.10)."""

import copy

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces

from rlsandbox.agents import DoubleQLearningAgent, QLearningAgent
from rlsandbox.loop import Transition, train
from tests.agents.mazes import SHORTEST, greedy_episodes_after_training


def step(s, a, r, s2, *, terminated=False, truncated=False):
    return Transition(s, a, r, s2, terminated, truncated, {})


def agent_whose_coin(lands_below_half: bool, **kw):
    """An agent whose first update updates Q1 (coin < 0.5) or Q2; and its two uniforms."""
    for seed in range(100):
        coin, tie = copy.deepcopy(np.random.default_rng(seed)).random(2)
        if (coin < 0.5) == lands_below_half:
            return DoubleQLearningAgent(3, 2, seed=seed, **kw), tie
    raise AssertionError("no seed found")


@pytest.mark.parametrize("learner", [0, 1])
def test_one_table_picks_the_next_action_and_the_other_values_it(learner):
    agent, _ = agent_whose_coin(learner == 0, alpha=0.5, gamma=0.5)
    q1, q2 = agent.q_tables
    q1[1], q2[1] = [4.0, 2.0], [8.0, 16.0]  # Q1 prefers action 0, Q2 action 1
    agent.update(step(0, 1, 1.0, 1))
    judged = 8.0 if learner == 0 else 2.0  # Q2[1, argmax Q1[1]] or Q1[1, argmax Q2[1]]
    assert agent.q_tables[learner][0, 1] == 0.5 * (1.0 + 0.5 * judged)
    assert agent.q_tables[1 - learner][0, 1] == 0.0
    assert agent.q_table[0, 1] == 0.5 * (1.0 + 0.5 * judged) / 2


def test_ties_in_the_learners_argmax_are_broken_by_the_second_uniform():
    agent, tie = agent_whose_coin(True, alpha=1.0, gamma=1.0)
    q1, q2 = agent.q_tables
    q1[1], q2[1] = [3.0, 3.0], [8.0, 16.0]
    agent.update(step(0, 0, 0.0, 1))
    assert agent.q_tables[0][0, 0] == (8.0, 16.0)[int(tie * 2)]


def test_termination_does_not_bootstrap_and_truncation_does():
    for truncated, expected in ((False, 10.0), (True, 10.0 + 16.0)):
        agent, _ = agent_whose_coin(True, alpha=1.0, gamma=1.0)
        q1, q2 = agent.q_tables
        q1[1], q2[1] = [0.0, 1.0], [8.0, 16.0]
        agent.update(step(0, 0, 10.0, 1, terminated=not truncated, truncated=truncated))
        assert agent.q_tables[0][0, 0] == expected
        assert agent._next == 2  # the coin and the tie-breaker, whatever the outcome


def test_acts_greedily_on_the_sum_of_the_tables():
    agent = DoubleQLearningAgent(1, 3, epsilon=0.0, seed=0)
    q1, q2 = agent.q_tables
    q1[0], q2[0] = [2.0, 0.0, 1.5], [0.0, 2.0, 1.5]  # each alone prefers 0 or 1; the sum, 2
    assert {agent.act(0) for _ in range(20)} == {2}


def test_q_table_is_the_mean_and_setting_it_sets_both_tables():
    agent = DoubleQLearningAgent(2, 2, seed=0)
    agent.q_tables[0][0, 0], agent.q_tables[1][0, 0] = 1.0, 4.0
    assert agent.q_table[0, 0] == 2.5
    agent.q_table = [[1.0, 2.0], [3.0, 4.0]]
    assert agent.q_tables[0].tolist() == agent.q_tables[1].tolist() == [[1.0, 2.0], [3.0, 4.0]]


class MaximisationBias(gymnasium.Env):
    """Example 6.7 (Figure 6.5): from A, even actions end the episode (reward 0), odd ones go
    to B (reward 0); every action in B ends it with a reward drawn from N(-0.1, 1). Going
    left (to B) is worse, yet max over B's noisy estimates looks positive."""

    observation_space = spaces.Discrete(3)
    action_space = spaces.Discrete(10)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.s = 0
        return 0, {}

    def step(self, action):
        if self.s == 1:
            return 2, float(self.np_random.normal(-0.1, 1.0)), True, False, {}
        if action % 2 == 0:
            return 2, 0.0, True, False, {}
        self.s = 1
        return 1, 0.0, False, False, {}


def test_double_q_learning_goes_left_far_less_often_than_q_learning():
    env = MaximisationBias()
    left = {}
    for cls in (QLearningAgent, DoubleQLearningAgent):
        runs = []
        for run in range(50):
            agent = cls.for_env(env, alpha=0.1, gamma=1.0, epsilon=0.1, seed=run)
            runs.append(train(env, agent, 100, seed=run, progress=False).lengths == 2)
        left[cls.__name__] = float(np.mean(runs))
    # measured 0.87 and 0.30; the optimum under epsilon = 0.1 is 0.05
    assert left["QLearningAgent"] > 0.7 and left["DoubleQLearningAgent"] < 0.4, left


def test_learns_the_shortest_path_of_a_small_maze():
    greedy = greedy_episodes_after_training("double-q-learning", 300, alpha=0.3)
    assert [(e.success, e.length) for e in greedy] == [(True, SHORTEST)] * 5
