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

import operator

import numpy as np

__all__ = [
    "discount_weights",
    "discounted_return",
    "effective_horizon",
    "gae",
    "lambda_returns",
    "n_step_returns",
    "returns_to_go",
]

# Steps per block: 16 multiply-adds per step in the block product, a carry array 16x
# shorter per recursion level. 8 and 32 were slower on 10^7 steps; so were larger blocks.
_BLOCK = 16
# Rows of blocks per matrix product. OpenBLAS runs products with m*n*k <= 262144 on one
# thread: its thread hand-off costs more than these thin products (several times more on a
# loaded machine), and a 1024 x 16 float64 chunk (128 KiB) stays in cache while it is used.
_CHUNK = 262144 // (_BLOCK * _BLOCK)
_TINY = np.finfo(np.float64).tiny


# --------------------------------------------------------------------------- core


def _block_matrix(length: int, gamma: float) -> np.ndarray:
    """``M[j, i] = gamma**(j - i)`` for ``j >= i``, else 0; ``x @ M`` is the in-block sum."""
    steps = np.arange(length)
    lag = steps[:, None] - steps[None, :]
    matrix = np.where(lag >= 0, gamma ** np.maximum(lag, 0).astype(np.float64), 0.0)
    # Subnormal powers (small gamma) make BLAS crawl; they are below any meaningful weight.
    matrix[matrix < _TINY] = 0.0
    return matrix


def _tail_weights(length: int, gamma: float) -> np.ndarray:
    """``[gamma**length, ..., gamma**1]``: the weight of the value after a block, per step."""
    weights = gamma ** np.arange(length, 0, -1, dtype=np.float64)
    weights[weights < _TINY] = 0.0
    return weights


def _split(x: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Rows of whole blocks ``(B * m, _BLOCK)`` of ``x[:, rem:]`` (a view when possible)."""
    batch, length = x.shape
    m, rem = divmod(length, _BLOCK)
    body = x[:, rem:]
    if batch > 1 and rem:  # episodes' bodies are not adjacent in memory: gather them
        body = np.ascontiguousarray(body)
    return body.reshape(batch * m, _BLOCK), m, rem


def _block_sums(rows: np.ndarray, gamma: float) -> np.ndarray:
    """``sum_i gamma**i rows[k, i]`` for every block k, in single-threaded chunks."""
    weights = _block_matrix(_BLOCK, gamma)[:, 0]
    sums = np.empty(len(rows))
    for start in range(0, len(rows), _CHUNK):
        np.matmul(rows[start : start + _CHUNK], weights, out=sums[start : start + _CHUNK])
    return sums


def _discounted_cumsum(x: np.ndarray, gamma: float, tail: np.ndarray) -> np.ndarray:
    """``y[:, t] = x[:, t] + gamma * y[:, t + 1]`` with ``y[:, T] = tail``; x is (B, T)."""
    batch, length = x.shape
    if x.size == 0:
        return np.empty((batch, length))
    if length <= _BLOCK:  # one (partial) block: a single product, whatever the batch
        return x @ _block_matrix(length, gamma) + tail[:, None] * _tail_weights(length, gamma)
    rem = length % _BLOCK
    if batch > 1 and rem:
        # Leading zeros change no later return: pad each episode to whole blocks, so that
        # the blocks of all episodes form one array of rows with no gather or scatter.
        padded = np.zeros((batch, length + _BLOCK - rem))
        padded[:, _BLOCK - rem :] = x
        return _discounted_cumsum(padded, gamma, tail)[:, _BLOCK - rem :]
    out = np.empty((batch, length))
    rows, m, rem = _split(x)
    after_head = tail  # the value right after the leading partial block
    if m:
        starts = _discounted_cumsum(_block_sums(rows, gamma).reshape(batch, m), gamma**_BLOCK,
                                    tail)
        following = np.empty((batch, m))  # the value right after each block
        following[:, :-1] = starts[:, 1:]
        following[:, -1] = tail
        following = gamma * following.reshape(-1)
        matrix = _block_matrix(_BLOCK, gamma)
        result = out[:, rem:].reshape(-1, _BLOCK)  # a view: one episode, or whole blocks
        buffer = np.empty((min(len(rows), _CHUNK), _BLOCK))
        for start in range(0, len(rows), _CHUNK):
            stop = min(start + _CHUNK, len(rows))
            chunk = buffer[: stop - start]
            chunk[...] = rows[start:stop]
            # gamma * y(after block) added to the block's last reward reaches step i with
            # weight gamma**(_BLOCK - i): the carry rides along in the same product.
            chunk[:, -1] += following[start:stop]
            np.matmul(chunk, matrix, out=result[start:stop])
        after_head = starts[:, 0]
    if rem:
        out[:, :rem] = x[:, :rem] @ _block_matrix(rem, gamma)
        out[:, :rem] += after_head[:, None] * _tail_weights(rem, gamma)
    return out


def _discounted_sum(x: np.ndarray, gamma: float, tail: np.ndarray) -> np.ndarray:
    """``sum_t gamma**t x[:, t] + gamma**T tail``, the y_0 of :func:`_discounted_cumsum`."""
    batch, length = x.shape
    if x.size == 0:
        return tail.copy()
    rows, m, rem = _split(x)
    total = tail
    if m:
        sums = _block_sums(rows, gamma).reshape(batch, m)
        total = _discounted_sum(sums, gamma**_BLOCK, tail)
    if rem:
        total = x[:, :rem] @ _block_matrix(rem, gamma)[:, 0] + _tail_weights(rem, gamma)[0] * total
    return total


def _window_sums(x: np.ndarray, gamma: float, n: int) -> np.ndarray:
    """``sum_{k < n, t + k < T} gamma**k x[:, t + k]`` by binary doubling of the window.

    log2(n) shifted adds of non-negative terms: unlike G_t - gamma**n G_{t+n} there is no
    cancellation between two large returns.
    """
    length = x.shape[1]
    total = np.zeros_like(x)
    window, width, offset = x.copy(), 1, 0  # window[:, t] sums `width` steps from t
    while n:
        if n & 1:
            if offset < length:
                total[:, : length - offset] += gamma**offset * window[:, offset:]
            offset += width
        n >>= 1
        if n:
            if width < length:
                window[:, : length - width] += gamma**width * window[:, width:]
            width *= 2
    return total


# --------------------------------------------------------------------- validation


def _check_fraction(value, name: str) -> float:
    """``value`` as a float in [0, 1] (gamma, lam)."""
    kind = "b" if isinstance(value, bool) else np.asarray(value).dtype.kind
    if kind not in "iuf" or np.ndim(value) != 0:
        raise ValueError(f"{name} must be a real number in [0, 1], got {value!r}")
    value = float(value)
    if not 0.0 <= value <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must lie in [0, 1], got {value}; typical values are 0.9-0.99")
    return value


def _check_count(n, name: str, minimum: int) -> int:
    """``n`` as a Python int >= minimum; floats and booleans are refused."""
    if isinstance(n, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")
    try:
        n = operator.index(n)
    except TypeError:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}") from None
    if n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n}")
    return n


def _check_finite(arr: np.ndarray, name: str) -> None:
    # One summation finds any NaN or inf (they poison the sum); only a non-finite sum pays
    # for the element-wise test, which also tells apart huge-but-finite inputs.
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(arr)
    if not np.isfinite(total) and not np.isfinite(arr).all():
        n_nan, n_inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
        raise ValueError(
            f"{name} contains {n_nan} NaN and {n_inf} infinite value(s); every entry must be "
            "finite (replace missing rewards with 0, or drop the episode)"
        )


def _check_array(x, name: str) -> np.ndarray:
    """``x`` as a C-contiguous finite float64 array, 1-D (T,) or 2-D (B, T)."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged nested lists, odd objects
        raise ValueError(f"{name} must be a rectangular array of numbers: {exc}") from None
    if arr.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must hold real numbers, got dtype {arr.dtype}; convert booleans with "
            ".astype(float) and parse strings first"
        )
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be 1-D (one episode, time last) or 2-D (B episodes of equal "
            f"length), got shape {arr.shape}"
        )
    with np.errstate(over="ignore"):  # float128 beyond float64's range becomes inf: refused
        arr = np.ascontiguousarray(arr, dtype=np.float64)
    _check_finite(arr, name)
    return arr


