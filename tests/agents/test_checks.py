"""check_agent's report: what it checked, printable."""

from rlsandbox.agents import QLearningAgent, check_agent
from rlsandbox.agents.checks import AgentCheck
from tests.chain_env import ChainEnv


def test_check_agent_returns_what_it_checked():
    env = ChainEnv()
    report = check_agent(QLearningAgent.for_env(env, seed=0), env, steps=30, seed=2)
    assert isinstance(report, AgentCheck)
    assert (report.agent, report.env, report.steps) == ("QLearningAgent", "ChainEnv", 30)
    assert [name for name, _ in report.checks] == ["actions", "seeding", "save/load"]
    assert "seeded with 2" in dict(report.checks)["seeding"]


def test_the_report_prints_one_line_per_check():
    env = ChainEnv()
    lines = str(check_agent(QLearningAgent.for_env(env, seed=0), env, steps=10)).splitlines()
    assert lines[0] == "check_agent: QLearningAgent on ChainEnv: 3 checks passed"
    assert len(lines) == 4
    assert lines[1].split()[:2] == ["actions", "act"] and "Discrete(2)" in lines[1]
