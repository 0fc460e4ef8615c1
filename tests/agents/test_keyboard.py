"""KeyboardAgent: a person playing through the env's window, driven here by posted key events."""

import time
import types

import gymnasium
import numpy as np
import pygame
import pytest

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox import textbook
from rlsandbox.agents import Agent, KeyboardAgent, RestartEpisode, ValueIterationAgent, make_agent
from rlsandbox.envs import MazeEnv
from rlsandbox.envs._viewer import WindowClosed, status_line
from rlsandbox.loop import evaluate, run_episode
from tests.key_events import deadline, event_queue  # noqa: F401  (autouse fixtures)

ARROWS = {0: pygame.K_UP, 1: pygame.K_RIGHT, 2: pygame.K_DOWN, 3: pygame.K_LEFT}
WASD = {0: pygame.K_w, 1: pygame.K_d, 2: pygame.K_s, 3: pygame.K_a}


@pytest.fixture
def no_frame_wait(monkeypatch):
    """Let the window show frames without waiting 1/fps between them."""
    import rlsandbox.envs._viewer as viewer

    fake_time = types.SimpleNamespace(sleep=lambda s: None, perf_counter=viewer.time.perf_counter)
    monkeypatch.setattr(viewer, "time", fake_time)


def press(*keys):
    for key in keys:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key))


def shortest_path(maze):
    """The actions of the shortest way from the start to a goal (the planner's policy)."""
    planner = ValueIterationAgent(maze)
    state, path = maze.start_state, []
    while state not in maze.goal_states:
        path.append(int(planner.policy[state]))
        state = maze.P[state][path[-1]][0][1]
    return path


class PostAfterSteps(gymnasium.Wrapper):
    """Posts key events after given steps (1-based, counted over the whole run) and after
    given resets (1-based)."""

    def __init__(self, env, script, after_reset=None):
        super().__init__(env)
        self.script, self.after_reset, self.steps, self.resets = script, after_reset or {}, 0, 0

    def reset(self, **kwargs):
        out = self.env.reset(**kwargs)
        self.resets += 1
        for key in self.after_reset.get(self.resets, ()):
            press(key)
        return out

    def step(self, action):
        out = self.env.step(action)
        self.steps += 1
        for event_type, key in self.script.get(self.steps, ()):
            pygame.event.post(pygame.event.Event(event_type, key=key))
        return out


def maze(layout="classic", **kw):
    return gymnasium.make("rlsandbox/Maze-v0", layout=layout, render_mode="human", **kw)


# -- turn by turn: the maze ---------------------------------------------------------------------
def test_keyboard_agent_walks_the_maze_to_its_goal_one_move_per_key(no_frame_wait):
    env = maze()
    path = shortest_path(env.unwrapped)
    press(*[(ARROWS if i % 2 else WASD)[a] for i, a in enumerate(path)])
    history = evaluate(env, KeyboardAgent(env), 1)
    episode = history[0]
    assert episode.actions.tolist() == path
    assert episode.success and episode.terminated and episode.length == 20
    assert episode.total_reward == pytest.approx(10.0 - 0.1 * 19)
    env.close()


def test_the_status_bar_shows_step_return_and_keys(no_frame_wait):
    env = maze("tiny")
    press(pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_RIGHT)
    evaluate(env, KeyboardAgent(env), 1)
    window = env.unwrapped.window
    assert window.status == status_line(3, -0.1 - 0.1 + 10.0) == "step 3   return 9.80"
    assert window._keys_hint == "arrows or WASD move · Space pause · R restart · Esc quit"
    env.close()


def test_move_keys_pressed_while_paused_are_ignored(no_frame_wait):
    env = maze("tiny")
    press(pygame.K_SPACE, pygame.K_DOWN, pygame.K_DOWN, pygame.K_SPACE,
          pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_RIGHT)
    history = evaluate(env, KeyboardAgent(env), 1)
    assert history[0].actions.tolist() == [1, 1, 1]
    env.close()


def test_other_keys_are_not_moves(no_frame_wait):
    env = maze("tiny")
    press(pygame.K_x, pygame.K_RETURN, pygame.K_RIGHT, pygame.K_q, pygame.K_RIGHT,
          pygame.K_RIGHT)
    assert evaluate(env, KeyboardAgent(env), 1)[0].actions.tolist() == [1, 1, 1]
    env.close()


