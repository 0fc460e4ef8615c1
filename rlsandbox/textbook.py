"""The tabular problems of Sutton & Barto's *Reinforcement Learning: An Introduction* (2nd ed.).

Each function returns the problem as a :class:`~rlsandbox.mdp.TabularMDP`, built with
vectorised NumPy, with its ``start`` and, for the grids, its ``cells``; :func:`make` returns
it as a :class:`~rlsandbox.envs.TabularEnv` (also ``gymnasium.make("rlsandbox/Textbook-v0",
problem=NAME)``).

===================== ================================ =====================================
name                  function                         book
===================== ================================ =====================================
``gridworld``         :func:`gridworld`                Example 3.5, Figures 3.2 and 3.5
``small-gridworld``   :func:`small_gridworld`          Example 4.1, Figure 4.1
``car-rental``        :func:`car_rental`               Example 4.2, Figure 4.2
``gamblers-problem``  :func:`gamblers_problem`         Example 4.3, Figure 4.3
``random-walk``       :func:`random_walk`              Example 6.2 (19 states: Example 7.1)
``windy-gridworld``   :func:`windy_gridworld`          Example 6.5, Exercises 6.9 and 6.10
``cliff-walking``     :func:`cliff_walking`            Example 6.6, Figure 6.4
``dyna-maze``         :func:`dyna_maze`                Example 8.1, Figure 8.2
===================== ================================ =====================================

**Conventions.** Grid cells are numbered row-major with row 0 at the top (states are the
cells that are states: the Dyna maze's walls and the cliff are not), and ``cells[s]`` is
the ``(row, col)`` of state ``s``. Actions are ``0`` up, ``1`` right, ``2`` down, ``3`` left;
king's moves add ``4`` up-right, ``5`` down-right, ``6`` down-left, ``7`` up-left. A move off
the grid (or into a wall) stays put. A terminal cell is an absorbing state with zero reward,
as :class:`~rlsandbox.envs.MazeEnv`'s goals are: the step that enters it ends the episode
(``terminated``) and gets the step's reward; its own outcomes stay in it with reward 0.

Examples
--------
>>> from rlsandbox import textbook
>>> from rlsandbox.mdp import value_iteration
>>> mdp = textbook.cliff_walking()
>>> float(value_iteration(mdp).values[mdp.start])  # Example 6.6: the optimal path's return
-13.0
>>> env = textbook.make("cliff-walking", render_mode="ansi")
>>> env.reset(seed=0)
(36, {})
>>> env.render().splitlines()[-1]  # the bottom row: the agent at S, the cliff, the goal
'A##########G'
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np

from rlsandbox.envs import TabularEnv
from rlsandbox.mdp import TabularMDP

__all__ = [
    "PROBLEMS",
    "car_rental",
    "cliff_walking",
    "dyna_maze",
    "gamblers_problem",
    "gridworld",
    "make",
    "random_walk",
    "small_gridworld",
    "windy_gridworld",
]

# (row, col) offsets of the actions: up, right, down, left, then the king's diagonals
# up-right, down-right, down-left, up-left.
_MOVES = np.array([(-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1), (1, -1), (-1, -1)])


# ------------------------------------------------------------------------------ grid tools


class _Grid:
    """The states of a grid: the cells where ``free`` is True, numbered row-major."""

    def __init__(self, free: np.ndarray) -> None:
        self.shape = free.shape
        self.cells = np.argwhere(free)  # row-major, as argwhere lists them
        self.n = len(self.cells)
        self.state_of = np.full(free.shape, -1, dtype=np.intp)
        self.state_of[tuple(self.cells.T)] = np.arange(self.n)

    def state(self, row: int, col: int) -> int:
        return int(self.state_of[row, col])

    def moves(self, n_actions: int = 4) -> np.ndarray:
        """``(S, n_actions)``: the state each move leads to; off the grid or walls stay."""
        rows, cols = self.shape
        target = self.cells[:, None, :] + _MOVES[None, :n_actions]
        inside = ((target >= 0) & (target < (rows, cols))).all(axis=2)
        r, c = np.where(inside, target[..., 0], 0), np.where(inside, target[..., 1], 0)
        nxt = np.where(inside, self.state_of[r, c], -1)
        return np.where(nxt >= 0, nxt, np.arange(self.n)[:, None])


def _deterministic(
    next_states: np.ndarray,
    rewards: np.ndarray,
    terminal: np.ndarray,
    gamma: float,
    start: Any,
    cells: np.ndarray | None,
) -> TabularMDP:
    """A TabularMDP with one outcome per state-action, entering ``terminal`` states ending
    the episode and the terminal states themselves absorbing with zero reward."""
    next_states, rewards = next_states.copy(), rewards.astype(np.float64)
    ends = np.flatnonzero(terminal)
    next_states[ends] = ends[:, None]
    rewards[ends] = 0.0
    return TabularMDP(
        next_states[..., None],
        np.ones(next_states.shape + (1,)),
        rewards[..., None],
        terminal[next_states][..., None],
        gamma,
        start=start,
        cells=cells,
    )


def _uniform(n: int, where: Any = None) -> np.ndarray:
    """The uniform distribution over ``n`` states, or over those where ``where`` is True."""
    mask = np.ones(n, dtype=bool) if where is None else np.asarray(where, dtype=bool)
    return mask / mask.sum()


# ------------------------------------------------------------------------------- chapter 3


def gridworld() -> TabularMDP:
    """The 5 x 5 gridworld of Example 3.5 (Figures 3.2 and 3.5), a continuing task.

    From cell A = (0, 1) every action moves to A' = (4, 1) with reward +10, from B = (0, 3)
    to B' = (2, 3) with reward +5; elsewhere a move off the grid stays with reward -1 and
    every other move has reward 0. ``gamma = 0.9``. No episode ends, so an env needs
    ``max_steps`` (:func:`make` gives 100). Starts uniformly over the 25 cells.

    Examples
    --------
    Figure 3.2: the values of the equiprobable random policy (top row).

    >>> import numpy as np
    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import policy_evaluation
    >>> mdp = textbook.gridworld()
    >>> v = policy_evaluation(mdp, np.full((25, 4), 0.25))
    >>> np.round(v[:5], 1)
    array([3.3, 8.8, 4.4, 5.3, 1.5])
    """
    grid = _Grid(np.ones((5, 5), dtype=bool))
    nxt = grid.moves()
    rewards = np.where(nxt == np.arange(grid.n)[:, None], -1.0, 0.0)  # only off-grid stays
    for (r, c), (r2, c2), bonus in (((0, 1), (4, 1), 10.0), ((0, 3), (2, 3), 5.0)):
        nxt[grid.state(r, c)] = grid.state(r2, c2)
        rewards[grid.state(r, c)] = bonus
    return _deterministic(nxt, rewards, np.zeros(grid.n, bool), 0.9, _uniform(grid.n), grid.cells)


# ------------------------------------------------------------------------------- chapter 4


def small_gridworld() -> TabularMDP:
    """The 4 x 4 gridworld of Example 4.1 (Figure 4.1).

    States 0 and 15, the top-left and bottom-right corners, are terminal; every move has
    reward -1 (a move off the grid stays), ``gamma = 1``. Starts uniformly over the 14
    non-terminal cells.

    Examples
    --------
    Figure 4.1, k = infinity: the values of the equiprobable random policy.

    >>> import numpy as np
    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import policy_evaluation
    >>> v = policy_evaluation(textbook.small_gridworld(), np.full((16, 4), 0.25))
    >>> np.round(v.reshape(4, 4)).astype(int)
    array([[  0, -14, -20, -22],
           [-14, -18, -20, -20],
           [-20, -20, -18, -14],
           [-22, -20, -14,   0]])
    """
    grid = _Grid(np.ones((4, 4), dtype=bool))
    terminal = np.zeros(grid.n, dtype=bool)
    terminal[[0, grid.n - 1]] = True
    start = _uniform(grid.n, ~terminal)
    rewards = np.full((grid.n, 4), -1.0)
    return _deterministic(grid.moves(), rewards, terminal, 1.0, start, grid.cells)


def _poisson_tail(lam: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``P(X = k)`` and ``P(X >= k)`` for ``k = 0 .. n`` of a Poisson(``lam``) ``X``."""
    # Far enough past n that the mass left out (< lam^m / m!) is below 1e-100 for lam <= 10.
    m = n + 200
    pmf = np.empty(m + 1)
    pmf[0] = np.exp(-lam)
    pmf[1:] = lam / np.arange(1, m + 1)
    pmf = np.cumprod(pmf)
    tail = np.cumsum(pmf[::-1])[::-1]  # summed from the small end up: no cancellation
    return pmf[: n + 1], tail[: n + 1]


