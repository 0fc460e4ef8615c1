"""The README's snippets run, in order, as a user would paste them.

A Python block whose first line is ``# NAME.py`` is a file the README asks the user to
save: it is written to ``NAME.py`` in the working folder (and importable from there, as
in a Python session started in that folder) instead of being run.
"""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
ROOT = README.parent
FILE_BLOCK = re.compile(r"# ([\w.-]+\.py)\n")


def python_blocks(text):
    return re.findall(r"```python\n(.*?)```", text, re.S)


def section(title):
    """The README text from the heading ``title`` to the next heading of any level."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n### {title}\n")
    following = re.search(r"\n#{2,3} ", text[start + 1:])
    return text[start:start + 1 + following.start()] if following else text[start:]


def write_files(blocks, folder):
    """Save the file blocks into ``folder``; return the other blocks and the module names."""
    code, modules = [], []
    for block in blocks:
        name = FILE_BLOCK.match(block)
        if name:
            (folder / name.group(1)).write_text(block, encoding="utf-8")
            modules.append(name.group(1)[:-3])
        else:
            code.append(block)
    return code, modules


def run_alone(block: str, folder: Path, name: str) -> subprocess.CompletedProcess:
    """``block`` as a script of its own in a fresh interpreter, started in ``folder``."""
    script = folder / f"{name}.py"
    script.write_text(block, encoding="utf-8")
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "MPLBACKEND": "Agg",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, script.name], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=600)


def test_every_readme_python_block_runs_on_its_own_in_a_fresh_interpreter(tmp_path):
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    code, modules = write_files(blocks, tmp_path)
    assert modules == ["my_agents"] and len(code) >= 8
    outputs = []
    for i, block in enumerate(code, start=1):
        result = run_alone(block, tmp_path, f"readme_block_{i}")
        assert result.returncode == 0, f"README python block {i} failed:\n{block}\n{result.stderr}"
        outputs.append(result.stdout)
    text = "\n".join(outputs)
    assert "7.29" in text and "[ 7.29  8.1   9.   10.  ]" in text  # the returns block's comments
    assert "3 checks passed" in text  # check_agent's report on the README's own agent
    assert (tmp_path / "report" / "report.json").exists()  # the behaviour report was written
    assert (tmp_path / "greedy.gif").stat().st_size > 0  # the notebook animation, saved
    assert re.search(r"SarsaAgent (-?\d+\.\d)\nQLearningAgent (-?\d+\.\d)", text)
    sarsa, q = map(float, re.search(r"SarsaAgent (-?\d+\.\d)\nQLearningAgent (-?\d+\.\d)",
                                    text).groups())
    assert sarsa > q  # "SARSA earns more online", as the comment says


def test_write_your_own_agent_ends_with_the_agent_trained_and_replayed_from_the_cli(tmp_path):
    text = section("Write your own agent")
    shell = re.findall(r"```bash\n(.*?)```", text, re.S)
    assert text.rstrip().endswith("```") and len(shell) == 1  # the section ends with it
    assert "rlsandbox train --agent my_agents:" in shell[0] and "--gif" in shell[0]
    _, modules = write_files(python_blocks(text), tmp_path)
    assert modules == ["my_agents"]

    # `rlsandbox` on PATH runs this checkout, as `pip install -e .` would.
    bin_dir = tmp_path.parent / f"{tmp_path.name}-bin"
    bin_dir.mkdir()
    script = bin_dir / "rlsandbox"
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom rlsandbox.cli import main\n"
                      "sys.exit(main())\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT), "SDL_VIDEODRIVER": "dummy", "MPLBACKEND": "Agg"}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", shell[0]], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "3 checks passed" in result.stdout
    assert re.search(r"eval: 20 episodes, .*success rate 100%", result.stdout)
    assert (tmp_path / "runs" / "mine" / "greedy.gif").stat().st_size > 0
