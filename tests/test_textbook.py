"""rlsandbox.textbook against Sutton & Barto (2nd ed.): the book's printed numbers where it
prints them, and each problem's model against an independent construction by plain loops
(or another library) on small cases."""

import math
import time
from collections import deque

import gymnasium
import numpy as np
import pytest

from rlsandbox import textbook
from rlsandbox.envs import MazeEnv, TabularEnv
from rlsandbox.mdp import (
    TabularMDP,
    policy_evaluation,
    policy_iteration,
    q_values,
    value_iteration,
)

UP, RIGHT, DOWN, LEFT = range(4)
# (row, col) offsets of the eight moves, written out again for the loop constructions.
OFFSETS = {0: (-1, 0), 1: (0, 1), 2: (1, 0), 3: (0, -1), 4: (-1, 1), 5: (1, 1), 6: (1, -1),
           7: (-1, -1)}


def random_policy(mdp):
    return np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)


def assert_printed(values, table):
    """``values`` agree with a table printed to one decimal (|v - printed| <= 0.05)."""
    assert np.abs(np.asarray(values) - np.asarray(table)).max() <= 0.05 + 1e-9


def model_of(mdp):
    """{(s, a): {(next, reward, terminated): probability}} over positive outcomes."""
    out = {}
    for s in range(mdp.n_states):
        for a in range(mdp.n_actions):
            d = {}
            for k in range(mdp.probs.shape[2]):
                p = float(mdp.probs[s, a, k])
                if p > 0:
                    key = (int(mdp.next_states[s, a, k]), float(mdp.rewards[s, a, k]),
                           bool(mdp.terminated[s, a, k]))
                    d[key] = d.get(key, 0.0) + p
            out[s, a] = d
    return out


def assert_same_model(mdp, expected):
    """``mdp``'s positive outcomes equal ``expected`` ({(s, a): {(n, r, t): p}})."""
    got = model_of(mdp)
    assert got.keys() == expected.keys()
    for key, outcomes in expected.items():
        assert got[key].keys() == outcomes.keys(), key
        for o, p in outcomes.items():
            assert got[key][o] == pytest.approx(p, abs=1e-12), (key, o)


def shortest_path(mdp, start, goals):
    """Fewest steps from ``start`` to a goal by breadth-first search over the outcomes."""
    dist = {start: 0}
    queue = deque([start])
    while queue:
        s = queue.popleft()
        if s in goals:
            return dist[s]
        for n in np.unique(mdp.next_states[s][mdp.probs[s] > 0]).tolist():
            if n not in dist:
                dist[n] = dist[s] + 1
                queue.append(n)
    return None


def absorbing_terminal(expected, state, n_actions):
    for a in range(n_actions):
        expected[state, a] = {(state, 0.0, True): 1.0}


# -------------------------------------------------------------------------- conventions


@pytest.mark.parametrize("problem", sorted(textbook.PROBLEMS))
def test_every_problem_has_a_valid_start(problem):
    kwargs = {"max_cars": 3, "max_move": 1} if problem == "car-rental" else {}
    mdp = textbook.PROBLEMS[problem](**kwargs)
    assert mdp.start is not None


@pytest.mark.parametrize(
    ("build", "shape"),
    [
        (textbook.gridworld, (5, 5)),
        (textbook.small_gridworld, (4, 4)),
        (textbook.windy_gridworld, (7, 10)),
        (textbook.cliff_walking, (4, 12)),
        (textbook.dyna_maze, (6, 9)),
    ],
)
def test_grid_cells_are_numbered_row_major_from_the_top(build, shape):
    cells = build().cells
    flat = cells[:, 0] * shape[1] + cells[:, 1]
    assert (np.diff(flat) > 0).all()
    assert cells.max(axis=0).tolist() == [shape[0] - 1, shape[1] - 1]


