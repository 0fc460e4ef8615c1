"""
Write your own agent: Expected SARSA in thirty lines
====================================================

Lesson: *Agent, Environment, Reward* -- the "Agent", here one you write yourself.

An agent is a subclass of ``rlsandbox.agents.Agent`` with one required method,
``act(observation, *, explore=True)``; a learning agent also overrides ``update(transition)``.
Three habits make it a good citizen, and ``check_agent`` tests all three:

1. return actions from the env's action space;
2. draw every random number from ``self.np_random`` (``seed()`` resets it), so runs repeat;
3. keep state in plain attributes (numbers, numpy arrays), so ``save``/``load`` just work.

Expected SARSA (van Seijen et al., 2009) is Q-learning's cautious cousin: instead of the best
next action's value it bootstraps on the *expected* next value under its own epsilon-greedy
policy::

    Q[s, a] += alpha * (r + gamma * sum_a' pi(a'|s') Q[s', a'] - Q[s, a])

Run it (``--show`` opens the figure; the quick mode runs fewer episodes)::

    python examples/write_your_own_agent.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/write_your_own_agent.py

The figures are saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt
import numpy as np

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0 with Gymnasium)
from rlsandbox import evaluate, train
from rlsandbox.agents import Agent, RandomAgent, check_agent
from rlsandbox.plots import moving_average

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

LAYOUT = "classic"
EPISODES = 150 if QUICK else 500
EVAL_EPISODES = 20
SEED = 0


class ExpectedSarsaAgent(Agent):
    """Tabular Expected SARSA with an epsilon-greedy policy."""

    def __init__(self, n_states, n_actions, *, alpha=0.5, gamma=0.95, epsilon=0.1, seed=None):
        self.q = np.zeros((n_states, n_actions))  # a numpy array: save/load handles it
        self.alpha, self.gamma, self.epsilon = alpha, gamma, epsilon
        self.seed(seed)  # creates self.np_random, the only source of randomness

    def act(self, observation, *, explore=True):
        if explore and self.np_random.random() < self.epsilon:
            return int(self.np_random.integers(self.q.shape[1]))  # explore
        row = self.q[observation]
        return int(self.np_random.choice(np.flatnonzero(row == row.max())))  # greedy, fair ties

    def policy(self, observation):
        """pi(a | s): epsilon spread evenly, the rest shared by the greedy actions."""
        row = self.q[observation]
        best = row == row.max()
        return self.epsilon / len(row) + (1 - self.epsilon) * best / best.sum()

    def update(self, transition):
        s, a, r, s_next, terminated = transition[:5]
        target = r
        if not terminated:  # bootstrap after truncation too: a time limit is not the task's end
            target += self.gamma * self.policy(s_next) @ self.q[s_next]
        self.q[s, a] += self.alpha * (target - self.q[s, a])


def main() -> dict:
    env = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT)
    agent = ExpectedSarsaAgent(env.observation_space.n, env.action_space.n, seed=SEED)

    print(check_agent(agent, env))  # what it checked; raises ValueError naming a failed check

    random_agent = RandomAgent(env.action_space, seed=SEED)
    learning = train(env, agent, EPISODES, seed=SEED, progress=False)
    baseline = train(env, random_agent, EPISODES, seed=SEED, progress=False)  # learns nothing

    # Greedy evaluation of both agents on the same episodes.
    ours = evaluate(env, agent, EVAL_EPISODES, seed=SEED + 1)
    rand = evaluate(env, random_agent, EVAL_EPISODES, seed=SEED + 1)
    print(f"Expected SARSA: mean return {ours.returns.mean():6.2f}, "
          f"success rate {ours.successes.mean():.0%}")
    print(f"random agent:   mean return {rand.returns.mean():6.2f}, "
          f"success rate {rand.successes.mean():.0%}")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, history, colour in (("Expected SARSA", learning, "#0072B2"),
                                  ("random", baseline, "#D55E00")):
        ax.plot(history.returns, color=colour, alpha=0.2, lw=0.8)
        ax.plot(moving_average(history.returns, 20), color=colour, lw=2, label=name)
    ax.set(xlabel="episode", ylabel="return (moving average of 20)",
           title=f"Your own agent vs random ({LAYOUT} maze)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.savefig(OUT_DIR / "own_agent_vs_random.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"mean_return": float(ours.returns.mean()),
            "random_mean_return": float(rand.returns.mean()),
            "success_rate": float(ours.successes.mean()),
            "random_success_rate": float(rand.successes.mean())}


if __name__ == "__main__":
    main()
