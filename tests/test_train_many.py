"""train_many: N lock-step Q-learners equal N separate train() runs, bit for bit."""

import gymnasium
import numpy as np
import pytest

import rlsandbox  # noqa: F401  (registers the envs)
import rlsandbox.loop.lockstep as train_many_core
import rlsandbox.loop.lockstep as train_many_module
from rlsandbox import _seeding
from rlsandbox.agents import QLearningAgent
from rlsandbox.agents.schedules import exponential_decay, linear_decay
from rlsandbox.envs import MazeEnv
from rlsandbox.envs.wrappers import DiscretizeObservation
from rlsandbox.loop import train
from rlsandbox.loop.lockstep import train_many


def separate_runs(env, seeds, episodes, record="all", **kw):
    """The reference: one QLearningAgent and one train() per seed."""
    agents, histories = [], []
    for s in seeds:
        agent = QLearningAgent.for_env(env, seed=s, **kw)
        histories.append(train(env, agent, episodes, seed=s, progress=False, record=record))
        agents.append(agent)
    return histories, agents


def assert_same_agents(ours, reference):
    for a, b in zip(ours, reference, strict=True):
        assert np.array_equal(a.q_table, b.q_table)
        assert a.steps == b.steps
        assert (a._uniforms, a._next) == (b._uniforms, b._next)
        assert a.np_random.bit_generator.state == b.np_random.bit_generator.state


@pytest.mark.parametrize(
    ("layout", "slip", "kw"),
    [
        ("frozen-lake-8x8", 2 / 3, {"alpha": 0.1, "epsilon": 0.2}),
        ("tiny", 0.0, {"alpha": 0.5}),  # deterministic: many greedy ties early on
        ("classic", 0.2, {"alpha": linear_decay(0.5, 0.05, 2000), "gamma": 0.9,
                          "epsilon": exponential_decay(1.0, 0.05, 0.999), "initial_q": 1.0}),
    ],
)
def test_train_many_equals_separate_train_runs_bit_for_bit(layout, slip, kw):
    env = MazeEnv(layout, slip=slip)
    seeds = [0, 1, 7, 123]
    histories, agents = train_many(env, seeds=seeds, episodes=30, return_agents=True, **kw)
    expected, expected_agents = separate_runs(env, seeds, 30, **kw)
    for k, (ours, ref) in enumerate(zip(histories, expected, strict=True)):
        assert ours == ref, f"seed {seeds[k]}"
    assert_same_agents(agents, expected_agents)


def test_train_many_summary_records_equal_separate_summaries():
    env = MazeEnv("frozen-lake-8x8", slip=2 / 3, max_steps=100)
    histories = train_many(env, seeds=range(5), episodes=25, record="summary", epsilon=0.3)
    expected, _ = separate_runs(env, range(5), 25, record="summary", epsilon=0.3)
    assert histories == expected
    assert all(h.keep == "summary" for h in histories)


def test_train_many_accepts_an_env_made_by_gymnasium_make():
    env = gymnasium.make("rlsandbox/Maze-v0", layout="classic", slip=0.1)
    seeds = [3, 2**33]  # a seed of two words takes numpy's own seeding route
    histories = train_many(env, "q-learning", seeds=seeds, episodes=10)
    expected, _ = separate_runs(env, seeds, 10)
    assert histories == expected


def test_train_many_survives_log_compaction_and_growth(monkeypatch):
    # A tiny log forces both paths: dropping finished rows, and growing for long episodes.
    monkeypatch.setattr(train_many_module, "_LOG_ROWS", 8)
    env = MazeEnv("S" + "." * 12 + "G", slip=0.3, max_steps=40)
    histories = train_many(env, seeds=range(3), episodes=15, epsilon=0.5)
    expected, _ = separate_runs(env, range(3), 15, epsilon=0.5)
    assert histories == expected
    assert max(h.lengths.max() for h in histories) > 8


def test_seed_words_equal_numpy_seed_sequence():
    rng = np.random.default_rng(0)
    for n_entropy, n_words in [(1, 8), (2, 1), (3, 5), (4, 4)]:
        entropy = rng.integers(0, 2**32, size=(50, n_entropy), dtype=np.uint32)
        entropy[0] = 0
        ours = _seeding.seed_words(entropy, n_words)
        expected = [np.random.SeedSequence(row.tolist()).generate_state(n_words)
                    for row in entropy]
        assert np.array_equal(ours, np.array(expected))