def _location(requests: float, returns: float, max_cars: int) -> tuple[np.ndarray, np.ndarray]:
    """One location's day: from ``m`` cars in the morning to ``n`` in the evening.

    Returns ``T[m, n]``, the probability of ending the day with ``n`` cars, and ``E[m, n]``,
    the expected number of rentals given that end. Requests beyond the cars there are lost
    business, so all of the Poisson tail ``P(requests >= m)`` rents the ``m`` cars; returns
    that would take the location past ``max_cars`` go back to the company, so all of
    ``P(returns >= max_cars - left)`` ends at ``max_cars``. The tails are thus kept exactly,
    not truncated, and each ``T[m]`` sums to 1.
    """
    M = max_cars
    k = np.arange(M + 1)
    pmf_q, tail_q = _poisson_tail(requests, M)
    pmf_r, tail_r = _poisson_tail(returns, M)
    # rent[m, j]: P(j rentals | m cars) = P(req = j) for j < m, P(req >= m) for j = m.
    rent = np.where(k[None, :] < k[:, None], pmf_q[None, :], 0.0)
    rent[k, k] = tail_q
    # back[j, n]: P(n cars at night | j cars left after renting).
    gap = k[None, :] - k[:, None]  # n - j
    back = np.where(gap >= 0, pmf_r[np.clip(gap, 0, M)], 0.0)
    back[:, M] = tail_r[M - k]
    # joint[m, j, n]: j rentals out of m and n at night (j <= m).
    left = np.clip(k[:, None] - k[None, :], 0, M)  # m - j
    joint = rent[:, :, None] * back[left]
    T = joint.sum(axis=1)
    rented = (joint * k[None, :, None]).sum(axis=1)
    E = np.divide(rented, T, out=np.zeros_like(T), where=T > 0)
    return T, E


