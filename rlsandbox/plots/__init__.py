"""Matplotlib figures of runs, values, trajectories and analyses, and animated GIFs.

Every plotting function takes ``ax=None`` (draw into a new figure) or an existing
``Axes``, returns the :class:`matplotlib.figure.Figure`, and never calls ``plt.show()``;
save it with ``fig.savefig(path)`` and free it with ``plt.close(fig)``. matplotlib is
imported inside the functions, so ``import rlsandbox`` (and ``import rlsandbox.plots``)
stays light and headless-safe.

Colours: continuous values use ``viridis`` (perceptually uniform, readable with any
colour vision); categories use the Okabe-Ito palette and differ in marker shape too.

========================  ===================================================
runs                      :func:`plot_learning_curve`, :func:`moving_average`
states                    :func:`plot_values`, :func:`value_limits`, :func:`plot_trajectory`
analyses                  :func:`plot_roc`, :func:`plot_pca`, :func:`plot_dendrogram`,
                          :func:`save_behaviour_figures`,
                          :func:`save_behaviour_report`
saving                    :func:`save_figure`, :func:`subplots` (headless-safe)
animations                :func:`save_gif`, :func:`episode_captions`,
                          :func:`animate_episode` (notebooks)
========================  ===================================================
"""

from rlsandbox.plots._analysis import (
    plot_dendrogram,
    plot_pca,
    plot_roc,
    save_behaviour_figures,
    save_behaviour_report,
)
from rlsandbox.plots._captions import episode_captions
from rlsandbox.plots._common import PALETTE, save_figure, subplots
from rlsandbox.plots._maze import plot_trajectory, plot_values, value_limits
from rlsandbox.plots._runs import moving_average, plot_learning_curve, save_gif
from rlsandbox.plots.animation import EpisodeAnimation, animate_episode

__all__ = [
    "PALETTE",
    "EpisodeAnimation",
    "animate_episode",
    "episode_captions",
    "moving_average",
    "plot_dendrogram",
    "plot_learning_curve",
    "plot_pca",
    "plot_roc",
    "plot_trajectory",
    "plot_values",
    "save_behaviour_figures",
    "save_behaviour_report",
    "save_figure",
    "save_gif",
    "subplots",
    "value_limits",
]
