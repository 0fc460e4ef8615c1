"""Robustness of whole runs: interruption, crashes, resume, reproducibility, flat memory."""

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from rlsandbox.agents import RandomAgent
from rlsandbox.loop import History, train
from tests.chain_env import ChainEnv

TESTS = Path(__file__).parent


def run_cli(*args, cwd=None):
    """``python -m rlsandbox ...`` in a fresh process that can import ``faulty_agents``."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "MPLBACKEND": "Agg",
           "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "rlsandbox", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_ctrl_c_writes_the_finished_episodes_and_exits_130(tmp_path):
    out = tmp_path / "run"
    result = run_cli("train", "--layout", "tiny", "--agent", "faulty_agents:InterruptingAgent",
                     "--episodes", "1000", "--quiet", "--out", str(out))
    assert result.returncode == 130, result.stderr
    config = json.loads((out / "config.json").read_text())
    assert config["interrupted"] is True
    history = History.load(out / "history.npz")
    assert 0 < len(history) == config["episodes"] < 1000
    assert sum(history.lengths) < 50  # only episodes finished before the 50th update
    assert (out / "agent.npz").exists()


def test_a_crash_in_update_names_episode_and_step_and_keeps_finished_episodes(tmp_path):
    out = tmp_path / "run"
    result = run_cli("train", "--layout", "tiny", "--agent", "faulty_agents:CrashingAgent",
                     "--episodes", "1000", "--quiet", "--out", str(out))
    assert result.returncode == 1
    assert "episode" in result.stderr and "step" in result.stderr
    assert "Traceback" not in result.stderr
    config = json.loads((out / "config.json").read_text())
    assert "ZeroDivisionError" in config["error"] or "bug" in config["error"]
    history = History.load(out / "history.npz")
    assert len(history) == config["episodes"] and sum(history.lengths) < 50


def test_resume_from_the_cli_equals_one_straight_run_bit_for_bit(tmp_path):
    common = ["--layout", "classic", "--slip", "0.2", "--agent", "q-learning", "--seed", "7",
              "--quiet"]
    assert run_cli("train", *common, "--episodes", "40", "--out",
                   str(tmp_path / "straight")).returncode == 0
    assert run_cli("train", *common, "--episodes", "20", "--out",
                   str(tmp_path / "resumed")).returncode == 0
    result = run_cli("train", "--resume", str(tmp_path / "resumed"), "--episodes", "20",
                     "--quiet")
    assert result.returncode == 0, result.stderr
    for name in ("history.npz", "agent.npz", "episodes.csv"):
        assert (tmp_path / "straight" / name).read_bytes() == \
            (tmp_path / "resumed" / name).read_bytes(), name
    assert json.loads((tmp_path / "resumed" / "config.json").read_text())["episodes"] == 40


def test_two_fresh_processes_write_byte_identical_data(tmp_path):
    for name in ("a", "b"):
        result = run_cli("train", "--layout", "four-rooms", "--slip", "0.1", "--episodes", "30",
                         "--seed", "5", "--quiet", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    for name in ("history.npz", "agent.npz", "agent.json", "episodes.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    # Timestamps live in config.json only.
    config = json.loads((tmp_path / "a" / "config.json").read_text())
    assert "started" in config and "seconds" in config


def _peak_bytes(steps: int) -> int:
    """Peak traced memory of a summary-only ``train`` of about ``steps`` env steps."""
    env = ChainEnv(n=8, limit=10)  # a random walk rarely ends early: ~10 steps an episode
    agent = RandomAgent(env.action_space, seed=0)
    episodes = steps // 10
    tracemalloc.start()
    try:
        history = train(env, agent, episodes, seed=0, progress=False, record="summary")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(history) == episodes and history.lengths.sum() > 0.95 * steps
    return peak


def test_summary_histories_keep_memory_flat_on_long_runs():
    small, large = _peak_bytes(100_000), _peak_bytes(1_000_000)
    # Per episode a summary costs 8 (return) + 8 (length) + 3 flag bytes: 90k more episodes
    # add ~1.7 MB of arrays; whole episodes would add far more (observations, actions, ...).
    print(f"peak traced memory: {small / 1e6:.2f} MB at ~1e5 steps, "
          f"{large / 1e6:.2f} MB at ~1e6 steps")
    assert large - small < 3_000_000


BAD_LAYOUT = "#####\n#..G#\n#####\n"


@pytest.mark.parametrize(
    "args, needle",
    [
        (["analyze", "no/such/run"], "no/such/run"),
        (["analyze", "RUN", "--clusters", "0"], "0"),
        (["demo", "--episodes", "0"], "0"),
        (["demo", "--seed", "-1"], "-1"),
        (["train", "--resume", "no/such/run"], "no/such/run"),
        (["train", "--max-steps", "0"], "0"),
        (["train", "--agent-arg", "oops"], "oops"),
        (["train", "--agent-arg", "learning_rate=0.1", "--episodes", "1"], "learning_rate"),
        (["train", "--gamma", "1.5", "--episodes", "1"], "gamma"),
        (["train", "--layout", "LAYOUT", "--episodes", "1"], "start"),
        (["train", "--checkpoint-every", "0"], "0"),
        (["replay", "RUN", "--fps", "0"], "0"),
        (["eval", "RUN", "--episodes", "0"], "0"),
        (["plan", "--slip", "-0.5"], "slip"),
        (["sweep", "no-such-spec.toml", "--out", "OUT"], "no-such-spec.toml"),
        (["sweep-report", "no/such/sweep"], "no/such/sweep"),
    ],
)
def test_every_bad_argument_exits_2_with_one_line_naming_it(tmp_path, args, needle):
    run = tmp_path / "run"
    if "RUN" in args:
        assert run_cli("train", "--layout", "tiny", "--episodes", "3", "--quiet",
                       "--out", str(run)).returncode == 0
    layout = tmp_path / "bad.txt"
    layout.write_text(BAD_LAYOUT)
    swap = {"RUN": str(run), "LAYOUT": str(layout), "OUT": str(tmp_path / "sweep")}
    args = [swap.get(a, a) for a in args]
    if args[0] in ("train", "plan", "demo") and "--out" not in args:
        args += ["--out", str(tmp_path / "x")]
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()
