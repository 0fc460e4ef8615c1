"""Register the rlsandbox environments with Gymnasium (idempotent)."""

import gymnasium

ENV_IDS = {
    "rlsandbox/Maze-v0": "rlsandbox.envs.maze:MazeEnv",
    "rlsandbox/CartPole-v0": "rlsandbox.envs.cartpole:CartPoleEnv",
}


def register_envs() -> None:
    """Register every rlsandbox id that Gymnasium does not know yet.

    The envs truncate themselves (``max_steps``), so no ``TimeLimit`` wrapper is added:
    one wrapper less on every step.
    """
    for env_id, entry_point in ENV_IDS.items():
        if env_id not in gymnasium.registry:
            gymnasium.register(id=env_id, entry_point=entry_point)
