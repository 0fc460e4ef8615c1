"""The ε-greedy rule that every value-based agent shares, with random tie-breaking.

One rule, one place: :class:`~rlsandbox.agents.QLearningAgent`, the SARSA family, Dyna-Q,
the linear agents and the lock-step trainer :func:`rlsandbox.loop.train_many` all choose
actions exactly this way, so an agent and its vectorised twin stay bit for bit identical.

Each decision consumes exactly two uniforms ``u1, u2`` in ``[0, 1)``, whatever it decides:
explore when ``u1 < epsilon`` and take action ``int(u2 * n)``; otherwise take a greedy action,
and where several actions tie for the best value, ``u2`` picks among them (the ``k``-th tied
action in index order, ``k = int(u2 * ties)``). A fixed use of random numbers per step keeps
many seeds in lock-step and makes a run's randomness independent of the values it learns.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["epsilon_greedy", "epsilon_greedy_probs", "expected_value", "greedy"]


def greedy(row: Sequence[float], u: float) -> int:
    """The index of the largest value in ``row``; ties broken by the uniform ``u``.

    Parameters
    ----------
    row : list of float
        Action values (a Python list on the hot path: ``max`` and ``count`` on a list cost
        less than any numpy call on a few elements).
    u : float
        A uniform in ``[0, 1)``.

    Examples
    --------
    >>> greedy([0.0, 2.0, 1.0], 0.9)
    1
    >>> greedy([2.0, 0.0, 2.0], 0.2), greedy([2.0, 0.0, 2.0], 0.7)
    (0, 2)
    """
    best = max(row)
    tied = row.count(best)
    if tied == 1:
        return row.index(best)
    if tied == len(row):  # all tied (an unvisited state): the ties are 0 .. n-1
        return int(u * tied)
    return [a for a, q in enumerate(row) if q == best][int(u * tied)]


def epsilon_greedy(row: Sequence[float], epsilon: float, u1: float, u2: float) -> int:
    """ε-greedy choice over ``row``: explore when ``u1 < epsilon``, else :func:`greedy`.

    Parameters
    ----------
    row : list of float
        Action values.
    epsilon : float
        Exploration rate in ``[0, 1]`` (``0`` for a greedy choice that still uses ``u2``
        to break ties).
    u1, u2 : float
        Two uniforms in ``[0, 1)``: ``u1`` decides whether to explore, ``u2`` picks the
        random action or breaks the tie.

    Examples
    --------
    >>> epsilon_greedy([0.0, 5.0, 1.0, 0.0], 0.1, u1=0.05, u2=0.8)   # explores: int(0.8 * 4)
    3
    >>> epsilon_greedy([0.0, 5.0, 1.0, 0.0], 0.1, u1=0.50, u2=0.8)   # greedy
    1
    """
    if u1 < epsilon:
        return int(u2 * len(row))
    return greedy(row, u2)


def epsilon_greedy_probs(row: Sequence[float], epsilon: float) -> list[float]:
    """The probability of each action under :func:`epsilon_greedy` (ties share the greedy mass).

    Used by Expected SARSA's target and by tests.

    Examples
    --------
    >>> epsilon_greedy_probs([1.0, 3.0, 3.0, 0.0], 0.2)
    [0.05, 0.45, 0.45, 0.05]
    """
    n = len(row)
    best = max(row)
    tied = row.count(best)
    explore = epsilon / n
    greedy_share = (1.0 - epsilon) / tied
    return [explore + greedy_share if q == best else explore for q in row]


def expected_value(row: Sequence[float], epsilon: float) -> float:
    """The value of ``row`` expected under :func:`epsilon_greedy`: ``Σ_a π(a) row[a]``.

    Computed as ``(1 - epsilon) * max(row) + epsilon * sum(row) / n``: the greedy mass falls on
    actions that all share the value ``max(row)``, however many tie. Expected SARSA's target
    and Monte Carlo's bootstrap on truncation use it.

    Examples
    --------
    >>> expected_value([1.0, 3.0, 3.0, 1.0], 0.5)   # 0.5 * 3 + 0.5 * 8 / 4
    2.5
    >>> row = [1.0, 3.0, 3.0, 1.0]
    >>> sum(p * q for p, q in zip(epsilon_greedy_probs(row, 0.5), row, strict=True))
    2.5
    """
    return (1.0 - epsilon) * max(row) + epsilon * sum(row) / len(row)
