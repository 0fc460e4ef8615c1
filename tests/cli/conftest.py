"""Run the ``rlsandbox`` command as a user does: a console script, in a directory of theirs.

``rlsandbox`` installed by pip is a script in the environment's ``bin/``; Python puts that
``bin/`` (not the current directory) first on ``sys.path``, which is why ``--agent
my_agents:MyAgent`` once could not find ``my_agents.py`` beside the user. The fixture
``cli`` runs an identical script from a folder of its own, with the user's folder as the
working directory.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# An agent as the README teaches: no for_env, hyperparameters as keywords, state in arrays.
USER_AGENT = textwrap.dedent('''
    import numpy as np
    from rlsandbox.agents import Agent


    class TinyQ(Agent):
        """Q-learning in a dozen lines, written as a user would (no for_env)."""

        def __init__(self, n_states, n_actions, *, alpha=0.5, gamma=0.95, epsilon=0.1,
                     initial=0.0, seed=None):
            self.q = np.full((n_states, n_actions), float(initial))
            self.alpha, self.gamma, self.epsilon = alpha, gamma, epsilon
            self.seed(seed)

        def act(self, observation, *, explore=True):
            if explore and self.np_random.random() < self.epsilon:
                return int(self.np_random.integers(self.q.shape[1]))
            return int(np.argmax(self.q[observation]))

        def update(self, t):
            best = 0.0 if t.terminated else self.q[t.next_observation].max()
            error = t.reward + self.gamma * best - self.q[t.observation, t.action]
            self.q[t.observation, t.action] += self.alpha * error
''')


@pytest.fixture(scope="session")
def console_script(tmp_path_factory) -> Path:
    script = tmp_path_factory.mktemp("bin") / "rlsandbox"
    script.write_text("import sys\nfrom rlsandbox.cli import main\nsys.exit(main())\n")
    return script


@pytest.fixture
def cli(console_script):
    """``cli(*args, cwd=DIR, path=(...))``: run ``rlsandbox *args`` in ``DIR``.

    ``path``: folders put on ``PYTHONPATH`` (an installed package, say); the checkout
    itself is always there, so the rlsandbox under test is the one that runs.
    """

    def run(*args, cwd, path=(), timeout=300):
        env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
               "MPLBACKEND": "Agg", "PYGAME_HIDE_SUPPORT_PROMPT": "1",
               "PYTHONPATH": os.pathsep.join([*map(str, path), str(ROOT)])}
        return subprocess.run([sys.executable, str(console_script), *map(str, args)],
                              capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)

    return run


@pytest.fixture
def user_dir(tmp_path) -> Path:
    """A folder holding only the user's agent module, ``my_agents.py``."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "my_agents.py").write_text(USER_AGENT)
    return folder


@pytest.fixture
def installed_package(tmp_path) -> Path:
    """A site folder with a tiny installed distribution whose agent is registered in the
    entry-point group ``rlsandbox.agents`` as ``tiny-q`` (what ``pip install`` leaves)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "tinypkg.py").write_text(USER_AGENT)
    info = site / "tinypkg-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tinypkg\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[rlsandbox.agents]\ntiny-q = tinypkg:TinyQ\n")
    return site
