"""What every tabular agent shares (rlsandbox.agents.tabular): the live table, the random
stream, for_env, validation, copies, save/load, seeding and check_agent."""

import copy
import pickle

import gymnasium
import numpy as np
import pytest

from rlsandbox.agents import (
    Agent,
    DoubleQLearningAgent,
    QLearningAgent,
    TabularAgent,
    check_agent,
    linear_decay,
    make_agent,
)
from rlsandbox.agents.tabular import row_views
from rlsandbox.envs import MazeEnv
from rlsandbox.loop import Transition, train
from tests.chain_env import ChainEnv

TABULAR = ["q-learning", "sarsa", "expected-sarsa", "double-q-learning", "n-step-sarsa",
           "monte-carlo", "sarsa-lambda", "dyna-q"]
# The agents whose q_table is the table itself (Double Q-learning's is the mean of two).
LIVE = [name for name in TABULAR if name != "double-q-learning"]


def trained(name, episodes=20, **kw):
    env = ChainEnv(6, limit=12)
    agent = make_agent(name, env, seed=3, epsilon=0.3, **kw)
    train(env, agent, episodes, seed=1, progress=False)
    return env, agent


# -- the contract, for every registered tabular agent ---------------------------------------
@pytest.mark.parametrize("name", TABULAR)
def test_every_tabular_agent_passes_check_agent_on_the_chain_and_a_maze(name):
    for env in (ChainEnv(6, limit=10), MazeEnv("tiny")):
        check_agent(make_agent(name, env, seed=0), env)


@pytest.mark.parametrize("name", TABULAR)
def test_every_tabular_agent_passes_check_agent_with_schedules(name):
    env = ChainEnv(6, limit=10)
    check_agent(make_agent(name, env, epsilon=linear_decay(1.0, 0.1, 50),
                           alpha=linear_decay(1.0, 0.2, 50), seed=0), env)


@pytest.mark.parametrize("name", TABULAR)
def test_same_seed_gives_the_same_run_and_table(name):
    (_, a), (_, b) = trained(name), trained(name)
    assert np.array_equal(a.q_table, b.q_table) and a.steps == b.steps
    assert a.q_table.any()  # it learned something, so the comparison means something


@pytest.mark.parametrize("name", TABULAR)
def test_a_different_seed_gives_a_different_run(name):
    env = ChainEnv(6, limit=12)
    histories = []
    for seed in (0, 1):
        agent = make_agent(name, env, seed=seed, epsilon=0.5)
        histories.append(train(env, agent, 10, seed=0, progress=False))
    assert histories[0] != histories[1]


@pytest.mark.parametrize("name", TABULAR)
def test_save_and_load_round_trip_mid_training(name, tmp_path):
    env, agent = trained(name)
    agent.save(tmp_path / "agent.npz")
    loaded = Agent.load(tmp_path / "agent.npz")
    assert type(loaded) is type(agent)
    assert np.array_equal(loaded.q_table, agent.q_table)
    # both continue identically: table, generator, drawn-ahead uniforms, per-episode state
    train(env, agent, 5, seed=9, progress=False)
    train(env, loaded, 5, seed=9, progress=False)
    assert np.array_equal(loaded.q_table, agent.q_table) and loaded.steps == agent.steps


@pytest.mark.parametrize("name", TABULAR)
def test_deep_copies_and_pickles_are_independent_working_agents(name):
    env, agent = trained(name)
    for twin in (copy.deepcopy(agent), pickle.loads(pickle.dumps(agent))):
        assert np.array_equal(twin.q_table, agent.q_table)
        train(env, twin, 3, seed=5, progress=False)
        assert twin.steps > agent.steps
    assert np.array_equal(trained(name)[1].q_table, agent.q_table)  # the original untouched


@pytest.mark.parametrize("name", TABULAR)
def test_for_env_rejects_continuous_observations_naming_the_wrapper(name):
    with pytest.raises(ValueError, match="DiscretizeObservation"):
        make_agent(name, gymnasium.make("CartPole-v1"))


@pytest.mark.parametrize("name", TABULAR)
def test_unknown_keywords_are_refused(name):
    with pytest.raises(ValueError, match="colour"):
        make_agent(name, ChainEnv(), colour="red")


# -- the live table -------------------------------------------------------------------------
@pytest.mark.parametrize("name", LIVE)
def test_a_write_into_q_table_takes_effect_at_the_next_act(name):
    agent = make_agent(name, ChainEnv(6), epsilon=0.0, seed=0)
    for s in range(6):  # a different best action per state, so no tie can hide a lost write
        agent.q_table[s, s % 2] = 1.0
    assert [agent.act(s) for s in range(6)] == [s % 2 for s in range(6)]


