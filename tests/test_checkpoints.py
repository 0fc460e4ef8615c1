"""Nothing lost on interruption: summaries, crash context, checkpoints and exact resume."""

import os

import numpy as np
import pytest

from rlsandbox.agents import Agent, QLearningAgent, linear_decay
from rlsandbox.loop import History, TrainingError, load_checkpoint, train
from tests.chain_env import ChainEnv


def q_agent(seed=5):
    return QLearningAgent(8, 2, alpha=0.3, epsilon=linear_decay(1.0, 0.05, 400), seed=seed)


def test_resumed_training_equals_straight_training_bit_for_bit(tmp_path):
    env = ChainEnv(8, limit=30)
    straight_agent = q_agent()
    straight = train(env, straight_agent, 60, seed=2, progress=False)

    first_agent = q_agent()
    train(env, first_agent, 30, seed=2, progress=False, checkpoint_every=10,
          checkpoint_dir=tmp_path / "ckpt")
    agent, history, state = load_checkpoint(tmp_path / "ckpt")
    assert state == {"episodes": 30, "seed": 2} and len(history) == 30
    resumed = train(ChainEnv(8, limit=30), agent, 30, seed=2, progress=False, history=history)
    assert resumed == straight
    assert np.array_equal(agent.q_table, straight_agent.q_table)
    assert agent.steps == straight_agent.steps


def test_only_the_newest_checkpoints_are_kept(tmp_path):
    train(ChainEnv(), q_agent(), 50, seed=0, progress=False, checkpoint_every=10,
          checkpoint_dir=tmp_path, keep=2)
    assert sorted(os.listdir(tmp_path)) == ["episode-00000040", "episode-00000050"]


def test_a_crash_while_checkpointing_leaves_no_partial_checkpoint(tmp_path, monkeypatch):
    train(ChainEnv(), q_agent(), 10, seed=0, progress=False, checkpoint_every=10,
          checkpoint_dir=tmp_path)

    def crash(self, path):
        raise OSError("disk full")

    monkeypatch.setattr(History, "save", crash)
    with pytest.raises(OSError):
        train(ChainEnv(), q_agent(), 20, seed=0, progress=False, checkpoint_every=10,
              checkpoint_dir=tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["episode-00000010"]
    monkeypatch.undo()
    _, history, _ = load_checkpoint(tmp_path)
    assert len(history) == 10


def test_load_checkpoint_without_one_raises_value_error(tmp_path):
    with pytest.raises(ValueError, match="no checkpoint"):
        load_checkpoint(tmp_path)


def test_checkpoint_every_needs_a_directory():
    with pytest.raises(ValueError, match="checkpoint_dir"):
        train(ChainEnv(), q_agent(), 1, progress=False, checkpoint_every=5)


def test_a_crash_in_update_names_episode_and_step_and_keeps_finished_episodes():
    class Fragile(Agent):
        def __init__(self):
            self.updates = 0

        def act(self, observation, *, explore=True):
            return 1

        def update(self, transition):
            self.updates += 1
            if self.updates == 10:  # episode 2 (4 steps each), its third step
                raise ZeroDivisionError("bad maths")

    with pytest.raises(TrainingError, match=r"episode 2, step 1: ZeroDivisionError") as info:
        train(ChainEnv(5), Fragile(), 5, progress=False)
    assert info.value.episode == 2 and info.value.step == 1
    assert len(info.value.history) == 2
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_summary_history_keeps_summaries_only():
    history = train(ChainEnv(5), q_agent(), 20, seed=0, progress=False, record="summary")
    full = train(ChainEnv(5), q_agent(), 20, seed=0, progress=False)
    assert np.array_equal(history.returns, full.returns)
    assert np.array_equal(history.lengths, full.lengths)
    assert np.array_equal(history.successes, full.successes)
    with pytest.raises(ValueError, match="summaries only"):
        history[0]
    assert len(history[5:]) == 15


def test_summary_history_round_trips(tmp_path):
    history = train(ChainEnv(5), q_agent(), 12, seed=0, progress=False, record="summary")
    history.save(tmp_path / "h.npz")
    loaded = History.load(tmp_path / "h.npz")
    assert loaded == history and loaded.keep == "summary"


def test_history_keep_is_validated():
    with pytest.raises(ValueError, match="keep"):
        History(keep="some")
