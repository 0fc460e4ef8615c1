"""The behaviour report's figures: the dendrogram's key matches the PCA scatter's behaviour
types, the ROC legend says what each predictor is, titles name what was analysed."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import rlsandbox.plots._analysis as analysis_plots
from rlsandbox.analysis import BehaviourReport, fcluster
from rlsandbox.plots import plot_dendrogram, save_behaviour_figures


@pytest.fixture
def figures(monkeypatch):
    """The figures save_behaviour_figures makes, by file name, kept open for inspection."""
    made = {}

    def keep(fig, path, *, dpi=100):
        made[str(path).rsplit("/", 1)[-1]] = fig
        return str(path)

    monkeypatch.setattr(analysis_plots, "save_figure", keep)
    return made


def report_of(points, tree, *, labels=None, k=5):
    X, truth = points
    fpr, tpr = np.array([0, 0.5, 1]), np.array([0, 1, 1])
    return BehaviourReport(
        labels=truth if labels is None else labels, projection=X[:, :2],
        explained_variance_ratio=np.array([0.7, 0.2]), linkage_matrix=tree, clusters=[],
        auc={"start_value": 0.75, "mean_value_first_k": 0.5},
        roc={"start_value": (fpr, tpr), "mean_value_first_k": (fpr, fpr)}, k=k)


def style(collection):
    """(colour without alpha, marker shape) of a scatter's dots."""
    return (tuple(collection.get_facecolor()[0][:3]),
            collection.get_paths()[0].vertices.round(6).tobytes())


def pca_styles(fig):
    """Behaviour type -> (colour, marker shape) of its dots in the PCA scatter (each type's
    scatter is labelled with the type)."""
    ax = fig.axes[0]
    styles = {int(c.get_label()): style(c) for c in ax.collections if c.get_label().isdigit()}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"type {k} ({(fig.report_labels == k).sum()} episodes)" for k in styles]
    return styles


def test_dendrogram_key_has_the_pca_colours_and_markers_of_each_type(tmp_path, points, tree,
                                                                     figures):
    save_behaviour_figures(report_of(points, tree), tmp_path)
    dendrogram = figures["dendrogram.png"].axes[0]
    key = [c for c in dendrogram.collections if c.get_label().startswith("type ")]
    styles = {int(c.get_label()[5]): style(c) for c in key}
    figures["pca.png"].report_labels = points[1]
    assert styles == pca_styles(figures["pca.png"])
    assert len(set(styles.values())) == 2  # the two types look different
    # The legend is the key: one entry per type (with its size), then the cut.
    texts = [t.get_text() for t in dendrogram.get_legend().get_texts()]
    assert texts == ["type 0 (6 episodes)", "type 1 (5 episodes)", "cut into 2 behaviour types"]
    assert dendrogram.get_legend().get_title().get_text() == "behaviour type"


def test_dendrogram_marks_every_leaf_with_its_type(tmp_path, points, tree, figures):
    labels = points[1]
    save_behaviour_figures(report_of(points, tree), tmp_path)
    dendrogram = figures["dendrogram.png"].axes[0]
    leaf_x = {}
    for c in dendrogram.collections:
        if c.get_label().startswith("type "):
            for x, y in c.get_offsets():
                assert y == 0
                leaf_x[x] = int(c.get_label()[5])
    assert len(leaf_x) == len(labels)
    # The leaf at x = 5 + 10 i is the i-th tick: the tick label is the episode index.
    names = [int(t.get_text()) for t in dendrogram.get_xticklabels()]
    assert [leaf_x[5 + 10 * i] for i in range(len(names))] == [labels[n] for n in names]


def test_dendrogram_links_are_coloured_like_their_types_dots(tmp_path, points, tree, figures):
    save_behaviour_figures(report_of(points, tree), tmp_path)
    dendrogram = figures["dendrogram.png"].axes[0]
    colours = {tuple(c[:3]) for c in dendrogram.collections[0].get_colors()}
    figures["pca.png"].report_labels = points[1]
    pca = {colour for colour, _ in pca_styles(figures["pca.png"]).values()}
    grey = to_rgba("#595959")[:3]
    assert colours - {grey} == pca


def test_roc_legend_says_what_each_predictor_is(tmp_path, points, tree, figures):
    save_behaviour_figures(report_of(points, tree, k=7), tmp_path)
    ax = figures["roc.png"].axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "V of the start state (AUC = 0.750)",
        "mean V over the first 7 states visited (AUC = 0.500)",
        "chance (AUC = 0.5)",
    ]
    assert ax.lines[-1].get_linestyle() == "--"  # the diagonal, last, over the AUC 0.5 curve


def test_behaviour_report_records_k_for_the_legend(maze, planner):
    from rlsandbox.agents import make_agent
    from rlsandbox.analysis import behaviour_report
    from rlsandbox.loop import train

    runs = train(maze, make_agent("q-learning", maze, seed=0), 12, seed=0, progress=False)
    report = behaviour_report(runs, n_states=maze.observation_space.n, values=planner.values, k=3)
    assert report.k == 3


def test_a_title_names_what_was_analysed_on_every_figure(tmp_path, points, tree, figures):
    save_behaviour_figures(report_of(points, tree), tmp_path, title="classic maze, Q-learning")
    assert len(figures) == 3
    for fig in figures.values():
        assert fig.axes[0].get_title().splitlines()[-1] == "classic maze, Q-learning"


# -- plot_dendrogram cut into n clusters ---------------------------------------------------------
def test_dendrogram_cut_into_n_clusters_colours_and_counts_those_clusters(tree, points):
    fig = plot_dendrogram(tree, n_clusters=3)
    ax = fig.axes[0]
    assert ax.get_legend().get_texts()[0].get_text().endswith("(3 clusters)")
    # The same clusters as fcluster's table: the cut lies between the 3rd and 2nd last merges.
    heights = np.sort(tree[:, 2])
    threshold = ax.get_lines()[0].get_ydata()[0]
    assert heights[-3] < threshold < heights[-2]
    assert len(np.unique(fcluster(tree, 3, criterion="maxclust"))) == 3


@pytest.mark.parametrize(("kw", "match"), [
    ({"n_clusters": 0}, "n_clusters"), ({"n_clusters": 99}, "n_clusters"),
    ({"n_clusters": 2, "color_threshold": 1.0}, "not both"),
])
def test_dendrogram_rejects_bad_cluster_counts(tree, kw, match):
    with pytest.raises(ValueError, match=match):
        plot_dendrogram(tree, **kw)
