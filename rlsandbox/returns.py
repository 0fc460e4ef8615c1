"""Return and discount calculators: Monte Carlo, n-step, GAE and lambda-returns.

Every function takes rewards with time on the last axis: a 1-D array is one episode of
length T, a 2-D array of shape (B, T) is a batch of B equal-length episodes. ``gamma`` and
``lam`` lie in [0, 1]. ``values[..., t]`` is the critic's V(s_t) for t < T and
``bootstrap_value`` is V(s_T), the value after the last step (0 when the episode
terminated, the critic's estimate when it was truncated).

All of them rest on one private core, :func:`_discounted_cumsum`, the backward recursion
``y_t = x_t + gamma * y_{t+1}`` with ``y_T`` given. It is computed in blocks of ``_BLOCK``
steps: inside a block, one small matrix product with the upper-triangular matrix of
``gamma**(j - i)``; across blocks, the block-start values obey the same recursion with
``gamma**_BLOCK``, solved by recursing on an array ``_BLOCK`` times shorter. Only
non-negative powers of gamma appear, so nothing overflows on long episodes (the
``gamma**-t`` trick overflows after about 7·10^5 steps at gamma = 0.999), and no Python
loop runs over time steps.
"""

from __future__ import annotations

import numpy as np

from rlsandbox._returns_core import (
    _batch,
    _check_array,
    _check_bootstrap,
    _check_count,
    _check_fraction,
    _check_values,
    _checked_result,
    _discounted_cumsum,
    _discounted_sum,
    _tail_weights,
    _window_sums,
)

__all__ = [
    "discount_weights",
    "discounted_return",
    "effective_horizon",
    "gae",
    "lambda_returns",
    "n_step_returns",
    "returns_to_go",
]


def discounted_return(rewards, gamma: float) -> float | np.ndarray:
    """Discounted return from the first step, G_0 = sum_t gamma**t r_t.

    Parameters
    ----------
    rewards : array-like of shape (T,) or (B, T)
        Finite rewards, time on the last axis; 2-D is a batch of equal-length episodes.
    gamma : float in [0, 1]
        Discount factor.

    Returns
    -------
    float or ndarray of shape (B,)
        G_0 of the episode (a float, 0.0 when T = 0), or of each episode in the batch.

    Raises
    ------
    ValueError
        If gamma is outside [0, 1], or rewards are not a 1-D/2-D array of finite numbers.

    Examples
    --------
    The exit of a maze pays +10 on the fourth step; discounted at 0.9 it is worth
    0.9**3 * 10 from the start:

    >>> from rlsandbox.returns import discounted_return
    >>> round(discounted_return([0, 0, 0, 10], gamma=0.9), 12)
    7.29
    >>> discounted_return([[1, 1], [0, 2]], gamma=0.5)
    array([1.5, 1. ])
    """
    gamma = _check_fraction(gamma, "gamma")
    rewards = _check_array(rewards, "rewards")
    x = _batch(rewards)
    with np.errstate(all="ignore"):
        total = _discounted_sum(x, gamma, np.zeros(x.shape[0]))
    total = _checked_result(total, "the discounted return")
    return float(total[0]) if rewards.ndim == 1 else total


def returns_to_go(rewards, gamma: float) -> np.ndarray:
    """Discounted return from every step, G_t = sum_{k >= 0} gamma**k r_{t+k}.

    Computed in blocks without any negative power of gamma, so 10^7 steps at
    gamma = 0.999 stay accurate to about 1e-14 relative to the largest return.

    Parameters
    ----------
    rewards : array-like of shape (T,) or (B, T)
        Finite rewards, time on the last axis; 2-D is a batch of equal-length episodes.
    gamma : float in [0, 1]
        Discount factor.

    Returns
    -------
    ndarray of float64, the shape of rewards
        G_t for t = 0 .. T-1 (the return-to-go after step t-1; G_0 is the
        :func:`discounted_return`).

    Raises
    ------
    ValueError
        If gamma is outside [0, 1], rewards are not a 1-D/2-D array of finite numbers,
        or the returns overflow float64.

    Examples
    --------
    >>> from rlsandbox.returns import returns_to_go
    >>> returns_to_go([0, 0, 0, 10], gamma=0.9)
    array([ 7.29,  8.1 ,  9.  , 10.  ])
    >>> returns_to_go([[1, 1, 1], [0, 0, 1]], gamma=1.0)
    array([[3., 2., 1.],
           [1., 1., 1.]])
    """
    gamma = _check_fraction(gamma, "gamma")
    rewards = _check_array(rewards, "rewards")
    x = _batch(rewards)
    with np.errstate(all="ignore"):
        out = _discounted_cumsum(x, gamma, np.zeros(x.shape[0]))
    return _checked_result(out, "the returns").reshape(rewards.shape)


def n_step_returns(rewards, values, gamma: float, n: int, *, bootstrap_value=0.0) -> np.ndarray:
    """n-step bootstrapped returns, the targets of n-step TD learning.

    ``G_t^(n) = sum_{k<n} gamma**k r_{t+k} + gamma**n V(s_{t+n})``. Near the end
    (t + n > T) the sum stops at T and adds ``gamma**(T-t) * bootstrap_value``, so with
    ``n >= T`` every entry is the Monte Carlo return plus the discounted bootstrap.

    Parameters
    ----------
    rewards : array-like of shape (T,) or (B, T)
        Finite rewards, time on the last axis.
    values : array-like, the shape of rewards
        V(s_t) for t < T.
    gamma : float in [0, 1]
        Discount factor.
    n : int >= 1
        Number of rewards before bootstrapping; n = 1 is the one-step TD target.
    bootstrap_value : float or array-like of shape (B,), default 0.0
        V(s_T): 0 after termination, the critic's estimate after truncation.

    Returns
    -------
    ndarray of float64, the shape of rewards

    Raises
    ------
    ValueError
        On gamma outside [0, 1], n not a positive integer, non-finite or non-numeric
        arrays, values not shaped like rewards, or a badly shaped bootstrap_value.

    Examples
    --------
    >>> from rlsandbox.returns import n_step_returns
    >>> n_step_returns([1, 1, 1, 1], [10, 20, 30, 40], gamma=0.5, n=2, bootstrap_value=8)
    array([ 9. , 11.5,  3.5,  5. ])
    """
    gamma = _check_fraction(gamma, "gamma")
    n = _check_count(n, "n", 1)
    rewards = _check_array(rewards, "rewards")
    values = _check_values(values, rewards)
    tail = _check_bootstrap(bootstrap_value, rewards)
    x, v = _batch(rewards), _batch(values)
    length = x.shape[1]
    with np.errstate(all="ignore"):
        if n >= length:
            out = _discounted_cumsum(x, gamma, tail)
        else:
            out = _window_sums(x, gamma, n)
            out[:, : length - n] += gamma**n * v[:, n:]
            out[:, length - n :] += tail[:, None] * _tail_weights(n, gamma)
    return _checked_result(out, "the n-step returns").reshape(rewards.shape)


