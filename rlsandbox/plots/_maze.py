"""Figures of states: value heat-maps with policy arrows, and trajectories of episodes.

A grid is a :class:`~rlsandbox.envs.MazeEnv`, a :class:`~rlsandbox.envs.TabularEnv` whose MDP
has ``cells`` (the textbook's grids), or such a :class:`~rlsandbox.mdp.TabularMDP` itself;
all three are read through their ``grid`` of layout characters and ``state_to_cell``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rlsandbox.plots._common import (
    FLOOR_COLOUR,
    PALETTE,
    VALUE_CMAP,
    WALL_COLOUR,
    _pyplot,
    _vector,
)

__all__ = ["plot_trajectory", "plot_values", "value_limits"]

# Action id -> (d_col, d_row) on screen; rows grow downwards as in the layout text. Actions
# 4-7 are the king's diagonals (up-right, down-right, down-left, up-left), shortened by
# sqrt(2) so that every arrow has the same length.
_D = 0.5 ** 0.5
_MOVES = {0: (0, -1), 1: (1, 0), 2: (0, 1), 3: (-1, 0),
          4: (_D, -_D), 5: (_D, _D), 6: (-_D, _D), 7: (-_D, -_D)}
_MOVE_NAMES = "0 up, 1 right, 2 down, 3 left; 4-7 up-right, down-right, down-left, up-left"
_CARTPOLE_NAMES = ("cart position x [m]", "cart velocity ẋ [m/s]", "pole angle θ [rad]",
                   "pole angular velocity θ̇ [rad/s]")
_GOAL_TINT, _TRAP_TINT = "#bfe3d6", "#f6cbb0"  # light Okabe-Ito bluish green / vermillion


def plot_values(env, values, policy=None, *, ax=None, vmin: float | None = None,
                vmax: float | None = None, title: str | None = None,
                annotate: bool | str = False, colorbar: bool = True):
    """Draw a grid's state values as a heat-map, with policy arrows.

    Walls (and the cells of a TabularMDP's grid that are no state, e.g. the cliff of
    cliff walking) are dark, values use the perceptually uniform, colour-blind-safe
    ``viridis`` map (with a colourbar), the start is marked ``S``. Goals (``G``) and traps
    (``X``; in a TabularEnv, ends that are not goals) end the episode, so their value is 0
    by definition: they are tinted (bluish green, vermillion) and left off the colour
    scale, which then spans the other states' values. Arrows show the policy on every
    state that is not a goal or a trap.

    Value maps drawn side by side compare only on one colour scale: pass the same
    ``vmin``/``vmax`` to each, e.g. ``value_limits(env, v1, v2)``.

    Parameters
    ----------
    env : MazeEnv, TabularEnv or TabularMDP with cells, or a gymnasium.Env wrapping one
        The grid (``env.unwrapped`` is used), e.g. ``textbook.make("cliff-walking")`` or
        ``textbook.gridworld()``.
    values : array_like, shape (n_states,)
        A value per state, e.g. ``ValueIterationAgent(env).values`` or
        ``agent.q_table.max(axis=1)``.
    policy : array_like, optional
        An action per state, shape ``(n_states,)`` (0 up, 1 right, 2 down, 3 left; with
        king's moves also 4 up-right, 5 down-right, 6 down-left, 7 up-left), or action
        values/probabilities of shape ``(n_states, n_actions)`` whose row-wise argmax is
        drawn, or a boolean ``(n_states, n_actions)`` array marking the actions to draw
        in each state: an arrow from the cell's centre for each, so tied optimal actions
        are all shown (as Sutton & Barto draw pi*).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (and add the colourbar beside it) instead of a new figure.
    vmin, vmax : float, optional
        Ends of the colour scale (default: the smallest and largest value drawn); values
        beyond them take the end colours.
    title : str, optional
        The axes title, e.g. naming the env and the agent (default: "State values", with
        "and greedy policy" when a policy is drawn).
    annotate : bool or str, default False
        Write each state's value in its cell: True with one decimal, or a format spec
        such as ``".2f"``. With a policy the number goes to the bottom of the cell.
    colorbar : bool, default True
        Add the colourbar; panels that share limits can share one colourbar instead,
        ``fig.colorbar(ax.images[-1], ax=axes)``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``env`` is not a grid (a maze, or a TabularEnv/TabularMDP with ``cells``),
        ``values`` is not one finite number per state, ``policy`` is not one action of the
        grid's moves per state (an MDP whose actions are not 4 or 8 moves gets no arrows),
        or ``vmin >= vmax``.

    Examples
    --------
    >>> from rlsandbox.agents import ValueIterationAgent
    >>> from rlsandbox.envs import MazeEnv
    >>> env = MazeEnv("tiny")
    >>> v1, v2 = ValueIterationAgent(env, gamma=0.9).values, ValueIterationAgent(env).values
    >>> lo, hi = value_limits(env, v1, v2)
    >>> fig = plot_values(env, v1, vmin=lo, vmax=hi, title="tiny maze, gamma 0.9")
    >>> fig.axes[0].images[-1].norm.vmin == lo
    True

    A textbook grid, with every optimal action drawn and the values written in:

    >>> import numpy as np
    >>> from rlsandbox import textbook
    >>> from rlsandbox.mdp import q_values, value_iteration
    >>> mdp = textbook.gridworld()
    >>> q = q_values(mdp, value_iteration(mdp).values)
    >>> fig = plot_values(mdp, q.max(axis=1), np.isclose(q, q.max(axis=1, keepdims=True)),
    ...                   annotate=True)
    >>> len(fig.axes[0].texts)  # 25 values
    25
    """
    maze = _Maze(env, "plot_values")
    values = _vector("values", values, length=maze.n_states)
    arrows = None if policy is None else maze.arrows(policy)
    fmt = _value_format(annotate)
    fig, ax = _maze_axes(ax, maze, side=1.3 if colorbar else 0.2)
    # Goals and traps end the episode, so their value is 0 by definition; on the colour
    # scale they would stretch it and look like the worst cells. They get a tint instead.
    shown = ~maze.terminal if (~maze.terminal).any() else np.ones(maze.n_states, dtype=bool)
    ax.imshow(_background(maze), interpolation="nearest")
    image = np.full(maze.shape, np.nan)
    image[maze.rows[shown], maze.cols[shown]] = values[shown]
    cmap = _cmap(VALUE_CMAP).with_extremes(bad=(0, 0, 0, 0))  # unvalued cells: see-through
    lo, hi = _limits([values[shown]], vmin, vmax)
    im = ax.imshow(np.ma.masked_invalid(image), cmap=cmap, vmin=lo, vmax=hi,
                   interpolation="nearest")
    if colorbar:
        fig.colorbar(im, ax=ax, label="value V(s)", shrink=0.9)
    # Text and arrows in black on light cells, white on dark ones.
    ink = [_ink(cmap(min(max((v - lo) / (hi - lo), 0.0), 1.0))) if show else "black"
           for v, show in zip(values, shown, strict=True)]
    if arrows is not None:
        states, moves, from_centre = arrows
        keep = ~maze.terminal[states]
        states, moves = states[keep], moves[keep]
        dx = np.array([_MOVES[int(a)][0] for a in moves], dtype=np.float64)
        dy = np.array([_MOVES[int(a)][1] for a in moves], dtype=np.float64)
        # One action: an arrow across the cell's centre. Several (ties): each from the centre.
        length, pivot, width = (0.42, "tail", 0.05) if from_centre else (0.55, "middle", 0.09)
        if fmt is not None:
            length *= 0.8  # leave the bottom of the cell to the number
        ax.quiver(maze.cols[states], maze.rows[states] - (0.08 if fmt else 0.0), dx * length,
                  dy * length, pivot=pivot, angles="xy", scale_units="xy", scale=1,
                  width=width, headwidth=3.5, headlength=3, headaxislength=2.6, units="xy",
                  color=[ink[s] for s in states])
    if fmt is not None:
        _write_values(ax, maze, values, ink, fmt, low=arrows is not None)
    _mark_special_cells(ax, maze, ink, corner=arrows is not None or fmt is not None)
    default = "State values and greedy policy" if arrows is not None else "State values"
    ax.set_title(default if title is None else title)
    return fig


def value_limits(env, *values) -> tuple[float, float]:
    """One colour scale for several value maps of ``env``: ``(vmin, vmax)`` for plot_values.

    The smallest and largest value over the states that :func:`plot_values` colours (all
    but goals and traps) of every array given, so maps drawn with these limits compare
    colour for colour.

    Parameters
    ----------
    env : MazeEnv, TabularEnv or TabularMDP with cells, or a gymnasium.Env wrapping one
    *values : array_like, shape (n_states,)
        One or more value arrays.

    Returns
    -------
    (float, float)
    """
    if not values:
        raise ValueError("value_limits needs at least one value array")
    maze = _Maze(env, "value_limits")
    shown = ~maze.terminal if (~maze.terminal).any() else np.ones(maze.n_states, dtype=bool)
    arrays = [_vector("values", v, length=maze.n_states)[shown] for v in values]
    return _limits(arrays, None, None)


def _limits(arrays, vmin, vmax) -> tuple[float, float]:
    """The colour scale: given ends, else the data's; never of zero width."""
    for name, value in (("vmin", vmin), ("vmax", vmax)):
        if value is not None and (isinstance(value, bool) or not np.isfinite(float(value))):
            raise ValueError(f"{name} must be a finite number or None, got {value!r}")
    lo = float(min(a.min() for a in arrays)) if vmin is None else float(vmin)
    hi = float(max(a.max() for a in arrays)) if vmax is None else float(vmax)
    if vmin is not None and vmax is not None and lo >= hi:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin!r}, vmax={vmax!r}")
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1  # constant values: avoid a zero-width colour range
    return lo, hi