def test_actions_are_up_right_down_left_on_every_grid():
    mdp = textbook.windy_gridworld()  # column 0 is calm
    s = 3 * 10 + 0  # (3, 0)
    assert [mdp.cells[mdp.next_states[s, a, 0]].tolist() for a in range(4)] == [
        [2, 0], [3, 1], [4, 0], [3, 0],
    ]


def test_king_moves_add_the_diagonals_in_order():
    mdp = textbook.windy_gridworld(king_moves=True)
    s = 3 * 10 + 1  # (3, 1), calm
    assert [mdp.cells[mdp.next_states[s, a, 0]].tolist() for a in range(4, 8)] == [
        [2, 2], [4, 2], [4, 0], [2, 0],
    ]


@pytest.mark.parametrize(
    "build",
    [textbook.small_gridworld, textbook.windy_gridworld, textbook.cliff_walking,
     textbook.dyna_maze, textbook.random_walk, textbook.gamblers_problem],
)
def test_terminal_states_are_absorbing_with_zero_reward(build):
    mdp = build()
    entered = np.unique(mdp.next_states[mdp.terminated & (mdp.probs > 0)])
    assert len(entered) >= 1
    for s in entered.tolist():
        live = mdp.probs[s] > 0
        assert (mdp.next_states[s][live] == s).all()
        assert (mdp.rewards[s][live] == 0).all() and mdp.terminated[s][live].all()


# ---------------------------------------------------------------------- chapter 3: gridworld

FIGURE_3_2 = [
    [3.3, 8.8, 4.4, 5.3, 1.5],
    [1.5, 3.0, 2.3, 1.9, 0.5],
    [0.1, 0.7, 0.7, 0.4, -0.4],
    [-1.0, -0.4, -0.4, -0.6, -1.2],
    [-1.9, -1.3, -1.2, -1.4, -2.0],
]
FIGURE_3_5 = [
    [22.0, 24.4, 22.0, 19.4, 17.5],
    [19.8, 22.0, 19.8, 17.8, 16.0],
    [17.8, 19.8, 17.8, 16.0, 14.4],
    [16.0, 17.8, 16.0, 14.4, 13.0],
    [14.4, 16.0, 14.4, 13.0, 11.7],
]


def test_gridworld_random_policy_values_are_figure_3_2():
    mdp = textbook.gridworld()
    assert_printed(policy_evaluation(mdp, random_policy(mdp)).reshape(5, 5), FIGURE_3_2)


def test_gridworld_optimal_values_are_figure_3_5():
    mdp = textbook.gridworld()
    values = value_iteration(mdp, tol=1e-10).values
    assert_printed(values.reshape(5, 5), FIGURE_3_5)
    assert_printed(policy_iteration(mdp).values.reshape(5, 5), FIGURE_3_5)


def test_gridworld_model_equals_a_loop_construction():
    expected = {}
    for r in range(5):
        for c in range(5):
            s = 5 * r + c
            for a in range(4):
                if (r, c) == (0, 1):
                    expected[s, a] = {(5 * 4 + 1, 10.0, False): 1.0}
                elif (r, c) == (0, 3):
                    expected[s, a] = {(5 * 2 + 3, 5.0, False): 1.0}
                else:
                    nr, nc = r + OFFSETS[a][0], c + OFFSETS[a][1]
                    if 0 <= nr < 5 and 0 <= nc < 5:
                        expected[s, a] = {(5 * nr + nc, 0.0, False): 1.0}
                    else:
                        expected[s, a] = {(s, -1.0, False): 1.0}
    mdp = textbook.gridworld()
    assert_same_model(mdp, expected)
    assert mdp.gamma == 0.9


# ------------------------------------------------------------- chapter 4: small gridworld

