"""Figure 6.3: SARSA in the windy gridworld, episodes completed against time steps.
================================================================================

Sutton & Barto (2nd ed.), Example 6.5 (the windy gridworld; Figure 6.3 in the issue that
asked for these scripts). A 7 x 10 grid from S to G, -1 a step, gamma = 1, with an upward
wind in the middle columns that pushes the agent one or two rows up after each move.
:class:`~rlsandbox.agents.SarsaAgent` learns with epsilon = 0.1, alpha = 0.5 and
Q = 0 to start, as in the book; we plot the number of episodes completed against the
number of time steps taken, and average the count over several runs.

The lesson: the first episode takes about a thousand steps (a random walk against the wind),
then the slope rises as the goal is found faster and faster: the book counts about 170
episodes in 8000 steps. A Monte Carlo method would be stuck here: an episode that never
reaches the goal never ends, so it never learns; SARSA learns within the episode that its
policy is bad and switches. One more lesson the printout shows: Q starts at 0 and every true
value is negative, so an action tried only once or twice still looks better than the
well-tried ones; the greedy policy of a run that stopped at 8000 steps may walk into such
an action and loop, where the book's run had already found the 15-step path. And our
exploring episodes stay longer than the book's "about 17 steps" (about 23 at 8000 steps,
about 20 after a thousand episodes); a plain hand-written SARSA loop on the same grid
gives the same lengths.

Run it (``--show`` opens the figure; the quick mode runs fewer runs)::

    python examples/textbook/figure_6_3.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/textbook/figure_6_3.py

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import run_episode, textbook, train
from rlsandbox.agents import SarsaAgent

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

# The book's settings; the book draws one run, we also average several.
RUNS = 5 if QUICK else 20
TIME_STEPS = 8000
ALPHA, EPSILON, GAMMA = 0.5, 0.1, 1.0
#: The book's numbers: episodes completed in 8000 steps (read off the figure), the
#: greedy path's length, and the average episode length under exploration (its text).
BOOK = {"episodes": 170, "greedy_steps": 15, "exploring_steps": 17}


def episodes_against_steps(runs: int = RUNS, steps: int = TIME_STEPS) -> dict:
    """For each run (seed = run), the time steps at which each episode ended, up to
    ``steps``, the mean length of its last 50 episodes, and its greedy path's length."""
    env = textbook.make("windy-gridworld")
    greedy_env = textbook.make("windy-gridworld", max_steps=200)  # a greedy loop would hang
    ends, exploring, greedy = [], [], []
    for run in range(runs):
        agent = SarsaAgent.for_env(env, alpha=ALPHA, gamma=GAMMA, epsilon=EPSILON, seed=run)
        # Train past `steps` time steps: stop at the first episode that ends beyond them.
        history = train(env, agent, steps, progress=False, record="summary",
                        callbacks=[lambda h, _: int(h.lengths.sum()) <= steps])
        finished = np.cumsum(history.lengths)
        ends.append(finished[finished <= steps])
        done = len(ends[-1])
        exploring.append(history.lengths[max(0, done - 50):done].mean())
        path = run_episode(greedy_env, agent, learn=False, explore=False)
        greedy.append(path.length if path.terminated else None)
    return {"ends": ends, "exploring_steps": exploring, "greedy_steps": greedy}


def main(out_dir: Path = OUT_DIR) -> dict:
    result = episodes_against_steps()
    counts = np.array([len(e) for e in result["ends"]])
    exploring = float(np.mean(result["exploring_steps"]))
    greedy = result["greedy_steps"]
    print(f"Figure 6.3: windy gridworld, SARSA, alpha {ALPHA}, epsilon {EPSILON}, "
          f"{RUNS} runs of {TIME_STEPS} time steps (the book draws one run)")
    print("                                             ours            book")
    print(f"episodes completed in {TIME_STEPS} steps               {counts.mean():6.1f} "
          f"(runs {counts.min()}..{counts.max()})   about {BOOK['episodes']}")
    print(f"mean length of the last 50 episodes (exploring)  {exploring:6.1f}"
          f"                about {BOOK['exploring_steps']}")
    reached = sorted(n for n in greedy if n is not None)
    print(f"greedy path after {TIME_STEPS} steps (no exploration): {BOOK['greedy_steps']} steps "
          f"in {reached.count(BOOK['greedy_steps'])} of {RUNS} runs, "
          f"{reached[-1] if reached else '-'} at most in {len(reached)} runs reaching G, "
          f"a loop in {RUNS - len(reached)} (the book's run: {BOOK['greedy_steps']}, optimal)")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for run, ends in enumerate(result["ends"]):
        ax.plot(ends, np.arange(1, len(ends) + 1), color="C0" if run == 0 else "0.8",
                lw=2 if run == 0 else 0.8, zorder=2 if run == 0 else 1,
                label="run 0" if run == 0 else ("other runs" if run == 1 else None))
    t = np.arange(TIME_STEPS + 1)
    mean = np.mean([np.searchsorted(ends, t, side="right") for ends in result["ends"]], axis=0)
    ax.plot(t, mean, color="k", lw=1.5, label=f"mean of {RUNS} runs")
    ax.set_xlim(0, TIME_STEPS)
    ax.set_xlabel("Time steps")
    ax.set_ylabel("Episodes")
    ax.set_title("Windy gridworld, SARSA (epsilon 0.1, alpha 0.5)")
    ax.legend()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_6_3.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"runs": RUNS, "episodes_in_8000_steps": counts.tolist(),
            "exploring_steps": exploring, "greedy_steps": greedy}


if __name__ == "__main__":
    main()
