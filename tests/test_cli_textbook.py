"""``rlsandbox textbook FIGURE --out DIR``: runs one of the examples/textbook/ scripts."""

import argparse
from pathlib import Path

import pytest

from rlsandbox.cli import main
from rlsandbox.cli import textbook as cli_textbook

TEXTBOOK = Path(__file__).resolve().parent.parent / "examples" / "textbook"


def test_every_figure_script_is_a_command_and_every_command_a_script():
    scripts = sorted(p.name for p in TEXTBOOK.glob("figure_*.py"))
    assert sorted(script for script, _ in cli_textbook.FIGURES.values()) == scripts


def test_textbook_writes_the_figure_into_out_and_prints_the_books_numbers(tmp_path, capsys):
    out = tmp_path / "figures"
    assert main(["textbook", "3.2", "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["figure_3_2.png"]
    assert (out / "figure_3_2.png").stat().st_size > 5000
    assert "agree with the book to its printed decimal: 25 of 25 cells" in capsys.readouterr().out


@pytest.mark.parametrize("alias", ["4.1", "4_1", "4-1", "figure_4_1", "Figure-4.1",
                                   "fig4.1", "figure_4_1.py"])
def test_textbook_accepts_the_figure_number_in_several_spellings(alias):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    cli_textbook.add_textbook_command(sub)
    assert parser.parse_args(["textbook", alias]).figure == "4.1"


@pytest.mark.parametrize("bad", ["9.9", "3.3", "figure", "", "6.4.1"])
def test_an_unknown_figure_exits_2_listing_the_figures(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["textbook", bad])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"unknown figure {bad!r}" in err
    assert ", ".join(cli_textbook.FIGURES) in err
    assert len(err.strip().splitlines()) == 1


def test_without_the_source_checkout_the_command_exits_2_saying_where_the_scripts_are(
        tmp_path, monkeypatch, capsys):
    # As installed from a wheel: site-packages/rlsandbox/cli/textbook.py, no examples/.
    fake = tmp_path / "site-packages" / "rlsandbox" / "cli" / "textbook.py"
    monkeypatch.setattr(cli_textbook, "__file__", str(fake))
    assert main(["textbook", "6.4", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "examples/textbook/" in err and "pip install -e ." in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
