"""my_agent.py: optimistic Q-learning, an agent written from scratch for rlsandbox."""

import numpy as np

from rlsandbox.agents import Agent


class OptimisticQ(Agent):
    """Q-learning that explores through optimism (Sutton & Barto, section 2.6).

    Every Q-value starts high, above any return the maze can pay, so an action the agent has
    not tried looks better than the ones it has: acting greedily is enough to explore.
    """

    def __init__(self, n_states, n_actions, *, alpha=0.5, gamma=0.95, initial_q=10.0,
                 seed=None):
        self.q = np.full((n_states, n_actions), float(initial_q))  # arrays save and load
        self.alpha, self.gamma = alpha, gamma
        self.seed(seed)  # self.np_random: the agent's only source of randomness

    def act(self, observation, *, explore=True):
        row = self.q[observation]
        best = np.flatnonzero(row == row.max())
        return int(self.np_random.choice(best))  # greedy; ties broken at random

    def update(self, t):  # t: a Transition
        target = t.reward
        if not t.terminated:  # after a time limit (truncated) the future still counts
            target += self.gamma * self.q[t.next_observation].max()
        self.q[t.observation, t.action] += self.alpha * (target - self.q[t.observation, t.action])
