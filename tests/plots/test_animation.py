"""animate_episode: frames drawn from observations, captions, the inline HTML player, GIFs."""

import base64
import io
import re

import gymnasium
import numpy as np
import pytest
from PIL import Image

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox.agents import RandomAgent, ValueIterationAgent
from rlsandbox.envs import CartPoleEnv, DiscretizeObservation, MazeEnv
from rlsandbox.loop import run_episode
from rlsandbox.plots import EpisodeAnimation, animate_episode, episode_captions


class Balance:
    """Pushes toward the side the pole leans to (keeps it up for a while)."""

    def act(self, observation, *, explore=True):
        return int(observation[2] + 0.5 * observation[3] > 0)


def uris(html):
    return re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]+", html)


def png(uri):
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))


def recorded(env_id, agent_of, seed, **kw):
    """The same episode twice: without frames, and with the env's rgb_array frames."""
    plain = gymnasium.make(env_id, **kw)
    seen = gymnasium.make(env_id, render_mode="rgb_array", **kw)
    a = run_episode(plain, agent_of(plain), learn=False, explore=False, seed=seed)
    b = run_episode(seen, agent_of(seen), learn=False, explore=False, seed=seed,
                    record_frames=True)
    return plain, a, b


@pytest.fixture(scope="module")
def maze_run():
    return recorded("rlsandbox/Maze-v0", lambda e: RandomAgent(e.action_space, seed=1), 4,
                    layout="tiny", slip=0.2)


@pytest.fixture(scope="module")
def grid_run():
    # Random moves on the cliff: falls into the cliff and back to the start are drawn too.
    return recorded("rlsandbox/Textbook-v0", lambda e: RandomAgent(e.action_space, seed=2), 0,
                    problem="cliff-walking", max_steps=40)


@pytest.fixture(scope="module")
def cartpole_run():
    return recorded("rlsandbox/CartPole-v0", lambda e: Balance(), 0, max_steps=60)


@pytest.mark.parametrize("run", ["maze_run", "grid_run", "cartpole_run"])
def test_frames_drawn_from_observations_are_the_envs_own_frames(run, request):
    env, plain, with_frames = request.getfixturevalue(run)
    assert plain.frames is None
    np.testing.assert_array_equal(plain.observations, with_frames.observations)
    animation = animate_episode(env, plain)
    assert len(animation) == plain.length + 1  # T + 1: the start and after every step
    height = with_frames.frames[0].shape[0]
    for drawn, frame in zip(animation.frames, with_frames.frames, strict=True):
        np.testing.assert_array_equal(drawn[:height], frame)
        assert drawn.shape[0] > height  # the caption strip under the frame


def test_recorded_frames_are_used_as_they_are(maze_run):
    env, _, with_frames = maze_run
    marked = [frame.copy() for frame in with_frames.frames]
    marked[1][0, 0] = (1, 2, 3)  # a pixel the renderer never draws
    with_frames.frames, original = marked, with_frames.frames
    try:
        animation = animate_episode(env, with_frames)
    finally:
        with_frames.frames = original
    assert tuple(animation.frames[1][0, 0]) == (1, 2, 3)


def test_captions_give_the_step_and_the_return_so_far():
    assert episode_captions([1.0, 1.0, 1.0]) == [
        "step 0   return 0", "step 1   return 1", "step 2   return 2", "step 3   return 3"]


def test_the_last_caption_says_whether_the_episode_succeeded(maze_run):
    _, episode, _ = maze_run
    captions = episode_captions(episode)
    assert len(captions) == episode.length + 1
    assert captions[-1].endswith("success" if episode.success else "no success")
    assert captions[-1].startswith(f"step {episode.length}   return {episode.total_reward:.2f}")


def test_each_frame_shows_its_own_caption(cartpole_run):
    env, episode, _ = cartpole_run
    strips = [f[400:] for f in animate_episode(env, episode).frames]
    # Every step's caption differs (the step count), so every strip differs from the next.
    assert all((a != b).any() for a, b in zip(strips, strips[1:], strict=False))
    dark = [(s.sum(axis=2) < 200).sum() for s in strips]  # pixels of ink
    assert dark[0] > 0 and dark[-1] > dark[0]  # "...   success" is longer than "step 0 ..."


