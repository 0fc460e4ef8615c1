"""Agents: the :class:`Agent` base, built-in agents, schedules, the registry and checks."""

from rlsandbox.agents.base import Agent
from rlsandbox.agents.checks import check_agent
from rlsandbox.agents.double_q_learning import DoubleQLearningAgent
from rlsandbox.agents.dyna_q import DynaQAgent
from rlsandbox.agents.expected_sarsa import ExpectedSarsaAgent
from rlsandbox.agents.keyboard import KeyboardAgent, RestartEpisode
from rlsandbox.agents.linear_sarsa import LinearSarsaAgent
from rlsandbox.agents.monte_carlo import MonteCarloAgent
from rlsandbox.agents.n_step_sarsa import NStepSarsaAgent
from rlsandbox.agents.q_learning import QLearningAgent
from rlsandbox.agents.random_agent import RandomAgent
from rlsandbox.agents.registry import available_agents, make_agent
from rlsandbox.agents.sarsa import SarsaAgent
from rlsandbox.agents.sarsa_lambda import SarsaLambdaAgent
from rlsandbox.agents.schedules import exponential_decay, linear_decay
from rlsandbox.agents.tabular import TabularAgent
from rlsandbox.agents.tile_coding import TileCoder
from rlsandbox.agents.value_iteration import ValueIterationAgent

__all__ = [
    "Agent",
    "DoubleQLearningAgent",
    "DynaQAgent",
    "ExpectedSarsaAgent",
    "KeyboardAgent",
    "LinearSarsaAgent",
    "MonteCarloAgent",
    "NStepSarsaAgent",
    "QLearningAgent",
    "RandomAgent",
    "RestartEpisode",
    "SarsaAgent",
    "SarsaLambdaAgent",
    "TabularAgent",
    "TileCoder",
    "ValueIterationAgent",
    "available_agents",
    "check_agent",
    "exponential_decay",
    "linear_decay",
    "make_agent",
]