def test_r_raises_restart_episode_and_the_same_episode_can_be_played_again(no_frame_wait):
    env = PostAfterSteps(maze("tiny"), {}, after_reset={
        2: [pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_RIGHT]})
    agent = KeyboardAgent(env)
    press(pygame.K_RIGHT, pygame.K_r)
    with pytest.raises(RestartEpisode):
        run_episode(env, agent, learn=False, explore=False, seed=3)
    assert env.unwrapped.window.status == "step 1   return -0.10"
    episode = run_episode(env, agent, learn=False, explore=False, seed=3)
    assert episode.observations.tolist() == [0, 1, 2, 3] and episode.success
    env.close()


def test_r_in_evaluate_plays_the_same_episode_again(no_frame_wait):
    env = PostAfterSteps(maze("tiny"), {}, after_reset={
        2: [pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_RIGHT]})
    press(pygame.K_RIGHT, pygame.K_r)
    history = evaluate(env, KeyboardAgent(env), 1, seed=3)
    assert len(history) == 1 and not history.interrupted
    assert history[0].observations.tolist() == [0, 1, 2, 3] and history[0].success
    env.close()


def test_esc_ends_play_keeping_the_finished_episodes(no_frame_wait):
    # Esc comes after the first episode's last step, while the second one starts.
    env = PostAfterSteps(maze("tiny"), {3: [(pygame.KEYDOWN, pygame.K_ESCAPE)]})
    press(pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_d)
    history = evaluate(env, KeyboardAgent(env), 5)
    assert len(history) == 1 and history[0].success
    assert history.interrupted


def test_keys_pressed_after_an_episode_ended_do_not_move_in_the_next(no_frame_wait):
    # A fourth → arrives after the last step of episode 1; episode 2 is played with the keys
    # pressed once its first frame is shown.
    env = PostAfterSteps(maze("tiny"), {3: [(pygame.KEYDOWN, pygame.K_RIGHT)]}, after_reset={
        2: [pygame.K_DOWN, pygame.K_UP, pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_RIGHT]})
    press(pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_RIGHT)
    history = evaluate(env, KeyboardAgent(env), 2)
    assert history[0].actions.tolist() == [1, 1, 1]
    assert history[1].actions.tolist() == [2, 0, 1, 1, 1]
    env.close()


# -- turn by turn: TabularEnv grids -------------------------------------------------------------
def test_keyboard_agent_walks_the_cliffs_edge_one_move_per_key(no_frame_wait):
    env = gymnasium.make("rlsandbox/Textbook-v0", problem="cliff-walking", render_mode="human")
    path = [0] + [1] * 11 + [2]  # Example 6.6's optimal path
    press(*[(ARROWS if i % 2 else WASD)[a] for i, a in enumerate(path)])
    episode = evaluate(env, KeyboardAgent(env), 1)[0]
    assert episode.actions.tolist() == path
    assert episode.success and episode.total_reward == -13.0  # the book's optimal return
    assert env.unwrapped.window.status == "step 13   return -13"
    env.close()


def test_keyboard_agent_plays_king_moves_in_the_windy_gridworld(no_frame_wait):
    env = textbook.make("windy-gridworld", king_moves=True, render_mode="human")
    keys = {0: pygame.K_UP, 1: pygame.K_d, 2: pygame.K_DOWN, 3: pygame.K_a,
            4: pygame.K_e, 5: pygame.K_c, 6: pygame.K_z, 7: pygame.K_q}
    # A shortest way with king's moves, from the planner: 7 steps (Exercise 6.9).
    planner = ValueIterationAgent(env)
    state, path = env.mdp.start, []
    while state != env.goal_states[0]:
        path.append(int(planner.policy[state]))
        state = env.P[state][path[-1]][0][1]
    assert len(path) == 7 and max(path) >= 4  # diagonals are on the way
    press(*[keys[a] for a in path])
    agent = KeyboardAgent(env)
    episode = evaluate(env, agent, 1)[0]
    assert episode.actions.tolist() == path and episode.success
    assert agent.keys_hint.startswith("arrows or WASD move · Q E Z C diagonals")
    env.close()


def test_a_tabular_env_whose_actions_are_not_moves_cannot_be_played():
    env = textbook.make("random-walk", render_mode="human")
    with pytest.raises(ValueError, match="keys exist for grid moves only"):
        KeyboardAgent(env)


