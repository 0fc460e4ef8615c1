"""Learning curves: raw returns, their moving average, and a band across runs."""

import numpy as np
import pytest

from rlsandbox.plots import moving_average, plot_learning_curve
from tests.plots.helpers import assert_real_png, history


def test_moving_average_is_the_mean_of_the_last_window_values():
    values = np.array([1.0, 5.0, 3.0, 7.0, 2.0])
    expected = [np.mean(values[max(0, i - 1):i + 1]) for i in range(len(values))]
    np.testing.assert_allclose(moving_average(values, 2), expected)


def test_moving_average_rejects_a_non_positive_window():
    with pytest.raises(ValueError, match="window"):
        moving_average([1.0, 2.0], 0)


def test_learning_curve_of_one_run_draws_faint_returns_and_a_bold_moving_average(tmp_path):
    returns = np.linspace(-5, 5, 60) + np.sin(np.arange(60))
    fig = plot_learning_curve(history(returns), window=5)
    ax = fig.axes[0]
    raw, smooth = ax.lines
    np.testing.assert_allclose(raw.get_ydata(), returns)
    np.testing.assert_allclose(smooth.get_ydata(), moving_average(returns, 5))
    assert raw.get_alpha() < 0.5 and smooth.get_linewidth() > raw.get_linewidth()
    assert not ax.collections  # no band for a single run
    assert ax.get_xlabel() == "episode" and ax.get_ylabel() == "return" and ax.get_title()
    assert len(ax.get_legend().get_texts()) == 2
    assert_real_png(fig, tmp_path / "curve.png")


def test_learning_curve_default_window_is_a_twentieth_of_the_episodes():
    fig = plot_learning_curve(history(np.arange(100.0)))
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(),
                               moving_average(np.arange(100.0), 5))


def test_learning_curve_works_with_a_summary_only_history():
    returns = np.arange(30.0)
    summary = history(returns, keep="summary")
    fig = plot_learning_curve(summary, window=3)
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), returns)
    fig = plot_learning_curve([summary, history(returns + 1, keep="summary")], window=3)
    assert len(fig.axes[0].collections) == 1


def test_learning_curve_of_several_runs_shades_a_band_around_their_mean(tmp_path):
    rng = np.random.default_rng(0)
    runs = [rng.normal(size=40) for _ in range(3)]
    fig = plot_learning_curve([history(r) for r in runs], window=4)
    ax = fig.axes[0]
    (band,) = ax.collections
    mean = np.mean([moving_average(r, 4) for r in runs], axis=0)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), mean)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.mean(runs, axis=0))
    # The band's vertices lie on both sides of the mean.
    (path,) = band.get_paths()
    assert path.vertices[:, 1].min() < mean.min() and path.vertices[:, 1].max() > mean.max()
    assert "95%" in ax.get_legend_handles_labels()[1][2]
    assert_real_png(fig, tmp_path / "curves.png")


@pytest.mark.parametrize(
    ("histories", "match"),
    [
        ("lengths", "equal length"),
        ([], "non-empty sequence of History"),
        ([1, 2, 3], "non-empty sequence of History"),
        (5, "non-empty sequence of History"),
    ],
)
def test_learning_curve_rejects_what_is_not_histories_of_one_length(histories, match):
    if histories == "lengths":
        histories = [history([1, 2, 3]), history([1, 2])]
    with pytest.raises(ValueError, match=match):
        plot_learning_curve(histories)


@pytest.mark.parametrize("window", [0, -3, 2.5, True])
def test_learning_curve_rejects_a_window_that_is_not_a_positive_integer(window):
    with pytest.raises(ValueError, match="window"):
        plot_learning_curve(history([1, 2, 3]), window=window)
