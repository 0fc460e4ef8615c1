"""The inline animation in a real browser: headless Chromium opens ``_repr_html_`` as Jupyter
shows it, and the player moves, with no JavaScript error.

Drives Debian's ``chromium`` package (``.ci/run`` installs it) with Playwright; Playwright's own
browser downloads are not used. Skipped only where that browser is missing.
"""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from rlsandbox.agents import ValueIterationAgent
from rlsandbox.envs import CartPoleEnv, MazeEnv
from rlsandbox.loop import run_episode
from rlsandbox.plots import animate_episode

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="Debian's chromium is not installed (.ci/run installs it)")

# JupyterLab puts an output's HTML in with innerHTML, which does not run scripts, and then
# replaces every <script> by a new one, which does: done the same way here.
INSERT_LIKE_JUPYTER = """html => {
    const cell = document.createElement("div");
    cell.innerHTML = html;
    document.body.appendChild(cell);
    for (const old of cell.querySelectorAll("script")) {
        const script = document.createElement("script");
        script.textContent = old.textContent;
        old.replaceWith(script);
    }
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        # --no-sandbox: Chromium refuses its sandbox when run as root (containers, CI).
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(error))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message))
    page.set_content("<!doctype html><html><body></body></html>")
    yield page
    page.close()


@pytest.fixture(scope="module")
def maze_animation():
    env = MazeEnv("classic")
    episode = run_episode(env, ValueIterationAgent(env), learn=False, explore=False)
    return animate_episode(env, episode, fps=20)


def frame_of(player):
    return int(player.locator("img").get_attribute("data-frame"))


def wait_past(page, player_index, frame, timeout=10_000):
    page.wait_for_function(
        "([i, f]) => Number(document.querySelectorAll('.rlsandbox-animation img')[i]"
        ".dataset.frame) > f", arg=[player_index, frame], timeout=timeout)


def test_the_player_moves_through_the_frames_with_no_javascript_error(page, maze_animation):
    page.evaluate(INSERT_LIKE_JUPYTER, maze_animation._repr_html_())
    player = page.locator(".rlsandbox-animation")
    img = player.locator("img")
    wait_past(page, 0, 0)
    # The frame decodes: the browser knows its size, which is the animation's.
    size = img.evaluate("i => [i.complete, i.naturalWidth, i.naturalHeight]")
    height, width = maze_animation.frames[0].shape[:2]
    assert size == [True, width, height]
    first, first_shot = frame_of(player), img.screenshot()
    wait_past(page, 0, first)
    assert frame_of(player) > first
    assert img.screenshot() != first_shot  # what is on screen changed, not just an attribute
    assert page.errors == []


def test_the_player_loops_back_to_the_first_frame(page, maze_animation):
    page.evaluate(INSERT_LIKE_JUPYTER, maze_animation._repr_html_())
    last = len(maze_animation) - 1
    page.wait_for_function(
        "n => document.querySelector('.rlsandbox-animation img').dataset.frame == n",
        arg=str(last), timeout=10_000)
    page.wait_for_function(
        "n => Number(document.querySelector('.rlsandbox-animation img').dataset.frame) < n",
        arg=last, timeout=10_000)
    assert page.errors == []


def test_pause_step_and_slider_control_the_frame(page, maze_animation):
    page.evaluate(INSERT_LIKE_JUPYTER, maze_animation._repr_html_())
    player = page.locator(".rlsandbox-animation")
    player.locator("[data-action=play]").click()  # pause
    paused = frame_of(player)
    page.wait_for_timeout(300)  # six frame periods at 20 fps
    assert frame_of(player) == paused
    player.locator("[data-action=next]").click()
    assert frame_of(player) == (paused + 1) % len(maze_animation)
    player.locator("input[type=range]").fill("7")
    assert frame_of(player) == 7
    assert player.locator(".rlsandbox-frame").inner_text() == f"7 / {len(maze_animation) - 1}"
    player.locator("[data-action=back]").click()
    assert frame_of(player) == 6
    assert page.errors == []


def test_two_players_on_one_page_both_move(page, maze_animation):
    env = CartPoleEnv(max_steps=30)
    episode = run_episode(env, _Balance(), learn=False, seed=0)
    cartpole = animate_episode(env, episode, fps=20)
    page.evaluate(INSERT_LIKE_JUPYTER, maze_animation._repr_html_())
    page.evaluate(INSERT_LIKE_JUPYTER, cartpole._repr_html_())
    page.evaluate(INSERT_LIKE_JUPYTER, maze_animation._repr_html_())  # the same one again
    players = page.locator(".rlsandbox-animation")
    assert players.count() == 3
    for i in range(3):
        wait_past(page, i, 1)
    widths = [players.nth(i).locator("img").evaluate("i => i.naturalWidth") for i in range(3)]
    assert widths == [maze_animation.frames[0].shape[1], 600, maze_animation.frames[0].shape[1]]
    assert page.errors == []


class _Balance:
    def act(self, observation, *, explore=True):
        return int(observation[2] + 0.5 * observation[3] > 0)
