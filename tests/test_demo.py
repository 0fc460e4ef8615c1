"""`rlsandbox demo` and `rlsandbox analyze` run headless and write every promised file."""

import json

from PIL import Image

from rlsandbox.cli import main


def test_maze_demo_writes_every_figure_and_a_summary(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--episodes", "150", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "value iteration (optimal)" in text and "Q-learning (greedy)" in text
    assert "differs from the optimal one" in text
    assert "(discounted, gamma 0.95: the mean returns above are undiscounted sums)" in text
    for name in ("learning_curve.png", "values_optimal.png", "values_learned.png",
                 "trajectory.png", "behaviour/pca.png", "behaviour/dendrogram.png",
                 "behaviour/report.json", "history.npz", "agent.npz", "config.json"):
        assert (out / name).stat().st_size > 100, name
    with Image.open(out / "greedy.gif") as gif:
        assert gif.n_frames >= 10  # the classic maze's shortest path is 20 steps
    summary = json.loads((out / "summary.json").read_text())
    assert summary["optimal"]["success_rate"] == 1.0
    assert abs(summary["optimal"]["mean_return"] - (10 - 0.1 * 19)) < 1e-9
    assert abs(summary["optimal_start_value"] - (
        sum(-0.1 * 0.95**t for t in range(19)) + 10 * 0.95**19)) < 1e-6


def test_demo_replaces_its_directory_and_cartpole_demo_learns(tmp_path):
    out = tmp_path / "demo"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    assert main(["demo", "--cartpole", "--out", str(out), "--episodes", "200",
                 "--quiet"]) == 0
    assert not (out / "stale.txt").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["mean_return_last_50"] > summary["mean_return_first_50"]
    with Image.open(out / "greedy.gif") as gif:
        assert gif.n_frames >= 5


def test_cartpole_demo_balances_the_pole_in_its_own_directory(tmp_path, monkeypatch, capsys):
    # The defaults, as `rlsandbox demo --cartpole` runs them (about 10 s of training).
    monkeypatch.chdir(tmp_path)
    maze_demo = tmp_path / "runs" / "demo"
    maze_demo.mkdir(parents=True)
    (maze_demo / "keep.txt").write_text("the maze demo's output")
    assert main(["demo", "--cartpole", "--quiet"]) == 0
    out = tmp_path / "runs" / "demo-cartpole"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["agent"] == "linear-sarsa" and summary["episodes"] == 2000
    assert summary["learned"]["success_rate"] >= 0.95
    assert summary["greedy_gif_steps"] == 500  # the GIF's episode holds the pole to the end
    with Image.open(out / "greedy.gif") as gif:
        assert gif.n_frames == 251  # every second frame of the 501
    assert (maze_demo / "keep.txt").exists()  # the maze demo's directory is left alone
    config = json.loads((out / "config.json").read_text())
    assert config["env"] == "cartpole" and "bins" not in config
    assert main(["eval", str(out), "--episodes", "2"]) == 0  # the run loads like any other
    assert "success rate 100%" in capsys.readouterr().out


def test_analyze_writes_the_behaviour_report_into_the_run(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--layout", "classic", "--slip", "0.2", "--episodes", "60",
                 "--seed", "2", "--out", str(run), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(run), "--clusters", "3"]) == 0
    text = capsys.readouterr().out
    assert "3 behaviour type(s)" in text and "ROC-AUC" in text
    report = json.loads((run / "analysis" / "report.json").read_text())
    assert report["episodes"] == 60 and len(report["clusters"]) == 3
    assert sum(c["size"] for c in report["clusters"]) == 60
    for name in ("pca.png", "dendrogram.png"):
        assert (run / "analysis" / name).stat().st_size > 1000


def test_analyze_of_a_summary_only_run_says_how_to_fix_it(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--layout", "tiny", "--episodes", "5", "--record", "summary",
                 "--out", str(run), "--quiet"]) == 0
    assert main(["analyze", str(run)]) == 2
    assert "--record all" in capsys.readouterr().err
