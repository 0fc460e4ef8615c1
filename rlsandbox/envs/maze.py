"""PLACEHOLDER: being written (MazeEnv)."""
import gymnasium


class MazeEnv(gymnasium.Env):
    pass
