"""The second-thread helper: both results, the first from another thread."""

import threading

from rlsandbox import _threads
from rlsandbox._threads import side_by_side


def test_side_by_side_returns_both_results_in_order():
    ran_in = []
    first, second = side_by_side(lambda: ran_in.append(threading.get_ident()) or 1,
                                 lambda: 2)
    assert (first, second) == (1, 2)
    assert ran_in != [threading.get_ident()]  # first ran in another thread


def test_two_cores_reflects_the_cpus_this_process_may_use():
    assert _threads.TWO_CORES == (_threads._usable_cpus() > 1)