# -- the inline player --------------------------------------------------------------------------
@pytest.mark.parametrize("run", ["maze_run", "grid_run", "cartpole_run"])
def test_html_is_self_contained_with_every_frame_inline(run, request):
    env, episode, _ = request.getfixturevalue(run)
    animation = animate_episode(env, episode, fps=5)
    html = animation._repr_html_()
    # Everything the page loads is a data: URI; no file, no web address.
    sources = re.findall(r"""\bsrc\s*=\s*["']([^"']+)["']""", html)  # HTML attributes
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert re.findall(r"\.src\s*=\s*([^;]+);", html) == ["frames[frame]"]  # the script's
    assert "http" not in html and "url(" not in html and "<link" not in html
    assert "<script" in html and "src" not in html.split("<script")[1].split(">")[0]
    frames = uris(html)[1:]  # the first is the <img>'s initial frame
    assert len(frames) == episode.length + 1
    for uri, frame in zip(frames, animation.frames, strict=True):
        np.testing.assert_array_equal(png(uri), frame)
    assert "200.0" in html  # 5 fps: a frame every 200 ms


def test_two_players_of_one_animation_get_different_ids(maze_run):
    env, episode, _ = maze_run
    animation = animate_episode(env, episode)
    ids = [re.search(r'<div id="([^"]+)"', animation.to_html()).group(1) for _ in range(2)]
    assert ids[0] != ids[1]


def test_the_title_is_shown_escaped(maze_run):
    env, episode, _ = maze_run
    html = animate_episode(env, episode, title="tiny maze <random>").to_html()
    assert "tiny maze &lt;random&gt;" in html and "<random>" not in html


# -- GIFs -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("run", ["maze_run", "grid_run", "cartpole_run"])
def test_save_writes_a_gif_of_t_plus_1_frames(run, request, tmp_path):
    env, episode, _ = request.getfixturevalue(run)
    animation = animate_episode(env, episode, fps=20)
    assert animation.save(tmp_path / "episode.gif") == str(tmp_path / "episode.gif")
    with Image.open(tmp_path / "episode.gif") as gif:
        assert gif.n_frames == episode.length + 1  # captions differ: no frame merges
        assert gif.size == animation.frames[0].shape[1::-1]
        durations = []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
    assert sum(durations) == 50 * (episode.length + 1)


# -- what cannot be animated ----------------------------------------------------------------------
def test_a_discretised_cartpole_episode_without_frames_cannot_be_drawn():
    env = DiscretizeObservation(CartPoleEnv(max_steps=5), (3, 3, 3, 3))
    episode = run_episode(env, RandomAgent(env.action_space, seed=0), learn=False, seed=0)
    with pytest.raises(ValueError, match="record_frames=True"):
        animate_episode(env, episode)


def test_a_grid_episode_visits_the_cliff_and_is_drawn_there(grid_run):
    _, episode, _ = grid_run
    assert (episode.rewards == -100).any()  # the fixture's walk falls off the cliff


def test_a_tabular_env_without_cells_says_why_it_cannot_be_drawn():
    from rlsandbox import textbook

    env = textbook.make("gamblers-problem", goal=10)
    episode = run_episode(env, RandomAgent(env.action_space, seed=0), learn=False, seed=0)
    with pytest.raises(ValueError, match=r"cannot draw TabularEnv episodes: this MDP is not a "
                                         r"grid \(mdp.cells is None\)") as caught:
        animate_episode(env, episode)
    # It has no rgb_array rendering either, so recording frames is not offered as a way out.
    assert "record_frames" not in str(caught.value)


def test_an_env_without_a_renderer_for_observations_is_refused():
    env = gymnasium.make("FrozenLake-v1")
    episode = run_episode(env, RandomAgent(env.action_space, seed=0), learn=False, seed=0)
    with pytest.raises(ValueError, match="cannot draw FrozenLakeEnv"):
        animate_episode(env, episode)


@pytest.mark.parametrize("fps", [0, -1, 101, True, "10"])
def test_bad_fps_is_refused(fps, maze_run):
    env, episode, _ = maze_run
    with pytest.raises(ValueError, match="fps"):
        animate_episode(env, episode, fps=fps)


def test_animating_a_greedy_maze_episode_ends_on_the_goal():
    env = MazeEnv("classic")
    episode = run_episode(env, ValueIterationAgent(env), learn=False, explore=False)
    animation = animate_episode(env, episode)
    assert isinstance(animation, EpisodeAnimation) and len(animation) == 21
    goal = env.state_to_cell(int(env.goal_states[0]))
    cell = env._renderer.cell
    r, c = goal
    patch = animation.frames[-1][r * cell:(r + 1) * cell, c * cell:(c + 1) * cell]
    assert (patch == (240, 228, 66)).all(axis=2).any()  # the yellow agent is on the goal
