"""Watching an episode in a notebook: an animation Jupyter shows inline, or saves as a GIF.

:func:`animate_episode` draws every step of an episode with the env's own renderer, from the
episode's observations, so episodes need not be recorded with frames (which cost memory
during training). The :class:`EpisodeAnimation` it returns is shown by Jupyter, JupyterLab,
VS Code and Colab when it is a cell's value: ``_repr_html_`` gives a small player (play /
pause, step, a slider) whose frames are PNG images inside the HTML as ``data:`` URIs, so the
notebook holds the whole animation and needs no file beside it.

How an env is drawn from an observation: the unwrapped env's ``_render_observation
(observation) -> ndarray (H, W, 3) uint8`` (MazeEnv and TabularEnv grids: the agent on
the state's cell; CartPoleEnv: the cart and pole of ``(x, x_dot, theta, theta_dot)``). Any
env that defines this method can be animated; an episode recorded with frames is animated
from its frames.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from rlsandbox.plots._captions import caption_frames, episode_captions

__all__ = ["EpisodeAnimation", "animate_episode"]


class EpisodeAnimation:
    """An episode as a sequence of captioned frames, shown inline by Jupyter.

    Made by :func:`animate_episode`. ``frames`` are the ``(H, W, 3)`` uint8 images (with
    the step and return written under each) and ``fps`` their rate.

    Methods
    -------
    save(path)
        Write the animation as a looping GIF.
    to_html()
        The self-contained HTML player (what Jupyter shows).
    """

    def __init__(self, frames: list[np.ndarray], fps: float, *, title: str = "") -> None:
        self.frames = frames
        self.fps = fps
        self.title = title
        self._shown = 0  # players made so far (each gets its own element id)

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        height, width = self.frames[0].shape[:2]
        return (f"EpisodeAnimation({len(self.frames)} frames of {width}x{height} at "
                f"{self.fps:g} fps)")

    def save(self, path: str | os.PathLike) -> str:
        """Write the animation to ``path`` as a GIF that loops forever; return the path."""
        from rlsandbox.plots._runs import save_gif

        save_gif(self.frames, path, fps=self.fps)
        return os.fspath(path)

    def to_html(self) -> str:
        """A self-contained HTML player: every frame is a ``data:`` URI, nothing is loaded.

        Plays on its own at ``fps`` frames per second and loops; the buttons pause, step
        back and forth, and the slider picks a frame. Several players in one page are
        independent.
        """
        uris = [_png_uri(frame) for frame in self.frames]
        height, width = self.frames[0].shape[:2]
        # An id unique to this call, so that two players in one page never clash (the same
        # animation shown twice included), with no random numbers involved.
        self._shown += 1
        digest = hashlib.sha1("".join(uris[:: max(1, len(uris) // 16)]).encode()).hexdigest()
        uid = f"rlsandbox-anim-{digest[:12]}-{id(self):x}-{self._shown}"
        title = f"<div style='font:13px sans-serif;margin:2px 0'>{_escape(self.title)}</div>" \
            if self.title else ""
        last = len(uris) - 1
        return _HTML.format(
            uid=uid, title=title, width=width, height=height, first=uris[0], last=last,
            frames=json.dumps(uris), period=1000.0 / self.fps,
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def animate_episode(env, episode, *, fps: float = 10, title: str | None = None
                    ) -> EpisodeAnimation:
    """Animate an episode: each step drawn by the env's renderer, with step and return.

    Parameters
    ----------
    env : gymnasium.Env
        The env that ran the episode (wrappers are looked through): a maze, a TabularEnv
        grid (e.g. ``textbook.make("cliff-walking")``), CartPole, or any env whose unwrapped
        env has ``_render_observation(observation)``.
    episode : Episode
        The episode, e.g. from :func:`rlsandbox.run_episode`; recorded without frames is
        fine. If it has frames (``record_frames=True``) they are used as they are.
    fps : float, default 10
        Frames per second of the player and of the saved GIF, in (0, 100].
    title : str, optional
        A line shown above the player (e.g. the env and the agent).

    Returns
    -------
    EpisodeAnimation
        ``T + 1`` frames for an episode of ``T`` steps: the start and the state after each
        step. Show it by making it a cell's value; ``.save("episode.gif")`` writes a GIF.

    Raises
    ------
    ValueError
        If the env cannot draw the episode's observations (e.g. a discretised CartPole
        episode recorded without frames, or a TabularEnv whose MDP has no ``cells``) or
        ``fps`` is not in (0, 100].

    Examples
    --------
    >>> from rlsandbox import run_episode
    >>> from rlsandbox.agents import ValueIterationAgent
    >>> from rlsandbox.envs import MazeEnv
    >>> env = MazeEnv("tiny")
    >>> episode = run_episode(env, ValueIterationAgent(env), learn=False, explore=False)
    >>> animation = animate_episode(env, episode, fps=4)
    >>> len(animation) == episode.length + 1
    True
    >>> animation.to_html().count("data:image/png;base64,") > episode.length
    True
    """
    if (isinstance(fps, bool) or not isinstance(fps, (int, float, np.number))
            or not 0 < fps <= 100):
        raise ValueError(f"fps must be a number in (0, 100], got {fps!r} (GIF delays count "
                         "hundredths of a second)")
    observations = getattr(episode, "observations", None)
    if observations is None or getattr(episode, "rewards", None) is None:
        raise ValueError(f"animate_episode needs an Episode (observations and rewards), got "
                         f"{type(episode).__name__}")
    frames = getattr(episode, "frames", None)
    if frames is None:
        draw = _drawer(env)
        frames = [_draw(draw, obs, t, env) for t, obs in enumerate(observations)]
    frames = [np.asarray(frame, dtype=np.uint8) for frame in frames]
    captions = episode_captions(episode)
    if len(frames) != len(captions):
        raise ValueError(f"the episode has {len(frames)} frames for {len(captions) - 1} steps; "
                         "expected one frame per observation (T + 1)")
    return EpisodeAnimation(caption_frames(frames, captions), float(fps), title=title or "")


# -- drawing an observation ---------------------------------------------------------------------
def _drawer(env) -> Callable[[Any], np.ndarray]:
    """The function that draws one observation of ``env``: its ``_render_observation``.

    The one place that decides how an env is drawn. MazeEnv, TabularEnv and CartPoleEnv
    define the method; another env joins by defining it (on the unwrapped env).
    """
    unwrapped = getattr(env, "unwrapped", env)
    draw = getattr(unwrapped, "_render_observation", None)
    if not callable(draw):
        raise ValueError(
            f"animate_episode cannot draw {type(unwrapped).__name__} observations (it draws "
            "the maze, CartPole and envs with _render_observation); record the episode with "
            "record_frames=True on an env made with render_mode='rgb_array' instead"
        )
    return draw


def _draw(draw, observation, t: int, env) -> np.ndarray:
    try:
        return draw(observation)
    except (ValueError, TypeError, IndexError) as exc:
        unwrapped = getattr(env, "unwrapped", env)
        if "rgb_array" not in getattr(unwrapped, "metadata", {}).get("render_modes", ()):
            # No pixels at all (a TabularEnv without cells): recording frames cannot help.
            raise ValueError(
                f"animate_episode cannot draw {type(unwrapped).__name__} episodes: {exc}"
            ) from None
        raise ValueError(
            f"observation {t} ({observation!r}) cannot be drawn by "
            f"{type(getattr(env, 'unwrapped', env)).__name__}: {exc}. Was the episode run "
            "through a wrapper that changes observations (e.g. DiscretizeObservation)? Then "
            "record it with record_frames=True"
        ) from None


def _png_uri(frame: np.ndarray) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(frame).save(buffer, format="PNG")  # optimize=True: 2.5x slower, 12% less
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


# The player: plain DOM and one timer, no library. Everything is found from the player's
# own element, so several players on one page do not interfere.
_HTML = """<div id="{uid}" class="rlsandbox-animation" style="display:inline-block">
{title}<img src="{first}" width="{width}" height="{height}" data-frame="0"
 style="max-width:100%;height:auto;image-rendering:pixelated" alt="episode animation">
