"""Schedules: hyperparameters that change with the agent's step count.

A schedule is a callable ``schedule(step) -> float``. Pass one wherever ``epsilon`` or
``alpha`` is accepted. The two built here can be saved with an agent; any other callable
works for training but cannot be saved.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["Schedule", "exponential_decay", "linear_decay"]


class Schedule:
    """Base class of the saveable schedules."""

    kind = ""

    def __call__(self, step: int) -> float:
        raise NotImplementedError

    def to_config(self) -> dict[str, Any]:
        return {"kind": self.kind, **vars(self)}

    @staticmethod
    def from_config(config: dict[str, Any]) -> Schedule:
        config = dict(config)
        kind = config.pop("kind", None)
        cls = {"linear": LinearDecay, "exponential": ExponentialDecay}.get(kind)
        if cls is None:
            raise ValueError(f"unknown schedule kind {kind!r} in agent file")
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)


class LinearDecay(Schedule):
    """``start`` falling linearly to ``end`` over ``steps`` steps, then ``end``."""

    kind = "linear"

    def __init__(self, start: float, end: float, steps: int) -> None:
        _check_unit("start", start)
        _check_unit("end", end)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps <= 0:
            raise ValueError(f"steps must be a positive integer, got {steps!r}")
        self.start, self.end, self.steps = float(start), float(end), steps

    def __call__(self, step: int) -> float:
        if step >= self.steps:
            return self.end
        return self.start + (self.end - self.start) * (step / self.steps)


class ExponentialDecay(Schedule):
    """``end + (start - end) * exp(-rate * step)``: from ``start`` towards ``end``."""

    kind = "exponential"

    def __init__(self, start: float, end: float, rate: float) -> None:
        _check_unit("start", start)
        _check_unit("end", end)
        if not (isinstance(rate, (int, float)) and math.isfinite(rate) and rate > 0):
            raise ValueError(f"rate must be a positive number, got {rate!r}")
        self.start, self.end, self.rate = float(start), float(end), float(rate)

    def __call__(self, step: int) -> float:
        return self.end + (self.start - self.end) * math.exp(-self.rate * step)


def linear_decay(start: float, end: float, steps: int) -> LinearDecay:
    """A schedule from ``start`` to ``end`` in ``steps`` linear steps, then constant.

    Examples
    --------
    >>> eps = linear_decay(1.0, 0.1, 100)
    >>> eps(0), eps(50), eps(1000)
    (1.0, 0.55, 0.1)
    """
    return LinearDecay(start, end, steps)


def exponential_decay(start: float, end: float, rate: float) -> ExponentialDecay:
    """A schedule ``end + (start - end) * exp(-rate * step)``.

    Examples
    --------
    >>> eps = exponential_decay(1.0, 0.0, 0.01)
    >>> round(eps(100), 4)
    0.3679
    """
    return ExponentialDecay(start, end, rate)


def _check_unit(name: str, value: float) -> None:
    if not (isinstance(value, (int, float)) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
