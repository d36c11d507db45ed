"""The README's Python example runs as written (with fewer epochs)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_semantic_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = python_blocks()[0].replace("epochs=2000", "epochs=200").replace("epoch=500", "epoch=100")
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    ds = namespace["ds"]
    assert ds.sizes["replica"] == 20 and (tmp_path / "semantic.nc").exists()
    assert "category" in ds["error"].to_dataframe().columns