<div style="font:12px sans-serif;display:flex;align-items:center;gap:4px;margin-top:2px">
<button type="button" data-action="back" title="previous frame">&#9664;&#9646;</button>
<button type="button" data-action="play" title="play / pause">&#10074;&#10074;</button>
<button type="button" data-action="next" title="next frame">&#9646;&#9654;</button>
<input type="range" min="0" max="{last}" value="0" style="flex:1">
<span class="rlsandbox-frame">0 / {last}</span></div></div>
<script>
(function () {{
  var root = document.getElementById("{uid}");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var frames = {frames};
  var img = root.querySelector("img"), slider = root.querySelector("input");
  var label = root.querySelector(".rlsandbox-frame");
  var play = root.querySelector("[data-action=play]");
  var frame = 0, timer = null;
  function show(i) {{
    frame = (i + frames.length) % frames.length;
    img.src = frames[frame];
    img.setAttribute("data-frame", String(frame));
    slider.value = String(frame);
    label.textContent = frame + " / " + (frames.length - 1);
  }}
  function start() {{
    if (timer === null) timer = setInterval(function () {{ show(frame + 1); }}, {period});
    play.innerHTML = "&#10074;&#10074;";
  }}
  function stop() {{
    if (timer !== null) {{ clearInterval(timer); timer = null; }}
    play.innerHTML = "&#9654;";
  }}
  play.addEventListener("click", function () {{ if (timer === null) start(); else stop(); }});
  root.querySelector("[data-action=back]").addEventListener("click",
    function () {{ stop(); show(frame - 1); }});
  root.querySelector("[data-action=next]").addEventListener("click",
    function () {{ stop(); show(frame + 1); }});
  slider.addEventListener("input", function () {{ stop(); show(parseInt(slider.value, 10)); }});
  start();
}})();
</script>"""
