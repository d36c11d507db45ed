"""Model specs: loading, overrides and every way a spec can be wrong."""

import copy
import tomllib
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pdplab as pl
from pdplab.spec import SpecError, load_spec

MODELS = Path(__file__).resolve().parents[1] / "models"
XOR = tomllib.loads((MODELS / "xor.toml").read_text())


def write(tmp_path, spec, name="spec.toml"):
    (tmp_path / "xor.csv").write_text((MODELS / "xor.csv").read_text())
    path = tmp_path / name
    path.write_text(tomli_w.dumps(spec))
    return path


def test_xor_spec_trains_and_keeps_its_spec(tmp_path):
    exp = load_spec(MODELS / "xor.toml", ["training.epochs=20", "recording.every=10"])
    assert exp.replicas == 10 and exp.seed == 1 and exp.training["lr"] == 0.5
    ds = exp.run(replicas=2)
    assert list(ds["epoch"].values) == [0, 10, 20]
    assert list(ds["parity"].values) == ["even", "odd", "odd", "even"]
    assert list(ds["input_unit"].values) == ["a", "b"]
    assert tomllib.loads(ds.attrs["spec"])["training"]["epochs"] == 20
    # Round trip: the stored spec, written out, loads to the same experiment.
    again = load_spec(write(tmp_path, tomllib.loads(ds.attrs["spec"])))
    np.testing.assert_array_equal(again.run(replicas=2)["error"], ds["error"])


def test_shipped_specs_load():
    for path in MODELS.glob("*.toml"):
        exp = load_spec(path)
        assert exp.network.outputs and len(exp.environment) > 0


def test_overrides_reach_list_elements():
    exp = load_spec(MODELS / "xor.toml", ["network.groups.hidden.size=5",
                                          "network.projections.input->hidden.init_range=0.1",
                                          "network.projections.hidden:output.lr_scale=0.5",
                                          "training.optimizer=dougs_momentum"])
    assert exp.network.groups["hidden"].size == 5
    assert exp.network.projections[0].init_range == 0.1
    assert exp.network.projections[1].lr_scale == 0.5


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda s: s["training"].update(lrr=1), ["training.lrr", "unknown key", "'lr'"]),
        (lambda s: s["training"].update(lr="fast"), ["training.lr", "number"]),
        (lambda s: s["training"].update(epochs=2.5), ["training.epochs", "integer"]),
        (lambda s: s["network"]["groups"][1].update(size="3"), ["network.groups.hidden.size", "integer"]),
        (lambda s: s["network"]["projections"].append({"source": "hidden", "target": "ouput"}),
         ["network", "'ouput'"]),
        (lambda s: s["environment"].update(file="missing.csv"), ["environment.file", "missing.csv", "no such file"]),
        (lambda s: s.update(environment={"stimuli": "nope"}), ["environment.stimuli", "'nope'"]),
        (lambda s: s.update(environment={}), ["environment", "exactly one"]),
        (lambda s: s["training"].update(update="online"), ["training.update", "online"]),
        (lambda s: s["training"].update(optimizer="adam"), ["training", "'adam'", "'momentum'"]),
        (lambda s: s["training"].pop("epochs"), ["training.epochs", "missing"]),
        (lambda s: s.pop("network"), ["network", "missing"]),
        (lambda s: s["recording"].update(groups=["hiden"]), ["recording", "'hiden'"]),
        (lambda s: s["network"]["groups"][2].pop("name"), ["network", "name"]),
        (lambda s: s["training"].update(schedule={"x": {"lr": 1}}), ["training.schedule.x", "epoch"]),
        (lambda s: s["training"].update(batch_size=0, update="minibatch"), ["training.batch_size"]),
        (lambda s: s.update(sources={"training.lrr": "a paper"}), ["sources.'training.lrr'", "no key"]),
        (lambda s: s.update(sources={"network.groups.hiden.size": "a paper"}), ["sources", "'hiden'"]),
        (lambda s: s.update(sources={"training.lr": 3}), ["sources.'training.lr'", "string"]),
    ],
)
def test_bad_specs_name_file_and_key(tmp_path, change, words):
    spec = copy.deepcopy(XOR)
    change(spec)
    path = write(tmp_path, spec)
    with pytest.raises(SpecError) as e:
        load_spec(path)
    msg = str(e.value)
    assert msg.startswith(str(path)) and "\n" not in msg
    for w in words:
        assert w in msg, msg


def test_bad_files(tmp_path):
    with pytest.raises(SpecError, match="no such file"):
        load_spec(tmp_path / "none.toml")
    (tmp_path / "bad.toml").write_text("[network\n")
    with pytest.raises(SpecError, match="not valid TOML"):
        load_spec(tmp_path / "bad.toml")
    with pytest.raises(SpecError, match="no element named 'hiden'"):
        load_spec(MODELS / "xor.toml", ["network.groups.hiden.size=3"])
    with pytest.raises(SpecError, match="expected key.path=value"):
        load_spec(MODELS / "xor.toml", ["training.lr"])


def test_pattern_table_errors(tmp_path):
    spec = copy.deepcopy(XOR)
    path = write(tmp_path, spec)
    (tmp_path / "xor.csv").write_text("item,input.a,input.b,output.y\n00,0,0,x\n")
    with pytest.raises(SpecError, match="item '00', column 'output.y' is not a number"):
        load_spec(path)
    (tmp_path / "xor.csv").write_text("item,input.a,output.y\n00,0,0\n")
    with pytest.raises(SpecError, match="1 columns 'input.\\*' for group 'input' of 2 units"):
        load_spec(path)


values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-10, 10), st.text(max_size=6),
                   st.lists(st.integers(-2, 2), max_size=3),
                   st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


def mutate(spec, data):
    """Replace, delete or add one key anywhere in the spec."""
    node = spec
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, (dict, list)) and child and data.draw(st.booleans()):
            node = child
            continue
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            node[key] = data.draw(values)
        elif action == "delete" and isinstance(node, dict):
            del node[key]
        elif isinstance(node, dict):
            node[data.draw(st.text(min_size=1, max_size=8))] = data.draw(values)
        break
    return spec


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_specs_fail_only_with_spec_errors(tmp_path, data):
    spec = copy.deepcopy(XOR)
    spec["training"]["epochs"] = 2
    for _ in range(data.draw(st.integers(1, 3))):
        spec = mutate(spec, data)
    try:
        text = tomli_w.dumps({k: v for k, v in spec.items()})
    except (TypeError, ValueError):
        return  # not expressible in TOML (e.g. None)
    (tmp_path / "xor.csv").write_text((MODELS / "xor.csv").read_text())
    path = tmp_path / "fuzz.toml"
    path.write_text(text)
    try:
        exp = load_spec(path)
    except SpecError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    try:
        exp.run(replicas=1)
    except pl.PdplabError as exc:
        assert "\n" not in str(exc)
