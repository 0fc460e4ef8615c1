"""Maze layouts: the named LAYOUTS, parsing rules and errors, and generate_maze."""

import re
import time

import numpy as np
import pytest
from gymnasium.envs.toy_text.frozen_lake import MAPS
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from rlsandbox.envs import LAYOUTS, MazeEnv, generate_maze
from rlsandbox.envs.layouts import parse_layout


def rows_of(grid):
    return ["".join(row) for row in grid.tolist()]


def floor_components(grid):
    """Number of 4-connected components of non-wall cells (SciPy as the oracle)."""
    _, count = ndimage.label(grid != "#")
    return count


# -- named layouts ------------------------------------------------------------------------------
def test_the_required_layouts_exist():
    assert {"tiny", "classic", "four-rooms", "cliff", "frozen-lake-8x8"} <= set(LAYOUTS)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_named_layout_parses_with_one_start_and_a_goal(name):
    grid = parse_layout(LAYOUTS[name])
    assert grid.dtype == np.dtype("<U1")
    assert (grid == "S").sum() == 1
    assert (grid == "G").sum() >= 1
    assert set(np.unique(grid)) <= set("#.SGX")


def test_four_rooms_is_suttons_13_by_13_grid_with_104_cells():
    grid = parse_layout(LAYOUTS["four-rooms"])
    assert grid.shape == (13, 13)
    assert (grid[0] == "#").all() and (grid[-1] == "#").all()
    assert (grid[:, 0] == "#").all() and (grid[:, -1] == "#").all()
    assert (grid != "#").sum() == 104
    assert floor_components(grid) == 1


def test_cliff_has_a_row_of_traps_between_start_and_goal():
    grid = parse_layout(LAYOUTS["cliff"])
    assert grid.shape == (4, 12)
    assert rows_of(grid)[-1] == "S" + "X" * 10 + "G"
    assert (grid[:-1] == ".").all()


def test_classic_is_a_walled_maze_with_one_exit():
    grid = parse_layout(LAYOUTS["classic"])
    assert grid.shape == (10, 12)
    assert (grid == "G").sum() == 1 and (grid == "X").sum() == 0
    assert floor_components(grid) == 1


@pytest.mark.parametrize("size", ["4x4", "8x8"])
def test_frozen_lake_layouts_are_gymnasiums_maps(size):
    expected = [row.replace("H", "X").replace("F", ".") for row in MAPS[size]]
    assert rows_of(parse_layout(LAYOUTS[f"frozen-lake-{size}"])) == expected


# -- parsing rules ------------------------------------------------------------------------------
def test_blank_lines_around_the_layout_are_ignored():
    grid = parse_layout("\n   \n\nS.G\n\n  \n")
    assert rows_of(grid) == ["S.G"]


def test_short_rows_are_padded_with_wall_and_spaces_become_floor():
    grid = parse_layout("S  G\n.\n..")
    assert rows_of(grid) == ["S..G", ".###", "..##"]


def test_windows_line_endings_are_accepted():
    assert rows_of(parse_layout("S.\r\n.G\r\n")) == ["S.", ".G"]


def test_a_blank_line_inside_the_layout_is_a_row_of_wall_cells():
    assert rows_of(parse_layout("S.G\n\n...")) == ["S.G", "###", "..."]


# -- errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, row, col, char",
    [
        ("S.G\n.?.", 1, 1, "'?'"),
        ("#S#\n\t.G", 1, 0, r"'\t'"),
        ("S.Gé", 0, 3, "'é'"),
        ("S.G\x00", 0, 3, r"'\x00'"),
    ],
)
def test_unknown_character_is_named_with_its_row_and_column(text, row, col, char):
    message = f"row {row}, column {col}: unknown character {char}"
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_layout(text)


def test_missing_start_is_reported():
    with pytest.raises(ValueError, match="no start 'S'"):
        parse_layout("#..G#")


def test_second_start_is_reported_with_both_positions():
    with pytest.raises(ValueError, match=r"row 2, column 1: a second start 'S' .*row 0, column 0"):
        parse_layout("S.G\n...\n.S.")


def test_missing_goal_is_reported():
    with pytest.raises(ValueError, match="no goal 'G'"):
        parse_layout("S..\n.X.")


def test_goal_behind_walls_is_reported_with_its_position():
    with pytest.raises(ValueError, match=r"row 2, column 3: goal 'G' cannot be reached .*row 0"):
        parse_layout("S..G\n####\n...G")


def test_goal_behind_a_trap_is_unreachable():
    with pytest.raises(ValueError, match=r"row 0, column 3: goal 'G' cannot be reached"):
        parse_layout("S.XG\n###.")


def test_goal_behind_another_goal_is_unreachable():
    # Entering the first goal ends the episode, so the second can never be entered.
    with pytest.raises(ValueError, match=r"row 0, column 2: goal 'G' cannot be reached"):
        parse_layout("SGG")