def plot_trajectory(env, episode, *, ax=None, title: str | None = None):
    """Draw where an episode went.

    On a grid (a maze or a TabularEnv whose MDP has ``cells``) the path is a line over the
    grid from a start marker (circle) to an end marker (square). With vector observations
    (CartPole: x, ẋ, θ, θ̇) each observation dimension is traced over time in its own
    stacked axes; CartPole's failure limits on x and θ are dashed where the trace comes
    within half of them.

    Parameters
    ----------
    env : gymnasium.Env
        The env that ran the episode (``env.unwrapped`` is used): a grid (it has
        ``state_to_cell``: a maze, a TabularEnv with ``cells``) or an env with vector
        observations such as CartPole.
    episode : Episode or array_like
        The episode, or its observations: ``(T + 1,)`` maze states or ``(T + 1, D)`` vectors.
    ax : matplotlib.axes.Axes or sequence of Axes, optional
        Maze: draw into this axes. Vector observations: a sequence of ``D`` axes gets one
        trace each; a single axes gets all ``D`` traces, distinguished by colour and
        legend, on one shared y-axis (their units differ, so compare shapes, not heights).
    title : str, optional
        Names what ran (e.g. the env and the agent); it heads the figure, above the
        episode's summary (steps, return, success). Default: "Trajectory" (maze) or
        "Episode" (vector observations), on the summary's line.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the observations are not maze states of ``env``, are not vectors, or ``ax`` is
        a sequence of the wrong length.
    """
    observations = np.asarray(getattr(episode, "observations", episode))
    if observations.ndim == 0 or len(observations) == 0:
        raise ValueError(f"plot_trajectory needs the episode's observations, at least one; got "
                         f"{observations!r}")
    summary = _summary(episode, len(observations) - 1)
    unwrapped = getattr(env, "unwrapped", env)
    if hasattr(unwrapped, "state_to_cell") or _is_mdp(unwrapped):
        heading = f"Trajectory: {summary}" if title is None else f"{title}\n{summary}"
        return _maze_trajectory(_Maze(env, "plot_trajectory"), observations, heading, ax)
    if observations.ndim != 2 or observations.shape[1] < 1:
        raise ValueError(
            f"plot_trajectory draws maze states or vector observations (T + 1, D); got shape "
            f"{observations.shape} for an env without state_to_cell (discretised observations "
            "cannot be traced: record the episode without DiscretizeObservation)"
        )
    heading = f"Episode: {summary}" if title is None else f"{title}\n{summary}"
    return _vector_trajectory(unwrapped, observations.astype(np.float64), heading, ax)


