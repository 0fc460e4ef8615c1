"""Training benchmarks: env-steps/s of train() and train_many against a hand-written loop.

The task is FrozenLake's 8x8 map, slippery: ours is ``rlsandbox/Maze-v0`` with layout
``"frozen-lake-8x8"``, ``slip=2/3`` and FrozenLake's rewards (1 for the goal, 0 otherwise);
the reference is ``FrozenLake-v1`` 8x8 ``is_slippery=True``. Both time out after 200 steps.
Before timing, the two models are checked to be the same MDP (``P`` state by state, with the
actions mapped), and train_many is checked to equal separate ``train`` runs on two seeds.

- train(): ``train(env, QLearningAgent(seed=0), episodes)`` vs the hand-written loop
  (numpy Q-table, ``np.argmax``, ``rng.random() < epsilon``); target >= 3x env-steps/s.
- train_many: 256 seeds in lock-step vs the same hand-written loop; target >= 50x.
- SARSA: ``train()`` with a SarsaAgent vs with a QLearningAgent; a SARSA step should cost
  about what a Q-learning step does (target >= 0.9x the env-steps/s).

Hyper-parameters on both sides: alpha 0.1, gamma 0.99, epsilon 0.1. The runs are timed
alternately after a warm-up; rows report the median of ``REPEATS`` runs.

Run ``python benchmarks/bench_train.py [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial

import gymnasium
import numpy as np

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox.agents import QLearningAgent, SarsaAgent
from rlsandbox.loop import train
from rlsandbox.loop.lockstep import train_many

try:
    from benchmarks._timing import compare, print_rows
except ImportError:  # run as a script: python benchmarks/bench_train.py
    from _timing import compare, print_rows

__all__ = ["run"]

REPEATS = 5
HYPER = {"alpha": 0.1, "gamma": 0.99, "epsilon": 0.1}
MAZE = {"layout": "frozen-lake-8x8", "slip": 2 / 3, "step_reward": 0.0, "goal_reward": 1.0,
        "trap_reward": 0.0, "max_steps": 200}
# FrozenLake numbers actions left, down, right, up; the maze up, right, down, left.
_FROZEN_LAKE_ACTION = (3, 2, 1, 0)


def _maze():
    return gymnasium.make("rlsandbox/Maze-v0", **MAZE)


def _frozen_lake():
    return gymnasium.make("FrozenLake-v1", map_name="8x8", is_slippery=True,
                          max_episode_steps=200)


def _check_same_mdp() -> None:
    """Our maze and FrozenLake: same next-state distributions, rewards and ends."""
    ours, ref = _maze().unwrapped.P, _frozen_lake().unwrapped.P
    for s in range(64):
        for a in range(4):
            merged: dict = {}
            for p, s2, r, done in ref[s][_FROZEN_LAKE_ACTION[a]]:
                old = merged.get(s2, (0.0, r, done))
                merged[s2] = (old[0] + p, r, done)
            for p, s2, r, done in ours[s][a]:
                ref_p, ref_r, ref_done = merged.pop(s2)
                assert abs(p - ref_p) < 1e-12 and (r, done) == (ref_r, ref_done), (s, a, s2)
            assert not merged or all(p == 0 for p, _, _ in merged.values()), (s, a)


def _check_train_many() -> None:
    env = _maze()
    histories = train_many(env, seeds=[0, 1], episodes=20, **HYPER)
    for s, history in zip([0, 1], histories, strict=True):
        agent = QLearningAgent.for_env(env, seed=s, **HYPER)
        assert history == train(env, agent, 20, seed=s, progress=False), f"seed {s}"


def _hand_written(episodes: int):
    """The reference: a plain Q-learning loop on FrozenLake-v1; returns a run() -> steps."""
    env = _frozen_lake()
    alpha, gamma, epsilon = HYPER["alpha"], HYPER["gamma"], HYPER["epsilon"]

    def run() -> int:
        q = np.zeros((64, 4))
        rng = np.random.default_rng(0)
        steps = 0
        s, _ = env.reset(seed=0)
        for _ in range(episodes):
            done = False
            while not done:
                if rng.random() < epsilon:
                    a = int(rng.integers(4))
                else:
                    a = int(np.argmax(q[s]))
                s2, r, terminated, truncated, _ = env.step(a)
                target = r if terminated else r + gamma * np.max(q[s2])
                q[s, a] += alpha * (target - q[s, a])
                s = s2
                done = terminated or truncated
                steps += 1
            s, _ = env.reset()
        return steps

    return run


def _row(name: str, ours, ours_steps: int, reference, ref_steps: int, target: float,
         repeats: int) -> dict:
    t_ours, t_ref = compare(ours, reference, repeats)
    ours_rate, ref_rate = ours_steps / t_ours, ref_steps / t_ref
    return {"name": name, "ours": ours_rate, "reference": ref_rate,
            "ratio": ours_rate / ref_rate, "target": target, "unit": "env-steps/s"}


def bench_train(episodes: int, repeats: int = REPEATS) -> dict:
    """``train()`` with a QLearningAgent vs the hand-written loop, same episode count."""
    _check_same_mdp()
    env = _maze()

    def ours() -> int:
        agent = QLearningAgent.for_env(env, seed=0, **HYPER)
        return int(train(env, agent, episodes, seed=0, progress=False).lengths.sum())

    reference = _hand_written(episodes)
    return _row("train() Q-learning, FL 8x8 slip", ours, ours(), reference, reference(), 3.0,
                repeats)


def bench_train_many(episodes: int, seeds: int = 256, repeats: int = REPEATS) -> dict:
    """``train_many`` over ``seeds`` seeds vs the hand-written loop (one seed's episodes)."""
    _check_same_mdp()
    _check_train_many()
    env = _maze()

    def ours() -> int:
        histories = train_many(env, seeds=range(seeds), episodes=episodes, record="summary",
                               **HYPER)
        return int(sum(h.lengths.sum() for h in histories))

    reference = _hand_written(episodes)
    return _row(f"train_many N={seeds}, FL 8x8 slip", ours, ours(), reference, reference(),
                50.0, repeats)


def bench_train_sarsa(episodes: int, repeats: int = REPEATS) -> dict:
    """``train()`` with a SarsaAgent vs with a QLearningAgent, same episode count."""
    env = _maze()

    def runner(cls):
        def run_once() -> int:
            agent = cls.for_env(env, seed=0, **HYPER)
            return int(train(env, agent, episodes, seed=0, progress=False).lengths.sum())

        return run_once

    ours, reference = runner(SarsaAgent), runner(QLearningAgent)
    return _row("train() SARSA vs Q-learning, FL 8x8 slip", ours, ours(), reference, reference(),
                0.9, repeats)


def run(quick: bool = False) -> list[dict]:
    """Time the train() and train_many rows; one dict per row.

    Parameters
    ----------
    quick : bool, default False
        Fewer episodes (seconds; checks that it runs, the timings mean little).

    Returns
    -------
    list of dict
        Keys ``name``, ``ours``, ``reference`` (median env-steps/s), ``ratio``
        (ours / reference), ``target`` (minimum ratio) and ``unit``.
    """
    episodes = 200 if quick else 2000
    return [bench_train(episodes), bench_train_many(20 if quick else 100),
            bench_train_sarsa(episodes)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per side")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be positive")
    episodes, many_episodes = (200, 20) if args.quick else (2000, 100)

    return print_rows([partial(bench_train, episodes, repeats=args.repeats),
                       partial(bench_train_many, many_episodes, repeats=args.repeats),
                       partial(bench_train_sarsa, episodes, repeats=args.repeats)])


if __name__ == "__main__":
    sys.exit(main())
