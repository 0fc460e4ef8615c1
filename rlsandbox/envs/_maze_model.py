"""The maze's transition model as numpy arrays, the toy-text ``P`` and the step table.

Everything here is vectorised over states (Python loops run over the four directions only),
so the model of a maze with a million cells takes well under a second; only the toy-text
``P`` (a dict of lists, by definition) is built state by state.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MOVES", "entry_values", "moves", "outcome_arrays", "step_table", "toy_text_model"]

# Actions / directions: 0 up, 1 right, 2 down, 3 left, as (row, column) offsets.
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))


def moves(grid_shape: tuple[int, int], cells: np.ndarray) -> np.ndarray:
    """``(S, 4)`` int64: the state reached from each state by each direction, walls stay.

    ``cells`` are the flat grid indices of the states (the non-wall cells), sorted.
    """
    rows, cols = grid_shape
    n = len(cells)
    state_of = np.full(rows * cols, -1, dtype=np.int64)
    state_of[cells] = np.arange(n)
    r, c = np.divmod(cells, cols)
    out = np.empty((n, 4), dtype=np.int64)
    for d, (dr, dc) in enumerate(MOVES):
        nr, nc = r + dr, c + dc
        inside = (nr >= 0) & (nr < rows) & (nc >= 0) & (nc < cols)
        target = np.where(inside, state_of[np.where(inside, nr * cols + nc, 0)], -1)
        out[:, d] = np.where(target >= 0, target, np.arange(n))
    return out


def entry_values(
    n: int,
    goal_states: np.ndarray,
    trap_states: np.ndarray,
    rewards: tuple[float, float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Reward for entering each state and whether entering it ends the episode.

    ``rewards`` is ``(step_reward, goal_reward, trap_reward)``.
    """
    step_reward, goal_reward, trap_reward = rewards
    reward_in = np.full(n, step_reward, dtype=np.float64)
    reward_in[goal_states] = goal_reward
    reward_in[trap_states] = trap_reward
    ends_in = np.zeros(n, dtype=bool)
    ends_in[goal_states] = True
    ends_in[trap_states] = True
    return reward_in, ends_in


def outcome_arrays(
    move: np.ndarray, reward_in: np.ndarray, ends_in: np.ndarray, slip: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(next_states, probs, rewards, terminated)``, each ``(S, 4, K)``; see ``MazeEnv``."""
    if slip == 0.0:
        dirs = np.arange(4)[:, None]
        p = np.array([1.0])
    else:
        # Intended, then perpendicular left (a - 1 mod 4), then perpendicular right.
        a = np.arange(4)
        dirs = np.stack([a, (a + 3) % 4, (a + 1) % 4], axis=1)
        p = np.array([1.0 - slip, slip / 2, slip / 2])
    next_states = move[:, dirs]
    probs = np.broadcast_to(p, next_states.shape).copy()
    rewards = reward_in[next_states]
    terminated = ends_in[next_states]
    # Goal and trap states are absorbing with reward 0 (as FrozenLake's holes and goal).
    absorbing = np.flatnonzero(ends_in)
    next_states[absorbing] = absorbing[:, None, None]
    probs[absorbing] = 0.0
    probs[absorbing, :, 0] = 1.0
    rewards[absorbing] = 0.0
    terminated[absorbing] = True
    return next_states, probs, rewards, terminated


def toy_text_model(
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> dict[int, dict[int, list[tuple[float, int, float, bool]]]]:
    """Gymnasium's ``P[s][a]`` lists from :func:`outcome_arrays`' arrays.

    Outcomes with the same next state are merged (their probabilities added: the reward
    and the end flag depend on the next state only) and zero-probability outcomes dropped.
    """
    next_states, probs, rewards, terminated = (x.tolist() for x in arrays)
    model = {}
    for s, (ns_s, p_s, r_s, t_s) in enumerate(
        zip(next_states, probs, rewards, terminated, strict=True)
    ):
        row = {}
        for a in range(4):
            merged: dict[int, list] = {}
            for ns, p, r, t in zip(ns_s[a], p_s[a], r_s[a], t_s[a], strict=True):
                if p > 0.0:
                    if ns in merged:
                        merged[ns][0] += p
                    else:
                        merged[ns] = [p, ns, r, t]
            row[a] = [tuple(x) for x in merged.values()]
        model[s] = row
    return model


def step_table(
    move: np.ndarray, reward_in: np.ndarray, ends_in: np.ndarray, goal_states: np.ndarray
) -> list[tuple[int, float, bool, bool]]:
    """``table[8 * s + j]``: (next state, reward, terminated, is goal) of moving ``j % 4``.

    Eight slots per state, the last four repeating the first, so that a slip offset (0, 1
    or 3) can be added to the action without taking it modulo 4. Plain Python values, so
    a step is a list look-up.
    """
    n = len(move)
    is_goal = np.zeros(n, dtype=bool)
    is_goal[goal_states] = True
    # One tuple per state, shared by every move into it: memory stays O(states).
    entering = list(
        zip(range(n), reward_in.tolist(), ends_in.tolist(), is_goal.tolist(), strict=True)
    )
    return [entering[s] for s in np.concatenate([move, move], axis=1).ravel().tolist()]
