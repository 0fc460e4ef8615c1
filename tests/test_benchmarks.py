"""The benchmark suite runner: it runs every benchmark module (timings are not checked)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
runner = pytest.importorskip("benchmarks.__main__")


def run_suite(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_quick_suite_runs_every_module_and_prints_a_row_each():
    # The slowest test here (about 20-60 s): it runs each module's quick mode once.
    results = ROOT / "benchmarks" / "RESULTS.md"
    before = results.stat().st_mtime if results.exists() else None
    done = run_suite("--quick")
    assert done.returncode == 0, done.stderr[-3000:]
    ran = re.search(r"^ran: (.*)$", done.stdout, re.MULTILINE).group(1).split(", ")
    skipped = re.findall(r"^skipped: (\w+):", done.stdout, re.MULTILINE)
    assert sorted(ran + skipped) == runner.available()
    for name in ran:  # every module that ran produced at least one table row
        rows = int(re.search(rf"^\[{name}\] (\d+) row", done.stderr, re.MULTILINE).group(1))
        assert rows >= 1
    assert len(re.findall(r"(PASS|FAIL)$", done.stdout, re.MULTILINE)) >= len(ran)
    assert "returns" in ran  # ours must never be the one skipped
    after = results.stat().st_mtime if results.exists() else None
    assert after == before, "--quick must not overwrite RESULTS.md"


def test_unknown_benchmark_name_exits_with_status_2():
    done = run_suite("--only", "no-such-benchmark", timeout=60)
    assert done.returncode == 2
    assert "unknown benchmark" in done.stderr


def test_table_and_markdown_mark_rows_by_target():
    rows = [
        {"name": "fast", "ours": 0.5, "reference": 1.0, "ratio": 2.0, "target": 1.0, "unit": "s"},
        {"name": "slow", "ours": 2e5, "reference": 1e6, "ratio": 0.2, "target": 1.0,
         "unit": "steps/s"},
    ]
    table = runner.format_table(rows).splitlines()
    assert table[0].split() == list(runner.COLUMNS)
    assert table[1].startswith("fast") and table[1].endswith("PASS")
    assert "200,000 steps/s" in table[2] and table[2].endswith("FAIL")
    markdown = runner.to_markdown(rows, ["planning: not imported (ImportError: x)"], quick=False)
    assert "| fast | 0.5 s | 1 s | 2.00x | 1.0x | PASS |" in markdown
    assert "**cpu**" in markdown and "**numpy**" in markdown
    assert "- planning: not imported" in markdown