# -- real time: CartPole -----------------------------------------------------------------------
def test_cartpole_follows_the_held_keys_and_coasts_without_one():
    env = PostAfterSteps(
        gymnasium.make("rlsandbox/CartPole-v0", max_steps=14, render_mode="human"),
        {5: [(pygame.KEYUP, pygame.K_LEFT), (pygame.KEYDOWN, pygame.K_RIGHT)],
         10: [(pygame.KEYUP, pygame.K_RIGHT)]},
    )
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LEFT))
    start = time.perf_counter()
    # Seeded: from some random starts the pole falls within these 14 steps.
    history = evaluate(env, KeyboardAgent(env), 1, seed=1)
    elapsed = time.perf_counter() - start
    # ← held for 5 steps, → for 5, then no key: left and right alternate (no net push).
    assert history[0].actions.tolist() == [0] * 5 + [1] * 5 + [0, 1, 0, 1]
    assert history[0].truncated and history[0].success
    # Real time: the window shows the 15 frames (reset + 14 steps) at CartPole's 50 fps.
    assert elapsed >= 14 / 50
    env.close()


def test_cartpole_takes_the_idle_action_when_no_or_both_keys_are_held(no_frame_wait):
    env = PostAfterSteps(
        gymnasium.make("rlsandbox/CartPole-v0", max_steps=6, render_mode="human"),
        {2: [(pygame.KEYDOWN, pygame.K_RIGHT), (pygame.KEYDOWN, pygame.K_LEFT)],
         4: [(pygame.KEYUP, pygame.K_LEFT)]},
    )
    history = evaluate(env, KeyboardAgent(env, idle_action=0), 1)
    assert history[0].actions.tolist() == [0, 0, 0, 0, 1, 1]
    env.close()


def test_cartpole_space_pauses_and_a_and_d_push(no_frame_wait):
    env = PostAfterSteps(
        gymnasium.make("rlsandbox/CartPole-v0", max_steps=4, render_mode="human"),
        {2: [(pygame.KEYUP, pygame.K_d), (pygame.KEYDOWN, pygame.K_a),
             (pygame.KEYDOWN, pygame.K_SPACE), (pygame.KEYDOWN, pygame.K_SPACE)]},
    )
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_d))
    history = evaluate(env, KeyboardAgent(env), 1)
    assert history[0].actions.tolist() == [1, 1, 0, 0]
    env.close()


# -- building, registry, persistence ------------------------------------------------------------
def test_make_agent_builds_the_keyboard_agent():
    env = maze("tiny")
    agent = make_agent("keyboard", env)
    assert isinstance(agent, KeyboardAgent) and not agent.real_time
    assert make_agent("keyboard", gymnasium.make("rlsandbox/CartPole-v0",
                                                 render_mode="human")).real_time


@pytest.mark.parametrize("render_mode", [None, "rgb_array"])
def test_an_env_without_a_window_is_refused(render_mode):
    with pytest.raises(ValueError, match="render_mode='human'"):
        KeyboardAgent(MazeEnv("tiny", render_mode=render_mode))


def test_an_env_without_a_key_map_is_refused():
    env = gymnasium.make("FrozenLake-v1", render_mode="human")
    with pytest.raises(ValueError, match="get_keys_to_action"):
        KeyboardAgent(env)


def test_a_bad_idle_action_is_refused():
    with pytest.raises(ValueError, match="idle_action"):
        KeyboardAgent(gymnasium.make("rlsandbox/CartPole-v0", render_mode="human"),
                      idle_action=2)


def test_save_and_load_keep_the_settings_and_a_loaded_agent_says_it_cannot_play(tmp_path):
    env = gymnasium.make("rlsandbox/CartPole-v0", render_mode="human")
    agent = KeyboardAgent(env, idle_action=1)
    agent.save(tmp_path / "agent.npz")
    loaded = Agent.load(tmp_path / "agent.npz")
    assert isinstance(loaded, KeyboardAgent)
    assert (loaded.keys, loaded.real_time, loaded.idle_action) == (agent.keys, True, 1)
    with pytest.raises(ValueError, match="loaded from a file"):
        loaded.act(np.zeros(4, dtype=np.float32))


def test_importing_the_agent_does_not_import_pygame():
    import subprocess
    import sys

    code = ("import sys, rlsandbox.agents.keyboard; "
            "print('pygame' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_window_closed_from_the_agent_is_a_keyboard_interrupt():
    assert issubclass(RestartEpisode, KeyboardInterrupt)
    assert issubclass(WindowClosed, KeyboardInterrupt)
