"""Value iteration keeps its internal arrays between calls: results never depend on it."""

import threading

import numpy as np
import pytest

from rlsandbox import _mdp_sweep
from rlsandbox.envs.layouts import generate_maze
from rlsandbox.envs.maze import MazeEnv
from rlsandbox.mdp import TabularMDP, value_iteration


def random_mdp(seed: int, n_states: int = 60, n_actions: int = 3, n_out: int = 2,
               hub: bool = False) -> TabularMDP:
    """A random model; ``hub`` sends every state's action 0 to state 0 (in-degree > 8, the
    reverse graph's CSR form)."""
    rng = np.random.default_rng(seed)
    shape = (n_states, n_actions, n_out)
    next_states = rng.integers(0, n_states, shape)
    if hub:
        next_states[:, 0, :] = 0
    probs = rng.random(shape)
    if n_out > 1:
        probs[..., -1] *= rng.random(shape[:2]) < 0.5  # some zero-probability outcomes
    probs /= probs.sum(axis=2, keepdims=True)
    rewards = rng.normal(size=shape)
    terminated = rng.random(shape) < 0.05
    return TabularMDP(next_states, probs, rewards, terminated, gamma=0.95)


def maze_mdp(seed: int) -> TabularMDP:
    """Mazes of one shape that differ in rewards and slip (a padded reverse graph)."""
    env = MazeEnv(generate_maze(15, 15, seed=0), slip=0.1 * (seed % 3),
                  step_reward=-0.1 * (1 + seed), goal_reward=5.0 + seed)
    return TabularMDP.from_env(env, gamma=0.97)


def fields(result) -> tuple[np.ndarray, ...]:
    return (result.values, result.q_values, result.policy, result.residuals)


def solve_fresh(mdp: TabularMDP, monkeypatch) -> tuple[np.ndarray, ...]:
    with monkeypatch.context() as patch:
        patch.setattr(_mdp_sweep, "_KEEP_BYTES", -1)  # nothing kept: every array is new
        patch.setattr(_mdp_sweep, "_WORKSPACE", _mdp_sweep._Workspace())
        return tuple(a.copy() for a in fields(value_iteration(mdp)))


@pytest.mark.parametrize("kind", ["maze", "deterministic", "stochastic", "hub"])
def test_solves_in_turn_equal_solves_from_new_arrays_and_leave_earlier_results_alone(
        monkeypatch, kind):
    n_out = 1 if kind == "deterministic" else 2
    models = [maze_mdp(seed) if kind == "maze" else
              random_mdp(seed, n_out=n_out, hub=kind == "hub") for seed in range(4)]
    expected = [solve_fresh(mdp, monkeypatch) for mdp in models]
    results = [value_iteration(mdp) for mdp in models + models]  # same shapes, in turn
    assert _mdp_sweep._WORKSPACE.arrays  # arrays were kept and reused
    for result, want in zip(results, expected + expected, strict=True):
        for got, exp in zip(fields(result), want, strict=True):
            np.testing.assert_array_equal(got, exp)


def test_threads_solving_at_once_each_get_their_own_arrays(monkeypatch):
    models = [random_mdp(seed, n_states=400) for seed in range(4)]
    expected = [solve_fresh(mdp, monkeypatch) for mdp in models]
    got: dict[int, list] = {}

    def solve_repeatedly(i: int) -> None:
        got[i] = [fields(value_iteration(models[i])) for _ in range(10)]

    threads = [threading.Thread(target=solve_repeatedly, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i, want in enumerate(expected):
        for result in got[i]:
            for a, b in zip(result, want, strict=True):
                np.testing.assert_array_equal(a, b)


def test_arrays_above_the_size_limit_are_not_kept(monkeypatch):
    monkeypatch.setattr(_mdp_sweep, "_KEEP_BYTES", 100)
    monkeypatch.setattr(_mdp_sweep, "_WORKSPACE", _mdp_sweep._Workspace())
    value_iteration(random_mdp(0))
    assert all(a.nbytes <= 100 for a in _mdp_sweep._WORKSPACE.arrays.values())