FIGURE_4_1 = {  # k: values of iterative policy evaluation after k sweeps, as printed
    1: [[0.0, -1.0, -1.0, -1.0], [-1.0] * 4, [-1.0] * 4, [-1.0, -1.0, -1.0, 0.0]],
    # The exact -1.75 is printed as -1.7.
    2: [[0.0, -1.7, -2.0, -2.0], [-1.7, -2.0, -2.0, -2.0], [-2.0, -2.0, -2.0, -1.7],
        [-2.0, -2.0, -1.7, 0.0]],
    3: [[0.0, -2.4, -2.9, -3.0], [-2.4, -2.9, -3.0, -2.9], [-2.9, -3.0, -2.9, -2.4],
        [-3.0, -2.9, -2.4, 0.0]],
    10: [[0.0, -6.1, -8.4, -9.0], [-6.1, -7.7, -8.4, -8.4], [-8.4, -8.4, -7.7, -6.1],
         [-9.0, -8.4, -6.1, 0.0]],
}
FIGURE_4_1_LIMIT = [[0, -14, -20, -22], [-14, -18, -20, -20], [-20, -20, -18, -14],
                    [-22, -20, -14, 0]]


def test_small_gridworld_random_policy_values_are_figure_4_1_exactly():
    mdp = textbook.small_gridworld()
    values = policy_evaluation(mdp, random_policy(mdp))
    np.testing.assert_allclose(values.reshape(4, 4), FIGURE_4_1_LIMIT, atol=1e-9)


def test_small_gridworld_sweeps_of_iterative_policy_evaluation_are_figure_4_1():
    mdp = textbook.small_gridworld()
    values = np.zeros(16)
    for k in range(1, 11):
        values = q_values(mdp, values).mean(axis=1)  # one synchronous sweep
        if k in FIGURE_4_1:
            assert_printed(values.reshape(4, 4), FIGURE_4_1[k])


def test_small_gridworld_model_equals_a_maze_with_two_goals():
    # MazeEnv builds the same dynamics by its own code: a goal is entered with the step's
    # reward and is absorbing with reward 0; the S changes no dynamics.
    maze = MazeEnv("G...\n.S..\n....\n...G", step_reward=-1.0, goal_reward=-1.0)
    oracle = TabularMDP.from_env(maze, gamma=1.0)
    assert model_of(textbook.small_gridworld()) == model_of(oracle)


def test_small_gridworld_starts_uniformly_off_the_terminal_corners():
    start = textbook.small_gridworld().start
    assert start[0] == start[15] == 0.0
    np.testing.assert_allclose(start[1:15], 1 / 14)


# ------------------------------------------------------------------ chapter 4: car rental


def poisson(lam, n):
    return math.exp(-lam) * lam**n / math.factorial(n)


def poisson_at_least(lam, n):
    return 1.0 - sum(poisson(lam, i) for i in range(n))


def car_rental_by_loops(max_cars, max_move):
    """Dense P (A, S, S), expected reward R (S, A) and E[income | s, a, next] by enumerating
    each day's requests and returns (the tails lumped where the caps put them)."""
    M = max_cars
    S, A = (M + 1) ** 2, 2 * max_move + 1
    P, R, income = np.zeros((A, S, S)), np.zeros((S, A)), np.zeros((S, A, S))
    for n1 in range(M + 1):
        for n2 in range(M + 1):
            s = n1 * (M + 1) + n2
            for a in range(A):
                move = a - max_move
                moved = max(-n2, min(move, n1))
                m1, m2 = min(n1 - moved, M), min(n2 + moved, M)
                R[s, a] -= 2 * abs(move)
                for q1 in range(m1 + 1):  # q = m stands for "m or more requests"
                    p_q1 = poisson(3, q1) if q1 < m1 else poisson_at_least(3, m1)
                    for q2 in range(m2 + 1):
                        p_q2 = poisson(4, q2) if q2 < m2 else poisson_at_least(4, m2)
                        left1, left2 = m1 - q1, m2 - q2
                        for b1 in range(M - left1 + 1):
                            p_b1 = poisson(3, b1) if b1 < M - left1 else poisson_at_least(
                                3, M - left1)
                            for b2 in range(M - left2 + 1):
                                p_b2 = poisson(2, b2) if b2 < M - left2 else poisson_at_least(
                                    2, M - left2)
                                p = p_q1 * p_q2 * p_b1 * p_b2
                                nxt = (left1 + b1) * (M + 1) + (left2 + b2)
                                P[a, s, nxt] += p
                                R[s, a] += p * 10 * (q1 + q2)
                                income[s, a, nxt] += p * 10 * (q1 + q2)
    return P, R, income / np.transpose(P, (1, 0, 2))