@pytest.mark.parametrize("text", ["", "\n\n", "   \n  "])
def test_empty_layout_is_reported(text):
    with pytest.raises(ValueError, match="empty"):
        parse_layout(text)


@pytest.mark.parametrize("layout", [None, 5, ["S.G"], b"S.G"])
def test_a_layout_that_is_not_a_string_is_reported(layout):
    with pytest.raises(ValueError, match="must be a string"):
        parse_layout(layout)


# -- generate_maze ------------------------------------------------------------------------------
def test_generate_maze_is_reproducible_for_a_seed():
    assert generate_maze(21, 31, seed=5, loops=0.2) == generate_maze(21, 31, seed=5, loops=0.2)
    assert generate_maze(21, 31, seed=5) != generate_maze(21, 31, seed=6)


def test_generated_maze_has_the_requested_size_start_and_goal():
    grid = parse_layout(generate_maze(9, 15, seed=0))
    assert grid.shape == (9, 15)
    assert grid[1, 1] == "S" and grid[-2, -2] == "G"
    assert (grid == "S").sum() == 1 and (grid == "G").sum() == 1
    assert (grid[0] == "#").all() and (grid[:, -1] == "#").all()


odd = st.integers(1, 20).map(lambda k: 2 * k + 1)


@settings(max_examples=60)
@given(rows=odd, cols=odd, seed=st.integers(0, 2**32 - 1))
def test_generated_maze_without_loops_is_a_spanning_tree(rows, cols, seed):
    if rows == cols == 3:
        return
    grid = parse_layout(generate_maze(rows, cols, seed=seed))
    free = grid != "#"
    edges = (free[:, 1:] & free[:, :-1]).sum() + (free[1:] & free[:-1]).sum()
    cells = ((rows - 1) // 2) * ((cols - 1) // 2)
    assert free.sum() == 2 * cells - 1  # the cells and the cells - 1 passages between them
    assert edges == free.sum() - 1  # a tree: connected and no cycle
    assert floor_components(grid) == 1


@settings(max_examples=60)
@given(rows=odd, cols=odd, seed=st.integers(0, 2**32 - 1), loops=st.floats(0.0, 1.0))
def test_loops_open_that_fraction_of_the_remaining_walls(rows, cols, seed, loops):
    if rows == cols == 3:
        return
    h, w = (rows - 1) // 2, (cols - 1) // 2
    grid = parse_layout(generate_maze(rows, cols, seed=seed, loops=loops))
    assert floor_components(grid) == 1
    candidates = h * (w - 1) + (h - 1) * w  # walls between two neighbouring cells
    remaining = candidates - (h * w - 1)
    passages = (grid != "#").sum() - h * w
    assert passages == h * w - 1 + round(loops * remaining)
    env = MazeEnv(generate_maze(rows, cols, seed=seed, loops=loops))
    assert env.observation_space.n == (grid != "#").sum()


def test_loops_1_opens_every_interior_wall_between_cells():
    grid = parse_layout(generate_maze(9, 11, seed=3, loops=1.0))
    assert (grid[1:-1:2, 1:-1] != "#").all()
    assert (grid[1:-1, 1:-1:2] != "#").all()
    assert (grid[2:-1:2, 2:-1:2] == "#").all()  # the pillars stay


def test_thin_mazes_are_corridors():
    assert generate_maze(3, 7, seed=0) == "#######\n#S...G#\n#######"
    assert generate_maze(5, 3, seed=0) == "###\n#S#\n#.#\n#G#\n###"


def test_a_large_maze_is_generated_in_seconds():
    start = time.perf_counter()
    text = generate_maze(1001, 1001, seed=0)
    assert time.perf_counter() - start < 10
    grid = parse_layout(text)
    assert (grid != "#").sum() == 2 * 500 * 500 - 1


@pytest.mark.parametrize(
    "rows, cols, match",
    [
        (10, 11, "rows must be odd .* use 9 or 11"),
        (11, 4, "cols must be odd"),
        (1, 11, "rows must be an odd int >= 3"),
        (11, -5, "cols must be an odd int >= 3"),
        (11.0, 11, "rows must be an odd int"),
        (True, 11, "rows must be an odd int"),
        ("11", 11, "rows must be an odd int"),
        (3, 3, "3x3 layout has one cell"),
    ],
)
def test_bad_maze_sizes_are_reported(rows, cols, match):
    with pytest.raises(ValueError, match=match):
        generate_maze(rows, cols)


@pytest.mark.parametrize("loops", [-0.1, 1.5, float("nan"), "0.5", True])
def test_bad_loops_are_reported(loops):
    with pytest.raises(ValueError, match=r"loops must be a number in \[0, 1\]"):
        generate_maze(11, 11, loops=loops)
