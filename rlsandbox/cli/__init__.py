"""The ``rlsandbox`` command line: sub-commands, run directories, the demo.

Nothing in the package imports this subpackage: it is the top layer, and the only place that
parses ``argv``.
"""

from rlsandbox.cli.main import main

__all__ = ["main"]