def test_a_write_into_q_table_takes_effect_at_the_next_update():
    agent = QLearningAgent(3, 2, alpha=1.0, gamma=1.0, seed=0)
    table = agent.q_table  # a reference held across updates stays the agent's table
    table[1] = [0.0, 7.0]
    agent.update(Transition(0, 0, 0.5, 1, False, False, {}))
    assert table[0, 0] == 7.5 and agent.q_table is table


def test_assigning_q_table_copies_into_the_live_table():
    agent = QLearningAgent(2, 2, seed=0)
    held = agent.q_table
    values = np.array([[1.0, 2.0], [3.0, 4.0]])
    agent.q_table = values
    values[0, 0] = 99.0  # the caller's array stays the caller's
    assert agent.q_table is held and held.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_double_q_learning_q_table_is_read_only_so_a_write_is_never_lost():
    agent = DoubleQLearningAgent(2, 2, seed=0)
    with pytest.raises(ValueError, match="read-only"):
        agent.q_table[0, 0] = 1.0


@pytest.mark.parametrize("bad", [np.zeros((3, 3)), np.full((4, 2), np.nan)])
def test_q_table_assignment_checks_shape_and_finiteness(bad):
    with pytest.raises(ValueError, match="shape"):
        QLearningAgent(4, 2).q_table = bad


def test_row_views_read_and_write_the_array():
    table = np.arange(6.0).reshape(2, 3)
    rows = row_views(table)
    rows[1][0] += 10.0
    assert table[1, 0] == 13.0 and rows[0].tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="C-contiguous float64"):
        row_views(np.zeros((2, 3), dtype=np.float32))


# -- the random stream ------------------------------------------------------------------------
def test_every_act_takes_two_uniforms_from_batches_of_1024():
    agent = QLearningAgent(3, 4, epsilon=0.5, seed=11)
    expected = np.random.default_rng(11).random(2048)
    for k in range(700):  # 1400 uniforms: crosses one refill
        agent.act(k % 3)
    assert agent._next == 1400 - 1024
    assert agent._uniforms == expected[1024:].tolist()


def test_seed_resets_the_stream():
    agent = QLearningAgent(3, 4, epsilon=0.5, seed=1)
    first = [agent.act(0) for _ in range(50)]
    agent.seed(1)
    assert [agent.act(0) for _ in range(50)] == first


def test_uniform_pairs_share_the_stream_with_act():
    a, b = QLearningAgent(3, 4, epsilon=1.0, seed=5), QLearningAgent(3, 4, epsilon=1.0, seed=5)
    _, u2 = a._uniform_pair()
    assert b.act(0) == int(u2 * 4)  # epsilon 1 explores: the act took the same pair
    assert a._next == b._next == 2 and a.act(0) == b.act(0)


# -- validation -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw",
    [{"alpha": 0.0}, {"alpha": 1.5}, {"alpha": None}, {"gamma": -0.01}, {"gamma": 1.01},
     {"epsilon": -0.1}, {"epsilon": 1.2}, {"epsilon": "high"}, {"initial_q": float("nan")},
     {"initial_q": True}],
)
@pytest.mark.parametrize("name", TABULAR)
def test_invalid_hyperparameters_raise_value_error_naming_them(name, kw):
    if name == "monte-carlo" and kw == {"alpha": None}:
        return  # None is Monte Carlo's sample average (tested in its own file)
    with pytest.raises(ValueError, match=next(iter(kw))):
        make_agent(name, ChainEnv(), **kw)


@pytest.mark.parametrize("args", [(0, 2), (4, 0), (2.5, 2), (True, 2)])
def test_invalid_table_sizes_raise_value_error(args):
    with pytest.raises(ValueError, match="positive integer"):
        TabularAgent(*args)


def test_for_env_rejects_observations_not_numbered_from_zero():
    class Shifted(ChainEnv):
        def __init__(self):
            super().__init__()
            self.observation_space = gymnasium.spaces.Discrete(5, start=1)

    with pytest.raises(ValueError, match="numbered from 0"):
        QLearningAgent.for_env(Shifted())


def test_a_q_learning_file_saved_before_the_tabular_base_still_loads():
    agent = QLearningAgent(2, 2, seed=0)
    state = agent.get_state()
    state["_q"] = np.array([[1.0, 2.0], [3.0, 4.0]])  # the old attribute name of the table
    del state["_table"]
    old = QLearningAgent.__new__(QLearningAgent)
    old.set_state(state)
    assert old.q_table.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert old.act(0, explore=False) == 1
