"""
Returns and discounting: the return, the discount factor and the horizon
========================================================================

Lesson: *Agent, Environment, Reward* -- its "Return" and "Discount Factor".

The tutorial: the agent maximises the return, the discounted sum of its future rewards,

    G_t = r_t + gamma r_{t+1} + gamma^2 r_{t+2} + ... = sum_k gamma^k r_{t+k},   0 <= gamma <= 1,

and gamma "controls the importance of future rewards". Here with numbers:

1. the robot finds the exit (+10) on its fourth step: rewards [0, 0, 0, 10], gamma 0.9, so
   G_0 = 0.9^3 * 10 = 7.29 -- and G_t for every t (returns_to_go);
2. the effective horizon 1 / (1 - gamma): roughly how many steps ahead the robot "sees";
3. gamma decides how patient the robot is: a near small exit against a far big one;
4. a real maze episode: its rewards and G_t along the way (Episode.discounted_return).

Run it (``--show`` opens the figure; the quick mode runs fewer episodes)::

    python examples/returns_and_discounting.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/returns_and_discounting.py

The figures are saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt
import numpy as np

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0 with Gymnasium)
from rlsandbox import run_episode
from rlsandbox.agents import ValueIterationAgent
from rlsandbox.returns import discount_weights, discounted_return, effective_horizon, returns_to_go

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")  # (all of it is fast)
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

REWARDS = [0, 0, 0, 10]  # the robot reaches the exit (+10) on its fourth step
GAMMA = 0.9
GAMMAS = [0.0, 0.5, 0.9, 0.99, 1.0]


def main() -> dict:
    # 1. The tutorial's return, by hand and with rlsandbox.returns.
    by_hand = sum(GAMMA**t * r for t, r in enumerate(REWARDS))
    g0 = discounted_return(REWARDS, GAMMA)
    g = returns_to_go(REWARDS, GAMMA)
    print(f"rewards {REWARDS}, gamma {GAMMA}")
    print(f"G_0 = 0.9^3 * 10 = {by_hand:.2f} (by hand) = {g0:.2f} (discounted_return)")
    print(f"G_t for t = 0..3: {np.round(g, 4).tolist()}  (each step nearer is worth 1/0.9 more)")
    costly = discounted_return([-0.1, -0.1, -0.1, 10], GAMMA)
    print(f"with the maze's -0.1 per step: [-0.1, -0.1, -0.1, 10] -> G_0 = {costly:.3f}")

    # 2. How far ahead does the robot look?
    print("\n gamma   horizon 1/(1-gamma)   weight of step 10   value now of +10 at step 3")
    for gamma in GAMMAS:
        w10 = discount_weights(gamma, 11)[10]
        print(f" {gamma:5.2f}   {effective_horizon(gamma):19.1f}   {w10:17.4f}"
              f"   {discounted_return(REWARDS, gamma):26.2f}")

    # 3. Patience: exit A pays +10 after 5 steps, exit B pays +30 after 25 steps.
    print("\n gamma   near exit (+10, 5 steps)   far exit (+30, 25 steps)   choice")
    for gamma in (0.9, 0.95, 0.99):
        near = discounted_return([0] * 4 + [10], gamma)
        far = discounted_return([0] * 24 + [30], gamma)
        print(f" {gamma:5.2f}   {near:24.2f}   {far:24.2f}   {'near' if near > far else 'far'}")

    # 4. A real episode: the planner's way out of the classic maze.
    env = gymnasium.make("rlsandbox/Maze-v0", layout="classic")
    episode = run_episode(env, ValueIterationAgent(env, gamma=GAMMA), learn=False, explore=False)
    g_maze = returns_to_go(episode.rewards, GAMMA)
    print(f"\nclassic maze, planner's way out: {episode.length} steps, total reward "
          f"{episode.total_reward:.2f}, discounted return G_0 = "
          f"{episode.discounted_return(GAMMA):.4f}")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    steps = np.arange(40)
    for gamma in (0.5, 0.8, 0.9, 0.95):
        line, = left.plot(steps, discount_weights(gamma, len(steps)), label=f"gamma {gamma}")
        left.axvline(effective_horizon(gamma), color=line.get_color(), ls=":", lw=1)
    left.set(xlabel="steps ahead k", ylabel="weight gamma^k",
             title="Discount weights (dotted: horizon 1/(1 - gamma))")
    left.legend()
    t = np.arange(episode.length)
    right.bar(t, episode.rewards, color="#bbbbbb", label="reward r_t")
    right.plot(t, g_maze, "o-", color="#0072B2", ms=3, label=f"return G_t (gamma {GAMMA})")
    right.set(xlabel="step t", ylabel="reward / return", title="Classic maze: G_t on the way out")
    right.legend()
    for ax in (left, right):
        ax.grid(alpha=0.3)
    fig.savefig(OUT_DIR / "returns_and_discounting.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"G0": float(g0), "returns_to_go": g.tolist(), "costly_G0": float(costly),
            "horizons": {gamma: effective_horizon(gamma) for gamma in GAMMAS},
            "maze_G0": episode.discounted_return(GAMMA), "maze_steps": episode.length}


if __name__ == "__main__":
    main()
