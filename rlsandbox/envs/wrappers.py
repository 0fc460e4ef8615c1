"""Observation wrappers: :class:`DiscretizeObservation` turns a Box observation into a state id."""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

__all__ = ["CARTPOLE_BOUNDS", "DiscretizeObservation"]

#: Clip bounds ``(low, high)`` per CartPole observation dimension, used where the observation
#: space has no finite bound: cart velocity ±3 m/s and pole angular velocity ±3.5 rad/s.
#: Position and angle use the space's own bounds, ±4.8 (2·2.4) and ±0.4189 rad (24°, 2·12°).
CARTPOLE_BOUNDS = ((-4.8, -3.0, -0.419, -3.5), (4.8, 3.0, 0.419, 3.5))

# Bounds at least this large count as unbounded: our CartPole bounds its velocities by
# ±float32 max (3.4e38) rather than ±inf, and bins of that width would be useless.
_UNBOUNDED = 1e30


class DiscretizeObservation(gymnasium.ObservationWrapper):
    """Turn a ``Box`` observation into a ``Discrete`` state id by binning each dimension.

    Each observation is clipped to ``[low, high]`` and each dimension ``i`` is cut into
    ``bins[i]`` equal-width bins: bin ``k`` is ``[edges[k], edges[k + 1])`` with
    ``edges[k] = low + (high - low) * k / bins`` (the last bin also holds ``high``). The bin
    indices are combined row-major, first dimension most significant, like
    ``np.ravel_multi_index(indices, bins)``; the observation space is ``Discrete(prod(bins))``
    and observations are Python ints. ``bin_edges[i]`` holds the edges of dimension ``i``
    (``bins[i] + 1`` floats from ``low[i]`` to ``high[i]``); the index always agrees with them.

    Parameters
    ----------
    env : gymnasium.Env
        An environment with a ``Box`` observation space (any shape; flattened in C order).
    bins : int or sequence of int
        The number of bins, one int for every dimension or one per dimension.
    low, high : float or sequence of float, optional
        Clip bounds, a number for every dimension or one per dimension. By default the
        observation space's bounds where they are finite (a bound with ``|b| >= 1e30``
        counts as infinite), else a per-environment default. For CartPole (Gymnasium's or
        ours, recognised by the class name or spec id) the defaults are ±3 m/s for the cart
        velocity and ±3.5 rad/s for the pole angular velocity, while position and angle use
        the space's ±4.8 and ±0.4189 rad (24°); see ``CARTPOLE_BOUNDS``. An unbounded
        dimension without a default raises ValueError.

    Examples
    --------
    >>> import gymnasium, rlsandbox
    >>> env = DiscretizeObservation(gymnasium.make("rlsandbox/CartPole-v0"), bins=(1, 1, 6, 3))
    >>> env.observation_space
    Discrete(18)
    >>> obs, info = env.reset(seed=0)
    >>> isinstance(obs, int)
    True
    """

    def __init__(
        self,
        env: gymnasium.Env,
        bins: int | Sequence[int],
        *,
        low: float | Sequence[float] | None = None,
        high: float | Sequence[float] | None = None,
    ) -> None:
        super().__init__(env)
        space = env.observation_space
        if not isinstance(space, spaces.Box):
            raise ValueError(
                f"DiscretizeObservation needs a Box observation space, got {space}; wrap an "
                "environment whose observations are arrays of numbers"
            )
        n_dims = int(np.prod(space.shape))
        self._bins = _check_bins(bins, n_dims)
        defaults = _env_defaults(env, n_dims)
        lows = _bounds("low", low, space.low.ravel().tolist(), defaults and defaults[0], n_dims)
        highs = _bounds("high", high, space.high.ravel().tolist(), defaults and defaults[1], n_dims)
        for i, (lo, hi) in enumerate(zip(lows, highs, strict=True)):
            if not lo < hi:
                raise ValueError(
                    f"dimension {i}: low ({lo}) must be below high ({hi}); pass low=/high= "
                    "with low < high for every dimension"
                )
        self.low = tuple(lows)
        self.high = tuple(highs)
        self.bins = tuple(self._bins)
        self.bin_edges = tuple(
            np.array([lo + (hi - lo) * k / n for k in range(n + 1)])
            for lo, hi, n in zip(lows, highs, self._bins, strict=True)
        )
        # Everything observation() needs per dimension, as Python numbers.
        self._dims = tuple(
            (lo, hi, n, n / (hi - lo), edges.tolist())
            for lo, hi, n, edges in zip(lows, highs, self._bins, self.bin_edges, strict=True)
        )
        self._flatten = len(space.shape) != 1
        self.observation_space = spaces.Discrete(math.prod(self._bins))

    def observation(self, observation: np.ndarray) -> int:
        """The state id of ``observation`` (plain Python arithmetic on ``tolist()``)."""
        values = (observation.ravel() if self._flatten else observation).tolist()
        index = 0
        for v, (lo, hi, n, scale, edges) in zip(values, self._dims, strict=True):
            if v <= lo:
                b = 0
            elif v >= hi:
                b = n - 1
            else:
                b = int((v - lo) * scale)
                # (v - lo) * scale can round across an edge: move at most one bin so that
                # edges[b] <= v < edges[b + 1] holds exactly.
                if b >= n:
                    b = n - 1
                if v < edges[b]:
                    b -= 1
                elif v >= edges[b + 1]:
                    b += 1
            index = index * n + b
        return index