def test_car_rental_model_equals_a_loop_construction():
    mdp = textbook.car_rental(max_cars=3, max_move=1)
    P, R, income = car_rental_by_loops(3, 1)
    P2, R2 = mdp.to_dense()
    np.testing.assert_allclose(P2, P, atol=1e-12, rtol=0)
    np.testing.assert_allclose(R2, R, atol=1e-10, rtol=0)
    # Outcome k is next state k; its reward is the expected income given it, minus the move.
    assert (mdp.next_states == np.arange(16)).all()
    cost = 2.0 * np.abs(np.arange(3) - 1)[None, :, None]
    np.testing.assert_allclose(mdp.rewards + cost, income, atol=1e-9, rtol=0)


def test_car_rental_state_and_action_encoding():
    mdp = textbook.car_rental(max_cars=4, max_move=2)
    assert (mdp.n_states, mdp.n_actions) == (25, 5)
    # (n1, n2) = (4, 0), action 4 moves 2 cars to the second location: more cars rented
    # there on average than with action 2 (no move), at $4.
    s = 4 * 5 + 0
    expected_reward = (mdp.probs * mdp.rewards).sum(axis=2)
    _, R = mdp.to_dense()
    assert expected_reward[s, 4] == pytest.approx(R[s, 4])
    assert mdp.terminated.sum() == 0


def test_car_rental_charges_an_order_beyond_the_cars_there_in_full():
    mdp = textbook.car_rental(max_cars=4, max_move=2)
    _, R = mdp.to_dense()
    s = 1 * 5 + 3  # one car at the first location
    # Ordering 2 cars moved away from the first location moves the one there, at $4.
    np.testing.assert_allclose(mdp.probs[s, 4], mdp.probs[s, 3])
    assert R[s, 4] == pytest.approx(R[s, 3] - 2.0)


def test_car_rental_policy_iteration_from_never_moving_finds_figure_4_2s_policies():
    mdp = textbook.car_rental()
    policies = [np.full(mdp.n_states, 5)]  # pi_0: never move
    for _ in range(10):
        q = q_values(mdp, policy_evaluation(mdp, policies[-1]))
        current = q[np.arange(mdp.n_states), policies[-1]]
        better = q.max(axis=1) > current + 1e-9 * np.abs(current)
        improved = np.where(better, q.argmax(axis=1), policies[-1])
        if (improved == policies[-1]).all():
            break
        policies.append(improved)
    # Figure 4.2 shows pi_0 .. pi_4, pi_4 being optimal: four improvements, then stable.
    assert len(policies) == 5
    pi4 = (policies[-1] - 5).reshape(21, 21)  # pi4[n1, n2], cars moved from 1 to 2
    # The figure's corners and centre: 5 with all the cars at the first location, -4 with
    # all at the second, 0 when both are empty, both full or both half full.
    assert (pi4[20, 0], pi4[0, 20], pi4[0, 0], pi4[20, 20], pi4[10, 10]) == (5, -4, 0, 0, 0)
    assert pi4.max() == 5 and pi4.min() == -4
    # Moving more cars towards the second location never pays less when the first has more.
    assert (np.diff(pi4, axis=0) >= 0).all()
    plan = policy_iteration(mdp)
    assert plan.converged and np.array_equal(plan.policy, policies[-1])


def test_car_rental_optimal_values_span_the_range_of_figure_4_2():
    values = policy_iteration(textbook.car_rental()).values.reshape(21, 21)
    # The book's v_pi4 surface is drawn between about 420 and above 612.
    assert 420 < values.min() < 423 and values.min() == values[0, 0]
    assert 612 < values.max() < 640 and values.max() == values[20, 20]


