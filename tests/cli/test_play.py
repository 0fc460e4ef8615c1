"""``rlsandbox play``: a person's episodes written as a run, and replayed from their actions.

The person is played by key events posted to pygame's queue (headless: SDL's dummy video
driver) when each episode begins, as someone at the keyboard would press them once the
window shows the start.
"""

import json
import types

import pygame
import pytest
from PIL import Image

from rlsandbox.agents import KeyboardAgent
from rlsandbox.cli import main
from rlsandbox.loop import History, episode_seed
from tests.key_events import deadline, event_queue  # noqa: F401  (autouse fixtures)

R, L, U, D = pygame.K_RIGHT, pygame.K_LEFT, pygame.K_UP, pygame.K_DOWN
# The tiny maze: S at (1, 1), the goal three cells right; X under the goal is a trap.
TO_GOAL = [R, R, R]
INTO_TRAP = [D, D, R, R, R, U]


@pytest.fixture(autouse=True)
def no_frame_wait(monkeypatch):
    """Let the window show frames without waiting 1/fps between them."""
    import rlsandbox.envs._viewer as viewer

    fake_time = types.SimpleNamespace(sleep=lambda s: None, perf_counter=viewer.time.perf_counter)
    monkeypatch.setattr(viewer, "time", fake_time)


@pytest.fixture
def person(monkeypatch):
    """``person(keys_0, keys_1, ...)``: at the start of episode k (the k-th time a
    KeyboardAgent begins one, restarts included) these keys are pressed and released.
    A key given as ``("down", K)`` is pressed and held."""

    def plays(*episodes):
        begin = KeyboardAgent.begin_episode
        started = []

        def begin_and_press(agent):
            begin(agent)
            keys = episodes[len(started)] if len(started) < len(episodes) else ()
            started.append(True)
            for key in keys:
                if isinstance(key, tuple):
                    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key[1]))
                    continue
                pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key))
                pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key))

        monkeypatch.setattr(KeyboardAgent, "begin_episode", begin_and_press)
        return started

    return plays


def play(tmp_path, *args):
    return main(["play", *args, "--out", str(tmp_path / "run")])


# -- playing writes the run `train` writes ------------------------------------------------------
def test_playing_the_tiny_maze_twice_writes_a_keyboard_run(tmp_path, person, capsys):
    person(TO_GOAL, TO_GOAL)
    assert play(tmp_path, "maze", "--layout", "tiny", "--episodes", "2", "--seed", "4") == 0
    run = tmp_path / "run"
    for name in ("config.json", "history.npz", "episodes.csv", "agent.npz", "agent.json",
                 "learning_curve.png"):
        assert (run / name).is_file(), name
    config = json.loads((run / "config.json").read_text())
    assert (config["env"], config["agent"], config["seed"]) == ("maze", "keyboard", 4)
    assert (config["episodes"], config["interrupted"]) == (2, False)
    assert json.loads((run / "agent.json").read_text())["agent"] == "keyboard"
    history = History.load(run / "history.npz")
    assert len(history) == 2 and history.successes.tolist() == [True, True]
    assert [ep.actions.tolist() for ep in history] == [[1, 1, 1], [1, 1, 1]]
    assert history.returns == pytest.approx([9.8, 9.8])
    assert (run / "episodes.csv").read_text().count("\n") == 3  # a header and 2 rows


def test_the_keys_are_printed_before_play_starts(tmp_path, person, capsys):
    person(TO_GOAL)
    assert play(tmp_path, "--layout", "tiny", "--episodes", "1") == 0
    out = capsys.readouterr().out
    intro = out.split("play: 1 episodes")[0]
    assert "arrow keys or W A S D" in intro and "one cell per key press" in intro
    for key in ("Space pauses", "R restarts the episode", "Esc ends play"):
        assert key in intro


