"""The README's examples run as written."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pdplab as pl

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def shell_commands(block):
    """The block's commands, continuation lines joined and comments dropped."""
    text = block.replace("\\\n", " ")
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


def test_command_line_examples(tmp_path):
    (tmp_path / "models").symlink_to(ROOT / "models")
    commands = shell_commands(blocks("bash")[1])
    assert any(c.startswith("pdplab sweep") for c in commands)
    for command in commands:
        if "..." in command:  # the example that needs a running dask cluster
            continue
        argv = shlex.split(command)
        result = subprocess.run([sys.executable, "-m", "pdplab", *argv[1:], "--quiet"] if argv[1] not in ("info",)
                                else [sys.executable, "-m", "pdplab", *argv[1:]],
                                cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert (tmp_path / "results" / "rt93" / "report.md").exists()
    assert pl.load(tmp_path / "xor.nc").sizes["replica"] == 20
    assert pl.open_sweep(tmp_path / "xor_sweep.zarr").sizes["replica"] == 60


def test_python_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").symlink_to(ROOT / "models")
    from pdplab.sweep import run_sweep

    run_sweep("models/xor.toml", {"training.lr": [0.1, 1.0], "network.groups.hidden.size": [2, 3]}, 2,
              "xor_sweep.zarr", overrides=["training.epochs=50"], workers=1, progress=False)
    namespace = {}
    for block in blocks("python"):
        code = block.replace("epochs=2000", "epochs=200").replace("epoch=500", "epoch=100")
        exec(compile(code, "README.md", "exec"), namespace)
    ds = namespace["ds"]
    assert ds.sizes["replica"] == 20 and (tmp_path / "semantic.nc").exists()
    assert namespace["passes"]["hidden:delta"].dims == ("replica", "item", "hidden_unit")
    assert namespace["noisy"]["error"].sizes["severity"] == 5
    assert namespace["sim1"].sizes["replica"] == 2 and (tmp_path / "words.ex").exists()
    assert namespace["final"].groupby(["network.groups.hidden.size", "lr"])["error"].mean().size == 4


def test_example_script_runs(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "semantic_network.py")], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.strip() and line.split()[0].isdigit()]
    first, last = rows[0], rows[-1]
    assert float(last[1]) < 0.05 * float(first[1])           # the error falls
    assert float(last[2]) > float(last[3]) > float(last[4]) > 3 * float(first[4])  # domains end furthest apart
    splits = re.findall(r"(domain|category|item) (\d+) \[", result.stdout)
    assert [level for level, _ in splits] == ["domain", "category", "item"]
    assert int(splits[0][1]) < int(splits[1][1]) < int(splits[2][1])
    assert pl.load(tmp_path / "semantic.nc").sizes["replica"] == 20
