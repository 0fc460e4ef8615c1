"""TabularMDP's optional start and cells: defaults, validated copies and clear errors."""

import dataclasses

import numpy as np
import pytest

from rlsandbox.mdp import TabularMDP, value_iteration

NEXT = np.array([[[0], [1]], [[1], [1]], [[2], [0]]])
ONES = np.ones((3, 2, 1))
ZERO = np.zeros((3, 2, 1))
NO = np.zeros((3, 2, 1), bool)


def mdp(**fields):
    return TabularMDP(NEXT, ONES, ZERO, NO, 0.9, **fields)


def test_start_and_cells_default_to_none():
    m = mdp()
    assert m.start is None and m.cells is None


def test_constructors_and_dense_round_trip_still_work_without_them():
    P, R = mdp().to_dense()
    m = TabularMDP.from_dense(P, R, gamma=0.9)
    assert m.start is None and m.cells is None
    assert np.array_equal(m.to_dense()[0], P)


@pytest.mark.parametrize("start", [2, np.int64(2), np.intp(2)])
def test_a_start_state_is_kept_as_a_python_int(start):
    m = mdp(start=start)
    assert m.start == 2 and type(m.start) is int


def test_a_start_distribution_is_kept_as_a_read_only_float_copy():
    given = [0.25, 0.75, 0]
    m = mdp(start=given)
    assert m.start.dtype == np.float64 and m.start.tolist() == [0.25, 0.75, 0.0]
    with pytest.raises(ValueError):
        m.start[0] = 1.0


def test_cells_are_kept_as_a_read_only_int_copy():
    given = np.array([[0, 0], [0, 1], [2, 5]])
    m = mdp(cells=given)
    given[0, 0] = 9
    assert m.cells.tolist() == [[0, 0], [0, 1], [2, 5]] and m.cells.dtype == np.intp
    with pytest.raises(ValueError):
        m.cells[0, 0] = 1


def test_start_and_cells_change_no_plan():
    plain, laid_out = mdp(), mdp(start=1, cells=[[0, 0], [0, 1], [0, 2]])
    assert np.array_equal(value_iteration(plain).values, value_iteration(laid_out).values)


def test_dataclass_replace_keeps_and_revalidates_them():
    m = dataclasses.replace(mdp(start=1, cells=[[0, 0], [0, 1], [0, 2]]), gamma=0.5)
    assert m.start == 1 and m.cells.tolist() == [[0, 0], [0, 1], [0, 2]]
    with pytest.raises(ValueError, match="start = 5"):
        dataclasses.replace(m, start=5)


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"start": 3}, r"start = 3 is not a state id in \[0, 3\)"),
        ({"start": -1}, r"start = -1 is not a state id"),
        ({"start": True}, "start must be a state id .* or a distribution"),
        ({"start": 1.0}, "start must be a state id .* or a distribution"),
        ({"start": [0.5, 0.5]}, r"distribution over the 3 states \(shape \(3,\)\)"),
        ({"start": ["a", "b", "c"]}, "start must be a state id"),
        ({"start": [0.5, 0.6, 0.0]}, "start probabilities sum to 1.1, not 1"),
        ({"start": [1.5, -0.5, 0.0]}, r"start\[1\] = -0.5; start probabilities must be"),
        ({"start": [np.nan, 1.0, 0.0]}, r"start\[0\] = nan"),
        ({"cells": [[0, 0], [0, 1]]}, r"cells must be an integer array of shape \(3, 2\)"),
        ({"cells": [[0, 0, 0]] * 3}, r"shape \(3, 2\)"),
        ({"cells": [[0.0, 0.0], [0.0, 1.0], [0.0, 2.0]]}, "dtype float64"),
        ({"cells": [[0, 0], [-1, 1], [0, 2]]}, r"cells\[1\] = \(-1, 1\) is negative"),
        ({"cells": [[0, 0], [1, 1], [1, 1]]}, r"states 1 and 2 share the cell \(1, 1\)"),
    ],
)
def test_bad_start_or_cells_raise_value_error_saying_what_is_wrong(fields, match):
    with pytest.raises(ValueError, match=match):
        mdp(**fields)