def car_rental(max_cars: int = 20, max_move: int = 5) -> TabularMDP:
    """Jack's car rental, Example 4.2 (Figure 4.2), a continuing task with ``gamma = 0.9``.

    State ``s = n1 * (max_cars + 1) + n2`` with ``n1``, ``n2`` the cars at the first and
    second location at the end of a day. Action ``i`` moves ``i - max_move`` cars from the
    first location to the second overnight (negative: from the second to the first), at $2
    a car; an order for more cars than the location has moves all it has, and is charged
    in full, so it is never better than the feasible order it amounts to (the greedy policy
    of the planners, which break ties towards the lowest index, is always feasible). Cars
    that would take a location past ``max_cars`` are returned to the company. Rental
    requests are Poisson with means 3 and 4, returns Poisson with means 3 and 2 (returned
    cars can be rented the next day); each rental earns $10.

    The outcomes of an action are the ``(max_cars + 1)^2`` next states, with the Poisson
    tails kept exactly where the caps put them (requests beyond the cars there are lost,
    returns beyond ``max_cars`` leave), so no probability is truncated away. The reward of
    an outcome is the expected rental income given that next state minus the cost of the
    move: the expected reward of each state-action, and so every value and policy, is the
    book's model's; only the spread of sampled rewards is smaller than real rentals'.

    Starts uniformly over the states; no episode ends, so an env needs ``max_steps``
    (:func:`make` gives 100).

    Examples
    --------
    Figure 4.2's policy: with 20 cars at the first location and none at the second, move 5.

    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import policy_iteration
    >>> mdp = textbook.car_rental()
    >>> mdp
    TabularMDP(n_states=441, n_actions=11, n_outcomes=441, gamma=0.9)
    >>> plan = policy_iteration(mdp)
    >>> int(plan.policy[20 * 21 + 0]) - 5
    5
    """
    M = _check_int("max_cars", max_cars, 1)
    move_max = _check_int("max_move", max_move, 0)
    T1, E1 = _location(3.0, 3.0, M)
    T2, E2 = _location(4.0, 2.0, M)
    n1, n2 = np.divmod(np.arange((M + 1) ** 2), M + 1)
    move = np.arange(-move_max, move_max + 1)
    moved = np.clip(move[None, :], -n2[:, None], n1[:, None])  # (S, A): what can be moved
    m1 = np.minimum(n1[:, None] - moved, M)  # morning cars; the excess goes back
    m2 = np.minimum(n2[:, None] + moved, M)
    S, A, K = len(n1), len(move), (M + 1) ** 2
    probs = (T1[m1][:, :, :, None] * T2[m2][:, :, None, :]).reshape(S, A, K)
    income = 10.0 * (E1[m1][:, :, :, None] + E2[m2][:, :, None, :]).reshape(S, A, K)
    rewards = income - 2.0 * np.abs(move)[None, :, None]
    next_states = np.broadcast_to(np.arange(K), (S, A, K))
    return TabularMDP(
        next_states, probs, rewards, np.zeros((S, A, K), dtype=bool), 0.9, start=_uniform(S)
    )


