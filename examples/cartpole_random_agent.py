"""
A random agent on CartPole: the tutorial's loop in today's Gymnasium
====================================================================

Lesson: *Agent, Environment, Reward* -- its "Python Code Example (Gym Environment)".

The tutorial's code is for the old ``gym`` API (4-tuple ``step``, ``reset`` returns only the
state)::

    state = env.reset()
    next_state, reward, done, info = env.step(action)

Gymnasium (and rlsandbox) use the 5-tuple API: ``reset`` also returns ``info``, and ``done``
is split in two -- ``terminated`` (the task ended: the pole fell or the cart left the track)
and ``truncated`` (a time limit cut the episode short)::

    obs, info = env.reset(seed=42)
    obs, reward, terminated, truncated, info = env.step(action)

The same code runs on ``rlsandbox/CartPole-v0`` and on Gymnasium's own ``CartPole-v1``; the
physics are the same, so the same seeds give the same episodes (this script checks it).

Run it (``--show`` opens the windows; the quick mode runs fewer episodes)::

    python examples/cartpole_random_agent.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/cartpole_random_agent.py

The figures are saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt
import numpy as np

import rlsandbox  # noqa: F401  (registers rlsandbox/CartPole-v0 with Gymnasium)
from rlsandbox import run_episode
from rlsandbox.agents import RandomAgent
from rlsandbox.plots import plot_trajectory

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

ENV_ID = "rlsandbox/CartPole-v0"
SEED = 42
EPISODES = 20 if QUICK else 200  # random episodes for the return statistics


def tutorial_loop(env_id: str = ENV_ID) -> list[float]:
    """The tutorial's 10-step loop, line by line, in the 5-tuple API."""
    env = gymnasium.make(env_id, render_mode="human" if SHOW else None)
    obs, info = env.reset(seed=SEED)
    env.action_space.seed(SEED)  # the "random" actions are reproducible too
    rewards = []
    for _ in range(10):
        # With render_mode="human" Gymnasium draws every step itself (the old env.render()).
        action = env.action_space.sample()  # random action
        obs, reward, terminated, truncated, info = env.step(action)
        print("Reward:", reward)
        rewards.append(float(reward))
        if terminated or truncated:  # the old `done`
            break
    env.close()
    return rewards


def random_returns(env_id: str, episodes: int) -> np.ndarray:
    """Total reward of ``episodes`` random episodes (reset seeds SEED, SEED + 1, ...)."""
    env = gymnasium.make(env_id)
    env.action_space.seed(SEED)
    returns = []
    for i in range(episodes):
        obs, info = env.reset(seed=SEED + i)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
            total += reward
            done = terminated or truncated
        returns.append(total)
    env.close()
    return np.array(returns)


def main() -> dict:
    print(f"-- the tutorial's loop on {ENV_ID} --")
    rewards = tutorial_loop()

    print(f"\n-- {EPISODES} random episodes, ours and Gymnasium's CartPole-v1 --")
    ours = random_returns(ENV_ID, EPISODES)
    theirs = random_returns("CartPole-v1", EPISODES)
    same = bool(np.array_equal(ours, theirs))
    print(f"mean return of the random agent: {ours.mean():.1f} +- {ours.std():.1f} "
          f"(min {ours.min():.0f}, max {ours.max():.0f}; a perfect agent gets 500)")
    print(f"same returns as gymnasium CartPole-v1 for the same seeds: {same}")

    # The same loop, run by rlsandbox: an Agent object and run_episode give an Episode back.
    env = gymnasium.make(ENV_ID)
    episode = run_episode(env, RandomAgent(env.action_space, seed=SEED), seed=SEED)
    print(f"run_episode: {episode.length} steps, terminated={episode.terminated}, "
          f"truncated={episode.truncated}")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.hist(ours, bins=20, color="#0072B2")
    ax.axvline(ours.mean(), color="k", ls="--", label=f"mean {ours.mean():.1f}")
    ax.set(xlabel="return (steps the pole stayed up)", ylabel="episodes",
           title="CartPole: returns of a random agent")
    ax.legend()
    fig.savefig(OUT_DIR / "cartpole_random_returns.png", dpi=100, bbox_inches="tight")
    fig = plot_trajectory(env, episode)  # cart position, velocity, pole angle, angular velocity
    fig.savefig(OUT_DIR / "cartpole_random_trajectory.png", dpi=100, bbox_inches="tight")
    print(f"figures saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"tutorial_rewards": rewards, "mean_return": float(ours.mean()),
            "same_as_gymnasium": same}


if __name__ == "__main__":
    main()