# -- the maze -----------------------------------------------------------------------------------
class _Maze:
    """What the figures need from a grid: its layout, its states' cells, special cells."""

    def __init__(self, env, caller: str) -> None:
        maze = _grid_env(env, caller)
        self.n_states = int(maze.observation_space.n)
        # A maze moves in 4 directions; a TabularEnv grid in 4, or 8 with king's moves. Other
        # action sets are not moves on the grid: their values are drawn, never arrows.
        n_actions = int(maze.action_space.n)
        self.n_moves = n_actions if n_actions in (4, 8) else 0
        self.n_actions = n_actions
        cells = np.array([maze.state_to_cell(s) for s in range(self.n_states)], dtype=np.int64)
        self.rows, self.cols = cells[:, 0], cells[:, 1]
        self.kinds = _layout_chars(maze)
        self.shape = self.kinds.shape
        kind = self.kinds[self.rows, self.cols]
        self.goals = np.flatnonzero(kind == "G")
        self.traps = np.flatnonzero(kind == "X")
        self.starts = np.flatnonzero(kind == "S")
        self.terminal = np.isin(kind, ["G", "X"])
        # A maze's X is a trap and '#' a wall; a TabularEnv's X is an end that is no goal
        # and '#' a cell that is no state (a wall, the cliff).
        self.words = ({"X": "X trap", "#": "dark: wall"} if hasattr(maze, "trap_states")
                      else {"X": "X other end", "#": "dark: no state"})

    def arrows(self, policy) -> tuple[np.ndarray, np.ndarray, bool]:
        """``(states, actions, from_centre)`` of the arrows to draw for ``policy``."""
        n, a = self.n_states, self.n_actions
        if not self.n_moves:
            raise ValueError(f"policy arrows are drawn for grid moves ({_MOVE_NAMES}); this "
                             f"env has {a} actions, so draw its values alone (policy=None)")
        array = np.asarray(policy)
        if array.dtype == bool and array.shape == (n, a):  # a set of actions per state
            states, actions = np.nonzero(array)
            return states, actions, True
        if array.ndim == 2 and array.shape == (n, a):
            array = array.argmax(axis=1)
        if array.shape != (n,):
            raise ValueError(f"policy must be one action per state, shape ({n},), or action "
                             f"values of shape ({n}, {a}) (boolean: the actions to draw); got "
                             f"shape {array.shape}")
        if not np.issubdtype(array.dtype, np.integer):
            if not np.issubdtype(array.dtype, np.floating) or (array != np.round(array)).any():
                raise ValueError(f"policy actions must be integers, got dtype {array.dtype}")
            array = array.astype(np.int64)
        if array.size and (array.min() < 0 or array.max() >= a):
            names = "up, right, down, left" if a == 4 else "king's moves"
            raise ValueError(f"policy actions must be in 0..{a - 1} ({names}), got values in "
                             f"[{array.min()}, {array.max()}]")
        return np.arange(n), array, False


