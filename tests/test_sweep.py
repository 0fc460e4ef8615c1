"""Sweeps: spec validation, stable trial ids, resumable trial folders, local vs Ray results."""

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from rlsandbox.sweep import Sweep, read_summary, run_sweep, trial_id, write_summary
from rlsandbox.sweep.trial import steps_to_threshold
from tests.processes import foreground

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples", "sweeps")
WALL_CLOCK = ("seconds",)


def small_spec(episodes=60, **overrides):
    """2 agents × 2 α × 3 seeds on the tiny maze: 12 trials."""
    data = {
        "name": "test", "env": {"id": "maze", "layout": "tiny"}, "seeds": [0, 1, 2],
        "episodes": episodes, "eval_episodes": 5, "window": 10, "threshold": 9.0,
        "agents": [
            {"name": "q-learning", "label": "greedy", "params": {"epsilon": 0.05},
             "grid": {"alpha": [0.1, 0.5]}},
            {"name": "q-learning", "label": "exploring", "params": {"epsilon": 0.3},
             "grid": {"alpha": [0.1, 0.5]}},
        ],
    }
    data.update(overrides)
    return data


def summary_without_wall_clock(out):
    return [{k: v for k, v in row.items() if k not in WALL_CLOCK} for row in read_summary(out)]


# -- the spec -------------------------------------------------------------------------------------
def test_spec_expands_envs_then_agents_then_grid_then_seeds():
    trials = Sweep.from_dict(small_spec()).trials()
    assert len(trials) == 12
    first = trials[0].config
    assert first == {"env": "maze", "env_kwargs": {"layout": "tiny"}, "agent": "q-learning",
                     "params": {"epsilon": 0.05, "alpha": 0.1}, "seed": 0, "episodes": 60,
                     "eval_episodes": 5}
    assert [t.config["seed"] for t in trials[:3]] == [0, 1, 2]
    assert [t.label for t in trials] == ["greedy"] * 6 + ["exploring"] * 6
    assert len({t.id for t in trials}) == 12


def test_trial_id_is_a_stable_hash_of_the_canonical_config():
    config = Sweep.from_dict(small_spec()).trials()[0].config
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"))
    assert trial_id(config) == hashlib.sha256(canonical.encode()).hexdigest()[:12]
    assert trial_id(dict(reversed(list(config.items())))) == trial_id(config)


def test_env_spelled_as_gymnasium_id_gives_the_same_trials():
    short = Sweep.from_dict(small_spec())
    long = Sweep.from_dict(small_spec(env={"id": "rlsandbox/Maze-v0", "layout": "tiny"}))
    assert [t.id for t in short.trials()] == [t.id for t in long.trials()]


def test_integer_seeds_mean_zero_to_n_minus_one():
    assert Sweep.from_dict(small_spec(seeds=4)).seeds == [0, 1, 2, 3]


def test_spec_round_trips_through_its_dict():
    spec = Sweep.from_dict(small_spec())
    assert Sweep.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize("name", sorted(os.listdir(EXAMPLES)))
def test_example_specs_load_and_check(name):
    spec = Sweep.load(os.path.join(EXAMPLES, name))
    spec.check()
    assert spec.trials()


@pytest.mark.parametrize("change, field", [
    ({"agents": [{"name": "no-such-agent"}]}, "agents[0]"),
    ({"agents": [{"name": "q-learning", "grid": {"alpha": []}}]}, "agents[0].grid.alpha"),
    ({"agents": [{"name": "q-learning", "grid": {}}]}, "agents[0].grid"),
    ({"agents": [{"name": "q-learning", "params": {"alfa": 0.1}}]}, "agents[0]"),
    ({"episodes": -5}, "episodes"),
    ({"eval_episodes": -1}, "eval_episodes"),
    ({"seeds": []}, "seeds"),
    ({"agents": []}, "agents"),
    ({"env": {"id": "maze", "layout": "no-such-layout"}}, "envs[0]"),
    ({"episode": 10}, "'episode'"),
])
def test_bad_spec_fails_before_any_trial_naming_the_field(tmp_path, change, field):
    out = tmp_path / "sweep"
    with pytest.raises(ValueError) as info:
        run_sweep(small_spec(**change), out=out, workers=1)
    assert field in str(info.value)
    assert not out.exists()  # nothing started, nothing written


def test_toml_spec_errors_name_the_file_and_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('episodes = 0\nseeds = [0]\nenv = "maze"\n[[agents]]\nname = "random"\n')
    with pytest.raises(ValueError, match=r"bad\.toml: episodes must be a positive integer"):
        Sweep.load(path)