def test_car_rental_builds_and_solves_in_seconds():
    t0 = time.perf_counter()
    plan = policy_iteration(textbook.car_rental())
    assert plan.converged
    assert time.perf_counter() - t0 < 15  # about 0.7 s on 2 cores


def test_value_and_policy_iteration_agree_on_car_rental():
    mdp = textbook.car_rental(max_cars=8, max_move=3)
    pi = policy_iteration(mdp)
    vi = value_iteration(mdp, tol=1e-9)
    np.testing.assert_allclose(vi.values, pi.values, atol=1e-6)
    assert np.array_equal(vi.policy, pi.policy)


# ------------------------------------------------------------ chapter 4: gambler's problem


def bold_play_values(p, goal):
    """Values of bold play (stake min(s, goal - s)) by a linear solve built in loops."""
    A, b = np.eye(goal + 1), np.zeros(goal + 1)
    for s in range(1, goal):
        stake = min(s, goal - s)
        A[s, s + stake] -= p
        A[s, s - stake] -= 1 - p
    b[goal] = 1.0  # V(goal) = 1 here stands for the +1 paid on reaching it
    return np.linalg.solve(A, b)


def test_gamblers_value_of_50_is_the_chance_of_heads():
    values = value_iteration(textbook.gamblers_problem(p_heads=0.4), tol=1e-12).values
    assert values[50] == pytest.approx(0.4, abs=1e-9)
    assert values[25] == pytest.approx(0.16, abs=1e-9)
    assert values[75] == pytest.approx(0.64, abs=1e-9)


def test_gamblers_optimal_values_are_bold_plays_as_in_figure_4_3():
    values = value_iteration(textbook.gamblers_problem(p_heads=0.4), tol=1e-12).values
    oracle = bold_play_values(0.4, 100)
    np.testing.assert_allclose(values[1:100], oracle[1:100], atol=1e-9)
    assert values[0] == values[100] == 0.0  # terminal
    assert (np.diff(values[:100]) > 0).all()  # more capital, better chance


