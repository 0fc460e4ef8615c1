"""train_many's shortcuts (choice bytes, zeroed terminal Q values, the draw ring) stay exact."""

import numpy as np
import pytest

import rlsandbox.loop.lockstep as train_many_module
from rlsandbox.envs import MazeEnv
from rlsandbox.loop.lockstep import train_many
from tests.test_train_many import assert_same_agents, separate_runs


def test_tie_magic_puts_twelve_times_the_greedy_set_in_the_top_byte():
    greedy = np.array([[(mask >> a) & 1 for a in range(4)] for mask in range(16)], dtype=bool)
    product = greedy.view("<u4").reshape(16) * np.array(train_many_module._TIE_MAGIC, "<u4")
    assert product.view(np.uint8)[3::4].tolist() == [12 * mask for mask in range(16)]


@pytest.mark.parametrize("trap_reward", [-0.0, 0.0, -1.0])
@pytest.mark.parametrize("record", ["all", "summary"])
@pytest.mark.parametrize("initial_q", [0.0, 0.5])
def test_terminal_targets_and_returned_tables_match_for_any_trap_reward(trap_reward, record,
                                                                         initial_q):
    # Terminal targets come from zeroed terminal Q values (r + gamma * 0.0: -0.0 turns
    # +0.0), which the returned agents must not show.
    env = MazeEnv("frozen-lake-8x8", slip=0.5, step_reward=-0.0, trap_reward=trap_reward,
                  max_steps=60)
    kw = {"alpha": 0.3, "epsilon": 0.2, "initial_q": initial_q}
    histories, agents = train_many(env, seeds=[0, 3, 11], episodes=25, record=record,
                                   return_agents=True, **kw)
    expected, expected_agents = separate_runs(env, [0, 3, 11], 25, record=record, **kw)
    assert histories == expected
    assert_same_agents(agents, expected_agents)


def test_long_runs_turn_the_draw_ring_and_refill_long_episodes():
    # More episodes than the ring holds (it turns, rotating its rows), and episodes longer
    # than a slot's first draws (in-place refills), with the default sizes.
    env = MazeEnv("S" + "." * 30 + "G", slip=0.6, max_steps=250)
    histories = train_many(env, seeds=[1, 2, 2**33], episodes=300, record="summary",
                           epsilon=0.5)
    expected, _ = separate_runs(env, [1, 2, 2**33], 300, record="summary", epsilon=0.5)
    assert histories == expected
    assert max(h.lengths.max() for h in histories) > 2 * 96
