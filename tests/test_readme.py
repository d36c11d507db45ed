"""The README's Python example runs as written (with fewer epochs)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_python_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for block in python_blocks():
        code = block.replace("epochs=2000", "epochs=200").replace("epoch=500", "epoch=100")
        exec(compile(code, "README.md", "exec"), namespace)
    ds = namespace["ds"]
    assert ds.sizes["replica"] == 20 and (tmp_path / "semantic.nc").exists()
    assert "category" in ds["error"].to_dataframe().columns
    assert namespace["passes"]["hidden:delta"].dims == ("replica", "item", "hidden_unit")
    assert namespace["noisy"]["error"].sizes["severity"] == 5