def _check_bins(bins: Any, n_dims: int) -> list[int]:
    if _is_int(bins):
        bins = [bins] * n_dims
    elif isinstance(bins, (Sequence, np.ndarray)) and all(_is_int(b) for b in bins):
        bins = list(bins)
        if len(bins) != n_dims:
            raise ValueError(
                f"bins has {len(bins)} entries but observations have {n_dims} dimensions; "
                "pass one int per dimension, or a single int for all"
            )
    else:
        raise ValueError(
            f"bins must be a positive int or a sequence of positive ints, got {bins!r}"
        )
    for i, b in enumerate(bins):
        if b <= 0:
            raise ValueError(f"bins[{i}] must be a positive int, got {b!r}")
    return [int(b) for b in bins]


def _is_int(x: Any) -> bool:
    return isinstance(x, Integral) and not isinstance(x, (bool, np.bool_))


def _env_defaults(env: gymnasium.Env, n_dims: int) -> tuple | None:
    """Per-environment default bounds ``(low, high)``, or None if the env is not known."""
    spec = getattr(env, "spec", None)
    spec_id = spec.id if spec is not None else ""
    if n_dims == 4 and (type(env.unwrapped).__name__ == "CartPoleEnv" or "CartPole" in spec_id):
        return CARTPOLE_BOUNDS
    return None


def _bounds(
    name: str,
    given: Any,
    space_bounds: list[float],
    defaults: Sequence[float] | None,
    n_dims: int,
) -> list[float]:
    """The ``low`` or ``high`` bounds: as given, else the space's if finite, else defaults."""
    if given is not None:
        values = [given] * n_dims if isinstance(given, Real) else list(given)
        if len(values) != n_dims:
            raise ValueError(
                f"{name} has {len(values)} entries but observations have {n_dims} dimensions; "
                "pass one number per dimension, or a single number for all"
            )
        for i, v in enumerate(values):
            if not isinstance(v, Real) or not math.isfinite(v) or abs(v) >= _UNBOUNDED:
                raise ValueError(f"{name}[{i}] must be a finite number, got {v!r}")
        return [float(v) for v in values]
    values = []
    for i, b in enumerate(space_bounds):
        if math.isfinite(b) and abs(b) < _UNBOUNDED:
            values.append(float(b))
        elif defaults is not None:
            values.append(float(defaults[i]))
        else:
            raise ValueError(
                f"dimension {i} of the observation space is unbounded ({name} = {b}) and "
                f"there is no default for this environment; pass {name}= (e.g. "
                f"{name}=[...] with one finite number per dimension)"
            )
    return values
