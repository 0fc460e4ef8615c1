"""Atomic files and run directories (rlsandbox._io)."""

import os
import stat

import pytest

from rlsandbox._io import write_run_dir


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_run_directory_gets_the_umask_permissions_not_a_private_mode(tmp_path, umask_022):
    out = write_run_dir(tmp_path / "run", lambda d: open(os.path.join(d, "a.txt"), "w").close())
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o755


def test_replaced_run_directory_gets_the_umask_permissions_too(tmp_path, umask_022):
    write_run_dir(tmp_path / "run", lambda d: None)
    out = write_run_dir(tmp_path / "run", lambda d: None, replace=True)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o755


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    def fail(directory):
        open(os.path.join(directory, "half.txt"), "w").close()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_run_dir(tmp_path / "run", fail)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_directory_is_kept_unless_replace(tmp_path):
    write_run_dir(tmp_path / "run", lambda d: open(os.path.join(d, "old"), "w").close())
    with pytest.raises(ValueError, match="already exists"):
        write_run_dir(tmp_path / "run", lambda d: None)
    write_run_dir(tmp_path / "run", lambda d: open(os.path.join(d, "new"), "w").close(),
                  replace=True)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["new"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