def gae(rewards, values, gamma: float, lam: float, *, bootstrap_value=0.0) -> np.ndarray:
    """Generalised advantage estimates (Schulman et al., 2016).

    ``A_t = sum_{k>=0} (gamma*lam)**k delta_{t+k}`` with the TD errors
    ``delta_t = r_t + gamma V(s_{t+1}) - V(s_t)`` and V(s_T) = ``bootstrap_value``.
    lam = 0 gives the TD errors themselves; lam = 1 gives the Monte Carlo return
    (with the discounted bootstrap) minus V(s_t).

    Parameters
    ----------
    rewards : array-like of shape (T,) or (B, T)
        Finite rewards, time on the last axis.
    values : array-like, the shape of rewards
        V(s_t) for t < T.
    gamma, lam : float in [0, 1]
        Discount factor and GAE's bias-variance trade-off.
    bootstrap_value : float or array-like of shape (B,), default 0.0
        V(s_T): 0 after termination, the critic's estimate after truncation.

    Returns
    -------
    ndarray of float64, the shape of rewards

    Raises
    ------
    ValueError
        On gamma or lam outside [0, 1], non-finite or non-numeric arrays, values not
        shaped like rewards, or a badly shaped bootstrap_value.

    Examples
    --------
    >>> from rlsandbox.returns import gae
    >>> gae([0, 0, 1], [0.5, 0.5, 0.5], gamma=1.0, lam=0.5)
    array([0.125, 0.25 , 0.5  ])
    """
    gamma = _check_fraction(gamma, "gamma")
    lam = _check_fraction(lam, "lam")
    rewards = _check_array(rewards, "rewards")
    values = _check_values(values, rewards)
    tail = _check_bootstrap(bootstrap_value, rewards)
    x, v = _batch(rewards), _batch(values)
    with np.errstate(all="ignore"):
        delta = np.empty_like(x)  # r_t + gamma V(s_{t+1}) - V(s_t), built in place
        np.multiply(v[:, 1:], gamma, out=delta[:, :-1])
        delta[:, -1:] = gamma * tail[:, None]
        delta += x
        delta -= v
        out = _discounted_cumsum(delta, gamma * lam, np.zeros(x.shape[0]))
    return _checked_result(out, "the advantages").reshape(rewards.shape)


def lambda_returns(rewards, values, gamma: float, lam: float, *,
                   bootstrap_value=0.0) -> np.ndarray:
    """TD(lambda) returns, ``gae(...) + values``: the critic's targets in GAE-based methods.

    lam = 1 gives the Monte Carlo return with the discounted bootstrap; lam = 0 the
    one-step TD target ``r_t + gamma V(s_{t+1})``. Parameters, errors and shapes are those
    of :func:`gae`.

    Examples
    --------
    >>> from rlsandbox.returns import lambda_returns
    >>> lambda_returns([0, 0, 1], [0.5, 0.5, 0.5], gamma=1.0, lam=0.5)
    array([0.625, 0.75 , 1.   ])
    """
    advantages = gae(rewards, values, gamma, lam, bootstrap_value=bootstrap_value)
    with np.errstate(all="ignore"):
        out = advantages + np.asarray(values, dtype=np.float64)
    return _checked_result(out, "the lambda-returns")


def discount_weights(gamma: float, n: int) -> np.ndarray:
    """The discount applied to each of n steps, ``[1, gamma, gamma**2, ..., gamma**(n-1)]``.

    Parameters
    ----------
    gamma : float in [0, 1]
        Discount factor.
    n : int >= 0
        Number of weights.

    Returns
    -------
    ndarray of float64, shape (n,)

    Raises
    ------
    ValueError
        If gamma is outside [0, 1] or n is not a non-negative integer.

    Examples
    --------
    >>> from rlsandbox.returns import discount_weights
    >>> discount_weights(0.5, 4)
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    gamma = _check_fraction(gamma, "gamma")
    n = _check_count(n, "n", 0)
    return gamma ** np.arange(n, dtype=np.float64)


def effective_horizon(gamma: float) -> float:
    """``1 / (1 - gamma)``: the number of steps a discounted return effectively looks ahead.

    Also the sum of all discount weights; ``inf`` for gamma = 1 (no discounting).

    Parameters
    ----------
    gamma : float in [0, 1]
        Discount factor.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If gamma is outside [0, 1].

    Examples
    --------
    >>> from rlsandbox.returns import effective_horizon
    >>> effective_horizon(0.5), effective_horizon(0.99) == 1 / (1 - 0.99), effective_horizon(1)
    (2.0, True, inf)
    """
    gamma = _check_fraction(gamma, "gamma")
    return float("inf") if gamma == 1.0 else 1.0 / (1.0 - gamma)
