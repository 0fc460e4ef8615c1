"""
The robot in a maze learns its way out (Q-learning)
===================================================

Lesson: *Agent, Environment, Reward* -- its robot that must find the exit of a maze (+10).

Every step costs -0.1 and the exit pays +10 (the tutorial's "Exit मिलने पर +10"). The robot
knows nothing about the maze: it acts epsilon-greedily on its Q-table and after each step
moves Q[s, a] towards the one-step target

    Q[s, a] += alpha * (r + gamma * max_a' Q[s', a'] - Q[s, a])      (no bootstrap at the exit)

After training it walks the greedy path (no exploration) and we draw what it learned:
the learning curve, the value max_a Q[s, a] of every cell with the greedy arrows, and the path.

Run it (``--show`` opens the figures; the quick mode runs fewer episodes)::

    python examples/maze_q_learning.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/maze_q_learning.py

The figures are saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0 with Gymnasium)
from rlsandbox import evaluate, train
from rlsandbox.agents import QLearningAgent
from rlsandbox.plots import plot_learning_curve, plot_trajectory, plot_values

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

# Hyperparameters, all in one place.
LAYOUT = "classic"
EPISODES = 150 if QUICK else 500
ALPHA = 0.5  # learning rate: the maze is deterministic, so large steps are safe
GAMMA = 0.95  # discount factor
EPSILON = 0.1  # exploration rate
SEED = 0


def main() -> dict:
    env = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT)
    maze = env.unwrapped
    print(maze.layout_text)  # S start, G exit, # wall

    agent = QLearningAgent.for_env(env, alpha=ALPHA, gamma=GAMMA, epsilon=EPSILON, seed=SEED)
    history = train(env, agent, EPISODES, seed=SEED, progress=False)
    first, last = history.returns[:20].mean(), history.returns[-20:].mean()
    print(f"Q-learning, {EPISODES} episodes: mean return {first:.2f} (first 20) -> "
          f"{last:.2f} (last 20)")

    # The greedy policy: no exploration, no learning.
    greedy = evaluate(env, agent, 1, seed=SEED)[0]
    print(f"greedy path: {greedy.length} steps, return {greedy.total_reward:.2f}, "
          f"reached the exit: {greedy.success}")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    q = agent.q_table
    figures = {
        "maze_q_learning_curve.png": plot_learning_curve(history),
        "maze_q_learning_values.png": plot_values(env, q.max(axis=1), q.argmax(axis=1)),
        "maze_q_learning_path.png": plot_trajectory(env, greedy),
    }
    for name, fig in figures.items():
        fig.savefig(OUT_DIR / name, dpi=100, bbox_inches="tight")
    print(f"figures saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"success": bool(greedy.success), "steps": greedy.length,
            "greedy_return": greedy.total_reward, "last_20_mean_return": float(last)}


if __name__ == "__main__":
    main()
