"""Vector-env benchmarks: our CartPoleVectorEnv against Gymnasium's, in the same process.

- CartPole, N = 1024 and N = 16384 sub-envs: ``rlsandbox/CartPole-v0`` vs ``CartPole-v1``,
  both built with ``gymnasium.make_vec(..., vectorization_mode="vector_entry_point")``;
  targets >= 1.0x (N = 1024) and >= 1.3x (N = 16384) env-steps/s. Both sides run in one
  process and one thread (pin the process to one core, ``taskset -c 0``, to compare one
  core each side). At N = 16384 both spend more than half of a step in libm's ``sin`` and
  ``cos`` of every pole angle (the same calls, which our bit-equality with ``math.sin`` and
  ``math.cos`` requires): that shared cost bounds the ratio, and a busy machine moves it.
- ``reset(seed=0)`` of our CartPole vector env with N = 16384: target <= 10 ms (its own
  row: ratio = 10 ms / ours). Gymnasium's takes about 0.3 ms: it draws every start state
  from one generator, where each of our sub-envs ``i`` is seeded ``seed + i`` (hashed for all
  sub-envs at once).

Both sides step through the same pre-drawn random actions (episodes end and autoreset all
the time). Before timing, the two are checked to agree: their sub-env 0 plays the same
first episode from the same start state (the start states of later episodes differ, since
Gymnasium draws all sub-envs' starts from one generator and we give each sub-env its own,
which is what makes our sub-env ``i`` equal ``CartPoleEnv`` seeded ``seed + i``). Each side
is reset once, outside the timing, then timed alternately; a row reports the median of
``REPEATS`` runs. The reset row times ``reset(seed=0)`` of an env already reset once (its
arrays allocated), alternately with Gymnasium's.

Run ``python benchmarks/bench_vector.py [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial

import gymnasium
import numpy as np

import rlsandbox  # noqa: F401  (registers the envs)

try:
    from benchmarks._timing import compare, print_rows
except ImportError:  # run as a script: python benchmarks/bench_vector.py
    from _timing import compare, print_rows

__all__ = ["run"]

REPEATS = 5
SIZES = (1024, 16384)
TARGETS = {1024: 1.0, 16384: 1.3}  # minimum speed-up over Gymnasium's vector CartPole
RESET_N = 16384
RESET_BUDGET = 0.010  # seconds
ENV_STEPS = 8_000_000  # env-steps per timed run: steps = ENV_STEPS / N
QUICK_ENV_STEPS = 200_000


def _make(env_id: str, n: int):
    return gymnasium.make_vec(env_id, num_envs=n, vectorization_mode="vector_entry_point")


def _stepper(venv, actions: np.ndarray) -> Callable[[], None]:
    def play() -> None:
        step = venv.step
        for a in actions:
            step(a)

    return play


def _check_same_first_episode(n: int) -> None:
    """Sub-env 0 of both sides: same start (seeded alike) and same first episode."""
    ours, ref = _make("rlsandbox/CartPole-v0", n), _make("CartPole-v1", n)
    obs, _ = ours.reset(seed=0)
    ref_obs, _ = ref.reset(seed=0)
    # Gymnasium draws the (4, n) starts from one generator seeded 0; ours seeds sub-env 0
    # with 0 too, so set Gymnasium's first start to ours before comparing the dynamics.
    ref.unwrapped.state[:, 0] = ours.unwrapped.state[0]
    ref_obs = ref.unwrapped.state.T.astype(np.float32)
    actions = np.random.default_rng(1).integers(0, 2, size=(600, n))
    for t, a in enumerate(actions):
        assert np.array_equal(obs[0], ref_obs[0]), f"sub-env 0 differs at step {t}"
        obs, r, term, trunc, _ = ours.step(a)
        ref_obs, ref_r, ref_term, ref_trunc, _ = ref.step(a)
        assert (r[0], term[0], trunc[0]) == (ref_r[0], ref_term[0], ref_trunc[0])
        if term[0] or trunc[0]:
            assert np.array_equal(obs[0], ref_obs[0]), "last observation differs"
            return
    raise AssertionError("sub-env 0 never ended its episode")


def bench_cartpole(n: int, env_steps: int, repeats: int = REPEATS) -> dict:
    """``rlsandbox/CartPole-v0`` vs ``CartPole-v1`` vector envs with ``n`` sub-envs."""
    _check_same_first_episode(n)
    steps = max(env_steps // n, 10)
    actions = np.random.default_rng(0).integers(0, 2, size=(steps, n))
    ours, ref = _make("rlsandbox/CartPole-v0", n), _make("CartPole-v1", n)
    ours.reset(seed=0)
    ref.reset(seed=0)
    t_ours, t_ref = compare(_stepper(ours, actions), _stepper(ref, actions), repeats)
    work = steps * n
    return {
        "name": f"vector CartPole N={n}",
        "ours": work / t_ours,
        "reference": work / t_ref,
        "ratio": t_ref / t_ours,
        "target": TARGETS.get(n, 1.0),
        "unit": "env-steps/s",
    }


def bench_reset(n: int = RESET_N, repeats: int = REPEATS) -> dict:
    """Seconds of ``reset(seed=0)`` of ``rlsandbox/CartPole-v0`` with ``n`` sub-envs."""
    ours, ref = _make("rlsandbox/CartPole-v0", n), _make("CartPole-v1", n)
    t_ours, _ = compare(lambda: ours.reset(seed=0), lambda: ref.reset(seed=0), repeats)
    return {
        "name": f"vector CartPole reset(seed=0) N={n} <= 10 ms",
        "ours": t_ours,
        "reference": RESET_BUDGET,
        "ratio": RESET_BUDGET / t_ours,
        "target": 1.0,
        "unit": "s",
    }


def run(quick: bool = False) -> list[dict]:
    """Time the vector CartPole rows (stepping at each size, then reset); one dict per row.

    Parameters
    ----------
    quick : bool, default False
        2·10^5 env-steps per timed run instead of 8·10^6 (seconds; checks that it runs,
        the timings mean little).

    Returns
    -------
    list of dict
        Keys ``name``, ``ours``, ``reference`` (median env-steps/s), ``ratio``
        (ours / reference), ``target`` (minimum ratio) and ``unit``.
    """
    env_steps = QUICK_ENV_STEPS if quick else ENV_STEPS
    return [*(bench_cartpole(n, env_steps) for n in SIZES), bench_reset()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per side")
    parser.add_argument("--env-steps", type=int, default=ENV_STEPS, help="per timed run")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.env_steps < 1:
        parser.error("--repeats and --env-steps must be positive")
    env_steps = QUICK_ENV_STEPS if args.quick else args.env_steps

    return print_rows([*(partial(bench_cartpole, n, env_steps, args.repeats) for n in SIZES),
                       partial(bench_reset, RESET_N, args.repeats)])


if __name__ == "__main__":
    sys.exit(main())
