import gymnasium

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0)
from rlsandbox import evaluate, train
from rlsandbox.agents import QLearningAgent
from rlsandbox.plots import plot_trajectory

# The robot in a maze: S start, G exit (+10), # wall; every other step costs -0.1.
env = gymnasium.make("rlsandbox/Maze-v0", layout="classic")
print(env.unwrapped.layout_text)

# It learns the way out by trial and error (tabular Q-learning).
robot = QLearningAgent.for_env(env, alpha=0.5, gamma=0.95, epsilon=0.1, seed=0)
history = train(env, robot, 300, seed=0, progress=False)
print(f"mean return of the first 20 episodes: {history.returns[:20].mean():.2f}")
print(f"mean return of the last 20 episodes:  {history.returns[-20:].mean():.2f}")

# Then it walks greedily: no exploration, no learning.
walk = evaluate(env, robot, 1, seed=0)[0]
print(f"greedy walk: {walk.length} steps, reached the exit: {walk.success}")
print(f"reward of the last step: {walk.rewards[-1]:+.1f}")
print(f"return: {walk.total_reward:.1f} = 10 - 0.1 x {walk.length - 1}")
print(f"discounted return (gamma 0.95): {walk.discounted_return(0.95):.3f}")
plot_trajectory(env, walk).savefig("maze_robot.png", dpi=80)
