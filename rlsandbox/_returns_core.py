"""The private core of :mod:`rlsandbox.returns`: the blocked discounted cumulative sum and
the argument checks shared by every public function (see that module's docstring)."""

from __future__ import annotations

import functools
import operator

import numpy as np

# Steps per block: 16 multiply-adds per step in the block product, a carry array 16x
# shorter per recursion level. 8 and 32 were slower on 10^7 steps; so were larger blocks.
_BLOCK = 16
# Rows of blocks per matrix product. OpenBLAS runs products with m*n*k <= 262144 on one
# thread: its thread hand-off costs more than these thin products (several times more on a
# loaded machine), and a 1024 x 16 float64 chunk (128 KiB) stays in cache while it is used.
_CHUNK = 262144 // (_BLOCK * _BLOCK)
_TINY = np.finfo(np.float64).tiny


# --------------------------------------------------------------------------- core


@functools.lru_cache(maxsize=64)
def _block_matrix(length: int, gamma: float) -> np.ndarray:
    """``M[j, i] = gamma**(j - i)`` for ``j >= i``, else 0; ``x @ M`` is the in-block sum."""
    steps = np.arange(length)
    lag = steps[:, None] - steps[None, :]
    matrix = np.where(lag >= 0, gamma ** np.maximum(lag, 0).astype(np.float64), 0.0)
    # Subnormal powers (small gamma) make BLAS crawl; they are below any meaningful weight.
    matrix[matrix < _TINY] = 0.0
    matrix.flags.writeable = False
    return matrix


@functools.lru_cache(maxsize=64)
def _tail_weights(length: int, gamma: float) -> np.ndarray:
    """``[gamma**length, ..., gamma**1]``: the weight of the value after a block, per step."""
    weights = gamma ** np.arange(length, 0, -1, dtype=np.float64)
    weights[weights < _TINY] = 0.0
    weights.flags.writeable = False
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
