"""The edges a new user hits on a fresh install, one test each."""

import csv
import json
import os
import shlex
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from rlsandbox.cli import main
from rlsandbox.cli.common import format_rate
from rlsandbox.loop import Episode, History
from tests.cli.conftest import ROOT
from tests.processes import foreground


@pytest.fixture
def tiny_run(tmp_path):
    run = tmp_path / "run"
    assert main(["train", "--layout", "tiny", "--episodes", "5", "--quiet", "--out",
                 str(run)]) == 0
    return run


def test_replay_creates_the_gifs_folder(tmp_path, tiny_run, capsys):
    gif = tmp_path / "out" / "deeper" / "ep.gif"
    assert main(["replay", str(tiny_run), "--gif", str(gif)]) == 0
    assert gif.stat().st_size > 0


@pytest.mark.parametrize("name", ["x.txt", "x", "x.gif.png"])
def test_a_gif_name_without_gif_is_refused(tmp_path, tiny_run, capsys, name):
    assert main(["replay", str(tiny_run), "--gif", str(tmp_path / name)]) == 2
    error = capsys.readouterr().err
    assert name in error and ".gif" in error
    assert not (tmp_path / name).exists()


def test_a_closed_pipe_ends_quietly(tmp_path):
    # `rlsandbox envs | head -2`: the reader is gone before everything is written.
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([sys.executable, "-m", "rlsandbox", "envs"], stdout=write,
                                stderr=subprocess.PIPE, text=True, timeout=120,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode == 141  # as `yes | head -1` reports for yes


def test_zero_episodes_train_nothing_without_nan_or_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "rlsandbox", "train", "--layout", "tiny",
         "--episodes", "0", "--out", str(tmp_path / "run")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "train: 0 episodes"
    assert "nan" not in result.stdout.lower() and result.stderr == ""
    assert len(History.load(tmp_path / "run" / "history.npz")) == 0


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--env", "cartpole", "--layout", "classic"], "--layout classic"),
        (["--env", "cartpole", "--slip", "0.1"], "--slip 0.1"),
        (["--env", "maze", "--bins", "3,3,3,3"], "--bins 3,3,3,3"),
    ],
)
def test_options_for_another_env_are_refused_not_ignored(tmp_path, capsys, args, needle):
    assert main(["train", *args, "--episodes", "1", "--out", str(tmp_path / "x")]) == 2
    error = capsys.readouterr().err
    assert needle in error and "applies to --env" in error
    assert not (tmp_path / "x").exists()


def test_options_of_a_new_run_are_refused_with_resume(tiny_run, capsys):
    assert main(["train", "--resume", str(tiny_run), "--layout", "classic"]) == 2
    assert "--layout does not apply with --resume" in capsys.readouterr().err


def _checkpoints(out):
    folder = out.parent / (out.name + ".checkpoints")
    return [n for n in os.listdir(folder) if n.startswith("episode-")] if folder.exists() else []


