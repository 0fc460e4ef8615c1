"""Figure 6.4: SARSA against Q-learning on the cliff: online return per episode.
=============================================================================

Sutton & Barto (2nd ed.), Example 6.6 (cliff walking; Figure 6.4 in the issue that asked
for these scripts). A 4 x 12 grid from S to G along a cliff: every step costs -1, stepping
into the cliff costs -100 and sends the agent back to S; gamma = 1. Both agents act
epsilon-greedily with epsilon = 0.1 and learn with alpha = 0.5:

    SARSA:       Q(S, A) += alpha [R + Q(S', A') - Q(S, A)]          (A' the action it takes)
    Q-learning:  Q(S, A) += alpha [R + max_a Q(S', a) - Q(S, A)]

Each run is ``rlsandbox.train`` with :class:`~rlsandbox.agents.SarsaAgent` or
:class:`~rlsandbox.agents.QLearningAgent`; the curves are the sum of rewards of each
episode, averaged over runs (the book: 50 runs of 500 episodes, as here).

The lesson: Q-learning learns the values of the optimal path along the cliff's edge, but
walking it with epsilon-greedy exploration sometimes falls in, so its online return is
worse than SARSA's, which learns the values of the exploring policy it follows and takes
the longer, safer path. Their greedy paths show it: Q-learning's returns -13, SARSA's less.

Run it (``--show`` opens the figure; the quick mode runs fewer runs)::

    python examples/textbook/figure_6_4.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/textbook/figure_6_4.py

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import run_episode, textbook, train
from rlsandbox.agents import QLearningAgent, SarsaAgent

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

# The book's settings.
RUNS = 10 if QUICK else 50
EPISODES = 500
ALPHA, EPSILON, GAMMA = 0.5, 0.1, 1.0
AGENTS = {"SARSA": SarsaAgent, "Q-learning": QLearningAgent}
#: Read off the book's figure: the averaged online returns settle near these.
BOOK_ONLINE_RETURN = {"SARSA": -25, "Q-learning": -50}
BOOK_OPTIMAL_RETURN = -13  # the path along the cliff's edge


def online_returns(agent: str, runs: int = RUNS, episodes: int = EPISODES):
    """Each run's return per episode ``(runs, episodes)`` and the last run's agent."""
    env = textbook.make("cliff-walking")
    returns = np.empty((runs, episodes))
    for run in range(runs):
        learner = AGENTS[agent].for_env(env, alpha=ALPHA, gamma=GAMMA, epsilon=EPSILON,
                                        seed=run)
        # The cliff has no randomness (fixed start, deterministic moves): the agent's seed
        # makes the run, so the episodes need no seeds of their own.
        history = train(env, learner, episodes, progress=False, record="summary")
        returns[run] = history.returns
    return returns, learner


def main(out_dir: Path = OUT_DIR) -> dict:
    print(f"Figure 6.4: cliff walking, SARSA vs Q-learning, alpha {ALPHA}, epsilon {EPSILON}, "
          f"{RUNS} runs x {EPISODES} episodes (the book: 50 x 500)")
    curves, greedy, seconds = {}, {}, {}
    env = textbook.make("cliff-walking", max_steps=100)  # a greedy loop would never end
    for name in AGENTS:
        t0 = time.perf_counter()
        returns, agent = online_returns(name)
        seconds[name] = time.perf_counter() - t0
        curves[name] = returns.mean(axis=0)
        path = run_episode(env, agent, learn=False, explore=False, seed=0)
        greedy[name] = path.total_reward
    print("mean online return of episodes 100..500      ours     book (read off the figure)")
    mean_late = {}
    for name, curve in curves.items():
        mean_late[name] = float(curve[99:].mean())
        print(f"  {name:<12}                              {mean_late[name]:7.1f}   "
              f"about {BOOK_ONLINE_RETURN[name]}")
    for name in AGENTS:
        print(f"greedy path of the last run's {name} agent: return {greedy[name]:.0f}"
              + (f" (the optimal path: {BOOK_OPTIMAL_RETURN})" if name == "Q-learning" else ""))
    print("time: " + ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items()))

    fig, ax = plt.subplots(figsize=(7, 4.5))
    window = 10  # a moving average makes the two levels easy to read
    for name, curve in curves.items():
        smooth = np.convolve(curve, np.ones(window) / window, mode="valid")
        ax.plot(np.arange(window, EPISODES + 1), smooth, label=name)
    ax.set_ylim(-100, -10)
    ax.set_xlabel("Episodes")
    ax.set_ylabel("Sum of rewards during episode")
    ax.set_title(f"Cliff walking, {RUNS} runs, moving average of {window} episodes")
    ax.legend()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_6_4.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"runs": RUNS, "episodes": EPISODES, "mean_online_return": mean_late,
            "greedy_return": greedy, "seconds": seconds}


if __name__ == "__main__":
    main()