def _check_values(values, rewards: np.ndarray) -> np.ndarray:
    values = _check_array(values, "values")
    if values.shape != rewards.shape:
        raise ValueError(
            f"values must have the shape of rewards, V(s_t) for each step t < T: got "
            f"{values.shape} and {rewards.shape}; pass V(s_T) as bootstrap_value"
        )
    return values


def _check_bootstrap(value, rewards: np.ndarray) -> np.ndarray:
    """``bootstrap_value`` as a (B,) float64 array (B = 1 for one episode)."""
    batch = 1 if rewards.ndim == 1 else rewards.shape[0]
    expected = "a number" if rewards.ndim == 1 else f"a number or an array of shape ({batch},)"
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        arr = np.asarray(None)
    if isinstance(value, bool) or arr.dtype.kind not in "iuf":
        raise ValueError(f"bootstrap_value must be {expected} (V(s_T)), got {value!r}")
    if arr.ndim == 0:
        arr = np.full(batch, float(arr))
    elif rewards.ndim == 2 and arr.shape == (batch,):
        arr = arr.astype(np.float64)
    else:
        raise ValueError(
            f"bootstrap_value must be {expected} (V(s_T) of each episode), got shape {arr.shape}"
        )
    _check_finite(arr, "bootstrap_value")
    return arr


def _checked_result(out: np.ndarray, what: str) -> np.ndarray:
    """``out`` unless finite inputs overflowed float64 on the way."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(out)
    if not np.isfinite(total) and not np.isfinite(out).all():
        raise ValueError(
            f"{what} overflowed float64 (the rewards or values are too large); rescale them, "
            "e.g. divide by their largest magnitude, and multiply the result back"
        )
    return out


def _batch(x: np.ndarray) -> np.ndarray:
    return x.reshape(1, -1) if x.ndim == 1 else x


# ------------------------------------------------------------------------- public


# --------------------------------------------------------------------------- public


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
