"""CartPoleVectorEnv and MazeVectorEnv: every sub-env equals the single env of its seed."""

import multiprocessing
import os
import subprocess
import threading

import gymnasium
import numpy as np
import pytest
from gymnasium.error import ResetNeeded
from gymnasium.vector import AutoresetMode

import rlsandbox  # noqa: F401  (registers the envs)
import rlsandbox.envs.cartpole_vector as cartpole_vector
from rlsandbox.envs import CartPoleEnv, CartPoleVectorEnv, MazeEnv, MazeVectorEnv
from rlsandbox.envs.registration import register_envs


def play_side_by_side(venv, singles, actions, *, reset_seed=0, reset_every=None):
    """Step ``venv`` and the single envs with the same actions; assert equal results.

    The single envs follow Gymnasium's NEXT_STEP autoreset by hand: the step after an
    episode ended is a ``reset()`` (no seed) whose observation the vector env returns.
    Returns the number of episode ends seen. ``reset_seed=None``: no reset first (both
    sides have just been reset alike).
    """
    if reset_seed is not None:
        obs, _ = venv.reset(seed=reset_seed)
        expected = [env.reset(seed=reset_seed + i)[0] for i, env in enumerate(singles)]
        assert np.array_equal(obs, np.array(expected))
    done = [False] * len(singles)
    ends = 0
    for t, a in enumerate(actions):
        if reset_every and t and t % reset_every == 0:  # unseeded reset: generators go on
            obs, _ = venv.reset()
            expected = [env.reset()[0] for env in singles]
            assert np.array_equal(obs, np.array(expected)), f"reset at step {t}"
            done = [False] * len(singles)
        obs, rewards, terminated, truncated, info = venv.step(a)
        for i, env in enumerate(singles):
            if done[i]:
                o, _ = env.reset()
                r, te, tr, inf = 0.0, False, False, {}
            else:
                o, r, te, tr, inf = env.step(int(a[i]))
            done[i] = te or tr
            ends += done[i]
            assert np.array_equal(obs[i], o), f"step {t}, sub-env {i}: observation"
            assert (rewards[i], terminated[i], truncated[i]) == (r, te, tr), f"step {t}, {i}"
            if done[i]:
                assert info["_is_success"][i] and info["is_success"][i] == inf["is_success"]
            elif info:
                assert not info["_is_success"][i]
    return ends


# -- CartPole ---------------------------------------------------------------------------------
# Many sub-envs autoreset by index, few by masks: force each path on a small batch.
PATHS = ["masks", "index"]


def force_path(monkeypatch, path: str) -> None:
    monkeypatch.setattr(cartpole_vector, "_DIRECT_FROM", 1 if path == "index" else 10**9)


@pytest.mark.parametrize("path", PATHS)
def test_cartpole_sub_envs_equal_single_envs_seeded_seed_plus_index(monkeypatch, path):
    force_path(monkeypatch, path)
    n = 8
    actions = np.random.default_rng(0).integers(0, 2, size=(1500, n))
    venv = CartPoleVectorEnv(n)
    ends = play_side_by_side(venv, [CartPoleEnv() for _ in range(n)], actions, reset_seed=5)
    assert ends > 100  # many autoresets were checked
    venv.close()


@pytest.mark.parametrize("path", PATHS)
def test_cartpole_unseeded_reset_continues_every_sub_env_generator(monkeypatch, path):
    force_path(monkeypatch, path)
    n = 3
    actions = np.random.default_rng(1).integers(0, 2, size=(900, n))
    play_side_by_side(CartPoleVectorEnv(n), [CartPoleEnv() for _ in range(n)], actions,
                      reset_every=130)


@pytest.mark.parametrize("path", PATHS)
def test_cartpole_truncation_reports_success_and_custom_physics_match(monkeypatch, path):
    force_path(monkeypatch, path)
    n = 4
    kwargs = {"length": 0.75, "force_mag": 7.0, "gravity": 9.81, "tau": 0.01, "max_steps": 9,
              "sutton_barto_reward": True}
    actions = np.random.default_rng(2).integers(0, 2, size=(200, n))
    ends = play_side_by_side(CartPoleVectorEnv(n, **kwargs),
                             [CartPoleEnv(**kwargs) for _ in range(n)], actions)
    assert ends >= 4 * 18  # every sub-env truncated again and again


