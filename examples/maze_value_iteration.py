"""
Planning instead of learning: value iteration on the maze
=========================================================

Lesson: *Agent, Environment, Reward* -- its "Formal Definition (Markov Decision Process -- MDP)".

The tutorial writes an RL problem as an MDP = (S, A, P, R, gamma). The maze knows its own P
and R (``env.unwrapped.P``, Gymnasium's toy-text format), so we can solve the Bellman
optimality equation directly,

    V*(s) = max_a sum_s' P(s' | s, a) [ R(s, a, s') + gamma V*(s') ],

by sweeping it until the values stop changing (value iteration). No trial and error needed.

Checks done on the way:
  * on the deterministic maze the value of the start has a closed form: the shortest way out
    takes L steps, L - 1 of them cost -0.1 and the last pays +10, so ::

        V*(start) = -0.1 (1 - gamma^(L-1)) / (1 - gamma) + 10 gamma^(L-1);

  * policy iteration finds the same values;
  * on a slippery floor, the average discounted return of many runs approaches V*(start);
  * the random robot's value (policy evaluation of the uniform policy) is far below.

Run it (``--show`` opens the figure; the quick mode runs fewer episodes)::

    python examples/maze_value_iteration.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/maze_value_iteration.py

The figures are saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt
import numpy as np

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0 with Gymnasium)
from rlsandbox import evaluate, run_episode
from rlsandbox.agents import ValueIterationAgent
from rlsandbox.mdp import TabularMDP, policy_evaluation, policy_iteration, value_iteration
from rlsandbox.plots import plot_values

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

LAYOUT = "classic"
GAMMA = 0.95
SLIP = 0.2  # for the slippery variant
RUNS = 200 if QUICK else 2000  # Monte Carlo runs on the slippery floor
SEED = 0


def closed_form_start_value(steps: int, gamma: float, step_reward=-0.1, goal_reward=10.0):
    """Discounted return of a path of ``steps`` moves whose last move enters the exit."""
    return step_reward * (1 - gamma ** (steps - 1)) / (1 - gamma) + goal_reward * gamma ** (
        steps - 1
    )


def main() -> dict:
    # 1. Plan on the deterministic maze.
    env = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT)
    maze = env.unwrapped
    mdp = TabularMDP.from_env(maze, gamma=GAMMA)  # the MDP (S, A, P, R, gamma) as arrays
    plan = value_iteration(mdp)
    start = maze.start_state
    print(f"value iteration: {plan.iterations} sweeps, converged={plan.converged}")
    print(f"V*(start) = {plan.values[start]:.6f}")

    # Follow the plan once: the greedy path is a shortest way out.
    agent = ValueIterationAgent(mdp)
    path = run_episode(env, agent, learn=False, explore=False, seed=SEED)
    closed = closed_form_start_value(path.length, GAMMA)
    print(f"the plan walks out in L = {path.length} steps; closed form "
          f"-0.1 (1 - g^(L-1)) / (1 - g) + 10 g^(L-1) = {closed:.6f}")
    print(f"discounted return of that walk: {path.discounted_return(GAMMA):.6f}")

    same = bool(np.allclose(policy_iteration(mdp).values, plan.values))
    print(f"policy iteration gives the same values: {same}")
    uniform = np.full((mdp.n_states, mdp.n_actions), 1 / mdp.n_actions)
    v_random = policy_evaluation(mdp, uniform)[start]
    print(f"value of the start for the random robot: {v_random:.3f}")

    # 2. A slippery floor (moves go sideways with probability 0.2): plan again, then test.
    slippery = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT, slip=SLIP)
    careful = ValueIterationAgent(slippery, gamma=GAMMA)
    runs = evaluate(slippery, careful, RUNS, seed=SEED)
    mc = np.array([episode.discounted_return(GAMMA) for episode in runs])
    print(f"slip {SLIP}: V*(start) = {careful.values[start]:.3f}; mean discounted return of "
          f"{RUNS} runs = {mc.mean():.3f} +- {mc.std(ddof=1) / np.sqrt(RUNS):.3f} (std. error)")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    plot_values(env, plan.values, plan.policy, ax=axes[0])
    axes[0].set_title(f"V* and policy, dry floor (gamma {GAMMA})")
    plot_values(slippery, careful.values, careful.policy, ax=axes[1])
    axes[1].set_title(f"V* and policy, slip {SLIP}")
    fig.savefig(OUT_DIR / "maze_value_iteration.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"start_value": float(plan.values[start]), "closed_form": float(closed),
            "path_length": path.length, "policy_iteration_agrees": same,
            "random_start_value": float(v_random),
            "slippery_start_value": float(careful.values[start]),
            "slippery_monte_carlo": float(mc.mean()),
            "slippery_monte_carlo_se": float(mc.std(ddof=1) / np.sqrt(RUNS))}


if __name__ == "__main__":
    main()
