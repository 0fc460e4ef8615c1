import gymnasium
from my_agent import OptimisticQ

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0)
from rlsandbox import evaluate, run_episode, train
from rlsandbox.agents import check_agent, make_agent
from rlsandbox.plots import plot_learning_curve, save_gif

env = gymnasium.make("rlsandbox/Maze-v0", layout="classic", render_mode="rgb_array")

# 1. check_agent: actions in the action space, reproducible seeding, save/load round trip.
agent = OptimisticQ(env.observation_space.n, env.action_space.n, seed=0)
check_agent(agent, env)  # raises ValueError naming the failed check
print("check_agent passed")

# 2. make_agent builds it from the env, by "module:Class", as the command line does.
agent = make_agent("my_agent:OptimisticQ", env, alpha=0.5, seed=0)
history = train(env, agent, 200, seed=0, progress=False)
print(f"last 20 episodes: mean return {history.returns[-20:].mean():.2f}, "
      f"success rate {history.successes[-20:].mean():.0%}")
print(f"greedy: mean return {evaluate(env, agent, 10, seed=1).returns.mean():.2f}")
plot_learning_curve(history).savefig("learning_curve.png", dpi=80)

# 3. A GIF of one greedy episode.
episode = run_episode(env, agent, learn=False, explore=False, seed=0, record_frames=True)
save_gif(episode.frames, "optimistic_q.gif", fps=8)
print(f"optimistic_q.gif: {episode.length} steps, {len(episode.frames)} frames")
