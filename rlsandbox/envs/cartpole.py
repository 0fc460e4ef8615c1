"""PLACEHOLDER: being written (CartPoleEnv)."""
import gymnasium


class CartPoleEnv(gymnasium.Env):
    pass
