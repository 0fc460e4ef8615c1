"""Figure 8.2: Dyna-Q on the Dyna maze, steps per episode for 0, 5 and 50 planning steps.
======================================================================================

Sutton & Barto (2nd ed.), Example 8.1 and Figure 8.2. A 6 x 9 maze with a few walls, from
S to G; reaching G pays +1, every other step 0, gamma = 0.95; the shortest path takes 14
steps. :class:`~rlsandbox.agents.DynaQAgent` learns with alpha = 0.1, epsilon = 0.1 and
Q = 0 to start, and after every real step replays ``n`` remembered transitions from its
model (n = 0 is plain Q-learning). We plot the number of steps each episode takes,
averaged over runs, from episode 2 on as the book does (the first episode, a random walk
to G, takes about as long whatever n is).

The lesson: the first episode teaches every agent only one useful fact, the value of the
last step into G. Without planning each further episode pushes that knowledge back one
step, so episode 2 still takes hundreds of steps; with 50 planning steps per real step the
agent propagates it along everything it has seen, and episode 2 already nearly follows the
shortest path. The book: about 25 episodes to reach near-optimal behaviour without planning,
about 5 with n = 5, about 3 with n = 50.

Run it (``--show`` opens the figure; the quick mode runs fewer runs)::

    python examples/textbook/figure_8_2.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/textbook/figure_8_2.py

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import textbook, train
from rlsandbox.agents import DynaQAgent

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

# The book's settings; the issue asked for 10 runs, the count of the most-used public
# reproduction, which this script is timed against.
RUNS = 5 if QUICK else 10
EPISODES = 50
PLANNING_STEPS = (0, 5, 50)
ALPHA, EPSILON, GAMMA = 0.1, 0.1, 0.95
SHORTEST_PATH = 14
#: The book's text: episodes until (epsilon-)optimal behaviour, per n.
BOOK_EPISODES_TO_OPTIMAL = {0: 25, 5: 5, 50: 3}
NEAR_OPTIMAL = 20  # steps: an episode this short or shorter counts as near-optimal here


def steps_per_episode(planning_steps: int, runs: int = RUNS, episodes: int = EPISODES):
    """Steps of each episode of each run, ``(runs, episodes)``; run r uses seed r."""
    env = textbook.make("dyna-maze")
    steps = np.empty((runs, episodes), dtype=int)
    for run in range(runs):
        agent = DynaQAgent.for_env(env, alpha=ALPHA, gamma=GAMMA, epsilon=EPSILON,
                                   planning_steps=planning_steps, seed=run)
        # The maze is deterministic with a fixed start: the agent's seed makes the run.
        steps[run] = train(env, agent, episodes, progress=False, record="summary").lengths
    return steps


def episodes_to_near_optimal(curve: np.ndarray) -> int:
    """The first episode from which the averaged curve stays at or below NEAR_OPTIMAL."""
    above = np.flatnonzero(curve > NEAR_OPTIMAL)
    return int(above[-1]) + 2 if len(above) else 1  # episodes are numbered from 1


def main(out_dir: Path = OUT_DIR) -> dict:
    print(f"Figure 8.2: Dyna maze, Dyna-Q, alpha {ALPHA}, epsilon {EPSILON}, gamma {GAMMA}, "
          f"{RUNS} runs x {EPISODES} episodes per n")
    curves, seconds = {}, {}
    for n in PLANNING_STEPS:
        t0 = time.perf_counter()
        curves[n] = steps_per_episode(n).mean(axis=0)
        seconds[n] = time.perf_counter() - t0
    print("steps per episode, mean of runs   ep 1    ep 2    ep 3   ep 5  ep 50   "
          f"near-optimal (<= {NEAR_OPTIMAL} steps) from   book")
    reached = {}
    for n, curve in curves.items():
        reached[n] = episodes_to_near_optimal(curve)
        print(f"  n = {n:<2}                        {curve[0]:6.0f} {curve[1]:7.1f} "
              f"{curve[2]:7.1f} {curve[4]:6.1f} {curve[-1]:6.1f}   episode {reached[n]:<3}"
              f"                         about {BOOK_EPISODES_TO_OPTIMAL[n]}")
    print(f"shortest path: {SHORTEST_PATH} steps; the book: without planning episode 2 takes "
          "hundreds of steps, with n = 50 it is near the shortest path")
    print("time: " + ", ".join(f"n={n} {s:.1f} s" for n, s in seconds.items()))

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for n, curve in curves.items():
        ax.plot(np.arange(2, EPISODES + 1), curve[1:], label=f"{n} planning steps")
    ax.axhline(SHORTEST_PATH, color="k", ls=":", lw=1, label="shortest path (14)")
    ax.set_ylim(0, 800)
    ax.set_xlabel("Episodes")
    ax.set_ylabel("Steps per episode")
    ax.set_title(f"Dyna maze, {RUNS} runs")
    ax.legend()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_8_2.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"runs": RUNS, "episodes": EPISODES,
            "steps": {n: curve.tolist() for n, curve in curves.items()},
            "near_optimal_from": reached, "seconds": seconds}


if __name__ == "__main__":
    main()
