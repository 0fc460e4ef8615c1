"""Agents: the :class:`Agent` base, built-in agents, schedules, the registry and checks."""

from rlsandbox.agents.base import Agent
from rlsandbox.agents.checks import check_agent
from rlsandbox.agents.linear_sarsa import LinearSarsaAgent
from rlsandbox.agents.q_learning import QLearningAgent
from rlsandbox.agents.random_agent import RandomAgent
from rlsandbox.agents.registry import available_agents, make_agent
from rlsandbox.agents.schedules import exponential_decay, linear_decay
from rlsandbox.agents.tile_coding import TileCoder
from rlsandbox.agents.value_iteration import ValueIterationAgent

__all__ = [
    "Agent",
    "LinearSarsaAgent",
    "QLearningAgent",
    "RandomAgent",
    "TileCoder",
    "ValueIterationAgent",
    "available_agents",
    "check_agent",
    "exponential_decay",
    "linear_decay",
    "make_agent",
]
