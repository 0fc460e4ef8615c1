"""Agents: the :class:`Agent` base, built-in agents, schedules, the registry and checks."""

from rlsandbox.agents.base import Agent
from rlsandbox.agents.checks import check_agent
from rlsandbox.agents.keyboard import KeyboardAgent, RestartEpisode
from rlsandbox.agents.q_learning import QLearningAgent
from rlsandbox.agents.random_agent import RandomAgent
from rlsandbox.agents.registry import available_agents, make_agent
from rlsandbox.agents.schedules import exponential_decay, linear_decay
from rlsandbox.agents.value_iteration import ValueIterationAgent

__all__ = [
    "Agent",
    "KeyboardAgent",
    "QLearningAgent",
    "RandomAgent",
    "RestartEpisode",
    "ValueIterationAgent",
    "available_agents",
    "check_agent",
    "exponential_decay",
    "linear_decay",
    "make_agent",
]
