"""Small file helpers shared by the loop, the agents, sweeps and the CLI: atomic writes."""

from __future__ import annotations

import os
import secrets
import shutil
import zipfile
from collections.abc import Callable
from typing import BinaryIO

import numpy as np


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, then ``os.replace`` it.

    Readers see either the old file or the whole new one, never half a file: a crash or
    Ctrl-C during ``write`` leaves ``path`` untouched and removes the temporary file.
    """
    path = os.fspath(path)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def save_npz(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an ``.npz`` readable by ``np.load``, atomically and reproducibly.

    ``np.savez`` stamps the current time into every zip entry; this writes a fixed date, so
    the same arrays always give the same bytes (runs can be compared file to file).
    """

    def write(f: BinaryIO) -> None:
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name, value in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                with zf.open(info, "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.asanyarray(value), allow_pickle=False)

    atomic_write(path, write)


def write_run_dir(out: str | os.PathLike, write: Callable[[str], None], *,
                  replace: bool = False) -> str:
    """Fill a temporary directory with ``write(tmp)``, then rename it to ``out``.

    A run that fails leaves nothing behind. An existing ``out`` is an error unless
    ``replace``; then the old directory is swapped out only once the new one is complete.
    """
    out = os.path.abspath(os.fspath(out))
    if os.path.exists(out) and not replace:
        raise ValueError(f"output directory {out!r} already exists; choose another --out")
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = _new_directory(parent, f".{os.path.basename(out)}.")
    old = None
    try:
        write(tmp)
        if os.path.exists(out):
            old = _new_directory(parent, f".{os.path.basename(out)}.old.")
            os.rename(out, os.path.join(old, "run"))
        os.rename(tmp, out)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return out


def _new_directory(parent: str, prefix: str) -> str:
    """A new empty directory in ``parent``, made with the umask's permissions.

    ``tempfile.mkdtemp`` makes it private (mode 0700) whatever the umask; a run directory
    renamed from it would stay unreadable to the other users of a shared course machine.
    """
    while True:
        path = os.path.join(parent, prefix + secrets.token_hex(4))
        try:
            os.mkdir(path)  # mode 0o777 & ~umask
            return path
        except FileExistsError:
            continue