def test_ctrl_c_during_train_says_how_to_continue_and_that_works(tmp_path):
    # A real SIGINT, sent while training runs (the first checkpoint is the sign), to a
    # process whose SIGINT is at its default, as a terminal's foreground job has it.
    (tmp_path / "slow_agents.py").write_text(
        "import time\nfrom rlsandbox.agents import QLearningAgent\n\n"
        "class SlowQ(QLearningAgent):\n"
        "    def act(self, observation, *, explore=True):\n"
        "        time.sleep(0.002)\n"
        "        return super().act(observation, explore=explore)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    common = ["--agent", "slow_agents:SlowQ", "--layout", "tiny", "--seed", "4", "--quiet"]
    proc = subprocess.Popen(
        foreground("-m", "rlsandbox", "train", *common, "--episodes", "150",
                   "--checkpoint-every", "10", "--out", "run"),
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not _checkpoints(tmp_path / "run") and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    message = err.strip().splitlines()[-1]
    assert "interrupted after" in message and "of 150 episodes" in message
    advice = message.split("Continue the other ")[1]
    left, command = advice.split(" with: ")
    assert command == "rlsandbox train --resume run"
    done = len(History.load(tmp_path / "run" / "history.npz"))
    assert 0 < done < 150 and int(left) == 150 - done

    program, *args = shlex.split(command)  # run the advice as printed
    resumed = subprocess.run([sys.executable, "-m", program, *args, "--quiet"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    straight = subprocess.run([sys.executable, "-m", "rlsandbox", "train", *common,
                               "--episodes", "150", "--out", "straight"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert straight.returncode == 0, straight.stderr
    run, reference = (History.load(tmp_path / d / "history.npz") for d in ("run", "straight"))
    assert len(run) == 150
    # The episodes finished before Ctrl-C are the straight run's. (The ones after differ a
    # little: the agent kept what it learned in the unfinished episode.)
    assert run[:done] == reference[:done]


# -- success unknown reads as unknown ------------------------------------------------------------
def frozen_lake_history(episodes=6):
    """Episodes of Gymnasium's FrozenLake, which never reports info["is_success"]."""
    import gymnasium

    from rlsandbox.agents import RandomAgent
    from rlsandbox.loop import train

    env = gymnasium.make("FrozenLake-v1", map_name="4x4")
    return train(env, RandomAgent(env.action_space, seed=0), episodes, seed=0, progress=False)


def test_success_of_an_env_that_never_reports_it_is_nan_not_failure():
    history = frozen_lake_history()
    assert all(ep.success is None for ep in history)
    assert np.isnan(history.successes).all() and np.isnan(history.success_rate)
    assert format_rate(history.success_rate) == "n/a"


def test_success_rate_counts_only_the_episodes_that_report_it():
    def episode(success):
        return Episode([0, 1], [0], [0.0], True, False, success=success)

    history = History([episode(True), episode(None), episode(False), episode(True)])
    assert history.success_rate == pytest.approx(2 / 3)
    assert np.array_equal(history.successes, [1.0, np.nan, 0.0, 1.0], equal_nan=True)


def test_unknown_success_is_an_empty_csv_cell(tmp_path):
    history = frozen_lake_history(2)
    history.to_csv(tmp_path / "episodes.csv")
    with open(tmp_path / "episodes.csv", newline="") as f:
        assert [row["success"] for row in csv.DictReader(f)] == ["", ""]


def test_sweep_summary_leaves_success_rate_empty_for_frozen_lake(tmp_path):
    from rlsandbox.sweep import read_summary, run_sweep

    spec = {"env": {"id": "FrozenLake-v1", "map_name": "4x4"}, "seeds": [0], "episodes": 20,
            "eval_episodes": 5, "window": 10,
            "agents": [{"name": "value-iteration"}, {"name": "random"}]}
    result = run_sweep(spec, out=tmp_path / "sweep", workers=1)
    assert not result.failed
    rows = read_summary(tmp_path / "sweep")
    assert [r["agent"] for r in rows] == ["random", "value-iteration"]
    for row in rows:
        assert row["success_rate"] == "" and row["eval_success_rate"] == ""
        assert row["final_mean_return"] != ""


def test_analyze_prints_n_a_where_success_is_unknown(tiny_run, capsys):
    unknown = History(Episode(ep.observations, ep.actions, ep.rewards, ep.terminated,
                              ep.truncated, success=None)
                      for ep in History.load(tiny_run / "history.npz"))
    unknown.save(tiny_run / "history.npz")
    assert main(["analyze", str(tiny_run), "--clusters", "2"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.split()[:1] in (["0"], ["1"])]
    assert rows and all(row[-1] == "n/a" for row in rows)
    assert "nan" not in out.lower()
    report = json.loads((tiny_run / "analysis" / "report.json").read_text())
    assert all(c["success_rate"] is None for c in report["clusters"])
    assert report["auc"] == {"start_value": None, "mean_value_first_k": None}