def _is_mdp(obj) -> bool:
    from rlsandbox.mdp import TabularMDP

    return isinstance(obj, TabularMDP)


def _grid_env(env, caller: str):
    """The unwrapped env of ``env`` that is a grid (a TabularMDP becomes its TabularEnv)."""
    maze = getattr(env, "unwrapped", env)
    if _is_mdp(maze):
        if maze.cells is None:
            raise ValueError(f"{caller} draws grids, and this TabularMDP has no cells; give "
                             "TabularMDP(..., cells=...) the (row, col) of each state")
        from rlsandbox.envs import TabularEnv  # its grid: the same picture the env renders

        maze = TabularEnv(maze)
    if not hasattr(maze, "state_to_cell"):
        raise ValueError(f"{caller} needs a maze env or a grid (one with state_to_cell: "
                         f"MazeEnv, a TabularEnv or TabularMDP with cells), got "
                         f"{type(maze).__name__}")
    if getattr(maze, "grid", None) is None:
        raise ValueError(f"{caller} draws grids, and this {type(maze).__name__}'s MDP has no "
                         "cells (mdp.cells is None); give TabularMDP(..., cells=...) the "
                         "(row, col) of each state")
    return maze


def _layout_chars(maze) -> np.ndarray:
    """The maze as an array of layout characters ``#``, ``.``, ``S``, ``G``, ``X``."""
    grid = np.asarray(maze.grid)
    if grid.dtype.kind == "S":
        grid = np.char.decode(grid, "ascii")
    grid = np.where(grid == " ", ".", grid.astype(str))
    return grid


def _maze_axes(ax, maze: _Maze, *, side: float):
    """Axes showing the grid cell by cell; ``side`` inches are kept right of the maze."""
    rows, cols = maze.shape
    if ax is None:
        cell = 0.42 if max(rows, cols) <= 16 else 6.5 / max(rows, cols)
        width = min(11.0 + side, max(3.5, cols * cell + side + 0.3))
        height = min(9.0, max(2.5, rows * cell + 0.9))
        fig, ax = _pyplot().subplots(figsize=(width, height), layout="constrained")
    else:
        fig = ax.figure
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(which="minor", color="white", lw=0.6, alpha=0.5)
    present = [text for chars, text in (("S", "S start"), ("G", "G goal"),
                                        ("X", maze.words["X"]), ("#", maze.words["#"]))
               if (maze.kinds == chars).any()]
    ax.set_xlabel(" · ".join(present), fontsize="small")
    return fig, ax


