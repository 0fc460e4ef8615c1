import json
import os
import subprocess
import sys

import numpy as np
import pytest

from rlsandbox.cli import main
from rlsandbox.loop import History


def run_cli(*args, cwd=None):
    """Run ``python -m rlsandbox`` in a fresh process (as a user would)."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "rlsandbox", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_train_writes_a_complete_run_directory(tmp_path):
    out = tmp_path / "run"
    assert main(["train", "--env", "maze", "--layout", "tiny", "--agent", "q-learning",
                 "--episodes", "30", "--seed", "1", "--alpha", "0.5", "--out", str(out),
                 "--quiet"]) == 0
    files = sorted(os.listdir(out))
    assert files == ["agent.json", "agent.npz", "config.json", "episodes.csv", "history.npz",
                     "learning_curve.png"]
    config = json.loads((out / "config.json").read_text())
    assert config["agent"] == "q-learning" and config["agent_kwargs"] == {"alpha": 0.5}
    assert config["episodes"] == 30 and config["interrupted"] is False
    assert len(History.load(out / "history.npz")) == 30
    assert (out / "learning_curve.png").stat().st_size > 5000


def test_train_is_reproducible_file_for_file(tmp_path):
    for name in ("a", "b"):
        assert main(["train", "--layout", "tiny", "--episodes", "20", "--seed", "3",
                     "--out", str(tmp_path / name), "--quiet"]) == 0
    for f in ("history.npz", "agent.npz", "episodes.csv"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_eval_and_plan_and_replay_gif(tmp_path, capsys):
    out = tmp_path / "plan"
    assert main(["plan", "--env", "maze", "--layout", "tiny", "--gamma", "0.9",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "optimal value of the start state" in text and "iterations" in text
    assert main(["eval", str(out), "--episodes", "3"]) == 0
    assert "success rate 100%" in capsys.readouterr().out
    gif = tmp_path / "replay.gif"
    assert main(["replay", str(out), "--gif", str(gif), "--fps", "20"]) == 0
    from PIL import Image

    with Image.open(gif) as im:
        assert im.n_frames >= 2


def test_replay_in_a_headless_window(tmp_path):
    out = tmp_path / "plan"
    assert main(["plan", "--layout", "tiny", "--out", str(out)]) == 0
    assert main(["replay", str(out), "--fps", "1000"]) == 0


def test_cartpole_training_discretises_for_q_learning(tmp_path):
    out = tmp_path / "cp"
    assert main(["train", "--env", "cartpole", "--episodes", "5", "--out", str(out),
                 "--quiet"]) == 0
    config = json.loads((out / "config.json").read_text())
    assert config["bins"] == [1, 6, 12, 12]


def test_layout_file_is_read_and_stored_in_the_config(tmp_path):
    layout = tmp_path / "m.txt"
    layout.write_text("#####\n#S.G#\n#####\n")
    out = tmp_path / "run"
    assert main(["train", "--layout", str(layout), "--agent", "random", "--episodes", "2",
                 "--out", str(out), "--quiet"]) == 0
    assert json.loads((out / "config.json").read_text())["layout"] == layout.read_text()


def test_envs_and_agents_list_what_exists():
    out = run_cli("envs").stdout
    assert "rlsandbox/Maze-v0" in out and "four-rooms" in out
    out = run_cli("agents").stdout
    assert "q-learning" in out and "value-iteration" in out


def test_module_and_console_script_show_help():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("train", "eval", "plan", "replay", "envs", "agents"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "args, needle",
    [
        (["train", "--env", "mars"], "mars"),
        (["train", "--agent", "nope", "--episodes", "1"], "nope"),
        (["train", "--layout", "nowhere", "--episodes", "1"], "nowhere"),
        (["train", "--episodes", "-3"], "-3"),
        (["train", "--episodes", "many"], "many"),
        (["train", "--alpha", "2", "--episodes", "1"], "alpha"),
        (["train", "--epsilon", "-1", "--episodes", "1"], "epsilon"),
        (["train", "--slip", "1.5", "--episodes", "1"], "slip"),
        (["train", "--bins", "0,3", "--env", "cartpole"], "0,3"),
        (["eval", "no/such/run"], "no/such/run"),
        (["replay", "no/such/run"], "no/such/run"),
        (["plan", "--env", "cartpole"], "cartpole"),
        (["plan", "--gamma", "0"], "gamma"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_no_traceback(tmp_path, args, needle):
    result = run_cli(*args, "--out", str(tmp_path / "x")) if args[0] in ("train", "plan") \
        else run_cli(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_existing_output_directory_is_never_overwritten(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    result = run_cli("train", "--episodes", "1", "--out", str(out))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert (out / "keep.txt").read_text() == "precious"


def test_a_failing_run_leaves_no_directory(tmp_path, monkeypatch):
    import rlsandbox.loop

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rlsandbox.loop.History, "save", boom)
    assert main(["train", "--layout", "tiny", "--episodes", "1", "--out", str(tmp_path / "r"),
                 "--quiet"]) == 1  # a crash, not a usage error
    assert os.listdir(tmp_path) == []


def test_default_out_never_reuses_a_directory(tmp_path):
    for _ in range(2):
        assert run_cli("train", "--layout", "tiny", "--agent", "random", "--episodes", "1",
                       "--quiet", cwd=tmp_path).returncode == 0
    assert sorted(os.listdir(tmp_path / "runs")) == ["train-maze-random-seed0",
                                                     "train-maze-random-seed0-1"]
    assert np.isfinite(History.load(tmp_path / "runs/train-maze-random-seed0/history.npz")
                       .returns).all()
