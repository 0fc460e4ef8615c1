"""TabularEnv: sampling the model, starts, reward noise, episode ends, success, the published
model (P, outcome_arrays), seeding, rendering, registration and argument checks."""

import re
import subprocess
import sys
import types
import warnings

import gymnasium
import numpy as np
import pytest
from gymnasium.error import ResetNeeded
from gymnasium.utils.env_checker import check_env
from hypothesis import given
from hypothesis import strategies as st

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox import textbook
from rlsandbox.envs import MazeEnv, TabularEnv
from rlsandbox.mdp import TabularMDP
from tests.mdp_oracles import random_mdp

TEXTBOOK_ID = "rlsandbox/Textbook-v0"


@pytest.fixture
def no_frame_wait(monkeypatch):
    """Let the human window show frames without waiting 1/fps between them."""
    import rlsandbox.envs._viewer as viewer

    fake_time = types.SimpleNamespace(sleep=lambda s: None, perf_counter=viewer.time.perf_counter)
    monkeypatch.setattr(viewer, "time", fake_time)


def chance_mdp(probs=(0.2, 0.3, 0.5), rewards=(1.0, 2.0, 3.0)):
    """One state, one action, three outcomes that all come back to state 0."""
    k = len(probs)
    return TabularMDP(
        np.zeros((1, 1, k), int),
        np.array(probs, float).reshape(1, 1, k),
        np.array(rewards, float).reshape(1, 1, k),
        np.zeros((1, 1, k), bool),
        0.9,
    )


def line_mdp(n=4, **fields):
    """A corridor 0 .. n-1: action 0 left, 1 right; entering n-1 ends the episode (+1),
    n-1 is absorbing with reward 0."""
    s = np.arange(n)
    nxt = np.stack([np.maximum(s - 1, 0), np.minimum(s + 1, n - 1)], axis=1)
    nxt[n - 1] = n - 1
    rewards = (nxt == n - 1) * 1.0
    rewards[n - 1] = 0.0
    return TabularMDP(
        nxt[..., None], np.ones((n, 2, 1)), rewards[..., None], (nxt == n - 1)[..., None], 1.0,
        **fields,
    )


def positive_outcomes(next_states, probs, rewards, terminated):
    """Per (s, a): the sorted (next, reward, terminated, prob) of positive probability."""
    S, A, _ = probs.shape
    return {
        (s, a): sorted(
            (int(n), float(r), bool(t), float(p))
            for n, r, t, p in zip(
                next_states[s, a], rewards[s, a], terminated[s, a], probs[s, a], strict=True
            )
            if p > 0
        )
        for s in range(S)
        for a in range(A)
    }


# -- check_env and registration -----------------------------------------------------------------
@pytest.mark.parametrize("problem", sorted(textbook.PROBLEMS))
def test_every_textbook_problem_passes_check_env_without_warnings(problem, no_frame_wait):
    kwargs = {"max_cars": 4, "max_move": 2} if problem == "car-rental" else {}
    env = gymnasium.make(TEXTBOOK_ID, problem=problem, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)  # also makes and renders every declared render mode
    env.close()


def test_check_env_passes_with_reward_noise_and_a_start_distribution():
    mdp = random_mdp(0, n_states=5)
    env = gymnasium.make(
        TEXTBOOK_ID, problem="windy-gridworld", stochastic=True, reward_noise=1.0, max_steps=9
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)
        # No spec to remake it from, so no render-mode round: the model has no cells anyway.
        check_env(
            TabularEnv(mdp, start=np.full(5, 0.2), reward_noise=0.5), skip_render_check=True
        )


def test_grids_declare_three_render_modes_and_other_mdps_ansi_only():
    assert TabularEnv(textbook.dyna_maze()).metadata["render_modes"] == [
        "human", "rgb_array", "ansi",
    ]
    assert TabularEnv(textbook.gamblers_problem(goal=10)).metadata["render_modes"] == ["ansi"]