def test_gamblers_model_equals_a_loop_construction():
    p, goal = 0.3, 10
    expected = {}
    for s in range(goal + 1):
        for stake in range(goal // 2 + 1):
            if s in (0, goal):
                expected[s, stake] = {(s, 0.0, True): 1.0}
                continue
            if stake > min(s, goal - s):
                stake_made = 0
            else:
                stake_made = stake
            d = {}
            for nxt, q in ((s + stake_made, p), (s - stake_made, 1 - p)):
                key = (nxt, 1.0 if nxt == goal else 0.0, nxt in (0, goal))
                d[key] = d.get(key, 0.0) + q
            expected[s, stake] = d
    mdp = textbook.gamblers_problem(p_heads=p, goal=goal)
    assert_same_model(mdp, expected)
    assert mdp.gamma == 1.0


# ------------------------------------------------------------------ chapter 6: random walk


def test_random_walk_true_values_are_one_sixth_to_five_sixths():
    mdp = textbook.random_walk()
    values = policy_evaluation(mdp, np.zeros(7, dtype=int))
    np.testing.assert_allclose(values[1:6], np.arange(1, 6) / 6, atol=1e-12)
    assert mdp.start == 3 and mdp.n_actions == 1


def test_nineteen_state_walk_with_minus_one_on_the_left_has_chapter_7s_values():
    mdp = textbook.random_walk(19, left_reward=-1.0)
    values = policy_evaluation(mdp, np.zeros(21, dtype=int))
    np.testing.assert_allclose(values[1:20], np.arange(-9, 10) / 10, atol=1e-9)
    assert mdp.start == 10


def test_random_walk_model_equals_a_loop_construction():
    n = 5
    expected = {}
    for s in range(n + 2):
        if s in (0, n + 1):
            expected[s, 0] = {(s, 0.0, True): 1.0}
            continue
        d = {}
        for nxt in (s - 1, s + 1):
            d[nxt, 1.0 if nxt == n + 1 else 0.0, nxt in (0, n + 1)] = 0.5
        expected[s, 0] = d
    assert_same_model(textbook.random_walk(n), expected)


# ---------------------------------------------------------- chapter 6: the windy gridworld

WIND = [0, 0, 0, 1, 1, 1, 2, 2, 1, 0]


def windy_by_loops(king_moves, stochastic):
    expected = {}
    goal = 3 * 10 + 7
    n_actions = 8 if king_moves else 4
    for r in range(7):
        for c in range(10):
            s = 10 * r + c
            for a in range(n_actions):
                if s == goal:
                    expected[s, a] = {(s, 0.0, True): 1.0}
                    continue
                gusts = [WIND[c] - 1, WIND[c], WIND[c] + 1] if stochastic and WIND[c] else [
                    WIND[c]]
                d = {}
                for w in gusts:
                    nr = min(max(r + OFFSETS[a][0] - w, 0), 6)
                    nc = min(max(c + OFFSETS[a][1], 0), 9)
                    key = (10 * nr + nc, -1.0, 10 * nr + nc == goal)
                    d[key] = d.get(key, 0.0) + 1 / len(gusts)
                expected[s, a] = d
    return expected


@pytest.mark.parametrize("king_moves", [False, True])
@pytest.mark.parametrize("stochastic", [False, True])
def test_windy_gridworld_model_equals_a_loop_construction(king_moves, stochastic):
    mdp = textbook.windy_gridworld(king_moves=king_moves, stochastic=stochastic)
    assert_same_model(mdp, windy_by_loops(king_moves, stochastic))
    assert mdp.start == 30 and mdp.gamma == 1.0


@pytest.mark.parametrize(("king_moves", "steps"), [(False, 15), (True, 7)])
def test_windy_gridworld_shortest_episode_is_the_books(king_moves, steps):
    mdp = textbook.windy_gridworld(king_moves=king_moves)
    assert shortest_path(mdp, mdp.start, {37}) == steps
    assert value_iteration(mdp).values[mdp.start] == -steps  # -1 a step


def test_stochastic_wind_makes_the_best_episode_longer_on_average():
    for king_moves, calm in ((False, 15), (True, 7)):
        mdp = textbook.windy_gridworld(king_moves=king_moves, stochastic=True)
        plan = value_iteration(mdp)
        assert plan.converged and plan.values[mdp.start] < -calm


# ---------------------------------------------------------------- chapter 6: cliff walking


def test_cliff_walking_optimal_return_is_minus_13():
    mdp = textbook.cliff_walking()
    plan = value_iteration(mdp)
    assert plan.values[mdp.start] == -13.0
    # The optimal path runs along the cliff's edge: up, eleven times right, down.
    env = TabularEnv(mdp)
    state, _ = env.reset(seed=0)
    cells = [env.state_to_cell(state)]
    terminated = False
    while not terminated:
        state, _, terminated, _, _ = env.step(int(plan.policy[state]))
        cells.append(env.state_to_cell(state))
    assert cells == [(3, 0)] + [(2, c) for c in range(12)] + [(3, 11)]


def test_cliff_walking_model_equals_gymnasiums_cliff_walking():
    # Gymnasium numbers all 48 cells; ours leaves out the ten cliff cells.
    gym_env = gymnasium.make("CliffWalking-v1").unwrapped
    mdp = textbook.cliff_walking()
    ours = {tuple(cell): s for s, cell in enumerate(mdp.cells.tolist())}
    goal = ours[3, 11]
    for (r, c), s in ours.items():
        if s == goal:  # ours is absorbing; Gymnasium's goal state is never left
            continue
        for a in range(4):
            ((p, nxt, reward, terminated),) = gym_env.P[12 * r + c][a]
            assert mdp.probs[s, a, 0] == p == 1.0
            assert tuple(mdp.cells[mdp.next_states[s, a, 0]]) == divmod(nxt, 12)
            assert (mdp.rewards[s, a, 0], mdp.terminated[s, a, 0]) == (reward, terminated)


def test_stepping_into_the_cliff_costs_100_and_goes_back_to_start():
    env = textbook.make("cliff-walking")
    env.reset(seed=0)
    assert env.step(RIGHT) == (36, -100.0, False, False, {})


# ------------------------------------------------------------------- chapter 8: Dyna maze


def test_dyna_maze_shortest_path_takes_14_steps():
    mdp = textbook.dyna_maze()
    goal = int(textbook._absorbing_states(mdp)[0])
    assert tuple(mdp.cells[goal]) == (0, 8) and tuple(mdp.cells[mdp.start]) == (2, 0)
    assert shortest_path(mdp, mdp.start, {goal}) == 14
    assert value_iteration(mdp).values[mdp.start] == pytest.approx(0.95**13, abs=1e-9)


def test_dyna_maze_model_equals_the_same_maze_in_maze_env():
    maze = MazeEnv("\n".join(textbook._DYNA_MAZE), step_reward=0.0, goal_reward=1.0)
    oracle = TabularMDP.from_env(maze, gamma=0.95)
    mdp = textbook.dyna_maze()
    assert model_of(mdp) == model_of(oracle)
    assert mdp.start == maze.start_state and mdp.gamma == 0.95


# ----------------------------------------------------------------------------- make


def test_make_returns_a_tabular_env_of_the_problem_with_its_arguments():
    env = textbook.make("gamblers-problem", p_heads=0.25, goal=8, render_mode="ansi")
    assert isinstance(env, TabularEnv)
    assert env.mdp.n_states == 9 and env.mdp.probs[4, 2, 0] == 0.25
    assert env.render_mode == "ansi"


def test_make_truncates_continuing_problems_after_100_steps_by_default():
    assert textbook.make("gridworld").max_steps == 100
    assert textbook.make("car-rental", max_cars=3, max_move=1).max_steps == 100
    assert textbook.make("gridworld", max_steps=7).max_steps == 7
    assert textbook.make("windy-gridworld").max_steps is None


def test_make_reports_success_where_the_problem_has_a_goal():
    assert textbook.make("cliff-walking").goal_states.tolist() == [37]
    assert textbook.make("small-gridworld").goal_states.tolist() == [0, 15]
    assert textbook.make("gamblers-problem", goal=10).goal_states.tolist() == [10]
    assert textbook.make("random-walk").goal_states is None
    assert textbook.make("gridworld").goal_states is None
    env = textbook.make("windy-gridworld", king_moves=True)
    policy = value_iteration(env.mdp).policy
    state, _ = env.reset(seed=0)
    for _ in range(6):  # the seven king's moves from S to G
        state, *_, info = env.step(int(policy[state]))
        assert info == {}
    assert env.step(int(policy[state])) == (37, -1.0, True, False, {"is_success": True})


def test_make_rejects_an_unknown_problem_or_argument():
    with pytest.raises(ValueError, match="unknown textbook problem 'grid'; use one of"):
        textbook.make("grid")
    with pytest.raises(ValueError, match="'dyna-maze' takes no argument 'size'; it takes no"):
        textbook.make("dyna-maze", size=3)


@pytest.mark.parametrize(
    ("build", "kwargs", "match"),
    [
        (textbook.car_rental, {"max_cars": 0}, "max_cars must be an int >= 1"),
        (textbook.car_rental, {"max_move": -1}, "max_move must be an int >= 0"),
        (textbook.gamblers_problem, {"p_heads": 1.5}, r"p_heads must be a probability"),
        (textbook.gamblers_problem, {"goal": 1}, "goal must be an int >= 2"),
        (textbook.random_walk, {"n_states": 0}, "n_states must be an int >= 1"),
        (textbook.random_walk, {"left_reward": math.nan}, "left_reward must be a finite"),
    ],
)
def test_bad_problem_arguments_raise_value_error(build, kwargs, match):
    with pytest.raises(ValueError, match=match):
        build(**kwargs)
