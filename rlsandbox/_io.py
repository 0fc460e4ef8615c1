"""Small file helpers shared by the loop, the agents and the CLI."""

from __future__ import annotations

import os
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
