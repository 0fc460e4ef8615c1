"""What every plot shares: it draws into a given axes, and matplotlib loads only when used."""

import os
import subprocess
import sys

import matplotlib.pyplot as plt
import pytest

from rlsandbox.envs import CartPoleEnv
from rlsandbox.plots import (
    plot_dendrogram,
    plot_learning_curve,
    plot_pca,
    plot_roc,
    plot_trajectory,
    plot_values,
)
from tests.plots.helpers import history


@pytest.mark.parametrize("name", ["curve", "values", "maze path", "cartpole", "roc", "pca",
                                  "dendrogram"])
def test_every_plot_draws_into_the_axes_it_is_given(name, request):
    def get(fixture):
        return request.getfixturevalue(fixture)

    draw = {
        "curve": lambda ax: plot_learning_curve(history([1, 2, 3]), ax=ax),
        "values": lambda ax: plot_values(get("maze"), get("planner").values,
                                         get("planner").policy, ax=ax),
        "maze path": lambda ax: plot_trajectory(get("maze"), get("greedy_episode"), ax=ax),
        "cartpole": lambda ax: plot_trajectory(CartPoleEnv(), get("cartpole_episode"), ax=ax),
        "roc": lambda ax: plot_roc([0, 1], [0, 1], ax=ax),
        "pca": lambda ax: plot_pca(get("points")[0], get("points")[1], ax=ax),
        "dendrogram": lambda ax: plot_dendrogram(get("tree"), ax=ax),
    }[name]
    fig, (left, right) = plt.subplots(1, 2)
    assert draw(right) is fig
    assert right.has_data() and not left.has_data()
    assert plt.get_fignums() == [fig.number]  # no other figure was opened


def test_importing_plots_does_not_import_matplotlib():
    code = "import sys, rlsandbox, rlsandbox.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def _backend_after_a_plot(backend: str) -> str:
    """The matplotlib backend after drawing a figure, in a fresh headless Python."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["MPLBACKEND"] = backend
    code = ("import matplotlib\nfrom rlsandbox.plots import plot_roc\n"
            "plot_roc([0, 1], [0, 1])\nprint(matplotlib.get_backend())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    return out.stdout.strip()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="$DISPLAY is an X11 matter")
def test_a_window_backend_without_a_display_falls_back_to_agg():
    assert _backend_after_a_plot("TkAgg").lower() == "agg"


def test_jupyters_inline_backend_is_kept_without_a_display():
    # A notebook server (or Colab) has no $DISPLAY; switching to Agg would hide every figure.
    inline = "module://matplotlib_inline.backend_inline"
    assert _backend_after_a_plot(inline) == inline
