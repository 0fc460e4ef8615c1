"""ROC curves, PCA scatters, dendrograms and the figures of a behaviour report."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from rlsandbox.analysis import BehaviourReport
from rlsandbox.plots import (
    plot_dendrogram,
    plot_pca,
    plot_roc,
    save_behaviour_figures,
    save_behaviour_report,
)
from tests.plots.helpers import assert_real_png


def test_roc_draws_the_chance_diagonal_once_for_several_curves(tmp_path):
    fig = plot_roc([0, 0.2, 1], [0, 0.8, 1], auc=0.8, label="value")
    plot_roc([0, 0.5, 1], [0, 0.5, 1], auc=0.5, ax=fig.axes[0], label="noise")
    ax = fig.axes[0]
    first, second, chance = ax.lines
    np.testing.assert_array_equal(chance.get_xydata(), [[0, 0], [1, 1]])
    assert ax.get_legend_handles_labels()[1] == [
        "value (AUC = 0.800)", "noise (AUC = 0.500)", "chance (AUC = 0.5)"]
    assert first.get_color() != second.get_color()
    assert_real_png(fig, tmp_path / "roc.png")


def test_the_chance_diagonal_stays_visible_over_a_useless_predictor():
    # A predictor no better than chance runs exactly along the diagonal.
    fig = plot_roc([0, 0.2, 1], [0, 0.8, 1], auc=0.8, label="value")
    plot_roc([0, 0.5, 1], [0, 0.5, 1], auc=0.5, ax=fig.axes[0], label="noise")
    ax = fig.axes[0]
    chance = ax.lines[-1]  # drawn last...
    np.testing.assert_array_equal(chance.get_xydata(), [[0, 0], [1, 1]])
    assert chance.get_linestyle() == "--"  # ...dashed, so the curve below shows through...
    assert all(chance.get_zorder() > line.get_zorder() for line in ax.lines[:-1])  # ...on top
    # and matplotlib draws it last: artists are drawn by zorder, then in order of addition.
    drawn = sorted(ax.get_children(), key=lambda artist: artist.get_zorder())
    assert [a for a in drawn if a in ax.lines][-1] is chance


def test_roc_without_auc_or_label_is_called_roc_curve():
    fig = plot_roc([0, 1], [0, 1])
    assert fig.axes[0].get_legend_handles_labels()[1] == ["ROC curve", "chance (AUC = 0.5)"]


def test_roc_takes_a_title_naming_env_and_agent():
    fig = plot_roc([0, 1], [0, 1], title="classic maze, Q-learning")
    assert fig.axes[0].get_title() == "classic maze, Q-learning"


@pytest.mark.parametrize(
    ("fpr", "tpr", "auc", "match"),
    [
        ([0, 0.5, 1], [0, 1], None, "same length"),
        ([0, 1.5], [0, 1], None, r"\[0, 1\]"),
        ([[0, 1]], [[0, 1]], None, "1-D"),
        ([0], [0], None, "at least 2"),
        ([0, np.nan], [0, 1], None, "NaN"),
        ([0, 1], [0, 1], 2.0, "auc"),
        ([0, 1], [0, 1], "high", "auc"),
    ],
)
def test_roc_rejects_bad_rates(fpr, tpr, auc, match):
    with pytest.raises(ValueError, match=match):
        plot_roc(fpr, tpr, auc)


def test_pca_scatter_has_a_legend_entry_per_label_and_variance_in_axis_labels(tmp_path,
                                                                              points):
    X, labels = points
    fig = plot_pca(X[:, :2], labels, explained_variance_ratio=[0.6234, 0.25])
    ax = fig.axes[0]
    assert ax.get_xlabel() == "PC1 (62.3%)" and ax.get_ylabel() == "PC2 (25.0%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0", "1"]
    first, second = ax.collections
    np.testing.assert_allclose(first.get_offsets(), X[labels == 0, :2])
    assert tuple(first.get_facecolor()[0]) != tuple(second.get_facecolor()[0])
    assert_real_png(fig, tmp_path / "pca.png")


def test_pca_scatter_without_labels_draws_one_group_and_no_legend(points):
    fig = plot_pca(points[0])  # extra columns are ignored: only PC1 and PC2 are drawn
    ax = fig.axes[0]
    (dots,) = ax.collections
    np.testing.assert_allclose(dots.get_offsets(), points[0][:, :2])
    assert ax.get_legend() is None and ax.get_xlabel() == "PC1"


@pytest.mark.parametrize(
    ("X2", "labels", "ratio", "match"),
    [
        (np.zeros((5, 1)), None, None, "shape"),
        (np.zeros(5), None, None, "shape"),
        (np.full((5, 2), np.inf), None, None, "infinite"),
        (np.zeros((5, 2)), [0, 1], None, "one entry per point"),
        (np.zeros((5, 2)), None, [0.5], "explained_variance_ratio"),
    ],
)
def test_pca_scatter_rejects_bad_shapes(X2, labels, ratio, match):
    with pytest.raises(ValueError, match=match):
        plot_pca(X2, labels, explained_variance_ratio=ratio)


def test_dendrogram_draws_a_link_per_merge_and_names_the_leaves(tmp_path, points, tree):
    names = [f"ep{i}" for i in range(len(points[0]))]
    fig = plot_dendrogram(tree, labels=names)
    ax = fig.axes[0]
    (links,) = ax.collections
    assert len(links.get_segments()) == len(tree)
    assert all(len(segment) == 4 for segment in links.get_segments())  # U-shaped
    assert sorted(t.get_text() for t in ax.get_xticklabels()) == sorted(names)
    # The two well-separated groups get two colours below the default threshold.
    assert len({tuple(c) for c in links.get_colors()}) == 3  # 2 clusters + grey above
    assert_real_png(fig, tmp_path / "dendrogram.png")


def test_dendrogram_has_scipys_layout(tree):
    hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
    expected = hierarchy.dendrogram(tree, no_plot=True)
    ax = plot_dendrogram(tree).axes[0]
    segments = ax.collections[0].get_segments()
    np.testing.assert_allclose([s[:, 0] for s in segments], expected["icoord"])
    np.testing.assert_allclose([s[:, 1] for s in segments], expected["dcoord"])
    assert [int(t.get_text()) for t in ax.get_xticklabels()] == expected["leaves"]


def test_dendrogram_with_threshold_zero_draws_every_link_grey(tree):
    (links,) = plot_dendrogram(tree, color_threshold=0).axes[0].collections
    assert len({tuple(c) for c in links.get_colors()}) == 1


@pytest.mark.parametrize(
    ("Z", "labels", "threshold", "match"),
    [
        (np.zeros((3, 3)), None, None, "shape"),
        (np.array([[0, 1, 1.0, 2], [0, 5, 2.0, 3]]), None, None, "earlier clusters"),
        (np.array([[0, 1, -1.0, 2]]), None, None, "non-negative"),
        ("ok", ["a", "b"], None, "leaves"),
        ("ok", None, "high", "color_threshold"),
    ],
)
def test_dendrogram_rejects_a_bad_linkage_matrix_labels_or_threshold(tree, Z, labels,
                                                                     threshold, match):
    Z = tree if isinstance(Z, str) else Z
    with pytest.raises(ValueError, match=match):
        plot_dendrogram(Z, labels, color_threshold=threshold)


def behaviour_report_of(points, tree, with_roc=True):
    X, labels = points
    roc = {"start_value": (np.array([0, 0.5, 1]), np.array([0, 1, 1]))} if with_roc else {}
    return BehaviourReport(
        labels=labels, projection=X[:, :2], explained_variance_ratio=np.array([0.7, 0.2]),
        linkage_matrix=tree, clusters=[],
        auc={"start_value": 0.75 if with_roc else None, "mean_value_first_k": None}, roc=roc,
    )


def test_behaviour_figures_are_written_listed_and_closed(tmp_path, points, tree):
    written = save_behaviour_figures(behaviour_report_of(points, tree), tmp_path / "figs")
    assert written == [str(tmp_path / "figs" / f) for f in ("pca.png", "dendrogram.png",
                                                            "roc.png")]
    for path in written:
        pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
        assert pixels.std() > 10
    assert plt.get_fignums() == []  # figures are closed once saved
    assert not (tmp_path / "figs" / "report.json").exists()  # save_behaviour_report writes it


def test_behaviour_figures_skip_the_roc_when_success_cannot_be_predicted(tmp_path, points,
                                                                        tree):
    written = save_behaviour_figures(behaviour_report_of(points, tree, with_roc=False),
                                     tmp_path)
    assert [p.rsplit("/", 1)[-1] for p in written] == ["pca.png", "dendrogram.png"]


def test_behaviour_report_with_out_dir_writes_the_json_and_the_figures(tmp_path, maze,
                                                                      planner):
    from rlsandbox.agents import make_agent
    from rlsandbox.analysis import behaviour_report
    from rlsandbox.loop import train

    agent = make_agent("q-learning", maze, seed=0)
    runs = train(maze, agent, 30, seed=0, progress=False)
    report = behaviour_report(runs, n_states=maze.observation_space.n, values=planner.values)
    written = save_behaviour_report(report, tmp_path)
    assert written[0] == str(tmp_path / "report.json")
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["episodes"] == 30
    assert {"pca.png", "dendrogram.png"} <= {p.name for p in tmp_path.iterdir()}
