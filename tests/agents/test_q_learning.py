import numpy as np
import pytest

from rlsandbox.agents import QLearningAgent, exponential_decay, linear_decay
from rlsandbox.loop import Transition, evaluate, train
from tests.chain_env import ChainEnv


def make(**kw):
    kw.setdefault("seed", 0)
    return QLearningAgent(4, 2, **kw)


def test_update_bootstraps_from_the_best_next_action():
    agent = make(alpha=0.5, gamma=0.9)
    agent.q_table = np.array([[0.0, 1.0], [2.0, 3.0], [0.0, 0.0], [0.0, 0.0]])
    agent.update(Transition(0, 1, -0.1, 1, False, False, {}))
    # 1 + 0.5 * (-0.1 + 0.9 * 3 - 1) = 1.8
    assert agent.q_table[0, 1] == 1.0 + 0.5 * (-0.1 + 0.9 * 3.0 - 1.0)
    assert agent.steps == 1


def test_update_does_not_bootstrap_on_termination():
    agent = make(alpha=0.5, gamma=0.9)
    agent.q_table = np.array([[0.0, 1.0], [2.0, 3.0], [0.0, 0.0], [0.0, 0.0]])
    agent.update(Transition(0, 1, 10.0, 1, True, False, {}))
    assert agent.q_table[0, 1] == 1.0 + 0.5 * (10.0 - 1.0)


def test_update_bootstraps_on_truncation():
    agent = make(alpha=1.0, gamma=0.5)
    agent.q_table = np.array([[0.0, 0.0], [4.0, 2.0], [0.0, 0.0], [0.0, 0.0]])
    agent.update(Transition(0, 0, 1.0, 1, False, True, {}))
    assert agent.q_table[0, 0] == 1.0 + 0.5 * 4.0


def test_greedy_act_picks_the_best_action():
    agent = make(epsilon=0.0)
    agent.q_table = np.array([[0.0, 1.0], [5.0, 3.0], [0.0, 0.0], [0.0, 0.0]])
    assert [agent.act(s, explore=False) for s in (0, 1)] == [1, 0]
    assert agent.act(1) == 0  # epsilon 0 explores never


def test_ties_are_broken_at_random_with_both_actions_chosen():
    agent = make(epsilon=0.0)
    picks = [agent.act(2) for _ in range(2000)]
    assert 900 < sum(picks) < 1100


def test_ties_take_the_tie_at_int_u_times_count_whether_all_or_some_actions_tie():
    import copy

    agent = QLearningAgent(3, 4, epsilon=0.0, seed=3)
    agent.q_table = np.array([[0.0] * 4, [1.0, 1.0, 0.0, 1.0], [2.0, 0.0, 0.0, 0.0]])
    uniforms = copy.deepcopy(agent.np_random).random(3 * 2 * 700)  # u1, u2 per act
    ties = {0: [0, 1, 2, 3], 1: [0, 1, 3], 2: [0]}
    picks, expected = [], []
    for k in range(3 * 700):
        s = k % 3
        picks.append(agent.act(s))
        expected.append(ties[s][int(uniforms[2 * k + 1] * len(ties[s]))])
    assert picks == expected
    assert set(picks[0::3]) == {0, 1, 2, 3} and set(picks[1::3]) == {0, 1, 3}


def test_epsilon_one_explores_uniformly():
    agent = make(epsilon=1.0)
    agent.q_table = np.array([[0.0, 9.0]] * 4)
    picks = np.array([agent.act(0) for _ in range(4000)])
    assert abs(picks.mean() - 0.5) < 3 * np.sqrt(0.25 / 4000)


def test_epsilon_schedule_uses_the_update_count():
    calls = []

    def schedule(step):
        calls.append(step)
        return 0.0

    agent = make(epsilon=schedule)
    agent.act(0)
    agent.update(Transition(0, 0, 0.0, 1, False, False, {}))
    agent.act(0)
    assert calls == [0, 1]


def test_alpha_schedule_sets_the_step_size():
    agent = make(alpha=linear_decay(1.0, 0.5, 2), gamma=0.0)
    agent.update(Transition(0, 0, 1.0, 1, True, False, {}))
    agent.update(Transition(0, 0, 3.0, 1, True, False, {}))
    assert agent.q_table[0, 0] == 1.0 + 0.75 * (3.0 - 1.0)


def test_schedules_values():
    lin = linear_decay(1.0, 0.1, 10)
    assert lin(0) == 1.0 and lin(5) == pytest.approx(0.55) and lin(10) == 0.1 and lin(99) == 0.1
    exp = exponential_decay(1.0, 0.1, 0.5)
    assert exp(0) == 1.0 and exp(2) == pytest.approx(0.1 + 0.9 * np.exp(-1.0))


@pytest.mark.parametrize(
    "kw",
    [{"alpha": 0.0}, {"alpha": 1.5}, {"alpha": -0.1}, {"gamma": -0.01}, {"gamma": 1.01},
     {"epsilon": -0.1}, {"epsilon": 1.2}, {"epsilon": "high"}, {"initial_q": float("nan")}],
)
def test_invalid_hyperparameters_raise_value_error(kw):
    with pytest.raises(ValueError):
        make(**kw)


@pytest.mark.parametrize("args", [(0, 2), (4, 0), (2.5, 2), (True, 2)])
def test_invalid_table_sizes_raise_value_error(args):
    with pytest.raises(ValueError):
        QLearningAgent(*args)


@pytest.mark.parametrize("bad", [linear_decay, exponential_decay])
def test_schedules_validate_their_arguments(bad):
    with pytest.raises(ValueError):
        bad(1.5, 0.0, 10)


def test_for_env_sizes_the_table_and_rejects_continuous_observations():
    import gymnasium

    agent = QLearningAgent.for_env(ChainEnv(7))
    assert agent.q_table.shape == (7, 2)
    with pytest.raises(ValueError, match="DiscretizeObservation"):
        QLearningAgent.for_env(gymnasium.make("CartPole-v1"))


def test_q_table_setter_checks_shape():
    with pytest.raises(ValueError, match="shape"):
        make().q_table = np.zeros((3, 3))


def test_learns_the_shortest_path_of_a_chain():
    env = ChainEnv(8, limit=50)
    agent = QLearningAgent.for_env(env, alpha=0.5, gamma=0.95, epsilon=0.2, seed=1)
    train(env, agent, 300, seed=0, progress=False)
    assert agent.q_table[:7].argmax(axis=1).tolist() == [1] * 7
    assert evaluate(env, agent, 3, seed=0).lengths.tolist() == [7, 7, 7]


def test_same_seed_same_actions():
    a, b = make(epsilon=0.5, seed=3), make(epsilon=0.5, seed=3)
    assert [a.act(0) for _ in range(300)] == [b.act(0) for _ in range(300)]