@pytest.mark.parametrize("seed", [0, 5, 2**32 - 1, 2**40 + 3])
def test_first_draws_equal_the_generators_train_makes(seed):
    from gymnasium.utils import seeding

    from rlsandbox.loop import episode_seed

    episodes = [0, 1, 5, 9, 3, 20]  # any order, any gaps
    u, *state = _seeding.first_draws([seed, 1], episodes, 10, episode_seed)
    for j, i in enumerate(episodes):
        expected = seeding.np_random(episode_seed(seed, i))[0]
        assert np.array_equal(u[:, 2 * j], expected.random(10)), f"episode {i}"
        hi, lo, inc_hi, inc_lo = (int(w[2 * j]) for w in state)
        after = expected.bit_generator.state["state"]
        assert ((hi << 64) | lo, (inc_hi << 64) | inc_lo) == (after["state"], after["inc"])


def test_raw_cuts_compare_generator_outputs_as_their_uniforms_compare():
    rng = np.random.default_rng(0)
    for cut in [0.0, 1 / 3, 0.5, 2 / 3, 5 / 6, *rng.random(20).tolist()]:
        edge = np.uint64(train_many_core._raw_cut(cut))
        raw = np.concatenate([edge + np.arange(-4096, 4096).astype(np.uint64) if edge
                              else np.arange(4096, dtype=np.uint64),
                              rng.integers(0, 2**64, 1000, dtype=np.uint64)])
        uniforms = (raw >> np.uint64(11)) * 2.0**-53
        assert np.array_equal(raw >= edge, uniforms >= cut), cut


def test_choice_table_breaks_ties_as_the_agent_does():
    # int(u2 * c) at and around every breakpoint k / 12, where rounding could disagree.
    m = np.arange(1, 12, dtype=np.int64)[:, None] * 2**53 // 12 + np.arange(-3, 4)
    u2 = np.concatenate([(m.ravel() / 2**53), np.random.default_rng(0).random(1000)])
    table = train_many_core.choice_table(1)
    for greedy in range(1, 16):
        ties = [a for a in range(4) if greedy >> a & 1]
        ours = table[12 * greedy + (u2 * 12).astype(np.int64)]
        expected = [ties[int(u * len(ties))] for u in u2.tolist()]
        assert ours.tolist() == expected, f"greedy set {greedy:04b}"
        exploring = table[192 + 12 * greedy + (u2 * 12).astype(np.int64)]
        assert exploring.tolist() == [int(u * 4) for u in u2.tolist()]


def test_train_many_survives_refills_and_ring_growth(monkeypatch):
    # Few draws per slot and a ring of 4 episodes: long episodes refill from numpy
    # generators, and runs drifting apart (some episodes end in the trap at once) make the
    # ring grow.
    monkeypatch.setattr(train_many_core, "N_DRAWS", 6)
    monkeypatch.setattr(train_many_core, "LOOKAHEAD", 3)
    monkeypatch.setattr(train_many_core, "_EPISODE_BLOCK", 1)
    grown = []
    grow = train_many_core.SlipStreams._grow
    monkeypatch.setattr(train_many_core.SlipStreams, "_grow",
                        lambda self, *a: grown.append(a) or grow(self, *a))
    env = MazeEnv("XS" + "." * 12 + "G", slip=0.5, max_steps=40)  # some end at once
    seeds = [0, 1, 2, 2**33]
    histories = train_many(env, seeds=seeds, episodes=30, epsilon=0.5, record="summary")
    expected, _ = separate_runs(env, seeds, 30, epsilon=0.5, record="summary")
    assert histories == expected
    assert grown and max(h.lengths.max() for h in histories) > 6


def test_train_many_with_zero_episodes_returns_empty_histories():
    histories = train_many(MazeEnv("tiny"), seeds=range(3), episodes=0)
    assert [len(h) for h in histories] == [0, 0, 0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"agent": "random"}, "q-learning"),
        ({"seeds": []}, "seeds"),
        ({"seeds": [1, -2]}, "seed"),
        ({"seeds": [1.5]}, "seed"),
        ({"episodes": -1}, "episodes"),
        ({"record": "some"}, "record"),
        ({"alpha": 2.0}, "alpha"),
    ],
)
def test_train_many_rejects_bad_arguments_with_value_error(kwargs, match):
    arguments = {"seeds": range(2), "episodes": 3, **kwargs}
    with pytest.raises(ValueError, match=match):
        train_many(MazeEnv("tiny"), **arguments)


def test_train_many_rejects_other_envs_and_wrappers_it_would_skip():
    with pytest.raises(ValueError, match="MazeEnv"):
        train_many(gymnasium.make("FrozenLake-v1"), seeds=range(2), episodes=1)
    wrapped = gymnasium.wrappers.TimeLimit(MazeEnv("tiny"), max_episode_steps=5)
    with pytest.raises(ValueError, match="TimeLimit"):
        train_many(wrapped, seeds=range(2), episodes=1)
    with pytest.raises(ValueError):
        cartpole = DiscretizeObservation(gymnasium.make("rlsandbox/CartPole-v0"), (3, 3, 3, 3))
        train_many(cartpole, seeds=range(2), episodes=1)
