"""CartPoleEnv: step-by-step equality with Gymnasium's CartPole-v1, API checks, rendering."""

import math
import warnings

import gymnasium
import numpy as np
import pytest
from gymnasium.error import ResetNeeded
from gymnasium.utils.env_checker import check_env

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox.envs import CartPoleEnv

OUR_ID = "rlsandbox/CartPole-v0"


def balance(obs):
    """A linear controller that keeps the pole up for 500 steps from Gymnasium's start states."""
    x, x_dot, theta, theta_dot = obs.tolist()
    return int(theta + 0.5 * theta_dot + 0.05 * x + 0.1 * x_dot > 0)


def assert_same_episodes(ours, ref, seed, n_episodes, policy):
    """Run both envs side by side; return the episode lengths (first reset seeded)."""
    lengths = []
    for episode in range(n_episodes):
        kwargs = {"seed": seed} if episode == 0 else {}
        obs, _ = ours.reset(**kwargs)
        ref_obs, _ = ref.reset(**kwargs)
        assert obs.dtype == np.float32
        np.testing.assert_allclose(obs, ref_obs, rtol=0, atol=1e-6)
        t = 0
        while True:
            action = policy(obs)
            obs, reward, terminated, truncated, _ = ours.step(action)
            ref_obs, ref_reward, ref_terminated, ref_truncated, _ = ref.step(action)
            t += 1
            np.testing.assert_allclose(obs, ref_obs, rtol=0, atol=1e-6, err_msg=f"step {t}")
            assert (reward, terminated, truncated) == (ref_reward, ref_terminated, ref_truncated)
            if terminated or truncated:
                break
        lengths.append(t)
    return lengths


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 2024])
def test_random_actions_give_gymnasium_cartpole_v1_observations(seed):
    rng = np.random.default_rng(seed)
    lengths = assert_same_episodes(
        gymnasium.make(OUR_ID),
        gymnasium.make("CartPole-v1"),
        seed,
        n_episodes=5,
        policy=lambda obs: int(rng.integers(2)),
    )
    assert all(t < 500 for t in lengths)  # random play ends by termination


@pytest.mark.parametrize("seed", [3, 11])
def test_balancing_policy_matches_gymnasium_up_to_truncation_at_500(seed):
    lengths = assert_same_episodes(
        gymnasium.make(OUR_ID), gymnasium.make("CartPole-v1"), seed, 2, balance
    )
    assert lengths == [500, 500]


def test_float64_state_is_bit_identical_to_gymnasium():
    ours, ref = CartPoleEnv(), gymnasium.make("CartPole-v1").unwrapped
    ours.reset(seed=5)
    ref.reset(seed=5)
    rng = np.random.default_rng(5)
    for _ in range(200):
        action = int(rng.integers(2))
        _, _, terminated, _, _ = ours.step(action)
        ref.step(action)
        assert ours.state.tolist() == ref.state.tolist()
        if terminated:
            ours.reset()
            ref.reset()


def test_non_default_physics_match_gymnasium_with_the_same_attributes():
    physics = dict(gravity=11.0, masscart=0.7, masspole=0.25, length=0.8, force_mag=6.5, tau=0.01)
    ours = gymnasium.make(OUR_ID, max_steps=300, sutton_barto_reward=True, **physics)
    ref = gymnasium.make("CartPole-v1", max_episode_steps=300, sutton_barto_reward=True)
    raw = ref.unwrapped
    for name, value in physics.items():
        setattr(raw, name, value)
    raw.total_mass = raw.masspole + raw.masscart
    raw.polemass_length = raw.masspole * raw.length
    rng = np.random.default_rng(9)
    assert_same_episodes(ours, ref, 9, 4, lambda obs: int(rng.integers(2)))
    assert assert_same_episodes(ours, ref, 10, 1, balance) == [300]


def test_setting_the_state_steps_from_it_like_gymnasium():
    ours, ref = CartPoleEnv(), gymnasium.make("CartPole-v1").unwrapped
    ours.reset(seed=0)
    ref.reset(seed=0)
    start = np.array([0.5, -0.3, 0.1, 0.7])
    ours.state = start
    ref.state = start.copy()
    for action in (0, 1, 1):
        np.testing.assert_array_equal(ours.step(action)[0], ref.step(action)[0])
    with pytest.raises(ValueError, match="4 numbers"):
        ours.state = [1.0, 2.0]


def test_reset_options_change_the_start_range_as_in_gymnasium():
    options = {"low": -0.2, "high": 0.3}
    obs, _ = CartPoleEnv().reset(seed=4, options=options)
    ref_obs, _ = gymnasium.make("CartPole-v1").reset(seed=4, options=options)
    np.testing.assert_array_equal(obs, ref_obs)


def test_spaces_are_cartpole_v1_with_finite_velocity_bounds():
    ours, ref = CartPoleEnv(), gymnasium.make("CartPole-v1").unwrapped
    assert ours.action_space == ref.action_space
    f32_max = np.finfo(np.float32).max
    expected_high = ref.observation_space.high.copy()
    expected_high[[1, 3]] = f32_max
    np.testing.assert_array_equal(ours.observation_space.high, expected_high)
    np.testing.assert_array_equal(ours.observation_space.low, -expected_high)
    assert ours.observation_space.dtype == np.float32
    assert ours.x_threshold == ref.x_threshold
    assert ours.theta_threshold_radians == ref.theta_threshold_radians


def test_made_env_has_no_time_limit_wrapper():
    env = gymnasium.make(OUR_ID)
    assert "TimeLimit" not in str(env)