def test_play_seeds_its_episodes_as_train_does(tmp_path, person):
    # slip 0.5: where the moves lead depends on the reset seed of each episode.
    person([R] * 40, [R] * 40)
    assert play(tmp_path, "--layout", "tiny", "--slip", "0.5", "--max-steps", "12",
                "--episodes", "2", "--seed", "7") == 0
    import gymnasium

    import rlsandbox  # noqa: F401  (registers the envs)
    history = History.load(tmp_path / "run" / "history.npz")
    env = gymnasium.make("rlsandbox/Maze-v0", layout="tiny", slip=0.5, max_steps=12)
    for i, episode in enumerate(history):
        env.reset(seed=episode_seed(7, i))
        seen = [int(env.step(int(a))[0]) for a in episode.actions]
        assert seen == episode.observations[1:].tolist()


def test_r_restarts_the_episode_and_only_the_replayed_one_is_kept(tmp_path, person):
    person([D, pygame.K_r], TO_GOAL)
    assert play(tmp_path, "--layout", "tiny", "--episodes", "1") == 0
    history = History.load(tmp_path / "run" / "history.npz")
    assert len(history) == 1 and history[0].actions.tolist() == [1, 1, 1]


def test_cartpole_is_played_in_real_time_on_the_raw_env(tmp_path, person):
    person([("down", R)])
    assert play(tmp_path, "cartpole", "--max-steps", "8", "--episodes", "1") == 0
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert "bins" not in config  # the person played the continuous CartPole
    episode = History.load(tmp_path / "run" / "history.npz")[0]
    assert episode.actions.tolist() == [1] * 8 and episode.observations.shape == (9, 4)


def test_the_default_out_is_named_like_trains(tmp_path, person, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    person(TO_GOAL, TO_GOAL)
    assert main(["play", "--layout", "tiny", "--episodes", "1"]) == 0
    assert main(["play", "--layout", "tiny", "--episodes", "1"]) == 0
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [
        "play-maze-keyboard-seed0", "play-maze-keyboard-seed0-1"]


# -- Esc ends play ------------------------------------------------------------------------------
def test_esc_after_an_episode_keeps_the_finished_one_and_exits_130(tmp_path, person, capsys):
    person(TO_GOAL, [R, pygame.K_ESCAPE])
    assert play(tmp_path, "--layout", "tiny", "--episodes", "3") == 130
    err = capsys.readouterr().err
    assert "ended after 1 of 3 episodes" in err and "saved" in err
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert (config["episodes"], config["episodes_requested"], config["interrupted"]) == (1, 3,
                                                                                         True)
    assert len(History.load(tmp_path / "run" / "history.npz")) == 1


def test_esc_before_the_first_episode_ends_writes_nothing_and_exits_130(tmp_path, person,
                                                                         capsys):
    person([R, pygame.K_ESCAPE])
    assert play(tmp_path, "--layout", "tiny") == 130
    assert "nothing was written" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# -- replay and analyze read human play ---------------------------------------------------------
@pytest.fixture
def played(tmp_path, person):
    """A tiny-maze run of three episodes: to the goal, into the trap, to the goal round a
    bump into the wall."""
    person(TO_GOAL, INTO_TRAP, [L, R, R, R])
    assert play(tmp_path, "--layout", "tiny", "--episodes", "3", "--seed", "2") == 0
    return tmp_path / "run"


def test_replay_of_a_played_run_writes_a_gif_of_the_recorded_episode(played, tmp_path,
                                                                     capsys):
    gif = tmp_path / "replay.gif"
    assert main(["replay", str(played), "--gif", str(gif), "--episodes", "2"]) == 0
    out = capsys.readouterr().out
    assert "episode 0: return 9.800, length 3" in out
    assert "episode 1: return" in out and "length 6" in out
    with Image.open(gif) as image:
        assert image.n_frames == (3 + 1) + (6 + 1)  # reset and every step, both episodes


def test_replay_of_a_played_run_in_the_window_steps_the_recorded_actions(played, capsys):
    assert main(["replay", str(played), "--episodes", "3"]) == 0
    out = capsys.readouterr().out
    assert "episode 2: return 9.700, length 4" in out


def test_replay_refuses_a_played_run_whose_env_went_another_way(played, tmp_path, capsys):
    history = History.load(played / "history.npz")
    history[0].observations[2] = 7  # not where the second move led
    history.save(played / "history.npz")
    assert main(["replay", str(played), "--gif", str(tmp_path / "x.gif")]) == 2
    err = capsys.readouterr().err
    assert "episode 0" in err and "does not replay as recorded" in err and "step 2" in err
    assert not (tmp_path / "x.gif").exists()


def test_replay_refuses_a_played_run_whose_config_changed_the_env(played, tmp_path, capsys):
    config = json.loads((played / "config.json").read_text())
    config["max_steps"] = 2
    (played / "config.json").write_text(json.dumps(config))
    assert main(["replay", str(played), "--gif", str(tmp_path / "x.gif")]) == 2
    assert "ended after 2 steps, the record after 3" in capsys.readouterr().err


def test_replay_of_a_summary_only_played_run_exits_2(played, tmp_path, capsys):
    full = History.load(played / "history.npz")
    summary = History(keep="summary")
    for episode in full:
        summary.append(episode)
    summary.save(played / "history.npz")
    assert main(["replay", str(played), "--gif", str(tmp_path / "x.gif")]) == 2
    assert "summaries only" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--seed", "3"], "--seed does not apply"),
    (["--episodes", "4"], "recorded 3 episode(s)"),
])
def test_replay_options_that_do_not_fit_a_played_run_exit_2(played, args, message, capsys):
    assert main(["replay", str(played), *args]) == 2
    assert message in capsys.readouterr().err