# -- the summary ---------------------------------------------------------------------------
def test_steps_to_threshold_counts_steps_through_the_first_window_that_reaches_it():
    returns = np.array([0.0, 0.0, 10.0, 10.0, 10.0])
    lengths = np.array([5, 6, 7, 8, 9])
    # Windows of 2: means 0, 5, 10, 10 -> the first reaching 10 ends at episode 3.
    assert steps_to_threshold(returns, lengths, window=2, threshold=10.0) == 5 + 6 + 7 + 8
    assert steps_to_threshold(returns, lengths, window=2, threshold=11.0) is None
    assert steps_to_threshold(returns, lengths, window=2, threshold=None) is None
    # A window longer than the run averages the whole run.
    assert steps_to_threshold(returns, lengths, window=50, threshold=6.0) == 35


def test_summary_has_the_contract_columns_and_one_row_per_trial(tmp_path):
    result = run_sweep(small_spec(episodes=20), out=tmp_path, workers=2)
    assert len(result.ran) == 12 and not result.failed
    with open(tmp_path / "summary.csv", newline="") as f:
        header = next(csv.reader(f))
    for column in ("trial_id", "env", "agent", "params", "seed", "final_mean_return",
                   "success_rate", "steps_to_threshold"):
        assert column in header
    rows = read_summary(tmp_path)
    assert sorted(r["trial_id"] for r in rows) == sorted(result.ran)
    assert {r["params"] for r in rows} >= {'{"alpha": 0.1, "epsilon": 0.05}'}
    trial = tmp_path / "trials" / rows[0]["trial_id"]
    assert sorted(os.listdir(trial)) == ["agent.json", "agent.npz", "config.json",
                                         "episodes.csv", "eval.npz", "history.npz"]


def test_summary_is_rebuilt_from_the_trial_folders(tmp_path):
    run_sweep(small_spec(episodes=20), out=tmp_path, workers=2)
    before = read_summary(tmp_path)
    os.remove(tmp_path / "summary.csv")
    write_summary(tmp_path)
    assert read_summary(tmp_path) == before


# -- resuming -------------------------------------------------------------------------------------
def test_rerunning_a_finished_sweep_runs_nothing(tmp_path):
    first = run_sweep(small_spec(episodes=20), out=tmp_path, workers=2)
    again = run_sweep(small_spec(episodes=20), out=tmp_path, workers=2)
    assert again.ran == [] and sorted(again.skipped) == sorted(first.ran)


def _start_sweep_process(spec_path, out):
    script = textwrap.dedent(f"""
        import sys
        from rlsandbox.sweep import run_sweep
        if __name__ == "__main__":
            result = run_sweep({str(spec_path)!r}, out={str(out)!r}, workers=1)
            sys.exit(130 if result.interrupted else 0)
    """)
    # A session of its own: the kill below reaches the driver and its pool workers only.
    # foreground(): SIGINT at its default, as a terminal's job has it, whatever pytest's is.
    return subprocess.Popen(foreground("-c", script), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_trials(out, proc, count, timeout=120):
    trials = out / "trials"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [n for n in os.listdir(trials) if not n.startswith(".")] if trials.exists() else []
        if len(done) >= count:
            return done
        if proc.poll() is not None:
            pytest.fail(f"the sweep ended before {count} trials: {proc.stderr.read()!r}")
        time.sleep(0.01)
    pytest.fail(f"no {count} finished trials within {timeout} s")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_sweep_rerun_completes_only_the_missing_trials(tmp_path, sig):
    # Long enough trials (about 0.1-0.5 s each) that the signal lands mid-sweep.
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(small_spec(episodes=1500)))
    out = tmp_path / "sweep"
    proc = _start_sweep_process(spec_path, out)
    _wait_for_trials(out, proc, 2)
    os.killpg(proc.pid, sig)  # SIGINT to the group, as Ctrl-C in a terminal does
    code = proc.wait(timeout=60)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130)
    finished = {n: os.stat(out / "trials" / n).st_ino for n in os.listdir(out / "trials")
                if not n.startswith(".")}
    assert 2 <= len(finished) < 12

    result = run_sweep(spec_path, out=out, workers=2)
    assert sorted(result.skipped) == sorted(finished)
    assert len(result.ran) == 12 - len(finished) and not set(result.ran) & set(finished)
    for name, inode in finished.items():  # finished work was kept, not redone
        assert os.stat(out / "trials" / name).st_ino == inode
    assert not [n for n in os.listdir(out / "trials") if n.startswith(".")]
    assert len(read_summary(out)) == 12


