"""The sin/cos helper process: exact results, start-up, sleep and wake-up, failure, shutdown."""

import gc
import os
import signal
import sys
import time

import numpy as np
import pytest

from rlsandbox.envs import _sincos_process, cartpole_vector
from rlsandbox.envs._sincos_process import SinCosProcess

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or not hasattr(os, "memfd_create"),
    reason="the helper process runs on Linux only",
)


# Angles a CartPole reaches, and the ones it should never meet but must survive.
SPECIAL = [0.0, -0.0, 1e-300, -0.2094, 0.2095, 3.0, -1e6, 1e300, np.inf, -np.inf, np.nan]


def ready_helper(n: int) -> SinCosProcess:
    sincos = SinCosProcess(n)
    deadline = time.monotonic() + 60
    while not sincos.ready:
        assert time.monotonic() < deadline, "the helper process did not start"
        time.sleep(0.01)
    return sincos


def fill(sincos: SinCosProcess, job: int, seed: int) -> np.ndarray:
    angles = sincos.angles(job)
    angles[:] = np.random.default_rng(seed).normal(0.0, 0.1, angles.size)
    angles[: len(SPECIAL)] = SPECIAL
    return angles.copy()


def check(sincos: SinCosProcess, job: int, angles: np.ndarray) -> None:
    with np.errstate(invalid="ignore"):  # sin and cos of +-inf are NaN
        sin, cos = sincos.result(job)
        np.testing.assert_array_equal(sin, np.sin(angles))
        np.testing.assert_array_equal(cos, np.cos(angles))


def run_job(sincos: SinCosProcess, job: int, *, by_helper: bool) -> None:
    """Fill a job's angles, hand it over, check its result and who computed it."""
    angles = fill(sincos, job, seed=job)
    sincos.submit(job)
    assert (sincos._handed == job) == by_helper
    check(sincos, job, angles)


def test_the_helper_computes_numpys_values_bit_for_bit():
    sincos = ready_helper(1000)
    for job in range(1, 41):
        run_job(sincos, job, by_helper=True)
    sincos.close()


def test_the_next_jobs_angles_may_be_filled_while_the_helper_works():
    sincos = ready_helper(5000)
    angles = fill(sincos, 1, seed=1)
    sincos.submit(1)
    for job in range(2, 30):
        following = fill(sincos, job, seed=job)  # the other buffer: the helper is busy
        check(sincos, job - 1, angles)
        sincos.submit(job)
        angles = following
    check(sincos, 29, angles)
    sincos.close()


def test_without_a_helper_every_job_is_computed_here(monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    sincos = SinCosProcess(50)
    assert not sincos.ready
    for job in (1, 2, 3):
        run_job(sincos, job, by_helper=False)
    sincos.close()  # nothing to end: no error


def test_a_sleeping_helper_is_woken_by_the_next_job():
    sincos = ready_helper(64)
    for job in (1, 2, 3):
        time.sleep(0.05)  # far longer than its spin: it sleeps on its pipe
        assert sincos._ctl[_sincos_process._SLEEPING] == 1
        run_job(sincos, job, by_helper=True)
    sincos.close()


def test_a_killed_helper_is_replaced_by_computing_here():
    sincos = ready_helper(64)
    run_job(sincos, 1, by_helper=True)
    sincos._helper.kill()
    sincos._helper.wait()
    for job in (2, 3):  # a job handed to the dead helper, then one handed to no one
        angles = fill(sincos, job, seed=job)
        sincos.submit(job)
        started = time.monotonic()
        check(sincos, job, angles)
        assert time.monotonic() - started < 10
    assert sincos._helper is None


def test_a_forked_child_computes_its_jobs_itself_and_leaves_the_parents_alone():
    sincos = ready_helper(256)
    parent_angles = fill(sincos, 1, seed=1)
    pid = os.fork()
    if pid == 0:  # the child: private buffers, no helper
        status = 1
        try:
            if sincos._helper is None:
                child_angles = fill(sincos, 1, seed=99)
                sincos.submit(1)
                check(sincos, 1, child_angles)
                status = 0
        finally:
            os._exit(status)
    assert os.waitpid(pid, 0)[1] == 0
    sincos.submit(1)  # the parent's angles are untouched and its helper still works
    assert sincos._handed == 1
    check(sincos, 1, parent_angles)
    sincos.close()


def test_files_in_the_working_directory_do_not_shadow_the_helpers_modules(
        monkeypatch, tmp_path):
    for name in ("numpy", "signal", "time"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('a shadowing module ran')\n")
    monkeypatch.chdir(tmp_path)
    sincos = ready_helper(16)
    run_job(sincos, 1, by_helper=True)
    sincos.close()


def test_the_helper_ignores_ctrl_c():
    sincos = ready_helper(16)
    os.kill(sincos._helper.pid, signal.SIGINT)
    time.sleep(0.2)
    assert sincos._helper.poll() is None
    run_job(sincos, 1, by_helper=True)
    sincos.close()


def test_two_helpers_at_once_both_compute_their_own_jobs():
    first, second = ready_helper(300), ready_helper(300)
    for job in range(1, 6):  # alternately, as two envs stepped in turn
        run_job(first, job, by_helper=True)
        run_job(second, job, by_helper=True)
    first.close()
    second.close()


@pytest.mark.parametrize("ending", ["close", "garbage collection"])
def test_the_helper_of_a_vector_cartpole_ends_with_the_env(monkeypatch, ending):
    monkeypatch.setattr(cartpole_vector, "_PROCESS_FROM", 1)
    monkeypatch.setattr(_sincos_process, "AVAILABLE", True)
    env = cartpole_vector.CartPoleVectorEnv(4)
    env.reset(seed=0)
    helper = env._sincos._helper
    assert helper.poll() is None
    if ending == "close":
        env.close()
    else:
        del env
        gc.collect()
    assert helper.wait(timeout=10) == 0
