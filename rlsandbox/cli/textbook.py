"""The ``rlsandbox textbook FIGURE`` sub-command: reproduce one of Sutton & Barto's figures.

The figures are reproduced by the scripts in ``examples/textbook/`` of rlsandbox's source
repository, and those scripts stay the one source of truth: they are the documentation's
gallery and the test suite runs them. This command finds them beside the package, which is
where they are in a source checkout or an editable install (``pip install -e .``), loads
the script and calls its ``main(out_dir)``. A package installed from a wheel has no
``examples/``: the command then exits with status 2 and says how to get them.

``cli.main`` adds the command with :func:`add_textbook_command`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from pathlib import Path

from rlsandbox.cli.common import UserError

__all__ = ["FIGURES", "add_textbook_command", "cmd_textbook", "scripts_dir"]

#: The figures, by the book's number: the script and what it shows.
FIGURES = {
    "3.2": ("figure_3_2.py", "gridworld: values of the random policy"),
    "3.5": ("figure_3_5.py", "gridworld: optimal values and policy"),
    "4.1": ("figure_4_1.py", "small gridworld: iterative policy evaluation"),
    "4.2": ("figure_4_2.py", "Jack's car rental: policy iteration"),
    "4.3": ("figure_4_3.py", "gambler's problem: value iteration"),
    "6.2": ("figure_6_2.py", "random walk: TD(0) vs constant-alpha MC"),
    "6.3": ("figure_6_3.py", "windy gridworld: SARSA (Example 6.5)"),
    "6.4": ("figure_6_4.py", "cliff walking: SARSA vs Q-learning (Example 6.6)"),
    "6.5": ("figure_6_5.py", "maximisation bias: Q-learning vs Double Q-learning"),
    "8.2": ("figure_8_2.py", "Dyna maze: 0, 5 and 50 planning steps"),
}

_EPILOG = "figures:\n" + "\n".join(
    f"  {number:<5} {what}" for number, (_, what) in FIGURES.items()
) + """

examples:
  rlsandbox textbook 6.4 --out figures       # 50 runs of SARSA and Q-learning, a few seconds
  rlsandbox textbook figure_8_2 --show       # the same as 8.2; opens the figure too
"""


def scripts_dir() -> Path:
    """``examples/textbook`` of the source checkout this package runs from.

    Raises
    ------
    UserError
        When the package was installed without the repository around it.
    """
    here = Path(__file__).resolve().parents[2] / "examples" / "textbook"
    if not (here / FIGURES["3.2"][0]).is_file():
        raise UserError(
            "the textbook figures are the scripts in examples/textbook/ of rlsandbox's source "
            "repository, which an installed package does not include; clone the repository "
            "and run 'pip install -e .' in it (or run 'python examples/textbook/figure_6_4.py' "
            "there)"
        )
    return here


def _figure(text: str) -> str:
    """``6.4``, ``6_4``, ``figure_6_4``, ``figure-6-4.py`` ... as the key ``6.4``."""
    key = text.strip().lower().removesuffix(".py")
    for prefix in ("figure", "fig"):
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    key = key.strip("_-. ").replace("_", ".").replace("-", ".")
    if key not in FIGURES:
        raise argparse.ArgumentTypeError(
            f"unknown figure {text!r}; use one of {', '.join(FIGURES)}"
        )
    return key


def cmd_textbook(args: argparse.Namespace) -> int:
    """Run the figure's script with its figure saved into ``args.out``."""
    script = scripts_dir() / FIGURES[args.figure][0]
    spec = importlib.util.spec_from_file_location(f"rlsandbox_textbook_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.SHOW = args.show
    module.main(out_dir=Path(args.out))
    return 0


def add_textbook_command(subparsers) -> None:
    """Add ``textbook`` to the ``rlsandbox`` sub-command parsers."""
    p = subparsers.add_parser(
        "textbook",
        help="reproduce a figure of Sutton & Barto's book (prints the book's numbers too)",
        description="Run one of the examples/textbook/ scripts: it prints its numbers next "
                    "to the book's and saves the figure into --out.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("figure", metavar="FIGURE", type=_figure,
                   help=f"the book's figure number: {', '.join(FIGURES)}")
    p.add_argument("--out", default=os.path.join("runs", "textbook"),
                   help="directory for the figure (created if needed; default runs/textbook)")
    p.add_argument("--show", action="store_true", help="also open the figure in a window")
    p.set_defaults(func=cmd_textbook)
