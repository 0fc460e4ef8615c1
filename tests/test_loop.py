import csv

import numpy as np
import pytest

from rlsandbox.agents import Agent, QLearningAgent, RandomAgent
from rlsandbox.loop import Episode, History, Transition, evaluate, run_episode, train
from tests.chain_env import ChainEnv


class AlwaysRight(Agent):
    def act(self, observation, *, explore=True):
        return 1


class Recorder(Agent):
    def __init__(self):
        self.seen = []
        self.episodes = 0

    def act(self, observation, *, explore=True):
        return 1

    def update(self, transition):
        self.seen.append(transition)

    def begin_episode(self):
        self.episodes += 1


def test_run_episode_records_observations_actions_rewards():
    ep = run_episode(ChainEnv(5), AlwaysRight())
    assert ep.observations.tolist() == [0, 1, 2, 3, 4]
    assert ep.actions.tolist() == [1, 1, 1, 1]
    assert ep.rewards.tolist() == [-0.1, -0.1, -0.1, 1.0]
    assert ep.terminated and not ep.truncated and ep.success is True
    assert ep.length == 4
    assert ep.total_reward == pytest.approx(0.7)
    assert ep.discounted_return(0.5) == pytest.approx(-0.1 - 0.05 - 0.025 + 0.125)


def test_run_episode_hands_each_transition_to_update_when_learning():
    agent = Recorder()
    run_episode(ChainEnv(3), agent)
    assert agent.episodes == 1
    assert agent.seen[0] == Transition(0, 1, -0.1, 1, False, False, {})
    assert agent.seen[-1].terminated and agent.seen[-1].next_observation == 2


def test_run_episode_without_learning_never_calls_update():
    agent = Recorder()
    run_episode(ChainEnv(3), agent, learn=False)
    assert agent.seen == []


def test_truncated_episode_reports_failure():
    class AlwaysLeft(Agent):
        def act(self, observation, *, explore=True):
            return 0

    ep = run_episode(ChainEnv(5, limit=7), AlwaysLeft())
    assert ep.truncated and not ep.terminated and ep.success is False and ep.length == 7


def test_render_flags_need_matching_render_mode():
    with pytest.raises(ValueError, match="render_mode='human'"):
        run_episode(ChainEnv(), AlwaysRight(), render=True)
    with pytest.raises(ValueError, match="rgb_array"):
        run_episode(ChainEnv(), AlwaysRight(), record_frames=True)


def test_train_returns_one_episode_per_requested_episode():
    history = train(ChainEnv(4), AlwaysRight(), 5, progress=False)
    assert len(history) == 5
    assert history.lengths.tolist() == [3] * 5
    assert history.returns == pytest.approx([0.8] * 5)
    assert history.successes.all()


def test_same_seeds_give_identical_histories_and_tables():
    def run():
        agent = QLearningAgent(6, 2, alpha=0.5, epsilon=0.3, seed=7)
        return train(ChainEnv(6), agent, 30, seed=3, progress=False), agent.q_table

    (h1, q1), (h2, q2) = run(), run()
    assert h1 == h2
    assert np.array_equal(q1, q2)


def test_callback_runs_after_append_and_false_stops_training():
    counts = []

    def stop_after_three(history, episode):
        counts.append(len(history))
        assert history[-1] is episode
        return len(history) < 3

    history = train(ChainEnv(), AlwaysRight(), 10, progress=False, callbacks=[stop_after_three])
    assert len(history) == 3 and counts == [1, 2, 3]
    assert not history.interrupted


def test_keyboard_interrupt_in_callback_returns_finished_episodes():
    def interrupt(history, episode):
        if len(history) == 4:
            raise KeyboardInterrupt

    history = train(ChainEnv(), AlwaysRight(), 10, progress=False, callbacks=[interrupt])
    assert len(history) == 4 and history.interrupted


def test_evaluate_neither_learns_nor_explores():
    agent = QLearningAgent(5, 2, epsilon=1.0, seed=0)
    agent.q_table = np.tile([0.0, 1.0], (5, 1))
    history = evaluate(ChainEnv(5), agent, 3, seed=0)
    assert history.lengths.tolist() == [4, 4, 4]
    assert agent.steps == 0


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_train_rejects_bad_episode_counts(bad):
    with pytest.raises(ValueError, match="episodes"):
        train(ChainEnv(), AlwaysRight(), bad, progress=False)


def test_train_rejects_negative_seed():
    with pytest.raises(ValueError, match="seed"):
        train(ChainEnv(), AlwaysRight(), 1, seed=-1, progress=False)


def test_progress_bar_shows_mean_return(capsys):
    train(ChainEnv(), AlwaysRight(), 3, progress=True)
    err = capsys.readouterr().err
    assert "train" in err and "mean return" in err


def test_history_round_trips_through_npz(tmp_path):
    history = train(ChainEnv(6), RandomAgent(ChainEnv().action_space, seed=1), 8, seed=0,
                    progress=False)
    history.save(tmp_path / "h.npz")
    loaded = History.load(tmp_path / "h.npz")
    assert loaded == history
    assert loaded.returns.tolist() == history.returns.tolist()


def test_history_save_is_byte_identical_for_identical_histories(tmp_path):
    h = train(ChainEnv(6), AlwaysRight(), 3, progress=False)
    h.save(tmp_path / "a.npz")
    h.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_history_load_rejects_foreign_and_pickled_files(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "text.npz").write_text("not a zip")
    np.savez(tmp_path / "other.npz", x=np.arange(3))
    for name in ("obj.npy", "text.npz", "other.npz", "missing.npz"):
        with pytest.raises(ValueError):
            History.load(tmp_path / name)


def test_history_to_csv_has_one_row_per_episode(tmp_path):
    history = train(ChainEnv(4), AlwaysRight(), 2, progress=False)
    history.to_csv(tmp_path / "e.csv")
    rows = list(csv.DictReader(open(tmp_path / "e.csv")))
    assert len(rows) == 2
    assert rows[0]["length"] == "3" and float(rows[0]["return"]) == pytest.approx(0.8)
    assert rows[0]["success"] == "1"


def test_episode_dataclass_summaries():
    ep = Episode(np.array([0, 1]), np.array([1]), np.array([2.5]), True, False)
    assert ep.length == 1 and ep.total_reward == 2.5 and ep.success is None


def test_episodes_compare_by_their_contents():
    def episode(**changes):
        fields = dict(observations=[0, 1, 2], actions=[1, 1], rewards=[-0.1, 10.0],
                      terminated=True, truncated=False, success=True)
        fields.update(changes)
        return Episode(**fields)

    assert episode() == episode()
    assert episode() != episode(rewards=[-0.1, 9.0])
    assert episode() != episode(observations=[0, 1, 3])
    assert episode() != episode(actions=[1])
    assert episode() != episode(success=None)
    assert episode() != episode(terminated=False, truncated=True)
    assert episode(frames=[np.zeros((2, 2, 3))]) == episode(frames=[np.zeros((2, 2, 3))])
    assert episode(frames=[np.zeros((2, 2, 3))]) != episode()
    assert episode() != "an episode"
    assert episode() in [episode(rewards=[0.0, 0.0]), episode()]
