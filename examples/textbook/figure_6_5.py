"""Figure 6.5: maximisation bias, Q-learning against Double Q-learning.
====================================================================

Sutton & Barto (2nd ed.), section 6.7 and Figure 6.5. Episodes start in A, which has two
actions: right ends the episode with reward 0; left moves to B with reward 0. B has many
actions (ten here), each ending the episode with a reward drawn from a normal distribution
with mean -0.1 and variance 1. Going left is a mistake on average (-0.1 against 0), yet
Q-learning's target max_b Q(B, b) is the largest of ten noisy estimates, so it is biased
upwards, and Q-learning goes left far more often than it should. Double Q-learning picks
the best action with one table and values it with the other, which removes the bias.

We build the problem as a :class:`~rlsandbox.mdp.TabularMDP` and sample it with
:class:`~rlsandbox.envs.TabularEnv`, whose ``reward_noise`` (standard deviation 1 on B's
actions) adds the normal noise. A TabularMDP gives every state the same number of actions,
so A has ten too, of which only the first two (left, right) are ever offered: a small
wrapper makes the agent choose epsilon-greedily among those two in A, as the book does.
epsilon = 0.1, alpha = 0.1, gamma = 1, as in the book; the curves are the percentage of
runs that went left from A in each episode.

The lesson: within a hundred episodes Double Q-learning goes left little more often than
epsilon-greedy exploration forces it to (5 %), while Q-learning, misled by its biased
estimates, first goes left nearly every time and still goes left far more often at 100.

Run it (``--show`` opens the figure; the quick mode runs fewer runs)::

    python examples/textbook/figure_6_5.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/textbook/figure_6_5.py

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import train
from rlsandbox.agents import DoubleQLearningAgent, QLearningAgent
from rlsandbox.agents.egreedy import epsilon_greedy
from rlsandbox.envs import TabularEnv
from rlsandbox.mdp import TabularMDP

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

# The book's settings (it averages 1,000 runs).
RUNS = 100 if QUICK else 1000
EPISODES = 300
ALPHA, EPSILON, GAMMA = 0.1, 0.1, 1.0
B_ACTIONS = 10
AGENTS = {"Q-learning": QLearningAgent, "Double Q-learning": DoubleQLearningAgent}
#: The optimal policy still goes left when it explores: epsilon / 2 of the time.
OPTIMAL_LEFT = EPSILON / 2

# States in a row, as the book draws them: the left end, B, A (the start), the right end.
LEFT_END, B, A, RIGHT_END = range(4)
LEFT, RIGHT = 0, 1  # A's two actions


def maximisation_bias_env() -> TabularEnv:
    """The MDP of Figure 6.5 as an env: B's rewards are -0.1 plus N(0, 1) noise."""
    n_states = 4
    next_states = np.zeros((n_states, B_ACTIONS, 1), dtype=int)
    rewards = np.zeros((n_states, B_ACTIONS, 1))
    terminated = np.zeros((n_states, B_ACTIONS, 1), dtype=bool)
    for end in (LEFT_END, RIGHT_END):  # the ends are absorbing, with reward 0
        next_states[end], terminated[end] = end, True
    next_states[A], terminated[A] = RIGHT_END, True  # right (and A's unused actions)
    next_states[A, LEFT], terminated[A, LEFT] = B, False
    next_states[B], terminated[B], rewards[B] = LEFT_END, True, -0.1
    mdp = TabularMDP(next_states, np.ones((n_states, B_ACTIONS, 1)), rewards, terminated,
                     GAMMA, start=A, cells=[(0, s) for s in range(n_states)])
    noise = np.zeros((n_states, B_ACTIONS))
    noise[B] = 1.0  # standard deviation 1 (variance 1) on B's actions only
    return TabularEnv(mdp, reward_noise=noise)


class TwoActionsInA:
    """``agent``, except that in A it chooses epsilon-greedily between left and right only.

    Uses the library's epsilon-greedy rule on the agent's own values of A's two actions
    (Double Q-learning's ``q_table`` is the mean of its two tables, so its greedy action is
    that of their sum, which it acts on), with uniforms from this wrapper's own generator.
    """

    def __init__(self, agent, seed: int) -> None:
        self.agent = agent
        self.rng = np.random.default_rng(seed)

    def act(self, observation: int, *, explore: bool = True) -> int:
        if observation != A:
            return self.agent.act(observation, explore=explore)
        u1, u2 = self.rng.random(2)
        values = self.agent.q_table[A, :2].tolist()  # left, right
        return epsilon_greedy(values, EPSILON if explore else 0.0, u1, u2)

    def update(self, transition) -> None:
        self.agent.update(transition)


def left_fraction(agent: str, runs: int = RUNS, episodes: int = EPISODES) -> np.ndarray:
    """The fraction of runs that went left from A, per episode."""
    env = maximisation_bias_env()
    went_left = np.zeros(episodes)
    for run in range(runs):
        learner = AGENTS[agent].for_env(env, alpha=ALPHA, gamma=GAMMA, epsilon=EPSILON,
                                        seed=run)
        env.reset(seed=run)  # seeds the reward noise; the episodes then continue its stream
        history = train(env, TwoActionsInA(learner, seed=run), episodes, progress=False,
                        record="summary")
        went_left += history.lengths == 2  # left takes two steps (A -> B -> end), right one
    return went_left / runs


def main(out_dir: Path = OUT_DIR) -> dict:
    print(f"Figure 6.5: maximisation bias, {B_ACTIONS} actions in B, alpha {ALPHA}, epsilon "
          f"{EPSILON}, {RUNS} runs x {EPISODES} episodes (the book: 1,000 runs)")
    curves = {name: 100 * left_fraction(name) for name in AGENTS}
    print("% left actions from A        episodes 1-10   peak   episodes 91-110   last 50")
    summary = {}
    for name, curve in curves.items():
        summary[name] = {"first": float(curve[:10].mean()), "peak": float(curve.max()),
                         "around_100": float(curve[90:110].mean()),
                         "last_50": float(curve[-50:].mean())}
        s = summary[name]
        print(f"  {name:<20}        {s['first']:6.1f}    {s['peak']:6.1f}        "
              f"{s['around_100']:6.1f}       {s['last_50']:6.1f}")
    print(f"optimal (exploration only): {100 * OPTIMAL_LEFT:.0f} % (the book's dashed line); "
          "the book: Double Q-learning near it within about 100 episodes, Q-learning far above")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, curve in curves.items():
        ax.plot(np.arange(1, EPISODES + 1), curve, label=name)
    ax.axhline(100 * OPTIMAL_LEFT, color="k", ls="--", lw=1, label="optimal")
    ax.set_ylim(0, 100)
    ax.set_xlabel("Episodes")
    ax.set_ylabel("% left actions from A")
    ax.set_title(f"Maximisation bias, {RUNS} runs")
    ax.legend()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_6_5.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"runs": RUNS, "episodes": EPISODES, "percent_left": summary}


if __name__ == "__main__":
    main()
