"""rlsandbox._seeding: numpy's SeedSequence and PCG64 for many seeds at once, bit for bit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlsandbox._seeding import (
    KnownSeedSequence,
    first_uniforms,
    fresh_words,
    int_seed_words,
    pcg64_states,
)

EDGE_SEEDS = [0, 1, 5, 123, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**48 + 7, 2**63,
              2**64 - 2, 2**64 - 1]


def test_int_seed_words_equal_seed_sequence_words_for_edge_seeds():
    ours = int_seed_words(np.array(EDGE_SEEDS, dtype=np.uint64))
    expected = [np.random.SeedSequence(s).generate_state(4, np.uint64) for s in EDGE_SEEDS]
    assert ours.dtype == np.uint64
    assert np.array_equal(ours, np.array(expected))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=20))
def test_int_seed_words_equal_seed_sequence_words_for_any_seeds(seeds):
    ours = int_seed_words(np.array(seeds, dtype=np.uint64))
    for s, row in zip(seeds, ours, strict=True):
        assert np.array_equal(row, np.random.SeedSequence(s).generate_state(4, np.uint64))


def test_pcg64_states_equal_numpy_pcg64_seeded_with_the_same_seed():
    hi, lo, inc_hi, inc_lo = pcg64_states(int_seed_words(np.array(EDGE_SEEDS, np.uint64)))
    for k, s in enumerate(EDGE_SEEDS):
        state = np.random.PCG64(s).state["state"]
        assert (int(hi[k]) << 64 | int(lo[k])) == state["state"], s
        assert (int(inc_hi[k]) << 64 | int(inc_lo[k])) == state["inc"], s


def test_first_uniforms_equal_default_rng_draws():
    u = first_uniforms(int_seed_words(np.array(EDGE_SEEDS, dtype=np.uint64)), 7)
    assert u.shape == (7, len(EDGE_SEEDS))
    for k, s in enumerate(EDGE_SEEDS):
        assert np.array_equal(u[:, k], np.random.default_rng(s).random(7)), s


def test_known_seed_sequence_makes_the_generator_of_the_seed():
    words = int_seed_words(np.array([2**32 + 1], dtype=np.uint64))[0]
    ours = np.random.Generator(np.random.PCG64(KnownSeedSequence(words)))
    expected = np.random.default_rng(2**32 + 1)
    assert ours.bit_generator.state == expected.bit_generator.state
    assert np.array_equal(ours.random(100), expected.random(100))


def test_known_seed_sequence_gives_prefixes_in_either_word_size():
    seq = np.random.SeedSequence(77)
    known = KnownSeedSequence(seq.generate_state(4, np.uint64))
    assert np.array_equal(known.generate_state(8), seq.generate_state(8))
    assert np.array_equal(known.generate_state(3, np.uint32), seq.generate_state(3))
    assert np.array_equal(known.generate_state(2, np.uint64), seq.generate_state(2, np.uint64))
    with pytest.raises(ValueError, match="holds 4 words"):
        known.generate_state(5, np.uint64)


def test_fresh_words_differ_from_call_to_call_and_row_to_row():
    a, b = fresh_words(64), fresh_words(64)
    assert a.shape == (64, 4) and a.dtype == np.uint64
    assert len({row.tobytes() for row in np.concatenate([a, b])}) == 128