def _background(maze: _Maze) -> np.ndarray:
    """RGB image of the maze: dark walls, light floor, tinted goals and traps."""
    image = np.ones((*maze.shape, 3))
    for chars, colour in (("#", WALL_COLOUR), (".", FLOOR_COLOUR), ("S", FLOOR_COLOUR),
                          ("G", _GOAL_TINT), ("X", _TRAP_TINT)):
        image[maze.kinds == chars] = _rgb(colour)
    return image


def _mark_special_cells(ax, maze: _Maze, ink, *, corner: bool) -> None:
    """Letters on goals and traps (centred) and the start (in a corner if arrows are drawn)."""
    size = _fontsize(ax, maze)
    for states, letter in ((maze.goals, "G"), (maze.traps, "X")):
        for s in states:
            ax.text(maze.cols[s], maze.rows[s], letter, ha="center", va="center",
                    fontsize=size, fontweight="bold", color=ink[s], zorder=5)
    for s in maze.starts:
        if corner:
            ax.text(maze.cols[s] - 0.45, maze.rows[s] - 0.45, "S", ha="left", va="top",
                    fontsize=size * 0.7, fontweight="bold", color=ink[s], zorder=5)
        else:
            ax.text(maze.cols[s], maze.rows[s], "S", ha="center", va="center",
                    fontsize=size, fontweight="bold", color=ink[s], zorder=5)


def _value_format(annotate) -> str | None:
    """The format spec of the numbers written in the cells, or None for no numbers."""
    if annotate is False or annotate is None:
        return None
    if annotate is True:
        return ".1f"
    if isinstance(annotate, str):
        try:
            format(1.5, annotate)
        except ValueError:
            pass
        else:
            return annotate
    raise ValueError(f"annotate must be True, False or a format spec such as '.2f', got "
                     f"{annotate!r}")


def _write_values(ax, maze: _Maze, values: np.ndarray, ink, fmt: str, *, low: bool) -> None:
    """Each non-terminal state's value in its cell (at the cell's bottom when ``low``)."""
    free = np.flatnonzero(~maze.terminal)
    texts = [format(float(values[s]), fmt) for s in free]
    if not texts:
        return
    # As large as fits: half a cell high, and the longest number at most 0.9 cells wide (a
    # digit is 0.64 em wide, "-" and "." about half that; a number is counted as at least 5
    # characters, so maps of short and long numbers side by side, 0.0 and -14.0, match).
    cell_pt = _cell_points(ax, maze)
    longest = max(5, *(len(t) for t in texts))
    size = float(np.clip(min(0.5 * cell_pt, 0.9 * cell_pt / (0.56 * longest)), 5, 14))
    if low:
        size *= 0.8
    for s, text in zip(free, texts, strict=True):
        y, va = (maze.rows[s] + 0.47, "bottom") if low else (maze.rows[s], "center")
        ax.text(maze.cols[s], y, text, ha="center", va=va, fontsize=size, color=ink[s],
                zorder=4)


def _maze_trajectory(maze: _Maze, observations: np.ndarray, heading: str, ax):
    if observations.ndim != 1 or len(observations) == 0:
        raise ValueError(f"maze observations must be a 1-D array of states, got shape "
                         f"{observations.shape}")
    if (not np.issubdtype(observations.dtype, np.integer)
            or observations.min() < 0 or observations.max() >= maze.n_states):
        raise ValueError(f"maze observations must be states in [0, {maze.n_states}); got "
                         f"{observations.dtype} values in [{observations.min()}, "
                         f"{observations.max()}]")
    fig, ax = _maze_axes(ax, maze, side=1.0)  # legend
    ax.imshow(_background(maze), interpolation="nearest")
    ink = ["black"] * maze.n_states
    _mark_special_cells(ax, maze, ink, corner=True)
    xs, ys = maze.cols[observations], maze.rows[observations]
    ax.plot(xs, ys, color=PALETTE[0], lw=2.5, alpha=0.85, solid_joinstyle="round",
            solid_capstyle="round", label="path", zorder=3)
    # Markers under a cell wide, so that on big mazes they do not hide the neighbours;
    # the cell letters stay on top of them.
    size = float(np.clip(2 * _fontsize(ax, maze), 5, 14))
    ax.plot(xs[0], ys[0], "o", ms=size, color=PALETTE[2], mec="black", label="start", zorder=4)
    ax.plot(xs[-1], ys[-1], "s", ms=size * 0.9, color=PALETTE[3], mec="black", label="end",
            zorder=4)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    ax.set_title(heading)
    return fig


