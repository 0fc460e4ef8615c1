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


# -- how names are resolved ----------------------------------------------------------------------
def test_module_colon_class_is_imported_from_the_current_directory(tmp_path, monkeypatch):
    import sys

    (tmp_path / "beside_me.py").write_text(
        "from rlsandbox.agents import Agent\n\n"
        "class Mine(Agent):\n"
        "    def act(self, observation, *, explore=True):\n"
        "        return 0\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "beside_me", raising=False)
    path_before = list(sys.path)
    try:
        assert type(make_agent("beside_me:Mine", ChainEnv())).__name__ == "Mine"
    finally:
        sys.modules.pop("beside_me", None)
    assert sys.path == path_before  # the current directory was on it for the import only


def test_a_run_directory_is_not_searched_even_as_the_current_directory(tmp_path, monkeypatch):
    import sys

    from rlsandbox.agents.registry import agent_class

    (tmp_path / "shipped.py").write_text("raise SystemExit('imported')\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="never searched"):
        agent_class("shipped:Agent", run_dir=tmp_path)
    assert "shipped" not in sys.modules


def test_an_object_that_is_not_an_agent_class_is_refused():
    with pytest.raises(ValueError, match="not a subclass of rlsandbox.agents.Agent"):
        make_agent("tests.chain_env:ChainEnv", ChainEnv())


def test_a_missing_class_names_the_agents_the_module_defines():
    with pytest.raises(ValueError, match="has no 'Nope'; it defines Custom"):
        make_agent("tests.agents.test_registry:Nope", ChainEnv())


def test_a_class_defined_in_a_script_cannot_be_named_in_another_process():
    from rlsandbox.agents.registry import agent_class

    with pytest.raises(ValueError, match=r"defined in a script.*'my_agents:Whatever'"):
        agent_class("__main__:Whatever")


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A distribution on sys.path registering ``Custom`` in the entry-point group."""
    info = tmp_path / "custom_agents-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: custom-agents\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[rlsandbox.agents]\nhello = tests.agents.test_registry:Custom\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_an_installed_distributions_entry_point_is_found(installed):
    from rlsandbox.agents.registry import agent_name

    assert available_agents()["hello"] == "tests.agents.test_registry:Custom"
    assert make_agent("hello", ChainEnv(), greeting="hi").greeting == "hi"
    assert agent_name(Custom) == "hello"  # what agent.json records
