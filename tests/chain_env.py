"""A tiny deterministic chain env for loop and agent tests (no dependency on our envs)."""

import gymnasium
from gymnasium import spaces


class ChainEnv(gymnasium.Env):
    """States 0..n-1, start 0; action 1 moves right, 0 moves left (floor at 0).

    Reaching n-1 gives +1 and terminates; every other step gives -0.1. After ``limit``
    steps the episode is truncated. ``info["is_success"]`` is reported on the final step.
    """

    def __init__(self, n: int = 5, limit: int = 20):
        self.n, self.limit = n, limit
        self.observation_space = spaces.Discrete(n)
        self.action_space = spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.s, self.t = 0, 0
        return self.s, {}

    def step(self, action):
        self.t += 1
        self.s = min(self.s + 1, self.n - 1) if action == 1 else max(self.s - 1, 0)
        terminated = self.s == self.n - 1
        truncated = not terminated and self.t >= self.limit
        info = {"is_success": terminated} if terminated or truncated else {}
        return self.s, (1.0 if terminated else -0.1), terminated, truncated, info