@pytest.mark.parametrize("render_mode", [None, "rgb_array", "human"])
def test_check_env_passes_without_warnings(render_mode):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        env = gymnasium.make(OUR_ID, render_mode=render_mode)
        check_env(env.unwrapped)
        env.close()


def test_observations_are_new_float32_arrays_every_step():
    env = CartPoleEnv()
    first, _ = env.reset(seed=0)
    kept = first.copy()
    second, *_ = env.step(1)
    assert second is not first and not np.shares_memory(first, second)
    np.testing.assert_array_equal(first, kept)
    assert second.dtype == np.float32 and second.shape == (4,) and second.flags.writeable


def test_is_success_true_when_truncated_with_the_pole_up():
    env = CartPoleEnv(max_steps=5)
    env.reset(seed=0)
    infos = [env.step(t % 2)[4] for t in range(5)]
    assert infos[:4] == [{}] * 4
    assert infos[4] == {"is_success": True}


def test_is_success_false_on_termination():
    env = CartPoleEnv()
    env.reset(seed=0)
    steps = 0
    while True:
        _, reward, terminated, truncated, info = env.step(1)  # always push right: pole falls
        steps += 1
        if terminated or truncated:
            break
    assert terminated and not truncated and steps < 100
    assert info == {"is_success": False}
    assert reward == 1.0


def test_sutton_barto_reward_is_zero_per_step_and_minus_one_on_termination():
    env = CartPoleEnv(sutton_barto_reward=True)
    env.reset(seed=0)
    rewards = []
    while True:
        _, reward, terminated, _, _ = env.step(0)
        rewards.append(reward)
        if terminated:
            break
    assert rewards[:-1] == [0.0] * (len(rewards) - 1)
    assert rewards[-1] == -1.0


@pytest.mark.parametrize("action", [2, -1, 1.0, np.float64(0.0), "1", None, np.array([1])])
def test_invalid_action_raises_value_error_naming_it(action):
    env = CartPoleEnv()
    env.reset(seed=0)
    with pytest.raises(ValueError, match="invalid action") as excinfo:
        env.step(action)
    assert repr(action) in str(excinfo.value)


@pytest.mark.parametrize("action", [True, np.int64(1), np.int8(1), np.array(1), np.uint16(1)])
def test_integer_like_actions_are_accepted(action):
    env = CartPoleEnv()
    env.reset(seed=0)
    obs, *_ = env.step(action)
    ref = CartPoleEnv()
    ref.reset(seed=0)
    np.testing.assert_array_equal(obs, ref.step(1)[0])


def test_step_before_reset_raises():
    with pytest.raises(ResetNeeded, match="reset"):
        CartPoleEnv().step(0)


@pytest.mark.parametrize("max_steps", [3, 500])
def test_step_after_the_episode_ended_raises(max_steps):
    env = CartPoleEnv(max_steps=max_steps)
    env.reset(seed=0)
    while True:
        _, _, terminated, truncated, _ = env.step(1)
        if terminated or truncated:
            break
    with pytest.raises(ResetNeeded, match="episode ended"):
        env.step(0)
    env.reset()
    env.step(0)  # a new episode runs again


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"masscart": 0.0}, "masscart"),
        ({"masspole": -0.1}, "masspole"),
        ({"length": math.nan}, "length"),
        ({"tau": math.inf}, "tau"),
        ({"tau": 0}, "tau"),
        ({"gravity": "9.8"}, "gravity"),
        ({"gravity": math.inf}, "gravity"),
        ({"force_mag": -1.0}, "force_mag"),
        ({"max_steps": 0}, "max_steps"),
        ({"max_steps": 10.5}, "max_steps"),
        ({"max_steps": True}, "max_steps"),
        ({"sutton_barto_reward": "yes"}, "sutton_barto_reward"),
        ({"render_mode": "ansi"}, "render_mode"),
    ],
)
def test_bad_constructor_arguments_raise_value_error_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=name):
        CartPoleEnv(**kwargs)


def test_physics_parameters_are_readable_and_derived_values_consistent():
    env = CartPoleEnv(masscart=2.0, masspole=0.5, length=0.25, max_steps=np.int64(9))
    assert (env.masscart, env.masspole, env.length, env.max_steps) == (2.0, 0.5, 0.25, 9)
    assert env.total_mass == 2.5 and env.polemass_length == 0.125
    with pytest.raises(AttributeError):
        env.gravity = 1.0


def test_rgb_array_frames_equal_gymnasium_frames():
    ours = CartPoleEnv(render_mode="rgb_array")
    ref = gymnasium.make("CartPole-v1", render_mode="rgb_array").unwrapped
    ours.reset(seed=1)
    ref.reset(seed=1)
    for action in (1, 1, 0, 1):
        frame = ours.render()
        assert frame.shape == (400, 600, 3) and frame.dtype == np.uint8
        np.testing.assert_array_equal(frame, ref.render())
        ours.step(action)
        ref.step(action)
    ref.close()


def test_rgb_array_shows_the_cart_move():
    env = CartPoleEnv(render_mode="rgb_array")
    env.reset(seed=0)
    before = env.render()
    for _ in range(4):
        env.step(1)
    assert (before == 255).mean() > 0.9  # mostly white background
    assert not np.array_equal(before, env.render())


def test_render_without_mode_warns_and_returns_none():
    env = CartPoleEnv()
    env.reset(seed=0)
    with pytest.warns(UserWarning, match="render_mode"):
        assert env.render() is None


def test_human_render_works_headless():
    env = gymnasium.make(OUR_ID, render_mode="human")
    env.reset(seed=0)
    for _ in range(3):
        env.step(0)
    assert env.render() is None
    env.close()
    env.close()  # closing twice is fine
