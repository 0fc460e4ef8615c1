"""DynaQAgent: Q-learning plus model learning and planning (Sutton & Barto section 8.2), and
Dyna-Q+'s exploration bonus (section 8.3)."""

import copy

import numpy as np
import pytest

from rlsandbox.agents import DynaQAgent, QLearningAgent
from rlsandbox.envs import MazeEnv
from rlsandbox.loop import Transition, train
from tests.agents.mazes import SHORTEST, greedy_episodes_after_training


def step(s, a, r, s2, *, terminated=False, truncated=False):
    return Transition(s, a, r, s2, terminated, truncated, {})


def test_without_planning_it_is_q_learning_bit_for_bit():
    env = MazeEnv("classic", max_steps=60)
    runs = []
    for agent in (DynaQAgent.for_env(env, planning_steps=0, alpha=0.5, epsilon=0.2, seed=1),
                  QLearningAgent.for_env(env, alpha=0.5, epsilon=0.2, seed=1)):
        runs.append((train(env, agent, 30, seed=1, progress=False), agent.q_table))
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])


@pytest.mark.parametrize("truncated, direct, planned", [(False, 0.5, 0.75), (True, 2.5, 3.75)])
def test_planning_replays_the_model_bootstrapping_only_where_the_real_step_did(
        truncated, direct, planned):
    # alpha 0.5, gamma 0.5, Q[1] = 8: the target is 1 on termination, 1 + 0.5 * 8 = 5 on
    # truncation; the direct update goes half way to it, the planned one half the rest.
    agent = DynaQAgent(2, 1, alpha=0.5, gamma=0.5, planning_steps=0, seed=0)
    agent.q_table[1] = 8.0
    agent.update(step(0, 0, 1.0, 1, terminated=not truncated, truncated=truncated))
    assert agent.q_table[0, 0] == direct
    agent.q_table[0, 0] = 0.0
    agent.planning_steps = 1
    agent.update(step(0, 0, 1.0, 1, terminated=not truncated, truncated=truncated))
    assert agent.q_table[0, 0] == planned


def test_planning_samples_a_seen_state_then_an_action_tried_there():
    planned = set()
    rewards = {(0, 1): 1.0, (2, 0): 2.0, (2, 1): 4.0, (3, 0): 8.0}
    for seed in range(12):
        agent = DynaQAgent(4, 2, alpha=0.5, gamma=0.0, planning_steps=0, seed=seed)
        for (s, a), r in list(rewards.items())[:3]:
            agent.update(step(s, a, r, 1, terminated=True))
        agent.planning_steps = 1
        agent.update(step(3, 0, 8.0, 1, terminated=True))
        u1, u2 = copy.deepcopy(np.random.default_rng(seed)).random(2)  # no act drew before
        state = [0, 2, 3][int(u1 * 3)]
        tried = {0: [1], 2: [0, 1], 3: [0]}[state]
        pair = (state, tried[int(u2 * len(tried))])
        expected = {p: r / 2 for p, r in rewards.items()}
        expected[pair] = 0.75 * rewards[pair]  # planned: half of the remaining half
        assert {p: agent.q_table[p] for p in rewards} == expected
        assert agent.q_table[1].tolist() == [0.0, 0.0] and agent.q_table[0, 0] == 0.0
        planned.add(pair)
    assert len(planned) >= 3


def test_dyna_q_plus_plans_untried_actions_as_staying_put_with_a_bonus_for_the_wait():
    # State 0 seen at step 0; action 0 tried at steps 0..3; action 1 never tried, so it is
    # modelled as (reward 0, back to state 0) with tau counting from step 0. At step 4 the
    # planned update of (0, 1) has target 0 + kappa * sqrt(4) (gamma 0: no bootstrap).
    seed = next(s for s in range(100) if np.random.default_rng(s).random(2)[1] >= 0.5)
    agent = DynaQAgent(1, 2, alpha=1.0, gamma=0.0, planning_steps=0, kappa=0.25, seed=seed)
    for _ in range(4):
        agent.update(step(0, 0, 0.0, 0))
    agent.planning_steps = 1
    agent.update(step(0, 0, 0.0, 0))
    assert agent.q_table.tolist() == [[0.0, 0.25 * 2.0]]


def test_dyna_q_plus_gives_a_just_tried_pair_no_bonus():
    seed = next(s for s in range(100) if np.random.default_rng(s).random(2)[1] < 0.5)
    agent = DynaQAgent(1, 2, alpha=1.0, gamma=0.0, planning_steps=1, kappa=0.25, seed=seed)
    agent.update(step(0, 0, 1.0, 0))  # planned (0, 0) right after its real step: tau 0
    assert agent.q_table.tolist() == [[1.0, 0.0]]


@pytest.mark.parametrize("kw", [{"planning_steps": -1}, {"planning_steps": 2.5},
                                {"kappa": -0.1}, {"kappa": float("inf")}])
def test_invalid_arguments_raise_value_error(kw):
    with pytest.raises(ValueError, match=next(iter(kw))):
        DynaQAgent(3, 2, **kw)


def test_planning_finds_the_shortest_path_in_a_handful_of_episodes():
    # Like Figure 8.2: 50 planning steps learn in episodes what direct RL learns in hundreds.
    greedy = greedy_episodes_after_training("dyna-q", 10, planning_steps=50, alpha=0.1,
                                            epsilon=0.1)
    assert [(e.success, e.length) for e in greedy] == [(True, SHORTEST)] * 5
    without = greedy_episodes_after_training("dyna-q", 10, planning_steps=0, alpha=0.1,
                                             epsilon=0.1)
    assert not any(e.success for e in without)
