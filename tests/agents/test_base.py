import json
import pickle

import numpy as np
import pytest

from rlsandbox.agents import (
    Agent,
    QLearningAgent,
    RandomAgent,
    ValueIterationAgent,
    check_agent,
    linear_decay,
)
from rlsandbox.loop import train
from tests.chain_env import ChainEnv


class RightAgent(Agent):
    def act(self, observation, *, explore=True):
        return 1


class RandomChoice(Agent):
    def act(self, observation, *, explore=True):
        return int(self.np_random.integers(2))


def test_an_act_only_subclass_is_a_valid_agent():
    check_agent(RightAgent(), ChainEnv())
    check_agent(RandomChoice(), ChainEnv())


def test_check_agent_passes_built_in_agents():
    env = ChainEnv()
    check_agent(RandomAgent(env.action_space, seed=0), env)
    check_agent(QLearningAgent.for_env(env, epsilon=linear_decay(1.0, 0.1, 50), seed=0), env)


def test_check_agent_names_an_action_outside_the_space():
    class Bad(Agent):
        def act(self, observation, *, explore=True):
            return 7

    with pytest.raises(ValueError, match=r"check 'actions' failed.*7"):
        check_agent(Bad(), ChainEnv())


def test_check_agent_catches_unseeded_randomness():
    class Unseeded(Agent):
        def __init__(self):
            self.rng = np.random.default_rng()

        def act(self, observation, *, explore=True):
            return int(self.rng.integers(2))

    with pytest.raises(ValueError, match="check 'seeding' failed"):
        check_agent(Unseeded(), ChainEnv())


def test_check_agent_catches_an_unsaveable_agent():
    class Lambda(Agent):
        def __init__(self):
            self.policy = lambda obs: 1

        def act(self, observation, *, explore=True):
            return self.policy(observation)

    with pytest.raises(ValueError, match="check 'save/load' failed"):
        check_agent(Lambda(), ChainEnv())


def test_check_agent_leaves_the_agent_untouched():
    env = ChainEnv()
    agent = QLearningAgent.for_env(env, seed=0)
    check_agent(agent, env)
    assert agent.steps == 0 and not agent.q_table.any()


def test_q_learning_agent_round_trips_exactly(tmp_path):
    env = ChainEnv(6)
    agent = QLearningAgent.for_env(env, alpha=0.3, epsilon=linear_decay(1.0, 0.1, 100), seed=4)
    train(env, agent, 20, seed=0, progress=False)
    agent.save(tmp_path / "agent.npz")
    loaded = QLearningAgent.load(tmp_path / "agent.npz")
    assert np.array_equal(loaded.q_table, agent.q_table)
    assert loaded.steps == agent.steps and loaded.epsilon == agent.epsilon
    # the generator state and the drawn-ahead uniforms come back too
    assert [loaded.act(0) for _ in range(200)] == [agent.act(0) for _ in range(200)]
    meta = json.loads((tmp_path / "agent.json").read_text())
    assert meta["class"] == "rlsandbox.agents.q_learning:QLearningAgent"


def test_agent_load_returns_the_recorded_class(tmp_path):
    agent = RandomAgent(ChainEnv().action_space, seed=1)
    agent.save(tmp_path / "r")
    loaded = Agent.load(tmp_path / "r.npz")
    assert type(loaded) is RandomAgent
    assert [loaded.act(0) for _ in range(50)] == [agent.act(0) for _ in range(50)]


def test_saving_twice_gives_identical_bytes(tmp_path):
    agent = QLearningAgent(5, 2, seed=0)
    agent.save(tmp_path / "a.npz")
    agent.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_load_of_the_wrong_class_says_so(tmp_path):
    RandomAgent(ChainEnv().action_space).save(tmp_path / "r.npz")
    with pytest.raises(ValueError, match="not a QLearningAgent"):
        QLearningAgent.load(tmp_path / "r.npz")


def test_foreign_truncated_and_pickled_files_raise_value_error(tmp_path):
    QLearningAgent(3, 2).save(tmp_path / "good.npz")
    data = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "truncated.npz").write_bytes(data[: len(data) // 2])
    np.savez(tmp_path / "foreign.npz", x=np.arange(3))
    (tmp_path / "pickle.npz").write_bytes(pickle.dumps({"evil": 1}))
    np.savez(tmp_path / "objects.npz", __meta__=np.array([{"format": 1}], dtype=object))
    for name in ("truncated", "foreign", "pickle", "objects", "missing"):
        with pytest.raises(ValueError):
            Agent.load(tmp_path / f"{name}.npz")


def test_file_naming_an_unimported_module_is_refused(tmp_path):
    QLearningAgent(3, 2).save(tmp_path / "a.npz")
    with np.load(tmp_path / "a.npz") as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays["__meta__"]))
    meta["class"] = "os:system"
    arrays["__meta__"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "b.npz", **arrays)
    with pytest.raises(ValueError, match="not importable"):
        Agent.load(tmp_path / "b.npz")


def test_value_iteration_agent_round_trips(tmp_path):
    from rlsandbox.mdp import TabularMDP

    P = np.array([[[0.0, 1.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])
    R = np.array([[0.0, 1.0], [1.0, 0.0]])
    agent = ValueIterationAgent(TabularMDP.from_dense(P, R, 0.9))
    agent.save(tmp_path / "vi.npz")
    loaded = Agent.load(tmp_path / "vi.npz")
    assert np.array_equal(loaded.values, agent.values)
    assert [loaded.act(s) for s in (0, 1)] == [agent.act(s) for s in (0, 1)]
