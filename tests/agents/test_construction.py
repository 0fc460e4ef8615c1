"""The construction rule: any Agent subclass built from an env, its spaces saved and checked."""

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces

from rlsandbox.agents import Agent, QLearningAgent, RandomAgent, make_agent
from rlsandbox.agents.base import accepted_keywords, check_spaces
from tests.chain_env import ChainEnv


class Tabular(Agent):
    def __init__(self, n_states, n_actions, *, alpha=0.5, seed=None):
        self.table = np.zeros((n_states, n_actions))
        self.alpha = alpha
        self.seed(seed)

    def act(self, observation, *, explore=True):
        return int(np.argmax(self.table[observation]))


class SpaceTaker(Agent):
    def __init__(self, observation_space, action_space, env, *, scale=1.0):
        self.got = (observation_space, action_space, env)
        self.scale = scale

    def act(self, observation, *, explore=True):
        return 0


class NeedsWidth(Agent):
    def __init__(self, n_actions, width):
        self.n_actions, self.width = n_actions, width

    def act(self, observation, *, explore=True):
        return 0


class TakesAnything(Agent):
    def __init__(self, n_actions, **options):
        self.options = options

    def act(self, observation, *, explore=True):
        return 0


def test_n_states_and_n_actions_come_from_discrete_spaces():
    agent = Tabular.for_env(ChainEnv(7), alpha=0.25)
    assert agent.table.shape == (7, 2) and agent.alpha == 0.25


def test_spaces_and_the_env_itself_are_passed_by_name():
    env = ChainEnv(4)
    agent = SpaceTaker.for_env(env, scale=2.0)
    assert agent.got == (env.observation_space, env.action_space, env) and agent.scale == 2.0


def test_a_keyword_the_agent_does_not_take_is_refused_naming_the_accepted_ones():
    with pytest.raises(ValueError, match=r"does not take 'beta'; it accepts alpha, seed$"):
        Tabular.for_env(ChainEnv(), beta=0.1)


def test_make_agent_refuses_unknown_keywords_with_the_agents_name():
    with pytest.raises(ValueError, match=r"agent 'random' \(RandomAgent\) does not take "
                                         r"'alpha'; it accepts seed"):
        make_agent("random", ChainEnv(), alpha=0.1)


def test_a_value_the_env_fills_is_not_accepted_as_a_keyword():
    with pytest.raises(ValueError, match="n_states comes from the env"):
        make_agent("q-learning", ChainEnv(), n_states=3)


def test_a_required_parameter_the_env_cannot_give_is_named():
    with pytest.raises(ValueError, match=r"needs 'width'.*width="):
        NeedsWidth.for_env(ChainEnv())
    assert NeedsWidth.for_env(ChainEnv(), width=3).width == 3


def test_n_states_of_a_box_space_says_how_to_discretise():
    env = gymnasium.make("CartPole-v1")
    with pytest.raises(ValueError, match="DiscretizeObservation"):
        Tabular.for_env(env)


def test_a_constructor_with_var_keywords_takes_any_keyword():
    assert TakesAnything.for_env(ChainEnv(), colour="red").options == {"colour": "red"}


@pytest.mark.parametrize("cls, accepted", [
    (QLearningAgent, ("alpha", "gamma", "epsilon", "initial_q", "seed")),
    (RandomAgent, ("seed",)),
    (Tabular, ("alpha", "seed")),
    (SpaceTaker, ("scale",)),
])
def test_accepted_keywords_leave_out_what_the_env_gives(cls, accepted):
    assert accepted_keywords(cls) == accepted


def test_value_iteration_accepts_gamma_and_tol_only():
    from rlsandbox.agents import ValueIterationAgent

    assert accepted_keywords(ValueIterationAgent) == ("gamma", "tol")


def test_make_agent_records_the_envs_spaces_and_save_keeps_them(tmp_path):
    env = ChainEnv(6)
    agent = make_agent("q-learning", env, seed=0)
    assert agent.observation_space == spaces.Discrete(6)
    assert agent.observation_space is not env.observation_space  # a copy
    agent.save(tmp_path / "agent.npz")
    loaded = QLearningAgent.load(tmp_path / "agent.npz")
    assert (loaded.observation_space, loaded.action_space) == (spaces.Discrete(6),
                                                               spaces.Discrete(2))


def test_an_agents_own_space_attribute_is_left_alone():
    class OneMove(Agent):
        def __init__(self):
            self.action_space = spaces.Discrete(1)  # its own idea of its actions

        def act(self, observation, *, explore=True):
            return 0

    agent = OneMove.for_env(ChainEnv(4))
    assert agent.action_space == spaces.Discrete(1)
    assert agent.observation_space == spaces.Discrete(4)


def test_loading_for_an_env_with_other_spaces_names_both(tmp_path):
    make_agent("q-learning", ChainEnv(3), seed=0).save(tmp_path / "agent.npz")
    with pytest.raises(ValueError, match=r"built for observation space Discrete\(3\).*this env "
                                         r"has observation space Discrete\(51\)"):
        Agent.load(tmp_path / "agent.npz", env=gymnasium.make("rlsandbox/Maze-v0"))
    assert Agent.load(tmp_path / "agent.npz", env=ChainEnv(3)).n_states == 3


def test_a_tabular_agent_without_recorded_spaces_is_checked_by_its_table_size():
    agent = QLearningAgent(3, 2, seed=0)  # built by hand: no spaces recorded
    check_spaces(agent, ChainEnv(3))
    with pytest.raises(ValueError, match=r"Discrete\(3\).*Discrete\(5\)"):
        check_spaces(agent, ChainEnv(5))


def test_an_agent_of_unknown_spaces_passes_the_check():
    class Anything(Agent):
        def act(self, observation, *, explore=True):
            return 0

    check_spaces(Anything(), ChainEnv(9))


def test_agent_json_records_the_registry_name_or_module_colon_class(tmp_path):
    import json

    make_agent("q-learning", ChainEnv(), seed=0).save(tmp_path / "q.npz")
    Tabular.for_env(ChainEnv()).save(tmp_path / "t.npz")
    assert json.loads((tmp_path / "q.json").read_text())["agent"] == "q-learning"
    assert json.loads((tmp_path / "t.json").read_text())["agent"] == \
        "tests.agents.test_construction:Tabular"