@pytest.mark.parametrize("path", PATHS)
def test_cartpole_seed_list_and_reset_bounds_match_single_envs(monkeypatch, path):
    force_path(monkeypatch, path)
    seeds = [11, 3, 3, 1000]
    options = {"low": -0.2, "high": 0.1}
    venv = CartPoleVectorEnv(4)
    obs, _ = venv.reset(seed=seeds, options=options)
    expected = [CartPoleEnv().reset(seed=s, options=options)[0] for s in seeds]
    assert np.array_equal(obs, np.array(expected))
    assert np.array_equal(obs[1], obs[2])
    # New bounds apply to later episodes too; an unseeded reset keeps the generators.
    singles = [CartPoleEnv() for _ in seeds]
    for env, s in zip(singles, seeds, strict=True):
        env.reset(seed=s, options=options)
    obs, _ = venv.reset(options={"low": 0.01, "high": 0.02})
    expected = [env.reset(options={"low": 0.01, "high": 0.02})[0] for env in singles]
    assert np.array_equal(obs, np.array(expected))


# Seeds around the limits of numpy's seed words: one 32-bit word, two, and past 2**64
# (where seed + i takes Gymnasium's own seeding).
EDGE_SEEDS = [0, 2**32 - 3, 2**32 + 1, 2**63, 2**64 - 3, 2**70 + 1]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("seed", EDGE_SEEDS)
def test_cartpole_edge_seeds_give_every_sub_env_the_single_env_episodes(monkeypatch, path,
                                                                         seed):
    force_path(monkeypatch, path)
    n = 5
    actions = np.random.default_rng(6).integers(0, 2, size=(150, n))
    ends = play_side_by_side(CartPoleVectorEnv(n), [CartPoleEnv() for _ in range(n)], actions,
                             reset_seed=seed)
    assert ends >= 2 * n  # later starts, from each sub-env's generator, were checked too


@pytest.mark.parametrize("seed", [0, 2**32 - 2000, 2**64 - 4096])
def test_cartpole_start_states_of_many_sub_envs_equal_single_envs_seeded_seed_plus_index(seed):
    n = 4096
    obs, _ = CartPoleVectorEnv(n).reset(seed=seed)
    expected = [CartPoleEnv().reset(seed=seed + i)[0] for i in range(n)]
    assert np.array_equal(obs, np.array(expected))


@pytest.mark.parametrize("path", PATHS)
def test_cartpole_seed_lists_with_none_and_huge_seeds_match_single_envs(monkeypatch, path):
    force_path(monkeypatch, path)
    seeds = [7, 2**64, None, 7, 2**64 - 1]
    venv = CartPoleVectorEnv(5)
    singles = [CartPoleEnv() for _ in seeds]
    venv.reset(seed=0)
    for i, env in enumerate(singles):
        env.reset(seed=i)
    obs, _ = venv.reset(seed=seeds)  # None: sub-env 2 goes on with its generator
    expected = [env.reset(seed=s)[0] for env, s in zip(singles, seeds, strict=True)]
    assert np.array_equal(obs, np.array(expected))
    play_side_by_side(venv, singles, np.ones((120, 5), dtype=np.int64), reset_seed=None)


@pytest.mark.parametrize("make", [CartPoleVectorEnv, lambda n: MazeVectorEnv(n, "tiny")])
@pytest.mark.parametrize("seed", [-1, [0, -1, 2], [0, 1.5, 2]])
def test_seeds_that_are_not_non_negative_ints_raise_gymnasium_error(make, seed):
    with pytest.raises(gymnasium.error.Error, match="Seed must be"):
        make(3).reset(seed=seed)


@pytest.mark.parametrize("make", [CartPoleVectorEnv, lambda n: MazeVectorEnv(n, slip=0.5)])
def test_reset_with_a_seed_hashes_no_seed_sequence_per_sub_env(monkeypatch, make):
    hashed = []

    class CountedSeedSequence(np.random.SeedSequence):
        def __init__(self, *args, **kwargs):
            hashed.append(args)
            super().__init__(*args, **kwargs)

    venv = make(4096)
    monkeypatch.setattr(np.random, "SeedSequence", CountedSeedSequence)
    venv.reset(seed=3)
    assert len(hashed) <= 1  # the vector env's own np_random, as Gymnasium's VectorEnv makes


