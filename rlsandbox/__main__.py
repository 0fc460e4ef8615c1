"""``python -m rlsandbox`` runs the command-line interface."""

import sys

from rlsandbox.cli import main

sys.exit(main())
