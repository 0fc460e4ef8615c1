"""The second-thread helpers: results, errors handed back, interrupted waits, shutdown."""

import gc
import threading
import time

import pytest

from rlsandbox import _threads
from rlsandbox._threads import Worker, side_by_side


def test_side_by_side_returns_both_results_in_order():
    ran_in = []
    first, second = side_by_side(lambda: ran_in.append(threading.get_ident()) or 1,
                                 lambda: 2)
    assert (first, second) == (1, 2)
    assert ran_in != [threading.get_ident()]  # first ran in another thread


def test_worker_runs_jobs_in_order_and_reraises_their_errors():
    worker = Worker(name="test-worker")
    seen = []
    for i in range(5):
        worker.start(lambda i=i: seen.append(i))
        worker.wait()
    assert seen == [0, 1, 2, 3, 4]

    def boom():
        raise ValueError("job failed")

    worker.start(boom)
    with pytest.raises(ValueError, match="job failed"):
        worker.wait()
    worker.start(lambda: seen.append("after"))  # still usable
    worker.wait()
    assert seen[-1] == "after"
    worker.stop()


def test_a_job_left_running_by_an_interrupted_wait_finishes_before_the_next():
    worker = Worker(name="test-worker")
    log = []
    worker.start(lambda: (time.sleep(0.05), log.append("slow")))
    # No wait(): as if Ctrl-C hit it. The next start must not overtake the slow job.
    worker.start(lambda: log.append("next"))
    worker.wait()
    assert log == ["slow", "next"]
    worker.stop()


def _worker_threads() -> int:
    return sum(t.name == "rlsandbox-cartpole-vector" for t in threading.enumerate())


def _wait_for_threads(count: int) -> None:
    for _ in range(200):
        if _worker_threads() == count:
            return
        time.sleep(0.01)


@pytest.mark.parametrize("ending", ["close", "garbage collection"])
def test_vector_cartpole_worker_thread_ends_with_the_env(monkeypatch, ending):
    from rlsandbox.envs import cartpole_vector

    monkeypatch.setattr(cartpole_vector, "_THREAD_FROM", 1)
    monkeypatch.setattr(cartpole_vector, "TWO_CORES", True)
    before = _worker_threads()
    env = cartpole_vector.CartPoleVectorEnv(4)
    env.reset(seed=0)
    env.step([0, 1, 0, 1])
    assert _worker_threads() == before + 1
    if ending == "close":
        env.close()
    else:
        del env
        gc.collect()
    _wait_for_threads(before)
    assert _worker_threads() == before


def test_two_cores_reflects_the_cpus_this_process_may_use():
    assert _threads.TWO_CORES == (_threads._usable_cpus() > 1)