def test_cartpole_observations_are_float32_batches_in_the_observation_space():
    venv = CartPoleVectorEnv(5)
    obs, info = venv.reset(seed=0)
    assert obs.shape == (5, 4) and obs.dtype == np.float32 and info == {}
    assert venv.observation_space.contains(obs)
    obs, rewards, terminated, truncated, _ = venv.step(np.ones(5, dtype=np.int64))
    assert rewards.shape == terminated.shape == truncated.shape == (5,)
    assert terminated.dtype == truncated.dtype == np.bool_
    assert venv.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP


@pytest.mark.parametrize("bad", [[0, 2, 1], [0, -1, 1], [0.0, 1.0, 1.0], [0, 1]])
def test_cartpole_invalid_actions_raise_value_error(bad):
    venv = CartPoleVectorEnv(3)
    venv.reset(seed=0)
    with pytest.raises(ValueError, match="action"):
        venv.step(np.array(bad))


def test_cartpole_step_before_reset_raises_reset_needed():
    with pytest.raises(ResetNeeded):
        CartPoleVectorEnv(2).step(np.zeros(2, dtype=np.int64))


@pytest.mark.parametrize("num_envs", [0, -1, 1.5, True])
def test_bad_num_envs_raise_value_error(num_envs):
    with pytest.raises(ValueError, match="num_envs"):
        CartPoleVectorEnv(num_envs)
    with pytest.raises(ValueError, match="num_envs"):
        MazeVectorEnv(num_envs, "tiny")


def test_cartpole_render_draws_the_first_sub_env():
    venv = CartPoleVectorEnv(3, render_mode="rgb_array")
    single = CartPoleEnv(render_mode="rgb_array")
    venv.reset(seed=4)
    single.reset(seed=4)
    for _ in range(5):
        venv.step(np.array([1, 0, 0]))
        single.step(1)
    frame = venv.render()
    assert frame.shape == (400, 600, 3)
    assert np.array_equal(frame, single.render())
    venv.close()


# -- Maze ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("layout", "slip", "max_steps"),
    [("frozen-lake-8x8", 2 / 3, 40), ("classic", 0.0, None), ("tiny", 1.0, 7),
     ("four-rooms", 0.25, 60)],
)
def test_maze_sub_envs_equal_single_envs_seeded_seed_plus_index(layout, slip, max_steps):
    n = 6
    kwargs = {"slip": slip, "max_steps": max_steps}
    actions = np.random.default_rng(3).integers(0, 4, size=(700, n))
    ends = play_side_by_side(MazeVectorEnv(n, layout, **kwargs),
                             [MazeEnv(layout, **kwargs) for _ in range(n)], actions,
                             reset_seed=20)
    assert ends > 10


@pytest.mark.parametrize("seed", EDGE_SEEDS)
def test_maze_edge_seeds_give_every_sub_env_the_single_env_slips(seed):
    n = 4
    actions = np.random.default_rng(7).integers(0, 4, size=(300, n))
    ends = play_side_by_side(MazeVectorEnv(n, "frozen-lake-8x8", slip=0.5),
                             [MazeEnv("frozen-lake-8x8", slip=0.5) for _ in range(n)], actions,
                             reset_seed=seed)
    assert ends >= n


def test_maze_unseeded_reset_continues_every_sub_env_generator():
    n = 4
    actions = np.random.default_rng(4).integers(0, 4, size=(800, n))
    play_side_by_side(MazeVectorEnv(n, "frozen-lake-8x8", slip=0.5),
                      [MazeEnv("frozen-lake-8x8", slip=0.5) for _ in range(n)], actions,
                      reset_every=97)


def test_seed_arrays_work_like_seed_lists():
    venv = MazeVectorEnv(3, "frozen-lake-8x8", slip=0.5)
    venv.reset(seed=np.array([4, 5, 6]))
    first = [venv.step(np.array([1, 2, 1]))[0] for _ in range(20)]
    venv.reset(seed=[4, 5, 6])
    assert np.array_equal(first, [venv.step(np.array([1, 2, 1]))[0] for _ in range(20)])
    with pytest.raises(ValueError, match="one seed per sub-env"):
        venv.reset(seed=[1, 2])


