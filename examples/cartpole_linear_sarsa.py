"""
CartPole balanced for the full 500 steps (linear SARSA with tile coding)
========================================================================

Lesson: *the CartPole loop* -- the tutorial's cart and pole, now with an agent that learns.

A table cannot hold CartPole's continuous state, so the agent computes its action values as a
linear function of binary features (Sutton & Barto, Sections 9.5.4 and 10.1). A tile coder lays
8 grids ("tilings") of 8 x 8 x 8 x 8 tiles over the box of states where the episode is still
running -- cart position ±2.4 m, cart velocity ±2 m/s, pole angle ±0.21 rad (12°), pole angular
velocity ±2.5 rad/s -- each grid shifted by a fraction of a tile. A state lies in one tile of
each grid, so it has 8 active features, and

    q(s, a) = sum of the 8 weights w[a, i] of the active tiles i,

    w[a, i] += alpha / 8 * (r + gamma * q(s', a') - q(s, a))   for each active tile i of s,

where a' is the epsilon-greedy action the agent will take next (no bootstrap when the pole
falls; the 500-step time limit is not the pole falling, so it bootstraps there).

The recipe: exploration epsilon falls linearly from 0.1 to 0 over the first 600,000 steps and
the step size alpha from 0.5 to 0.01 over 800,000 steps, in 2,000 episodes, with gamma 0.995.
Why: with the agent's defaults (constant epsilon and alpha, gamma 0.99, and the box of
``DiscretizeObservation``, ±4.8 m and ±24°, twice the track and the angle limit) the pole
stays up, but in some episodes the greedy cart drifts slowly off the track. The box above puts
every tile where the episode still runs and resolves the velocities a balancing cart reaches,
gamma 0.995 sees the edge about 200 steps ahead, and the decay lets the policy settle.

Run it (``--show`` opens the figure; the quick mode runs fewer episodes)::

    python examples/cartpole_linear_sarsa.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/cartpole_linear_sarsa.py

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
import time
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt

import rlsandbox  # noqa: F401  (registers rlsandbox/CartPole-v0 with Gymnasium)
from rlsandbox import evaluate, train
from rlsandbox.agents import LinearSarsaAgent, linear_decay
from rlsandbox.plots import plot_learning_curve

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

# The recipe, all in one place.
ENV_ID = "rlsandbox/CartPole-v0"  # 500 steps, then truncation
EPISODES = 2000
AGENT = {
    "tilings": 8,
    "tiles": 8,
    "low": [-2.4, -2.0, -0.21, -2.5],  # x, x', theta, theta': where the pole is still up
    "high": [2.4, 2.0, 0.21, 2.5],
    "gamma": 0.995,  # a horizon of ~200 steps: a slow drift towards the edge is seen in time
}
EPSILON = (0.1, 0.0, 600_000)  # linear_decay(start, end, steps)
ALPHA = (0.5, 0.01, 800_000)
SEED = 0
EVAL_EPISODES = 20


def make_agent(env, seed: int = SEED) -> LinearSarsaAgent:
    """The recipe's agent for ``env``."""
    return LinearSarsaAgent.for_env(env, epsilon=linear_decay(*EPSILON),
                                    alpha=linear_decay(*ALPHA), seed=seed, **AGENT)


def balance_cartpole(env, seed: int = SEED, episodes: int = EPISODES, *, progress=False):
    """Train the recipe's agent on ``env``; return ``(agent, history)``."""
    agent = make_agent(env, seed)
    history = train(env, agent, episodes, seed=seed, progress=progress, record="summary")
    return agent, history


def main() -> dict:
    env = gymnasium.make(ENV_ID)
    episodes = 200 if QUICK else EPISODES
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    agent, history = balance_cartpole(env, SEED, episodes, progress=not QUICK)
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    steps = int(history.lengths.sum())
    print(f"linear SARSA, {episodes} episodes ({steps} steps) in {wall:.1f} s "
          f"({cpu:.1f} s CPU); mean return of the last 100: {history.returns[-100:].mean():.1f}")

    # The greedy policy on fresh start states (seeds other than training's): no exploration,
    # no learning. Success = the 500-step time limit reached with the pole up.
    greedy = evaluate(env, agent, EVAL_EPISODES, seed=SEED + 1)
    success = float(greedy.successes.mean())
    print(f"greedy: success {success:.0%} over {EVAL_EPISODES} episodes, "
          f"mean return {greedy.returns.mean():.1f} (500 = balanced to the time limit)")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    fig = plot_learning_curve(history)
    fig.axes[0].set_title(f"{ENV_ID}: linear SARSA, tile coding (8 tilings of $8^4$ tiles)")
    fig.savefig(OUT_DIR / "cartpole_linear_sarsa_curve.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"success_rate": success, "greedy_mean_return": float(greedy.returns.mean()),
            "train_seconds": wall, "train_cpu_seconds": cpu, "episodes": episodes,
            "steps": steps}


if __name__ == "__main__":
    main()
