"""Environment benchmarks: steps/s of our envs against Gymnasium's, both through gymnasium.make.

- maze, slip 0: ``rlsandbox/Maze-v0`` (layout ``frozen-lake-8x8``) vs ``FrozenLake-v1`` 8x8,
  not slippery; target >= 10x.
- maze, slip 2/3: the same with ``slip=2/3`` vs slippery ``FrozenLake-v1`` 8x8; target >= 8x.
- CartPole: ``rlsandbox/CartPole-v0`` vs ``CartPole-v1``; target >= 4x.

Each side steps through the same pre-drawn random actions (the maze's actions are mapped to
FrozenLake's numbering), resetting whenever an episode ends; both sides run in this process,
warmed up, alternately, and the row reports the median of ``REPEATS`` runs. Before timing,
each deterministic pair is checked to produce the same observations. Our maze gets
``max_steps=100``, FrozenLake-v1's time limit, so both sides play the same episodes.

Run ``python benchmarks/bench_envs.py [--steps N] [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from functools import partial

import gymnasium
import numpy as np

import rlsandbox  # noqa: F401  (registers the envs)

try:
    from benchmarks._timing import compare, print_rows
except ImportError:  # run as a script: python benchmarks/bench_envs.py
    from _timing import compare, print_rows

__all__ = ["run"]

REPEATS = 5
STEPS = 200_000
QUICK_STEPS = 10_000

# FrozenLake numbers actions left, down, right, up; the maze up, right, down, left.
_FROZEN_LAKE_ACTION = (3, 2, 1, 0)


def _stepper(env: gymnasium.Env, actions: list[int], seed: int) -> Callable[[], None]:
    """A function that plays ``actions`` in ``env``, resetting when an episode ends."""

    def play() -> None:
        step, reset = env.step, env.reset
        reset(seed=seed)
        for action in actions:
            _, _, terminated, truncated, _ = step(action)
            if terminated or truncated:
                reset()

    return play


def _observations(env: gymnasium.Env, actions: Sequence[int], seed: int) -> list:
    obs, _ = env.reset(seed=seed)
    seen = [obs]
    for action in actions:
        obs, _, terminated, truncated, _ = env.step(action)
        seen.append(obs)
        if terminated or truncated:
            obs, _ = env.reset()
            seen.append(obs)
    return seen


def _row(
    name: str,
    ours: gymnasium.Env,
    reference: gymnasium.Env,
    actions: list[int],
    reference_actions: list[int],
    target: float,
    repeats: int,
) -> dict:
    t_ours, t_ref = compare(
        _stepper(ours, actions, seed=0), _stepper(reference, reference_actions, seed=0), repeats
    )
    ours_rate, ref_rate = len(actions) / t_ours, len(actions) / t_ref
    return {
        "name": name,
        "ours": ours_rate,
        "reference": ref_rate,
        "ratio": ours_rate / ref_rate,
        "target": target,
        "unit": "steps/s",
    }


def _maze_actions(steps: int) -> tuple[list[int], list[int]]:
    actions = np.random.default_rng(0).integers(0, 4, size=steps).tolist()
    return actions, [_FROZEN_LAKE_ACTION[a] for a in actions]


def bench_maze(steps: int, repeats: int = REPEATS) -> dict:
    """Deterministic maze on FrozenLake's 8x8 map vs FrozenLake-v1 8x8, not slippery."""
    ours = gymnasium.make("rlsandbox/Maze-v0", layout="frozen-lake-8x8", slip=0.0, max_steps=100)
    ref = gymnasium.make("FrozenLake-v1", map_name="8x8", is_slippery=False)
    actions, ref_actions = _maze_actions(steps)
    check = min(steps, 2_000)
    ours_obs = _observations(ours, actions[:check], seed=0)
    ref_obs = _observations(ref, ref_actions[:check], seed=0)
    assert ours_obs == ref_obs, "maze and FrozenLake disagree on the same actions"
    return _row("maze 8x8 steps/s, slip 0", ours, ref, actions, ref_actions, 10.0, repeats)


def bench_slippery_maze(steps: int, repeats: int = REPEATS) -> dict:
    """Maze with slip 2/3 (FrozenLake's slipperiness) vs FrozenLake-v1 8x8, slippery."""
    ours = gymnasium.make("rlsandbox/Maze-v0", layout="frozen-lake-8x8", slip=2 / 3, max_steps=100)
    ref = gymnasium.make("FrozenLake-v1", map_name="8x8", is_slippery=True)
    actions, ref_actions = _maze_actions(steps)
    return _row("maze 8x8 steps/s, slip 2/3", ours, ref, actions, ref_actions, 8.0, repeats)


def bench_cartpole(steps: int, repeats: int = REPEATS) -> dict:
    """Our CartPole (self-truncating, no TimeLimit) vs CartPole-v1."""
    ours = gymnasium.make("rlsandbox/CartPole-v0")
    ref = gymnasium.make("CartPole-v1")
    actions = np.random.default_rng(0).integers(0, 2, size=steps).tolist()
    check = min(steps, 2_000)
    ours_obs = _observations(ours, actions[:check], seed=0)
    ref_obs = _observations(ref, actions[:check], seed=0)
    assert np.array_equal(np.array(ours_obs), np.array(ref_obs)), "CartPoles disagree"
    return _row("CartPole steps/s", ours, ref, actions, actions, 4.0, repeats)


BENCHMARKS = (bench_maze, bench_slippery_maze, bench_cartpole)


def run(quick: bool = False) -> list[dict]:
    """Time every environment benchmark; one dict per row.

    Parameters
    ----------
    quick : bool, default False
        10^4 steps per run instead of 2·10^5 (seconds; checks that it runs, the
        timings mean little).

    Returns
    -------
    list of dict
        Keys ``name``, ``ours``, ``reference`` (median steps/s), ``ratio``
        (ours / reference, a speed-up), ``target`` (minimum ratio) and ``unit``.
    """
    steps = QUICK_STEPS if quick else STEPS
    return [bench(steps) for bench in BENCHMARKS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS, help="steps per timed run")
    parser.add_argument("--quick", action="store_true", help=f"--steps {QUICK_STEPS}")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per side")
    args = parser.parse_args(argv)
    if args.steps < 1 or args.repeats < 1:
        parser.error("--steps and --repeats must be positive")
    steps = QUICK_STEPS if args.quick else args.steps

    return print_rows(partial(bench, steps, args.repeats) for bench in BENCHMARKS)


if __name__ == "__main__":
    sys.exit(main())