def test_replay_of_a_played_cartpole_run_matches_its_recorded_observations(tmp_path, person,
                                                                         capsys):
    person([("down", pygame.K_LEFT)])
    assert play(tmp_path, "cartpole", "--max-steps", "30", "--episodes", "1",
                "--seed", "5") == 0
    recorded = History.load(tmp_path / "run" / "history.npz")[0]
    assert recorded.actions.tolist() == [0] * recorded.length and recorded.terminated
    capsys.readouterr()
    # replay compares every float observation with the recorded one, bit for bit
    assert main(["replay", str(tmp_path / "run"), "--gif", str(tmp_path / "cartpole.gif")]) == 0
    assert (f"episode 0: return {recorded.total_reward:.3f}, length {recorded.length}"
            in capsys.readouterr().out)


def test_analyze_reads_a_played_run(played, capsys):
    assert main(["analyze", str(played), "--clusters", "2"]) == 0
    out = capsys.readouterr().out
    assert "3 episodes, 2 behaviour type(s)" in out
    report = json.loads((played / "analysis" / "report.json").read_text())
    clusters = sorted((c["size"], c["mean_return"], c["success_rate"])
                      for c in report["clusters"])
    # The trap alone (5 steps of -0.1, then -10); the two ways to the goal together.
    assert clusters == [(1, pytest.approx(-10.5), 0.0), (2, pytest.approx(9.75), 1.0)]


@pytest.mark.parametrize("command", [["eval"], ["train", "--resume"]])
def test_eval_and_resume_refuse_a_played_run(played, command, capsys):
    assert main([*command, str(played)]) == 2
    assert "played by a person" in capsys.readouterr().err


# -- bad options --------------------------------------------------------------------------------
@pytest.mark.parametrize("args, named", [
    (["cartpole", "--layout", "tiny"], "--layout tiny"),
    (["cartpole", "--slip", "0.1"], "--slip 0.1"),
    (["--bins", "1,6,12,12"], "--bins 1,6,12,12"),
    (["--layout", "nowhere"], "nowhere"),
    (["--slip", "2"], "slip"),
    (["--episodes", "0"], "0"),
    (["pong"], "pong"),
    (["--seed", "-1"], "-1"),
])
def test_bad_options_exit_2_naming_the_value_before_a_window_opens(tmp_path, args, named,
                                                                   capsys, monkeypatch):
    monkeypatch.setattr(KeyboardAgent, "begin_episode",
                        lambda self: pytest.fail("a window opened"))
    try:
        status = play(tmp_path, *args)
    except SystemExit as exit_:  # argparse's own errors
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_out_is_refused(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    assert play(tmp_path, "--layout", "tiny") == 2
    assert "already exists" in capsys.readouterr().err


def test_without_a_screen_play_refuses_instead_of_waiting_for_keys(tmp_path, monkeypatch,
                                                                   capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert play(tmp_path, "--layout", "tiny") == 2
    assert "no screen to play on" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