def test_make_with_module_prefix_works_in_a_fresh_interpreter_without_pygame():
    code = (
        "import sys, gymnasium\n"
        "env = gymnasium.make('rlsandbox:rlsandbox/Textbook-v0', problem='dyna-maze')\n"
        "assert env.reset(seed=0) == (15, {})\n"
        "assert type(env.unwrapped).__name__ == 'TabularEnv'\n"
        "assert 'pygame' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_gymnasium_make_passes_problem_and_env_arguments_on():
    env = gymnasium.make(TEXTBOOK_ID, problem="random-walk", n_states=19, max_steps=7)
    assert env.unwrapped.observation_space.n == 21
    assert env.unwrapped.max_steps == 7


# -- sampling the model -------------------------------------------------------------------------
def test_outcomes_are_sampled_with_the_model_probabilities():
    env = TabularEnv(chance_mdp(), start=0)
    env.reset(seed=1)
    n = 20_000
    rewards = np.array([env.step(0)[1] for _ in range(n)])
    counts = np.array([(rewards == r).sum() for r in (1.0, 2.0, 3.0)])
    expected = n * np.array([0.2, 0.3, 0.5])
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 13.8  # the chi-square(2) quantile 0.999


def test_zero_probability_outcomes_never_happen():
    env = TabularEnv(chance_mdp(probs=(0.0, 1.0, 0.0)), start=0)
    env.reset(seed=0)
    assert {env.step(0)[1] for _ in range(500)} == {2.0}


def test_step_follows_a_deterministic_model_exactly():
    env = TabularEnv(line_mdp(4), start=0)
    env.reset(seed=0)
    assert env.step(1) == (1, 0.0, False, False, {})
    assert env.step(0) == (0, 0.0, False, False, {})
    assert env.step(0) == (0, 0.0, False, False, {})
    env.step(1)
    env.step(1)
    assert env.step(1) == (3, 1.0, True, False, {})


def test_observations_are_plain_python_ints_and_rewards_plain_floats():
    env = TabularEnv(textbook.windy_gridworld(stochastic=True))
    state, _ = env.reset(seed=0)
    assert type(state) is int
    for _ in range(20):
        state, reward, *_ = env.step(1)
        assert type(state) is int and type(reward) is float


def test_same_seed_gives_identical_trajectories():
    def run(seed):
        env = TabularEnv(textbook.windy_gridworld(stochastic=True), reward_noise=0.5)
        env.reset(seed=seed)
        return [env.step(a % 4)[:2] for a in range(300)]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_reset_with_a_seed_discards_pending_draws():
    env = TabularEnv(chance_mdp(), start=0)
    env.reset(seed=5)
    first = [env.step(0)[1] for _ in range(10)]
    env.reset(seed=5)
    assert [env.step(0)[1] for _ in range(10)] == first


def test_assigning_np_random_drops_pending_draws():
    env = TabularEnv(chance_mdp(), start=0)
    env.reset(seed=5)
    env.step(0)
    env.np_random = np.random.default_rng(9)
    got = [env.step(0)[1] for _ in range(10)]
    fresh = TabularEnv(chance_mdp(), start=0)
    fresh.reset()
    fresh.np_random = np.random.default_rng(9)
    assert [fresh.step(0)[1] for _ in range(10)] == got


# -- starts -------------------------------------------------------------------------------------
def test_start_state_overrides_the_mdps_start():
    env = TabularEnv(line_mdp(4, start=1), start=2)
    assert env.reset(seed=0)[0] == 2
    assert TabularEnv(line_mdp(4, start=1)).reset(seed=0)[0] == 1


def test_start_distribution_is_sampled_with_its_probabilities():
    p = np.array([0.1, 0.0, 0.6, 0.3])
    env = TabularEnv(line_mdp(4), start=p)
    env.reset(seed=2)
    n = 20_000
    counts = np.bincount([env.reset()[0] for _ in range(n)], minlength=4)
    assert counts[1] == 0
    expected = n * p[[0, 2, 3]]
    chi2 = float(((counts[[0, 2, 3]] - expected) ** 2 / expected).sum())
    assert chi2 < 13.8


def test_without_any_start_the_env_starts_uniformly_over_all_states():
    env = TabularEnv(line_mdp(4))
    env.reset(seed=3)
    counts = np.bincount([env.reset()[0] for _ in range(8000)], minlength=4)
    chi2 = float(((counts - 2000) ** 2 / 2000).sum())
    assert chi2 < 16.3  # chi-square(3) quantile 0.999


def test_a_distribution_on_one_state_always_starts_there():
    env = TabularEnv(line_mdp(4), start=[0.0, 0.0, 1.0, 0.0])
    env.reset(seed=0)
    assert {env.reset()[0] for _ in range(50)} == {2}


# -- reward noise -------------------------------------------------------------------------------
def test_scalar_reward_noise_is_zero_mean_normal_with_the_given_std():
    env = TabularEnv(chance_mdp(probs=(1.0,), rewards=(2.0,)), start=0, reward_noise=3.0)
    env.reset(seed=0)
    r = np.array([env.step(0)[1] for _ in range(40_000)])
    assert abs(r.mean() - 2.0) < 4 * 3.0 / np.sqrt(len(r))
    assert abs(r.std() - 3.0) < 0.05
    assert abs(float(((r - r.mean()) ** 3).mean() / r.std() ** 3)) < 0.06  # symmetric


def test_per_state_action_reward_noise_leaves_zero_std_entries_exact():
    noise = np.array([[0.0, 0.0], [0.0, 5.0], [0.0, 0.0]])  # only (1, right) is noisy
    env = TabularEnv(line_mdp(3), start=0, reward_noise=noise)
    env.reset(seed=0)
    first, second = [], []
    for _ in range(2000):
        env.reset()
        first.append(env.step(1)[1])  # 0 -> 1: reward 0, no noise
        second.append(env.step(1)[1])  # 1 -> 2: reward 1 plus noise of std 5
    assert set(first) == {0.0}
    assert abs(np.mean(second) - 1.0) < 4 * 5.0 / np.sqrt(2000)
    assert abs(np.std(second) - 5.0) < 0.4


# -- episode ends and success -------------------------------------------------------------------
def test_max_steps_truncates_at_exactly_that_step():
    env = TabularEnv(line_mdp(5), start=0, max_steps=3)
    env.reset(seed=0)
    assert [env.step(0)[3] for _ in range(3)] == [False, False, True]


def test_without_max_steps_an_episode_is_never_truncated():
    env = TabularEnv(line_mdp(5), start=0)
    env.reset(seed=0)
    assert not any(env.step(0)[3] for _ in range(10_000))


def test_truncation_may_coincide_with_termination():
    env = TabularEnv(line_mdp(3), start=0, max_steps=2)
    env.reset(seed=0)
    env.step(1)
    assert env.step(1)[2:4] == (True, True)


def test_without_goal_states_info_never_reports_success():
    env = TabularEnv(line_mdp(3), start=0, max_steps=3)
    env.reset(seed=0)
    assert [env.step(1)[4] for _ in range(2)] == [{}, {}]
    env.reset()
    assert [env.step(0)[4] for _ in range(3)] == [{}, {}, {}]


def test_goal_states_report_success_on_entering_a_goal_and_failure_on_other_ends():
    env = TabularEnv(line_mdp(3), start=0, max_steps=3, goal_states=[2])
    env.reset(seed=0)
    assert [env.step(1)[4] for _ in range(2)] == [{}, {"is_success": True}]
    env.reset()
    assert [env.step(0)[4] for _ in range(3)] == [{}, {}, {"is_success": False}]


def test_stepping_before_reset_or_after_the_end_raises_reset_needed():
    env = TabularEnv(line_mdp(2), start=0)
    with pytest.raises(ResetNeeded, match="before reset"):
        env.step(1)
    env.reset()
    env.step(1)
    with pytest.raises(ResetNeeded):
        env.step(1)


@pytest.mark.parametrize("action", [2, -1, 1.0, "1", None, np.int64(5)])
def test_an_action_outside_the_space_raises_value_error_naming_it(action):
    env = TabularEnv(line_mdp(3), start=0)
    env.reset()
    with pytest.raises(ValueError, match=re.escape(f"invalid action {action!r}")):
        env.step(action)


@pytest.mark.parametrize("action", [np.int64(1), np.int32(1), True])
def test_numpy_integer_actions_are_accepted(action):
    env = TabularEnv(line_mdp(3), start=0)
    env.reset()
    assert env.step(action)[0] == 1


# -- the published model ------------------------------------------------------------------------
@pytest.mark.parametrize("problem", sorted(textbook.PROBLEMS))
def test_from_env_gives_the_textbook_model_back(problem):
    kwargs = {"max_cars": 5, "max_move": 2} if problem == "car-rental" else {}
    mdp = textbook.PROBLEMS[problem](**kwargs)
    back = TabularMDP.from_env(TabularEnv(mdp), gamma=mdp.gamma)
    for name in ("next_states", "probs", "rewards", "terminated"):
        assert np.array_equal(getattr(back, name), getattr(mdp, name)), name


@given(st.integers(0, 10_000))
def test_from_env_gives_a_random_model_back(seed):
    mdp = random_mdp(seed, n_states=5, n_actions=3, n_outcomes=3)
    back = TabularMDP.from_env(TabularEnv(mdp), gamma=mdp.gamma)
    for name in ("next_states", "probs", "rewards", "terminated"):
        assert np.array_equal(getattr(back, name), getattr(mdp, name)), name


@given(st.integers(0, 10_000))
def test_toy_text_p_alone_describes_the_same_model(seed):
    mdp = random_mdp(seed, n_states=5, n_actions=3, n_outcomes=3)
    env = TabularEnv(mdp)
    # Only P and the spaces, as Gymnasium's toy-text envs publish them.
    toy = types.SimpleNamespace(
        P=env.P, observation_space=env.observation_space, action_space=env.action_space
    )
    back = TabularMDP.from_env(toy, gamma=mdp.gamma)
    assert positive_outcomes(*env.outcome_arrays()) == positive_outcomes(
        back.next_states, back.probs, back.rewards, back.terminated
    )


def test_p_lists_positive_outcomes_as_python_values_in_model_order():
    env = TabularEnv(chance_mdp(probs=(0.25, 0.0, 0.75)))
    assert env.P == {0: {0: [(0.25, 0, 1.0, False), (0.75, 0, 3.0, False)]}}
    outcome = env.P[0][0][0]
    assert [type(x) for x in outcome] == [float, int, float, bool]


def test_p_is_built_once():
    env = TabularEnv(line_mdp(3))
    assert env.P is env.P


# -- grids and rendering ------------------------------------------------------------------------
def test_state_to_cell_and_cell_to_state_follow_the_mdps_cells():
    env = TabularEnv(textbook.cliff_walking())
    assert env.state_to_cell(36) == (3, 0)
    assert env.cell_to_state(3, 11) == 37
    with pytest.raises(ValueError, match="no state is at row 3, column 5"):
        env.cell_to_state(3, 5)  # the cliff
    with pytest.raises(ValueError, match=r"state must be an int in \[0, 38\)"):
        env.state_to_cell(38)


def test_cell_conversions_of_a_non_grid_mdp_say_it_has_no_cells():
    env = TabularEnv(textbook.gamblers_problem(goal=10))
    with pytest.raises(ValueError, match="not a grid"):
        env.state_to_cell(0)


def test_rgb_array_frames_match_the_maze_drawing_of_the_same_grid():
    maze = MazeEnv("\n".join(textbook._DYNA_MAZE), render_mode="rgb_array")
    env = TabularEnv(textbook.dyna_maze(), goal_states=[7], render_mode="rgb_array")
    assert np.array_equal(env.render(), maze.render())  # before reset: the grid alone
    assert env.reset(seed=0)[0] == maze.reset(seed=0)[0]
    for action in (0, 0, 1, 2, 1):
        assert env.step(action)[0] == maze.step(action)[0]
        frame = env.render()
        assert frame.dtype == np.uint8 and frame.shape[2] == 3
        assert np.array_equal(frame, maze.render())


def test_ansi_shows_the_grid_with_the_agent_start_goals_and_other_ends():
    env = TabularEnv(textbook.random_walk(3), goal_states=[4], render_mode="ansi")
    assert env.render() == "X.S.G\n"
    env.reset(seed=0)
    assert env.render() == "X.A.G\n"
    assert TabularEnv(textbook.small_gridworld(), render_mode="ansi").render() == (
        "G...\n....\n....\n...G\n"
    )


def test_ansi_of_a_non_grid_mdp_names_the_state():
    env = TabularEnv(textbook.gamblers_problem(goal=10), start=4, render_mode="ansi")
    assert env.render() == "state -\n"
    env.reset(seed=0)
    assert env.render() == "state 4\n"


def test_human_render_works_headless(no_frame_wait):
    env = TabularEnv(textbook.windy_gridworld(), render_mode="human")
    env.reset(seed=0)
    env.step(1)
    assert env.render() is None
    env.close()
    env.close()


def test_human_render_shows_the_step_and_the_return_so_far_in_the_status_bar(no_frame_wait):
    env = textbook.make("cliff-walking", render_mode="human")
    assert env.window is None  # no frame shown yet
    env.reset(seed=0)
    assert env.window.status == "step 0   return 0"
    env.step(1)  # into the cliff: -100 and back to the start
    env.step(0)
    assert env.window.status == "step 2   return -101"
    env.reset(seed=0)
    assert env.window.status == "step 0   return 0"  # a new episode counts from 0
    env.close()


def test_render_observation_draws_each_state_as_the_rgb_array_frame_shows_it():
    env = textbook.make("windy-gridworld", king_moves=True, render_mode="rgb_array")
    drawer = textbook.make("windy-gridworld", king_moves=True)  # no render mode at all
    state, _ = env.reset(seed=0)
    for action in (4, 1, 5, 7, 2, 3, 6, 0):
        np.testing.assert_array_equal(drawer._render_observation(state), env.render())
        state = env.step(action)[0]
    np.testing.assert_array_equal(drawer._render_observation(state), env.render())
    assert drawer._state is None  # drawing left the env's own state alone


def test_render_observation_of_a_non_grid_mdp_says_it_has_no_cells():
    env = TabularEnv(textbook.gamblers_problem(goal=10))
    with pytest.raises(ValueError, match=r"not a grid \(mdp.cells is None\)"):
        env._render_observation(3)


def test_render_observation_of_a_state_outside_the_model_is_refused():
    with pytest.raises(ValueError, match=r"state must be an int in \[0, 38\)"):
        textbook.make("cliff-walking")._render_observation(38)


def test_grid_is_the_layout_of_the_rendered_picture():
    env = textbook.make("cliff-walking")
    assert ["".join(row) for row in env.grid] == [
        "............", "............", "............", "S##########G"]
    # Without goal states every absorbing state is a goal; goal_states makes the others X.
    walk = TabularEnv(textbook.random_walk(3), goal_states=[4])
    assert "".join(walk.grid[0]) == "X.S.G"
    assert "".join(TabularEnv(textbook.random_walk(3)).grid[0]) == "G.S.G"
    with pytest.raises(ValueError):
        env.grid[0, 0] = "#"
    assert TabularEnv(textbook.gamblers_problem(goal=10)).grid is None


def test_a_grid_of_four_moves_is_played_with_the_mazes_keys():
    keys = textbook.make("cliff-walking").get_keys_to_action()
    assert keys == MazeEnv("tiny").get_keys_to_action()
    assert sorted(set(keys.values())) == [0, 1, 2, 3]


def test_a_grid_of_king_moves_adds_a_key_for_every_diagonal():
    import pygame

    keys = textbook.make("windy-gridworld", king_moves=True).get_keys_to_action()
    assert sorted(set(keys.values())) == list(range(8))
    assert [keys[(ord(k),)] for k in "wdsa"] == [0, 1, 2, 3]
    assert [keys[(ord(k),)] for k in "eczq"] == [4, 5, 6, 7]  # up-right .. up-left
    keypad = [pygame.K_KP8, pygame.K_KP6, pygame.K_KP2, pygame.K_KP4, pygame.K_KP9,
              pygame.K_KP3, pygame.K_KP1, pygame.K_KP7]
    assert [keys[(k,)] for k in keypad] == list(range(8))
    # Each move is on screen where its key sits around S (W, D, X, A) or keypad 5.
    mdp = textbook.windy_gridworld(king_moves=True)
    s = int(np.flatnonzero((mdp.cells == (1, 1)).all(axis=1))[0])  # no wind in column 1
    moved = {a: tuple(mdp.cells[mdp.next_states[s, a, 0]] - (1, 1)) for a in range(8)}
    assert moved == {0: (-1, 0), 1: (0, 1), 2: (1, 0), 3: (0, -1),
                     4: (-1, 1), 5: (1, 1), 6: (1, -1), 7: (-1, -1)}


@pytest.mark.parametrize(
    ("mdp", "match"),
    [
        (textbook.gamblers_problem(goal=10), r"not a grid \(mdp.cells is None\)"),
        (textbook.random_walk(), "a grid with 1 action;"),
    ],
)
def test_an_mdp_whose_actions_are_not_grid_moves_has_no_keys(mdp, match):
    with pytest.raises(ValueError, match=match):
        TabularEnv(mdp).get_keys_to_action()


def test_render_without_a_mode_warns_and_returns_none():
    env = TabularEnv(line_mdp(3))
    with pytest.warns(UserWarning, match="without specifying any render mode"):
        assert env.render() is None


def test_creating_and_stepping_an_env_does_not_import_pygame():
    code = (
        "import sys\n"
        "from rlsandbox import textbook\n"
        "env = textbook.make('cliff-walking', render_mode='rgb_array')\n"
        "env.reset(seed=0); env.step(0); env.render()\n"
        "assert 'pygame' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- arguments ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start": 4}, r"start = 4 is not a state id in \[0, 4\)"),
        ({"start": True}, "start must be a state id"),
        ({"start": [0.5, 0.5]}, r"distribution over the 4 states \(shape \(4,\)\)"),
        ({"start": [0.5, 0.6, 0.0, 0.0]}, "sum to 1"),
        ({"start": [-0.5, 1.5, 0.0, 0.0]}, ">= 0"),
        ({"reward_noise": -1.0}, "reward_noise must be finite and >= 0"),
        ({"reward_noise": np.inf}, "reward_noise must be finite and >= 0"),
        ({"reward_noise": np.ones(4)}, r"shape \(S, A\) = \(4, 2\)"),
        ({"max_steps": 0}, "max_steps must be a positive int or None"),
        ({"max_steps": 2.5}, "max_steps must be a positive int or None"),
        ({"goal_states": [4]}, r"outside \[0, 4\)"),
        ({"goal_states": [0.5]}, "goal_states must be a list of state ids"),
        ({"render_mode": "rgb_array"}, "draws a grid and this MDP has no cells"),
        ({"render_mode": "text"}, "render_mode 'text' is not supported"),
    ],
)
def test_bad_arguments_raise_value_error_saying_what_is_wrong(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TabularEnv(line_mdp(4), **kwargs)


def test_a_model_that_is_not_a_tabular_mdp_is_rejected():
    with pytest.raises(ValueError, match="TabularEnv needs a TabularMDP, got dict"):
        TabularEnv({})


def test_parameters_are_read_only():
    env = TabularEnv(line_mdp(3), max_steps=5, goal_states=[2])
    with pytest.raises(AttributeError):
        env.max_steps = 7
    with pytest.raises(AttributeError):
        env.goal_states = [1]
    with pytest.raises(ValueError):
        env.goal_states[0] = 1
