"""Agents that misbehave on purpose, loaded by the CLI as ``faulty_agents:Class``."""

from rlsandbox.agents import QLearningAgent


class InterruptingAgent(QLearningAgent):
    """A Q-learner that presses Ctrl-C (raises KeyboardInterrupt) on its 50th update."""

    def update(self, transition) -> None:
        super().update(transition)
        self.updates = getattr(self, "updates", 0) + 1
        if self.updates == 50:
            raise KeyboardInterrupt


class CrashingAgent(QLearningAgent):
    """A Q-learner whose 50th update fails with a bug."""

    def update(self, transition) -> None:
        self.updates = getattr(self, "updates", 0) + 1
        if self.updates == 50:
            raise ZeroDivisionError("the agent has a bug")
        super().update(transition)
