"""Behaviour features of episodes and the behaviour report."""

import json

import numpy as np
import pytest

from rlsandbox import History, evaluate, train
from rlsandbox.agents import QLearningAgent, RandomAgent
from rlsandbox.analysis import (
    action_histogram,
    behaviour_report,
    episode_features,
    state_visitation,
)
from rlsandbox.envs import CartPoleEnv, MazeEnv
from rlsandbox.plots import save_behaviour_report


@pytest.fixture(scope="module")
def mixed():
    """20 greedy episodes of a trained Q-learner followed by 20 of a random agent."""
    env = MazeEnv("classic")
    learner = QLearningAgent.for_env(env, alpha=0.5, gamma=0.95, epsilon=0.1, seed=0)
    train(env, learner, 300, seed=0, progress=False)
    greedy = evaluate(env, learner, 20, seed=1)
    random = evaluate(env, RandomAgent(env.action_space, seed=0), 20, seed=2)
    return env, learner, History([*greedy, *random])


def test_report_splits_greedy_and_random_episodes_into_two_clusters(mixed, tmp_path):
    env, learner, history = mixed
    values = np.asarray(learner.q_table).max(axis=1)
    report = behaviour_report(history, n_states=env.observation_space.n, values=values)
    save_behaviour_report(report, tmp_path)
    assert report.labels.tolist() == [0] * 20 + [1] * 20
    greedy, random = report.clusters
    assert greedy["size"] == random["size"] == 20
    assert greedy["success_rate"] == 1.0 and random["success_rate"] == 0.0
    assert greedy["mean_return"] == pytest.approx(10 - 0.1 * 19)
    assert report.projection.shape == (40, 2)
    # The two behaviours lie on opposite sides of the first principal axis.
    assert np.ptp(np.sign(report.projection[:20, 0])) == 0
    assert np.sign(report.projection[:20, 0])[0] != np.sign(report.projection[20:, 0]).mean()
    assert report.linkage_matrix.shape == (39, 4)
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["labels"] == report.labels.tolist()
    assert {"pca.png", "dendrogram.png"} <= {p.name for p in tmp_path.iterdir()}


def test_values_that_track_progress_predict_success(mixed):
    env, learner, history = mixed
    values = np.asarray(learner.q_table).max(axis=1)
    report = behaviour_report(history, n_states=env.observation_space.n, values=values, k=10)
    assert report.auc["mean_value_first_k"] > 0.9
    # Every episode starts in the same cell: V(start) cannot tell them apart.
    assert report.auc["start_value"] == 0.5


def test_one_outcome_leaves_auc_undefined_with_a_note(mixed):
    env, learner, history = mixed
    report = behaviour_report(History(list(history)[:20]), n_states=env.observation_space.n,
                              values=np.zeros(env.observation_space.n), n_clusters=2)
    assert report.auc == {"start_value": None, "mean_value_first_k": None}
    assert any("every episode succeeded" in note for note in report.notes)


def test_visitation_and_action_counts_are_exact():
    episodes = History()
    from rlsandbox import Episode

    episodes.append(Episode(observations=[0, 1, 1, 2], actions=[1, 2, 1], rewards=[0, 0, 1],
                            terminated=True, truncated=False, success=True))
    counts = state_visitation(episodes, 3, normalize=False)
    np.testing.assert_array_equal(counts, [[1, 2, 1]])
    np.testing.assert_allclose(state_visitation(episodes, 3), [[0.25, 0.5, 0.25]])
    np.testing.assert_array_equal(action_histogram(episodes, 4), [[0, 2, 1, 0]])
    with pytest.raises(ValueError, match="n_states"):
        state_visitation(episodes, 2)


def test_cartpole_features_summarise_the_state_trajectory():
    env = CartPoleEnv()
    history = evaluate(env, RandomAgent(env.action_space, seed=0), 5, seed=0)
    features = episode_features(history)
    assert features.shape[0] == 5 and np.isfinite(features).all()
    report = behaviour_report(history, n_clusters=2)
    assert sorted(c["size"] for c in report.clusters) == sorted(np.bincount(report.labels))


def test_report_rejects_bad_arguments(mixed):
    env, _, history = mixed
    with pytest.raises(ValueError, match="at least 3 episodes"):
        behaviour_report(History(list(history)[:2]), n_states=env.observation_space.n)
    with pytest.raises(ValueError, match="n_clusters"):
        behaviour_report(history, n_states=env.observation_space.n, n_clusters=0)
    with pytest.raises(ValueError, match="values"):
        behaviour_report(history, n_states=env.observation_space.n, values=np.zeros((2, 2)))


def test_report_writes_no_files_and_names_save_behaviour_report_for_out_dir(mixed, tmp_path):
    env, learner, history = mixed
    with pytest.raises(TypeError, match="save_behaviour_report"):
        behaviour_report(history, n_states=env.observation_space.n, out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []
