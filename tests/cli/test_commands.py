"""Exit statuses (usage error 2, crash 1), --version, check-agent, value iteration in train."""

import importlib
import json
import os

import numpy as np
import pytest

import rlsandbox
from rlsandbox.cli import main
from rlsandbox.cli.common import UsageError
from rlsandbox.mdp import TabularMDP, value_iteration

FAULTY = '''
from rlsandbox.agents import Agent


class Broken(Agent):
    def __init__(self, n_actions):
        self.n_actions = n_actions
        self.table = {}["missing"]          # a bug in the user's constructor


class OutOfSpace(Agent):
    def act(self, observation, *, explore=True):
        return 7
'''


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"rlsandbox {rlsandbox.__version__} ")


def test_a_value_error_inside_rlsandbox_is_a_crash_not_a_bad_argument(tmp_path, monkeypatch,
                                                                       capsys):
    # An internal bug: train() receives a value no user option can produce.
    cli_main = importlib.import_module("rlsandbox.cli.main")  # the module, not main()
    monkeypatch.setattr(cli_main, "DEFAULT_EPISODES", -1)
    assert main(["train", "--layout", "tiny", "--out", str(tmp_path / "r"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err
    crashed, hint = err.strip().splitlines()[-2:]
    assert crashed == "rlsandbox train: crashed: ValueError: episodes must be a non-negative " \
                      "integer, got -1"
    assert "bug in rlsandbox" in hint and "report" in hint
    assert not (tmp_path / "r").exists()


def test_a_bug_in_the_users_agent_is_a_crash_that_points_at_their_file(cli, tmp_path):
    (tmp_path / "faulty.py").write_text(FAULTY)
    result = cli("train", "--agent", "faulty:Broken", "--out", "x", cwd=tmp_path)
    assert result.returncode == 1
    crashed, hint = result.stderr.strip().splitlines()[-2:]
    assert crashed == "rlsandbox train: crashed: KeyError: 'missing'"
    assert f"{tmp_path / 'faulty.py'}, line 8, outside rlsandbox" in hint


def test_usage_errors_are_one_line_with_exit_2(tmp_path, capsys):
    assert main(["train", "--layout", "nowhere", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere" in err and "Traceback" not in err


def test_usage_error_is_an_exception_of_its_own():
    assert not issubclass(UsageError, ValueError)  # a library ValueError is not one


def test_check_agent_prints_what_it_checked(cli, tmp_path):
    (tmp_path / "my_agents.py").write_text(
        "from rlsandbox.agents import Agent\n\n"
        "class Left(Agent):\n"
        "    def __init__(self, action_space, *, seed=None):\n"
        "        self.n = int(action_space.n)\n"
        "        self.seed(seed)\n\n"
        "    def act(self, observation, *, explore=True):\n"
        "        return int(self.np_random.integers(self.n)) if explore else 3\n")
    result = cli("check-agent", "my_agents:Left", "--env", "maze", "--layout", "tiny",
                 "--steps", "50", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "check_agent: Left on rlsandbox/Maze-v0: 3 checks passed"
    assert [line.split()[0] for line in lines[1:]] == ["actions", "seeding", "save/load"]
    assert "Discrete(4): 50 exploring" in lines[1]


def test_check_agent_reports_a_failed_check_with_exit_1(cli, tmp_path):
    (tmp_path / "faulty.py").write_text(FAULTY)
    result = cli("check-agent", "faulty:OutOfSpace", cwd=tmp_path)
    assert result.returncode == 1
    line, = result.stderr.strip().splitlines()
    assert "FAILED: check 'actions' failed: act returned 7" in line


def test_value_iteration_trains_as_an_evaluation_of_its_plan(tmp_path, capsys):
    out = tmp_path / "vi"
    assert main(["train", "--agent", "value-iteration", "--gamma", "0.9", "--layout", "tiny",
                 "--episodes", "5", "--out", str(out), "--quiet"]) == 0
    assert "success rate 100%" in capsys.readouterr().out
    assert (out / "values.png").stat().st_size > 0
    config = json.loads((out / "config.json").read_text())
    assert config["agent_kwargs"] == {"gamma": 0.9}
    env = rlsandbox.envs.MazeEnv("tiny")
    plan = value_iteration(TabularMDP.from_env(env, gamma=0.9))
    with np.load(out / "agent.npz") as saved:
        assert np.allclose(saved["attr/values.npy"], plan.values, atol=1e-7)


def test_value_iteration_with_zero_episodes_only_plans(tmp_path, capsys):
    out = tmp_path / "vi"
    assert main(["train", "--agent", "value-iteration", "--layout", "tiny", "--episodes", "0",
                 "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("train: 0 episodes\n")
    assert main(["eval", str(out), "--episodes", "2"]) == 0


def test_an_error_inside_numpy_belongs_to_the_code_that_called_it():
    from rlsandbox.cli.common import origin

    def caller():
        return np.zeros(3).reshape(2)  # numpy raises; this line is to blame

    with pytest.raises(ValueError) as error:
        caller()
    assert origin(error.value) == (__file__, caller.__code__.co_firstlineno + 1)


def test_run_figures_are_titled_with_env_and_agent(tmp_path, monkeypatch):
    import rlsandbox.plots
    from rlsandbox.cli import main as cli_main

    titles = {}

    def keep(fig, path, *, dpi=100):
        titles[os.path.basename(str(path))] = fig.axes[0].get_title()
        return str(path)

    monkeypatch.setattr(rlsandbox.plots, "save_figure", keep)
    out = tmp_path / "run"
    assert cli_main(["train", "--agent", "sarsa", "--layout", "tiny", "--episodes", "5",
                     "--out", str(out), "--quiet"]) == 0
    assert titles["learning_curve.png"] == "maze (tiny), sarsa: learning curve"
    plan = tmp_path / "plan"
    assert cli_main(["plan", "--layout", "tiny", "--out", str(plan)]) == 0
    assert titles["values.png"] == "maze (tiny), value-iteration: optimal values V* and policy"
