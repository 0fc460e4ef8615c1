import pytest

from rlsandbox.agents import QLearningAgent, RandomAgent, available_agents, make_agent
from tests.chain_env import ChainEnv


def test_built_in_names_are_available():
    assert {"random", "q-learning", "value-iteration"} <= set(available_agents())


def test_make_agent_builds_sized_agents():
    env = ChainEnv(5)
    assert isinstance(make_agent("random", env, seed=0), RandomAgent)
    agent = make_agent("q-learning", env, alpha=0.5, seed=0)
    assert isinstance(agent, QLearningAgent) and agent.q_table.shape == (5, 2)
    assert agent.alpha == 0.5


def test_module_colon_class_loads_a_third_party_agent():
    agent = make_agent("tests.agents.test_registry:Custom", ChainEnv(), greeting="hi")
    assert isinstance(agent, Custom) and agent.greeting == "hi"


def test_entry_point_agents_are_found(monkeypatch):
    from importlib.metadata import EntryPoint

    import rlsandbox.agents.registry as registry

    ep = EntryPoint("custom", "tests.agents.test_registry:Custom", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [ep])
    assert available_agents()["custom"] == "tests.agents.test_registry:Custom"
    assert isinstance(make_agent("custom", ChainEnv()), Custom)


@pytest.mark.parametrize("name", ["nope", "", "no.such.module:Agent", "rlsandbox:Nope"])
def test_unknown_agents_raise_value_error(name):
    with pytest.raises(ValueError):
        make_agent(name, ChainEnv())


def test_unknown_keyword_names_the_agent():
    with pytest.raises(ValueError, match="q-learning"):
        make_agent("q-learning", ChainEnv(), colour="red")


from rlsandbox.agents import Agent  # noqa: E402


class Custom(Agent):
    def __init__(self, greeting="hello"):
        self.greeting = greeting

    def act(self, observation, *, explore=True):
        return 0
