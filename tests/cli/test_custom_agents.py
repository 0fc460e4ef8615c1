"""Your own agent, everywhere: a module beside you, or an installed package, through every
command (train with hyperparameters, eval, replay, analyze, resume), run as a user runs them."""

import json
import os

import numpy as np
import pytest
from PIL import Image

from rlsandbox.loop import History

HYPERPARAMETERS = ("--alpha", "0.3", "--gamma", "0.9", "--epsilon", "0.2",
                   "--agent-arg", "initial=1.5")


def saved_attributes(run):
    return json.loads((run / "agent.json").read_text())


def test_the_folder_holds_only_the_users_module(user_dir):
    assert os.listdir(user_dir) == ["my_agents.py"]


def test_train_finds_the_module_beside_the_user_and_passes_every_hyperparameter(cli, user_dir):
    result = cli("train", "--agent", "my_agents:TinyQ", "--layout", "tiny", *HYPERPARAMETERS,
                 "--episodes", "20", "--quiet", "--out", "runs/mine", cwd=user_dir)
    assert result.returncode == 0, result.stderr
    run = user_dir / "runs" / "mine"
    config = json.loads((run / "config.json").read_text())
    assert config["agent"] == "my_agents:TinyQ"
    assert config["agent_kwargs"] == {"alpha": 0.3, "gamma": 0.9, "epsilon": 0.2, "initial": 1.5}
    meta = saved_attributes(run)
    assert meta["agent"] == "my_agents:TinyQ"
    attributes = meta["attributes"]
    assert (attributes["alpha"], attributes["gamma"], attributes["epsilon"]) == (0.3, 0.9, 0.2)
    assert attributes["observation_space"] == {"__space__": "Discrete", "n": 10, "start": 0}
    # initial=1.5 reached the table: entries never updated still hold it.
    with np.load(run / "agent.npz") as data:
        assert (data["attr/q.npy"] == 1.5).any()


@pytest.fixture
def user_run(cli, user_dir):
    result = cli("train", "--agent", "my_agents:TinyQ", "--layout", "tiny", *HYPERPARAMETERS,
                 "--episodes", "15", "--seed", "3", "--quiet", "--out", "runs/mine", cwd=user_dir)
    assert result.returncode == 0, result.stderr
    return user_dir / "runs" / "mine"


def test_eval_loads_the_users_agent(cli, user_dir, user_run):
    result = cli("eval", "runs/mine", "--episodes", "3", cwd=user_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("eval: 3 episodes")


def test_replay_writes_a_gif_of_the_users_agent(cli, user_dir, user_run):
    result = cli("replay", "runs/mine", "--gif", "gifs/episode.gif", cwd=user_dir)
    assert result.returncode == 0, result.stderr
    with Image.open(user_dir / "gifs" / "episode.gif") as gif:
        assert gif.n_frames >= 2


def test_analyze_reports_the_users_run(cli, user_dir, user_run):
    result = cli("analyze", "runs/mine", cwd=user_dir)
    assert result.returncode == 0, result.stderr
    assert (user_run / "analysis" / "report.json").exists()


def test_resume_of_the_users_run_equals_one_straight_run(cli, user_dir, user_run):
    result = cli("train", "--resume", "runs/mine", "--episodes", "15", "--quiet", cwd=user_dir)
    assert result.returncode == 0, result.stderr
    straight = cli("train", "--agent", "my_agents:TinyQ", "--layout", "tiny", *HYPERPARAMETERS,
                   "--episodes", "30", "--seed", "3", "--quiet", "--out", "runs/straight",
                   cwd=user_dir)
    assert straight.returncode == 0, straight.stderr
    for name in ("history.npz", "agent.npz"):
        assert (user_run / name).read_bytes() == \
            (user_dir / "runs" / "straight" / name).read_bytes(), name
    assert len(History.load(user_run / "history.npz")) == 30


def test_an_unknown_hyperparameter_is_refused_by_name(cli, user_dir):
    result = cli("train", "--agent", "my_agents:TinyQ", "--agent-arg", "learning_rate=0.1",
                 "--out", "runs/x", cwd=user_dir)
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert "'learning_rate'" in line and "alpha, gamma, epsilon, initial, seed" in line
    assert not (user_dir / "runs").exists()


def test_a_flag_the_agent_does_not_take_is_refused_not_dropped(cli, user_dir):
    result = cli("train", "--agent", "random", "--alpha", "0.3", "--out", "runs/x", cwd=user_dir)
    assert result.returncode == 2
    assert "'alpha'" in result.stderr and "accepts seed" in result.stderr


def test_a_name_that_is_not_an_agent_class_is_refused_before_it_is_called(cli, user_dir):
    (user_dir / "tools.py").write_text(
        "def make(*args, **kwargs):\n    open('called', 'w').close()\n")
    result = cli("train", "--agent", "tools:make", "--out", "runs/x", cwd=user_dir)
    assert result.returncode == 2
    assert "not a subclass of rlsandbox.agents.Agent" in result.stderr
    assert not (user_dir / "called").exists()


def test_a_run_directory_is_never_searched_for_code(cli, user_dir, user_run):
    # A downloaded run that brings its own my_agents.py: loading it from inside the run
    # must not import that file.
    (user_run / "my_agents.py").write_text("open('imported', 'w').close()\n")
    result = cli("eval", ".", "--episodes", "1", cwd=user_run)
    assert result.returncode == 2
    assert "never searched" in result.stderr
    assert not (user_run / "imported").exists()


def test_an_agent_of_another_maze_is_refused_naming_both_spaces(cli, user_dir, user_run):
    other = user_dir / "runs" / "classic"
    assert cli("train", "--layout", "classic", "--episodes", "1", "--quiet", "--out", other,
               cwd=user_dir).returncode == 0
    for name in ("agent.npz", "agent.json"):  # a 10-state agent into a 51-state maze's run
        (other / name).write_bytes((user_run / name).read_bytes())
    result = cli("eval", other, cwd=user_dir)
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert "Discrete(10)" in line and "Discrete(51)" in line


# -- an agent installed from a package, through its entry point ---------------------------------
def test_an_installed_entry_point_agent_is_listed(cli, tmp_path, installed_package):
    result = cli("agents", cwd=tmp_path, path=[installed_package])
    assert result.returncode == 0
    assert "tiny-q" in result.stdout and "tinypkg:TinyQ" in result.stdout


def test_an_installed_entry_point_agent_works_in_every_command(cli, tmp_path, installed_package):
    work = tmp_path / "elsewhere"
    work.mkdir()

    def run(*args):
        result = cli(*args, cwd=work, path=[installed_package])
        assert result.returncode == 0, (args, result.stderr)
        return result

    run("train", "--agent", "tiny-q", "--layout", "tiny", "--alpha", "0.3", "--episodes", "10",
        "--quiet", "--out", "run")
    meta = saved_attributes(work / "run")
    assert meta["agent"] == "tiny-q" and meta["attributes"]["alpha"] == 0.3
    assert run("eval", "run", "--episodes", "2").stdout.startswith("eval: 2 episodes")
    run("replay", "run", "--gif", "run.gif")
    assert (work / "run.gif").stat().st_size > 0
    run("analyze", "run")
    run("train", "--resume", "run", "--episodes", "5", "--quiet")
    assert len(History.load(work / "run" / "history.npz")) == 15
    refused = cli("train", "--agent", "tiny-q", "--agent-arg", "colour=red", "--out", "x",
                  cwd=work, path=[installed_package])
    assert refused.returncode == 2 and "'colour'" in refused.stderr
