"""SarsaAgent: the on-policy TD update (Sutton & Barto eq. 6.7) and its next-action bookkeeping."""

import math

import numpy as np

from rlsandbox.agents import QLearningAgent, SarsaAgent
from rlsandbox.envs import MazeEnv
from rlsandbox.loop import Transition, train
from tests.agents.mazes import SHORTEST, greedy_episodes_after_training


def step(s, a, r, s2, *, terminated=False, truncated=False):
    return Transition(s, a, r, s2, terminated, truncated, {})


def test_update_matches_a_hand_computed_step():
    agent = SarsaAgent(3, 2, alpha=0.5, gamma=0.9, epsilon=0.0, seed=0)
    agent.q_table[:2] = [[0.0, 1.0], [2.0, 3.0]]
    agent.update(step(0, 1, -0.1, 1))  # A' = 1, the greedy action in state 1
    assert agent.q_table[0, 1] == 1.0 + 0.5 * ((-0.1 + 0.9 * 3.0) - 1.0)
    assert agent.steps == 1


def test_update_bootstraps_from_the_very_action_the_next_act_takes():
    taken = set()
    for seed in range(40):
        agent = SarsaAgent(3, 4, alpha=1.0, gamma=1.0, epsilon=1.0, seed=seed)  # A' random
        agent.q_table[1] = [1.0, 2.0, 4.0, 8.0]
        agent.update(step(0, 0, 0.0, 1))
        chosen = int(math.log2(agent.q_table[0, 0]))  # Q[0, 0] = Q[1, A'] = 2 ** A'
        assert agent.act(1) == chosen
        taken.add(chosen)
    assert taken == {0, 1, 2, 3}


def test_act_takes_the_chosen_action_without_drawing_random_numbers():
    agent = SarsaAgent(3, 2, epsilon=0.5, seed=0)
    agent.update(step(0, 1, 0.0, 1))
    drawn = agent._next
    agent.act(1)
    assert agent._next == drawn


def test_termination_does_not_bootstrap_and_leaves_no_chosen_action():
    agent = SarsaAgent(3, 2, alpha=0.5, gamma=0.9, epsilon=0.0, seed=0)
    agent.q_table[:2] = [[0.0, 1.0], [2.0, 3.0]]
    agent.update(step(0, 1, 10.0, 1, terminated=True))
    assert agent.q_table[0, 1] == 1.0 + 0.5 * (10.0 - 1.0)
    assert agent._next == 0  # no A' was drawn for the terminal state
    agent.act(1)
    assert agent._next == 2  # the next act chooses afresh


def test_truncation_bootstraps_and_the_next_episode_chooses_afresh():
    agent = SarsaAgent(3, 2, alpha=1.0, gamma=0.5, epsilon=0.0, seed=0)
    agent.q_table[1] = [4.0, 2.0]
    agent.update(step(0, 0, 1.0, 1, truncated=True))
    assert agent.q_table[0, 0] == 1.0 + 0.5 * 4.0
    assert agent._next == 2  # A' was drawn for the bootstrap ...
    agent.act(1)
    assert agent._next == 4  # ... and dropped: the next act draws its own


def test_greedy_act_ignores_the_chosen_action():
    agent = SarsaAgent(3, 2, epsilon=1.0, seed=0)
    agent.q_table[1] = [0.0, 5.0]
    for _ in range(20):
        agent.update(step(0, 0, 0.0, 1))
        assert agent.act(1, explore=False) == 1


def test_act_in_another_state_or_after_begin_episode_chooses_afresh():
    agent = SarsaAgent(3, 2, epsilon=0.0, seed=0)
    agent.q_table[2] = [0.0, 1.0]
    agent.update(step(0, 0, 0.0, 1))
    assert agent.act(2) == 1 and agent._next == 4
    agent.update(step(0, 0, 0.0, 1))
    agent.begin_episode()
    assert agent._pending_state is None


def test_in_train_every_action_after_the_first_is_the_one_the_last_update_chose():
    class Recording(SarsaAgent):
        def _next_action(self, next_state, terminated, truncated):
            action = super()._next_action(next_state, terminated, truncated)
            self.chosen.append(action)
            return action

    env = MazeEnv("classic")
    agent = Recording.for_env(env, epsilon=0.3, seed=0)
    agent.chosen = []
    history = train(env, agent, 5, seed=0, progress=False)
    for episode in history:
        chosen, agent.chosen = agent.chosen[: episode.length], agent.chosen[episode.length:]
        assert chosen[:-1] == episode.actions[1:].tolist()


def test_same_seed_same_actions():
    a, b = SarsaAgent(4, 3, epsilon=0.5, seed=3), SarsaAgent(4, 3, epsilon=0.5, seed=3)
    for agent in (a, b):
        agent.picks = []
        for k in range(300):
            agent.picks.append(agent.act(k % 4))
            agent.update(step(k % 4, agent.picks[-1], -1.0, (k + 1) % 4))
    assert a.picks == b.picks and np.array_equal(a.q_table, b.q_table)


def test_learns_the_shortest_path_of_a_small_maze():
    greedy = greedy_episodes_after_training("sarsa", 200, alpha=0.5)
    assert [(e.success, e.length) for e in greedy] == [(True, SHORTEST)] * 5


def test_earns_more_online_than_q_learning_on_the_cliff():
    # Example 6.6: SARSA learns the safe path, Q-learning the optimal one along the cliff,
    # where exploration keeps pushing it over the edge.
    env = MazeEnv("cliff", step_reward=-1.0, goal_reward=-1.0, trap_reward=-100.0)
    online = {}
    for cls in (SarsaAgent, QLearningAgent):
        returns = []
        for seed in range(3):
            agent = cls.for_env(env, alpha=0.5, gamma=1.0, epsilon=0.1, seed=seed)
            returns.append(train(env, agent, 400, seed=seed, progress=False).returns[100:].mean())
        online[cls] = np.mean(returns)
    assert online[SarsaAgent] > online[QLearningAgent] + 5, online