# -- backends ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ray_instance():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_local_and_ray_backends_give_the_same_summary(tmp_path, ray_instance):
    local = run_sweep(small_spec(), out=tmp_path / "local", backend="local", workers=2)
    on_ray = run_sweep(small_spec(), out=tmp_path / "ray", backend="ray", workers=2)
    assert not local.failed and not on_ray.failed
    assert sorted(local.ran) == sorted(on_ray.ran) and len(local.ran) == 12
    assert summary_without_wall_clock(tmp_path / "local") == \
        summary_without_wall_clock(tmp_path / "ray")
    for trial in local.ran:  # the very same bytes, not merely the same rounded numbers
        for name in ("agent.npz", "history.npz", "eval.npz"):
            assert (tmp_path / "local" / "trials" / trial / name).read_bytes() == \
                (tmp_path / "ray" / "trials" / trial / name).read_bytes()
    assert ray_instance.is_initialized()  # a Ray instance we started is left to its owner


def test_forked_and_spawned_local_workers_give_the_same_summary(tmp_path, monkeypatch):
    import multiprocessing

    from rlsandbox.sweep import backends as _sweep_backends

    run_sweep(small_spec(episodes=20), out=tmp_path / "default", workers=2)
    monkeypatch.setattr(_sweep_backends, "_context", lambda: multiprocessing.get_context("spawn"))
    spawned = run_sweep(small_spec(episodes=20), out=tmp_path / "spawn", workers=2)
    assert len(spawned.ran) == 12 and not spawned.failed
    assert summary_without_wall_clock(tmp_path / "default") == \
        summary_without_wall_clock(tmp_path / "spawn")


def test_default_local_sweep_starts_no_process_and_equals_a_pool(tmp_path, monkeypatch):
    import concurrent.futures

    run_sweep(small_spec(episodes=20), out=tmp_path / "pool", workers=2)

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started without workers=N")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    inline = run_sweep(small_spec(episodes=20), out=tmp_path / "inline")  # workers=None
    assert len(inline.ran) == 12 and not inline.failed
    assert summary_without_wall_clock(tmp_path / "inline") == \
        summary_without_wall_clock(tmp_path / "pool")
    assert run_sweep(small_spec(episodes=20, seeds=[5]), out=tmp_path / "one", workers=1).ran


def test_ray_backend_without_ray_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # makes "import ray" fail
    with pytest.raises(ValueError, match=r'pip install -e "\.\[ray\]"'):
        run_sweep(small_spec(), out=tmp_path / "s", backend="ray")
    assert not (tmp_path / "s").exists()


def test_unknown_backend_and_bad_workers_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="backend"):
        run_sweep(small_spec(), out=tmp_path, backend="dask")
    with pytest.raises(ValueError, match="workers"):
        run_sweep(small_spec(), out=tmp_path, workers=0)


# -- command line ------------------------------------------------------------------------------
def cli(argv):
    """``rlsandbox ARGV`` in-process."""
    from rlsandbox.cli import main

    return main(argv)


def test_cli_sweep_then_report_writes_summary_and_figures(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(small_spec(episodes=20)))
    out = tmp_path / "sweep"
    assert cli(["sweep", str(spec), "--workers", "2", "--out", str(out), "--quiet"]) == 0
    assert "12 trials run" in capsys.readouterr().out
    assert cli(["sweep", str(spec), "--workers", "2", "--out", str(out), "--quiet"]) == 0
    assert "0 trials run, 12 already finished" in capsys.readouterr().out
    assert cli(["sweep-report", str(out)]) == 0
    assert sorted(os.listdir(out / "report")) == ["final_returns.png", "learning_curves.png"]


def test_cli_bad_spec_exits_2_naming_the_field(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(small_spec(episodes=-3)))
    assert cli(["sweep", str(spec), "--out", str(tmp_path / "s")]) == 2
    assert "episodes must be a positive integer" in capsys.readouterr().err


def test_cli_ray_backend_without_ray_exits_2_with_the_install_command(tmp_path, capsys,
                                                                        monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(small_spec()))
    assert cli(["sweep", str(spec), "--backend", "ray", "--out", str(tmp_path / "s")]) == 2
    assert 'pip install -e ".[ray]"' in capsys.readouterr().err
