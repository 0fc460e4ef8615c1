"""Register the rlsandbox environments with Gymnasium (idempotent)."""

import gymnasium

# id -> (entry_point, vector_entry_point)
ENV_IDS = {
    "rlsandbox/Maze-v0": (
        "rlsandbox.envs.maze:MazeEnv",
        "rlsandbox.envs.maze_vector:MazeVectorEnv",
    ),
    "rlsandbox/CartPole-v0": (
        "rlsandbox.envs.cartpole:CartPoleEnv",
        "rlsandbox.envs.cartpole_vector:CartPoleVectorEnv",
    ),
}


def register_envs() -> None:
    """Register every rlsandbox id that Gymnasium does not know yet.

    The envs truncate themselves (``max_steps``), so no ``TimeLimit`` wrapper is added:
    one wrapper less on every step. ``gymnasium.make_vec(id, num_envs=n)`` builds the numpy
    vector env of the ``vector_entry_point``.
    """
    for env_id, (entry_point, vector_entry_point) in ENV_IDS.items():
        if env_id not in gymnasium.registry:
            gymnasium.register(
                id=env_id, entry_point=entry_point, vector_entry_point=vector_entry_point
            )