def test_maze_observations_are_int_batches_and_rewards_floats():
    venv = MazeVectorEnv(3, "tiny")
    obs, _ = venv.reset(seed=0)
    assert obs.dtype == np.int64 and venv.observation_space.contains(obs)
    obs, rewards, *_ = venv.step(np.array([1, 2, 3]))
    assert rewards.dtype == np.float64 and venv.observation_space.contains(obs)


@pytest.mark.parametrize("bad", [[0, 4, 1], [-1, 0, 0], [0.5, 1, 1], [[0, 1, 2]]])
def test_maze_invalid_actions_raise_value_error(bad):
    venv = MazeVectorEnv(3, "tiny")
    venv.reset(seed=0)
    with pytest.raises(ValueError, match="action"):
        venv.step(np.array(bad))


def test_maze_step_before_reset_raises_reset_needed():
    with pytest.raises(ResetNeeded):
        MazeVectorEnv(2, "tiny").step(np.zeros(2, dtype=np.int64))


def test_maze_render_draws_the_first_sub_env():
    venv = MazeVectorEnv(2, "classic", render_mode="ansi")
    single = MazeEnv("classic", render_mode="ansi")
    venv.reset(seed=0)
    single.reset(seed=0)
    venv.step(np.array([2, 1]))
    single.step(2)
    assert venv.render() == single.render()


# -- registration ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("env_id", "kwargs", "cls"),
    [("rlsandbox/CartPole-v0", {"length": 0.6}, CartPoleVectorEnv),
     ("rlsandbox/Maze-v0", {"layout": "tiny", "slip": 0.1}, MazeVectorEnv)],
)
def test_make_vec_builds_our_vector_env_from_the_vector_entry_point(env_id, kwargs, cls):
    venv = gymnasium.make_vec(env_id, num_envs=5, vectorization_mode="vector_entry_point",
                              **kwargs)
    assert isinstance(venv.unwrapped, cls) and venv.num_envs == 5
    obs, _ = venv.reset(seed=0)
    assert len(obs) == 5
    venv.close()


def test_register_envs_is_idempotent():
    register_envs()
    register_envs()
    spec = gymnasium.spec("rlsandbox/CartPole-v0")
    assert spec.vector_entry_point == "rlsandbox.envs.cartpole_vector:CartPoleVectorEnv"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("env_kind", ["cartpole", "maze"])
def test_pickled_and_copied_vector_envs_step_like_the_original(monkeypatch, path, env_kind):
    import copy
    import pickle

    force_path(monkeypatch, path)
    if env_kind == "cartpole":
        env, n_actions = CartPoleVectorEnv(5), 2
    else:
        env, n_actions = MazeVectorEnv(5, layout="classic", slip=0.2), 4
    env.reset(seed=3)
    env.step(np.ones(5, dtype=np.int64))
    clones = [pickle.loads(pickle.dumps(env)), copy.deepcopy(env)]
    for a in np.random.default_rng(0).integers(0, n_actions, size=(300, 5)):
        expected = env.step(a)
        for clone in clones:
            for ours, theirs in zip(clone.step(a)[:4], expected[:4], strict=True):
                np.testing.assert_array_equal(ours, theirs)
    for e in [env, *clones]:
        e.close()


def refuse(what):
    def start(*args, **kwargs):
        raise AssertionError(f"{what} called")
    return start


@pytest.mark.parametrize("path", PATHS)
def test_cartpole_vector_env_starts_no_process_and_no_thread(monkeypatch, path):
    force_path(monkeypatch, path)
    for owner, name in [(subprocess, "Popen"), (os, "fork"), (multiprocessing.Process, "start"),
                        (threading.Thread, "start")]:
        monkeypatch.setattr(owner, name, refuse(name))
    threads = set(threading.enumerate())
    venv = CartPoleVectorEnv(2048)
    venv.reset(seed=0)
    for a in np.random.default_rng(0).integers(0, 2, size=(50, 2048)):
        venv.step(a)
    venv.close()
    assert multiprocessing.active_children() == []
    assert set(threading.enumerate()) == threads