# -- vector observations ------------------------------------------------------------------------
def _vector_trajectory(env, observations: np.ndarray, heading: str, ax):
    dims = observations.shape[1]
    # CartPole is recognised by its failure limits, not by having 4 dimensions.
    cartpole = dims == 4 and hasattr(env, "x_threshold") and hasattr(env,
                                                                      "theta_threshold_radians")
    names = _CARTPOLE_NAMES if cartpole else tuple(f"observation[{i}]" for i in range(dims))
    bounds = {0: env.x_threshold, 2: env.theta_threshold_radians} if cartpole else {}
    steps = np.arange(len(observations))
    if ax is None:
        fig, axes = _pyplot().subplots(dims, 1, sharex=True, figsize=(7, 1.5 + 1.25 * dims),
                                       layout="constrained", squeeze=False)
        axes = list(axes[:, 0])
        fig.suptitle(heading)
    elif isinstance(ax, (Sequence, np.ndarray)):
        axes = list(np.ravel(ax))
        if len(axes) != dims:
            raise ValueError(f"got {len(axes)} axes for {dims} observation dimensions; pass "
                             f"{dims} axes, one axes, or none")
        fig = axes[0].figure
    else:
        fig = ax.figure
        for i, name in enumerate(names):
            ax.plot(steps, observations[:, i], lw=1.5, color=PALETTE[i % len(PALETTE)],
                    label=name)
        ax.axhline(0, color="#bfbfbf", lw=0.8, zorder=0)
        ax.set_xlabel("time step")
        ax.xaxis.set_major_locator(_integer_ticks())
        ax.set_ylabel("observation")
        ax.set_title(heading)
        ax.legend(loc="best", fontsize="small")
        ax.grid(alpha=0.3)
        return fig
    for i, (axis, name) in enumerate(zip(axes, names, strict=True)):
        axis.plot(steps, observations[:, i], lw=1.5, color=PALETTE[i % len(PALETTE)])
        bound = bounds.get(i)
        # The failure limits, where the trace comes near enough for them to matter.
        if bound is not None and np.abs(observations[:, i]).max() >= 0.5 * float(bound):
            for sign in (-1, 1):
                axis.axhline(sign * float(bound), ls="--", lw=1, color="#7f7f7f",
                             label="failure limit" if sign > 0 else None)
            axis.legend(loc="best", fontsize="x-small")
        axis.axhline(0, color="#bfbfbf", lw=0.8, zorder=0)
        axis.set_ylabel(name.replace(" [", "\n["), fontsize="small")
        axis.grid(alpha=0.3)
    axes[-1].set_xlabel("time step")
    axes[-1].xaxis.set_major_locator(_integer_ticks())
    return fig


# -- helpers ------------------------------------------------------------------------------------
def _summary(episode, steps: int) -> str:
    text = f"{steps} steps"
    rewards = getattr(episode, "rewards", None)
    if rewards is not None:
        text += f", return {float(np.sum(rewards)):.2f}"
    success = getattr(episode, "success", None)
    if success is not None:
        text += ", success" if success else ", no success"
    return text


def _integer_ticks():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _cmap(name: str):
    import matplotlib

    return matplotlib.colormaps[name]


def _rgb(colour) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def _ink(rgba) -> str:
    """Black on light backgrounds, white on dark ones (relative luminance)."""
    r, g, b = rgba[:3]
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 else "white"


def _fontsize(ax, maze: _Maze) -> float:
    """A letter size that fills about half a cell."""
    fig = ax.figure
    width_in = fig.get_figwidth() * ax.get_position().width
    cell_pt = 72 * width_in / max(maze.shape[1], 1)
    return float(np.clip(0.5 * cell_pt, 6, 16))


def _cell_points(ax, maze: _Maze) -> float:
    """The side of a cell in points, as far as it is known before the figure is drawn.

    The axes box before a layout engine has run is smaller than the final one, so text
    sized from it fits the final cells too; the box's height counts (the grid keeps its
    aspect ratio inside the box, so the tighter side decides).
    """
    fig, box = ax.figure, ax.get_position()
    rows, cols = maze.shape
    return 72 * min(fig.get_figwidth() * box.width / max(cols, 1),
                    fig.get_figheight() * box.height / max(rows, 1))