def gamblers_problem(p_heads: float = 0.4, goal: int = 100) -> TabularMDP:
    """The gambler's problem, Example 4.3 (Figure 4.3), with ``gamma = 1``.

    State = capital ``0 .. goal``; ``0`` (ruin) and ``goal`` are terminal. Action = stake
    ``0 .. goal // 2``: the coin comes up heads with probability ``p_heads`` and the
    capital grows by the stake, else it shrinks by it. Reaching ``goal`` pays +1, every
    other step 0, so a state's value is the probability of winning from it. A stake above
    ``min(s, goal - s)`` is not allowed by the book; here it leaves the capital unchanged
    (as a stake of 0 does). Starts uniformly over the capitals ``1 .. goal - 1``.

    Staking 0 forever never ends, so :func:`~rlsandbox.mdp.policy_iteration` (whose
    first policy stakes 0) cannot evaluate it; use :func:`~rlsandbox.mdp.value_iteration`,
    as the book does.

    Examples
    --------
    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import value_iteration
    >>> v = value_iteration(textbook.gamblers_problem(p_heads=0.4)).values
    >>> round(float(v[50]), 6), round(float(v[25]), 6)
    (0.4, 0.16)
    """
    if isinstance(p_heads, bool) or not isinstance(p_heads, Real) or not 0 <= p_heads <= 1:
        raise ValueError(f"p_heads must be a probability in [0, 1], got {p_heads!r}")
    goal = _check_int("goal", goal, 2)
    s = np.arange(goal + 1)[:, None]
    stake = np.arange(goal // 2 + 1)[None, :]
    stake = np.where(stake <= np.minimum(s, goal - s), stake, 0)  # too high: nothing happens
    next_states = np.stack([s + stake, s - stake], axis=2)  # heads, tails
    probs = np.broadcast_to(np.array([p_heads, 1.0 - p_heads], float), next_states.shape)
    terminal = np.zeros(goal + 1, dtype=bool)
    terminal[[0, goal]] = True
    rewards = (next_states == goal).astype(np.float64)
    ends = np.flatnonzero(terminal)
    next_states[ends] = ends[:, None, None]  # absorbing (stake 0 there already stays)
    rewards[ends] = 0.0
    return TabularMDP(
        next_states, probs, rewards, terminal[next_states], 1.0,
        start=_uniform(goal + 1, ~terminal),
    )


# ------------------------------------------------------------------------------- chapter 6


def random_walk(n_states: int = 5, *, left_reward: float = 0.0) -> TabularMDP:
    """The random walk of Example 6.2 (Figure 6.2); with 19 states, Example 7.1's.

    States ``0 .. n_states + 1`` left to right: ``1 .. n_states`` are the walk's states
    (A .. E in the book), ``0`` and ``n_states + 1`` the terminal ends. One action: a step
    left or right with probability 1/2 each. Stepping off the right end pays +1, off the
    left end ``left_reward`` (0 in Example 6.2; chapter 7's 19-state walk uses -1), every
    other step 0; ``gamma = 1``. Starts in the middle, state ``n_states // 2 + 1`` (C, state
    3, of five; the right one of the two middle states of an even number). ``cells`` place
    the states in a row, ``(0, s)``.

    The true values are ``s / (n_states + 1)`` (1/6 .. 5/6 for five states), or with a
    left reward ``l``, ``l + (1 - l) s / (n_states + 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import policy_evaluation
    >>> v = policy_evaluation(textbook.random_walk(), np.zeros(7, dtype=int))
    >>> np.round(v[1:6] * 6, 12)
    array([1., 2., 3., 4., 5.])
    """
    n = _check_int("n_states", n_states, 1)
    if isinstance(left_reward, bool) or not isinstance(left_reward, Real) or not np.isfinite(
        left_reward
    ):
        raise ValueError(f"left_reward must be a finite number, got {left_reward!r}")
    s = np.arange(n + 2)
    next_states = np.stack([s - 1, s + 1], axis=1)[:, None, :]  # (S, 1, 2): left, right
    probs = np.full(next_states.shape, 0.5)
    rewards = np.where(next_states == n + 1, 1.0, 0.0)
    rewards[next_states == 0] = float(left_reward)
    terminal = (s == 0) | (s == n + 1)
    next_states[terminal] = s[terminal][:, None, None]
    rewards[terminal] = 0.0
    cells = np.stack([np.zeros_like(s), s], axis=1)
    return TabularMDP(
        next_states, probs, rewards, terminal[next_states], 1.0, start=n // 2 + 1, cells=cells
    )


#: Example 6.5's upward wind, per column of the 7 x 10 windy gridworld.
_WIND = np.array([0, 0, 0, 1, 1, 1, 2, 2, 1, 0])


def windy_gridworld(*, king_moves: bool = False, stochastic: bool = False) -> TabularMDP:
    """The windy gridworld of Example 6.5 (Figure 6.3), Exercises 6.9 and 6.10.

    A 7 x 10 grid from S = (3, 0) to the terminal G = (3, 7); every step has reward -1,
    ``gamma = 1``. The wind of the column the agent leaves (0 0 0 1 1 1 2 2 1 0) pushes it
    up that many rows after its move; row and column are then clipped to the grid (a move
    or a gust against an edge stops at the edge). ``king_moves=True`` adds the four
    diagonal moves (actions 4-7, Exercise 6.9). ``stochastic=True`` makes the wind, where
    there is any, vary by one either way, each of the three strengths with probability
    1/3 (Exercise 6.10).

    The shortest episode takes 15 steps, 7 with king's moves.

    Examples
    --------
    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import value_iteration
    >>> mdp = textbook.windy_gridworld()
    >>> float(value_iteration(mdp).values[mdp.start])
    -15.0
    """
    rows, cols = 7, 10
    grid = _Grid(np.ones((rows, cols), dtype=bool))
    n_actions = 8 if king_moves else 4
    r, c = (x[:, None, None] for x in grid.cells.T)
    wind = _WIND[grid.cells[:, 1]][:, None, None]
    # Outcome axis: the gust's deviation from the column's wind (-1, 0, +1) if stochastic.
    gust = np.array([0, -1, 1]) if stochastic else np.array([0])
    gust = np.where(wind > 0, gust[None, None, :], 0)  # calm columns stay calm
    dr, dc = (_MOVES[:n_actions, i][None, :, None] for i in (0, 1))
    nr = np.clip(r + dr - (wind + gust), 0, rows - 1)
    nc = np.clip(c + dc, 0, cols - 1)
    next_states = grid.state_of[nr, nc]
    k = gust.shape[2]
    # Windy columns: each strength 1/k; calm ones: the first outcome for sure.
    probs = np.where(wind > 0, 1.0 / k, (np.arange(k) == 0) * 1.0)
    probs = np.broadcast_to(probs, next_states.shape).copy()
    goal = grid.state(3, 7)
    next_states[goal] = goal
    probs[goal] = 0.0
    probs[goal, :, 0] = 1.0
    rewards = np.full(next_states.shape, -1.0)
    rewards[goal] = 0.0
    return TabularMDP(
        next_states, probs, rewards, next_states == goal, 1.0,
        start=grid.state(3, 0), cells=grid.cells,
    )


def cliff_walking() -> TabularMDP:
    """Cliff walking, Example 6.6 (Figure 6.4).

    A 4 x 12 grid from S = (3, 0) to the terminal G = (3, 11); the cells between them on
    the bottom row are the cliff, not states (so S is state 36 and G state 37). Every step
    has reward -1, except a step into the cliff: -100 and back to S (the episode goes
    on). ``gamma = 1``. The optimal path, along the cliff's edge, returns -13.

    Examples
    --------
    >>> from rlsandbox import textbook
    >>> textbook.cliff_walking()
    TabularMDP(n_states=38, n_actions=4, n_outcomes=1, gamma=1)
    """
    rows, cols = 4, 12
    free = np.ones((rows, cols), dtype=bool)
    free[rows - 1, 1 : cols - 1] = False
    grid = _Grid(free)
    start, goal = grid.state(rows - 1, 0), grid.state(rows - 1, cols - 1)
    target = grid.cells[:, None, :] + _MOVES[None, :4]
    tr, tc = np.clip(target[..., 0], 0, rows - 1), np.clip(target[..., 1], 0, cols - 1)
    off_grid = (target[..., 0] != tr) | (target[..., 1] != tc)
    into_cliff = ~off_grid & ~free[tr, tc]
    nxt = np.where(off_grid, np.arange(grid.n)[:, None], grid.state_of[tr, tc])
    nxt = np.where(into_cliff, start, nxt)
    rewards = np.where(into_cliff, -100.0, -1.0)
    terminal = np.zeros(grid.n, dtype=bool)
    terminal[goal] = True
    return _deterministic(nxt, rewards, terminal, 1.0, start, grid.cells)


# ------------------------------------------------------------------------------- chapter 8

#: Example 8.1's maze (Figure 8.2): ``#`` wall, ``S`` start, ``G`` goal.
_DYNA_MAZE = (
    ".......#G",
    "..#....#.",
    "S.#....#.",
    "..#......",
    ".....#...",
    ".........",
)


def dyna_maze() -> TabularMDP:
    """The maze of Example 8.1 (Figure 8.2), 6 x 9 with seven wall cells.

    From S = (2, 0) to the terminal G = (0, 8); a move into a wall or off the grid stays.
    Reward +1 for entering G, 0 for every other step; ``gamma = 0.95``. States are the 47
    non-wall cells. The shortest path takes 14 steps::

        .......#G
        ..#....#.
        S.#....#.
        ..#......
        .....#...
        .........

    Examples
    --------
    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import value_iteration
    >>> mdp = textbook.dyna_maze()
    >>> round(float(value_iteration(mdp).values[mdp.start]), 6) == round(0.95**13, 6)
    True
    """
    layout = np.array([list(row) for row in _DYNA_MAZE])
    grid = _Grid(layout != "#")
    (goal,) = grid.state_of[layout == "G"].tolist()
    (start,) = grid.state_of[layout == "S"].tolist()
    nxt = grid.moves()
    terminal = np.zeros(grid.n, dtype=bool)
    terminal[goal] = True
    return _deterministic(nxt, (nxt == goal) * 1.0, terminal, 0.95, start, grid.cells)


# ------------------------------------------------------------------------------ the registry

PROBLEMS: dict[str, Callable[..., TabularMDP]] = {
    "gridworld": gridworld,
    "small-gridworld": small_gridworld,
    "car-rental": car_rental,
    "gamblers-problem": gamblers_problem,
    "random-walk": random_walk,
    "windy-gridworld": windy_gridworld,
    "cliff-walking": cliff_walking,
    "dyna-maze": dyna_maze,
}
"""The problems by name: ``PROBLEMS[name](**kwargs)`` builds one."""

# Continuing tasks never end an episode: their envs are truncated after this many steps
# unless make() is given max_steps.
_CONTINUING_MAX_STEPS = {"gridworld": 100, "car-rental": 100}
# Where reaching a terminal state is the task, every terminal state is a goal (the env then
# reports info["is_success"]); the gambler wins at `goal` only (0 is ruin). The random
# walk's ends are no success or failure, and continuing tasks have none.
_ALL_TERMINALS_ARE_GOALS = {"small-gridworld", "windy-gridworld", "cliff-walking", "dyna-maze"}
_ENV_KEYWORDS = ("start", "reward_noise", "max_steps", "goal_states", "render_mode")


def make(problem: str, **kwargs: Any) -> TabularEnv:
    """One of the textbook's problems as a :class:`~rlsandbox.envs.TabularEnv`.

    ``gymnasium.make("rlsandbox/Textbook-v0", problem=NAME, **kwargs)`` calls this.

    Parameters
    ----------
    problem : str
        A name in :data:`PROBLEMS`.
    **kwargs
        The problem function's arguments (``max_cars=10``, ``king_moves=True``, ...) and
        :class:`~rlsandbox.envs.TabularEnv`'s (``start``, ``reward_noise``, ``max_steps``,
        ``goal_states``, ``render_mode``). ``max_steps`` defaults to 100 for the continuing
        tasks (``gridworld``, ``car-rental``) and to no limit otherwise. ``goal_states``
        defaults to the terminal cells of the grids with a goal and to the gambler's
        ``goal``, so those envs report ``info["is_success"]``; the other problems report no
        success.

    Returns
    -------
    TabularEnv

    Raises
    ------
    ValueError
        For an unknown problem or argument, or a bad argument value.

    Examples
    --------
    >>> from rlsandbox import textbook
    >>> env = textbook.make("windy-gridworld", king_moves=True, max_steps=200)
    >>> env.action_space, env.observation_space
    (Discrete(8), Discrete(70))
    >>> env.reset(seed=0)
    (30, {})
    >>> env.step(1)  # right, from (3, 0): no wind in column 0
    (31, -1.0, False, False, {})
    """
    if problem not in PROBLEMS:
        raise ValueError(
            f"unknown textbook problem {problem!r}; use one of {', '.join(map(repr, PROBLEMS))}"
        )
    build = PROBLEMS[problem]
    env_kwargs = {k: kwargs.pop(k) for k in _ENV_KEYWORDS if k in kwargs}
    accepted = list(inspect.signature(build).parameters)
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise ValueError(
            f"{problem!r} takes no argument {unknown[0]!r}; it takes "
            f"{', '.join(accepted) or 'no arguments'}, and the env takes "
            f"{', '.join(_ENV_KEYWORDS)}"
        )
    mdp = build(**kwargs)
    env_kwargs.setdefault("max_steps", _CONTINUING_MAX_STEPS.get(problem))
    if "goal_states" not in env_kwargs:
        if problem in _ALL_TERMINALS_ARE_GOALS:
            env_kwargs["goal_states"] = _absorbing_states(mdp)
        elif problem == "gamblers-problem":
            env_kwargs["goal_states"] = [mdp.n_states - 1]
    return TabularEnv(mdp, **env_kwargs)


def _absorbing_states(mdp: TabularMDP) -> np.ndarray:
    """The states every outcome of which stays put with reward 0 (the terminal cells)."""
    moving = mdp.probs > 0
    stays = (mdp.next_states == np.arange(mdp.n_states)[:, None, None]) & (mdp.rewards == 0)
    return np.flatnonzero((stays | ~moving).all(axis=(1, 2)))


def _check_int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return int(value)
