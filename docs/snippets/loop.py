import gymnasium

import rlsandbox  # noqa: F401  (registers rlsandbox/CartPole-v0 and rlsandbox/Maze-v0)
from rlsandbox import run_episode
from rlsandbox.agents import RandomAgent

# The tutorial's loop in today's Gymnasium API: reset gives (state, info), and step gives
# five values -- the old `done` is split into `terminated` and `truncated`.
env = gymnasium.make("rlsandbox/CartPole-v0")
state, info = env.reset(seed=42)
env.action_space.seed(42)
for _ in range(10):
    action = env.action_space.sample()  # random action
    next_state, reward, terminated, truncated, info = env.step(action)
    print("Reward:", reward)
    if terminated or truncated:
        break

# The same loop, run by rlsandbox: an Agent chooses, run_episode loops, an Episode remembers.
agent = RandomAgent(env.action_space, seed=42)
episode = run_episode(env, agent, seed=42)
print(f"random agent: {episode.length} steps, total reward {episode.total_reward}")
env.close()
