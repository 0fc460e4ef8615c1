"""Key maps (``get_keys_to_action``) and Gymnasium's ``play`` driven headless by posted keys."""

import warnings

import gymnasium
import pygame
import pytest

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox.agents import ValueIterationAgent
from rlsandbox.envs import CartPoleEnv, MazeEnv

ARROWS = {0: pygame.K_UP, 1: pygame.K_RIGHT, 2: pygame.K_DOWN, 3: pygame.K_LEFT}
WASD = {0: pygame.K_w, 1: pygame.K_d, 2: pygame.K_s, 3: pygame.K_a}


@pytest.fixture
def gym_play():
    """``gymnasium.utils.play.play``, imported without changing matplotlib's backend.

    The module calls ``matplotlib.use("TkAgg")`` at import; where Tk exists that would
    switch the backend of every later test, so the backend is put back.
    """
    import matplotlib

    backend = matplotlib.get_backend()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "matplotlib is not installed" where Tk is missing
        from gymnasium.utils.play import play
    matplotlib.use(backend)
    pygame.display.init()  # so that events can be posted before play opens its window
    pygame.event.clear()
    yield play
    pygame.quit()


def post(event_type, key):
    pygame.event.post(pygame.event.Event(event_type, key=key))


def test_maze_keys_are_arrows_and_wasd_for_up_right_down_left():
    keys = MazeEnv("tiny").get_keys_to_action()
    assert keys == {**{(k,): a for a, k in ARROWS.items()}, **{(k,): a for a, k in WASD.items()}}


def test_cartpole_keys_push_left_and_right():
    keys = CartPoleEnv().get_keys_to_action()
    assert keys[(pygame.K_LEFT,)] == 0
    assert keys[(pygame.K_RIGHT,)] == 1
    assert set(keys.values()) == {0, 1}


def test_keys_are_found_through_gymnasium_make():
    env = gymnasium.make("rlsandbox/Maze-v0", layout="tiny", render_mode="rgb_array")
    assert env.get_wrapper_attr("get_keys_to_action")()[(pygame.K_DOWN,)] == 2


def test_gymnasium_play_walks_the_maze_to_its_goal_with_the_envs_own_keys(gym_play):
    env = gymnasium.make("rlsandbox/Maze-v0", layout="classic", render_mode="rgb_array")
    # The shortest way out, typed alternately with the arrows and with W/A/S/D.
    planner = ValueIterationAgent(env.unwrapped)
    maze, state, path = env.unwrapped, env.unwrapped.start_state, []
    while state not in maze.goal_states:
        action = int(planner.policy[state])
        path.append(action)
        state = maze.P[state][action][0][1]
    keys = [(ARROWS if i % 2 else WASD)[a] for i, a in enumerate(path)]
    steps = []

    def callback(obs, next_obs, action, reward, terminated, truncated, info):
        # Release the key just used, then press the next one (or Esc once the goal is in).
        steps.append((action, next_obs, reward, terminated, info))
        post(pygame.KEYUP, keys[len(steps) - 1])
        if terminated or truncated:
            post(pygame.KEYDOWN, pygame.K_ESCAPE)
        else:
            post(pygame.KEYDOWN, keys[len(steps)])

    post(pygame.KEYDOWN, keys[0])
    # keys_to_action=None: play asks the env for its key map; fps=0: no frame waits.
    gym_play(env, fps=0, wait_on_player=True, callback=callback, seed=0)
    assert [s[0] for s in steps] == path
    assert steps[-1][1] in maze.goal_states
    assert steps[-1][2] == maze.goal_reward
    assert steps[-1][3] and steps[-1][4] == {"is_success": True}
    assert len(steps) == len(path) == 20  # classic's shortest way out: 20 moves


def test_gymnasium_play_walks_the_cliffs_edge_with_the_tabular_envs_own_keys(gym_play):
    env = gymnasium.make("rlsandbox/Textbook-v0", problem="cliff-walking",
                         render_mode="rgb_array")
    # Example 6.6's optimal path: up, eleven steps right along the edge, down into G.
    path = [0] + [1] * 11 + [2]
    keys = [(ARROWS if i % 2 else WASD)[a] for i, a in enumerate(path)]
    steps = []

    def callback(obs, next_obs, action, reward, terminated, truncated, info):
        steps.append((action, next_obs, reward, terminated, info))
        post(pygame.KEYUP, keys[len(steps) - 1])
        if terminated or truncated:
            post(pygame.KEYDOWN, pygame.K_ESCAPE)
        else:
            post(pygame.KEYDOWN, keys[len(steps)])

    post(pygame.KEYDOWN, keys[0])
    gym_play(env, fps=0, wait_on_player=True, callback=callback, seed=0)
    assert [s[0] for s in steps] == path
    assert sum(s[2] for s in steps) == -13  # the book's optimal return
    assert steps[-1][1] == 37 and steps[-1][3] and steps[-1][4] == {"is_success": True}


def test_gymnasium_play_pushes_the_cart_while_a_key_is_held(gym_play):
    env = gymnasium.make("rlsandbox/CartPole-v0", render_mode="rgb_array")
    actions = []

    def callback(obs, next_obs, action, reward, terminated, truncated, info):
        actions.append(action)
        if len(actions) == 3:  # → held for 3 steps, then ← for 3, then no key for 2
            post(pygame.KEYUP, pygame.K_RIGHT)
            post(pygame.KEYDOWN, pygame.K_LEFT)
        elif len(actions) == 6:
            post(pygame.KEYUP, pygame.K_LEFT)
        elif len(actions) == 8:
            post(pygame.KEYDOWN, pygame.K_ESCAPE)

    post(pygame.KEYDOWN, pygame.K_RIGHT)
    gym_play(env, fps=0, callback=callback, seed=0, noop=1)
    assert actions == [1, 1, 1, 0, 0, 0, 1, 1]  # no key: play's noop, here 1
