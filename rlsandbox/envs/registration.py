"""Register the rlsandbox environments with Gymnasium (idempotent), and build them by short name."""

from __future__ import annotations

from typing import Any

import gymnasium

__all__ = ["CARTPOLE_BINS", "ENV_IDS", "ENV_NAMES", "build_env", "register_envs"]

# id -> (entry_point, vector_entry_point or None)
ENV_IDS = {
    "rlsandbox/Maze-v0": (
        "rlsandbox.envs.maze:MazeEnv",
        "rlsandbox.envs.maze_vector:MazeVectorEnv",
    ),
    "rlsandbox/CartPole-v0": (
        "rlsandbox.envs.cartpole:CartPoleEnv",
        "rlsandbox.envs.cartpole_vector:CartPoleVectorEnv",
    ),
    # Sutton & Barto's tabular problems as TabularEnvs: kwargs problem=NAME, the problem's
    # own kwargs and TabularEnv's (see rlsandbox.textbook.make).
    "rlsandbox/Textbook-v0": ("rlsandbox.textbook:make", None),
}


def register_envs() -> None:
    """Register every rlsandbox id that Gymnasium does not know yet.

    ``gymnasium.make`` adds no wrapper to our envs, because each wrapper costs a Python call
    on every step (about a third of a maze step):

    - no ``TimeLimit``: the envs truncate themselves (``max_steps``);
    - no ``OrderEnforcing``: the envs raise ``gymnasium.error.ResetNeeded`` themselves when
      stepped before ``reset``;
    - no ``PassiveEnvChecker``: the test suite runs Gymnasium's full ``check_env`` on every
      layout, with and without slip, and on CartPole.

    ``gymnasium.make_vec(id, num_envs=n)`` builds the numpy vector env of the
    ``vector_entry_point``.
    """
    for env_id, (entry_point, vector_entry_point) in ENV_IDS.items():
        if env_id not in gymnasium.registry:
            gymnasium.register(
                id=env_id,
                entry_point=entry_point,
                vector_entry_point=vector_entry_point,
                order_enforce=False,
                disable_env_checker=True,
            )


ENV_NAMES = {"maze": "rlsandbox/Maze-v0", "cartpole": "rlsandbox/CartPole-v0"}
CARTPOLE_BINS = (1, 6, 12, 12)  # cart position barely matters for balancing; angle most


def build_env(env_id: str, env_kwargs: dict[str, Any], render_mode: str | None = None, *,
              discrete: bool = True):
    """``gymnasium.make`` of a short name (``maze``, ``cartpole``) or any registered id.

    CartPole with ``bins`` in ``env_kwargs`` is discretised for tabular agents (unless
    ``discrete=False``); every other keyword goes to the env.
    """
    import gymnasium

    from rlsandbox.envs.wrappers import DiscretizeObservation

    register_envs()

    kwargs = dict(env_kwargs)
    bins = kwargs.pop("bins", None) if env_id == "cartpole" else None
    if render_mode is not None:
        kwargs["render_mode"] = render_mode
    env = gymnasium.make(ENV_NAMES.get(env_id, env_id), **kwargs)
    return DiscretizeObservation(env, tuple(bins)) if bins and discrete else env
