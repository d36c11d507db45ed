"""Lens and Xerion-style example files: reading, writing, round trips and errors."""

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pdplab as pl
from pdplab.exceptions import DataError
from pdplab.stimuli.exfiles import read_examples, unique_labels, write_examples

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "reading"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")

XERION = """\
# writeSMexamples -orth nsyl -phon nsyl

# 0 ace As 0.25 #
0 1 0 #b
1
,
1 0
;

# 1 bass b@s 0.5 homg
1 0 0 1
,
0 1
;
# 2 bass bAs 0.5 homg
1 0 0 1 , 1 1 ;
"""

LENS = """\
# a comment
defI: 0.1 actI: 0.9
defT: 0 actT: 1
;
name: {first one}  freq: 2
I: (letters) 1 0 0 (extra) 0.5
T: {sounds} 1 2 ;
name: second
proc: {puts hello}
[0]
I: 0 1 0 0.25
T: (sounds) 1 0 0;
name: third
B: {letters} 2 (extra) 1 {sounds} 0
;
"""


def _write(tmp_path, text, name="x.ex"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_unique_labels():
    assert unique_labels(["lead", "bass", "lead", "lead"]) == ["lead", "bass", "lead_2", "lead_3"]
    assert unique_labels(["a", "a_2", "a"]) == ["a", "a_2", "a_3"]


def test_xerion_style_file(tmp_path):
    env = read_examples(_write(tmp_path, XERION))
    assert list(env.labels) == ["ace", "bass", "bass_2"]
    assert list(env.items.columns) == ["name", "frequency", "idx", "phon", "type"]
    assert list(env.items["name"]) == ["ace", "bass", "bass"] and list(env.items["idx"]) == [0, 1, 2]
    np.testing.assert_array_equal(env.inputs["input"], [[0, 1, 0, 1], [1, 0, 0, 1], [1, 0, 0, 1]])
    np.testing.assert_array_equal(env.targets["target"], [[1, 0], [0, 1], [1, 1]])
    np.testing.assert_array_equal(env.frequency, [0.25, 0.5, 0.5])
    split = read_examples(tmp_path / "x.ex", {"a": 1, "b": 3}, "out", name="split")
    np.testing.assert_array_equal(split.inputs["b"], [[1, 0, 1], [0, 0, 1], [0, 0, 1]])
    assert split.name == "split" and set(split.targets) == {"out"}


def test_xerion_headers_and_fields(tmp_path):
    bare = read_examples(_write(tmp_path, "# a file\n\n1 0 , 1 ;\n0 1 , 0 ;\n"))
    assert list(bare.labels) == ["0", "1"] and bare.frequency is None
    custom = read_examples(_write(tmp_path, "# w1 5\n1 , 1 ;\n", "c.ex"), fields=("name", "kf"))
    assert custom.items.loc["w1", "kf"] == 5
    with pytest.raises(DataError, match=r"c\.ex:1: example '#0': header has 2 fields \(w1 5\), expected 5"):
        read_examples(tmp_path / "c.ex")


def test_lens_file(tmp_path):
    env = read_examples(_write(tmp_path, LENS), {"letters": 3, "extra": 1}, {"sounds": 3})
    assert list(env.labels) == ["first one", "second", "third"]
    np.testing.assert_allclose(env.inputs["letters"], [[1, 0, 0], [0, 1, 0], [0.1, 0.1, 0.9]])
    np.testing.assert_allclose(env.inputs["extra"], [[0.5], [0.25], [1]])
    np.testing.assert_allclose(env.targets["sounds"], [[0, 1, 1], [1, 0, 0], [1, 0, 0]])
    np.testing.assert_array_equal(env.frequency, [2, 1, 1])  # freq: 1 unless given
    assert env.items.loc["second", "proc"] == "puts hello"


def test_lens_groups_from_the_file(tmp_path):
    env = read_examples(_write(tmp_path, "name: a I: (in) 1 0 T: 1 ;\nname: b I: (in) 0 1 T: 0;"))
    assert set(env.inputs) == {"in"} and set(env.targets) == {"target"}
    with pytest.raises(DataError, match=r"x\.ex:1: example 'a': sparse values for group 'sounds', whose size is "
                                        r"unknown: pass targets=\{'sounds': size\}"):
        read_examples(_write(tmp_path, "name: a I: 1 T: {sounds} 1 ;"))


def _environment(n=5):
    rng = np.random.default_rng(1)
    items = pd.DataFrame({"word": [f"w{i}" for i in range(n)], "count": np.arange(n) * 3,
                          "score": rng.random(n), "regular": [True, False] * (n // 2) + [True] * (n % 2)},
                         index=pd.Index([f"item {i}" for i in range(n)], name="item"))
    return pl.Environment(
        {"a": (rng.random((n, 4)) > 0.5).astype(float), "b": rng.random((n, 2))},
        {"out": rng.random((n, 3)) / 3},
        items=items, frequency=rng.random(n) + 0.1, units={"a": list("wxyz"), "out": ["p", "q", "r"]},
        name="toy")


@pytest.mark.parametrize("sparse", [False, True])
def test_round_trip(tmp_path, sparse):
    env = _environment()
    path = write_examples(env, tmp_path / "toy.ex", sparse=sparse)
    back = read_examples(path)
    pd.testing.assert_frame_equal(back.items, env.items)
    for mine, theirs in ((back.inputs, env.inputs), (back.targets, env.targets)):
        assert list(mine) == list(theirs)
        for g in mine:
            np.testing.assert_array_equal(mine[g], theirs[g])
    np.testing.assert_array_equal(back.frequency, env.frequency)
    assert back.units == env.units and back.name == "toy"
    assert ("{a}" in path.read_text()) == sparse


def test_round_trip_of_plain_items(tmp_path):
    env = pl.Environment({"in": [[0, 1], [1, 0]]}, {"out": [[1], [0]]})
    back = read_examples(write_examples(env, tmp_path / "plain.ex"))
    pd.testing.assert_frame_equal(back.items, env.items)
    assert back.frequency is None and back.units == {}


def test_write_refuses_what_lens_cannot_hold(tmp_path):
    env = pl.Environment({"in": [[0, 1]]}, {"out": [[1]]}, items=["a{b"])
    with pytest.raises(DataError, match="brace"):
        write_examples(env, tmp_path / "bad.ex")
    odd = pl.Environment({"in": [[0, 1]]}, {"out": [[1]]},
                         items=pd.DataFrame({"when": [pd.Timestamp("2020-01-01")]}, index=["a"]))
    with pytest.raises(DataError, match="column 'when'"):
        write_examples(odd, tmp_path / "bad.ex")
    with pytest.raises(DataError, match="does not exist"):
        write_examples(_environment(), tmp_path / "no" / "x.ex")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text, message", [
    ("", r"x\.ex: no examples"),
    ("# only a comment\n", r"x\.ex: no examples"),
    ("1 0 , 1 ;\n1 0 , 1\n", r"x\.ex:2: example '#1': not ended by ';'"),
    ("# 0 a A 1 #\n1 0 , 1 ;\n# 1 ache Ak 1 #\n1\n, 1 ;\n", r"x\.ex:4: example 'ache': 1 input values, expected 2"),
    ("# 0 a A 1 #\n1 0 , 1 ;\n# 1 b B 1 #\n1 0\n,\nx ;\n", r"x\.ex:6: example 'b': target value 'x' is not a number"),
    ("1 0 , nan ;\n", r"x\.ex:1: example '#0': target value 'nan' is not a number"),
    ("1 0 , 1 , 0 ;\n", r"x\.ex:1: example '#0': a second ','"),
    ("1 0 1 ;\n", r"x\.ex:1: example '#0': no ',' between the input and target values"),
    ("# 0 a A one #\n1 , 1 ;\n", r"x\.ex:1: example 'a': frequency 'one' is not a number"),
])
def test_malformed_xerion_files(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        read_examples(_write(tmp_path, text))


@pytest.mark.parametrize("text, message", [
    ("name: a\nI: 1 0\nT: 1\n", r"x\.ex:1: example not ended by ';'"),
    ("name: a I: 1 0 T: 1 ;\nname: b\nI: 1\nT: 1 ;", r"x\.ex:3: example 'b': 1 input values, expected 2"),
    ("name: a I: 1 0 T: 1 ;\nname: b I: 1 y T: 1 ;", r"x\.ex:2: example 'b': input value 'y' is not a number"),
    ("name: a I: 1 T: 1 wave: 2 ;", r"x\.ex:1: example 'a': unknown field 'wave:'"),
    ("name: a 2 [0] I: 1 T: 1 [1] I: 0 T: 0 ;", r"example 'a': '2': examples with several events"),
    ("name: a I: 1 T: 1 [1] I: 0 T: 0 ;", r"example 'a': '\[1\]': examples with several events"),
    ("max: 3 ;\nname: a I: 1 T: 1 ;", r"x\.ex:1: max: \(event timing\) is not supported"),
    ("name: a min: 1 I: 1 T: 1 ;", r"example 'a': min: \(event timing\) is not supported"),
    ("name: a proc: {set x {1}} I: 1 T: 1 ;", r"x\.ex:1: unbalanced '\{'"),
    ("name: {a\n} I: 1 T: 1 ;", r"x\.ex:1: unbalanced '\{'"),
    ("name: a I: (in) 1 T: (out) 1 ;", r"example 'a': unknown input group 'in' \(groups: letters\)"),
    ("name: a I: {letters} 0 5 T: (out) 1 ;", r"example 'a': '5' is not a unit number of group 'letters' \(0-1\)"),
    ("name: a I: (letters) 1 0 (letters) 0 1 T: (out) 1 ;", r"input values for group 'letters' given twice"),
    ("name: a I: (letters) 1 0 ;", r"example 'a': no target values for group 'out'"),
    ("name: a I: 1 0 T: (out) ;", r"example 'a': 0 target values for group 'out', expected 1"),
    ("name: I: 1 0 T: 1 ;", r"example '#0': name: has no value"),
    ("name: a I: 1 0 T: 1 ;;", r"an empty example"),
    ("#@ [1]\nname: a I: 1 0 T: 1 ;", r"x\.ex:1: example '#0': a '#@' comment must hold a JSON object"),
])
def test_malformed_lens_files(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        read_examples(_write(tmp_path, text), {"letters": 2}, {"out": 1})


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_examples(tmp_path / "absent.ex")
    with pytest.raises(DataError, match="is a folder"):
        read_examples(tmp_path)
    (tmp_path / "bin.ex").write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(DataError, match="not a readable text file"):
        read_examples(tmp_path / "bin.ex")


@needs_reference
def test_plauts_file_reads_quickly_with_its_header_fields():
    start = time.perf_counter()
    env = read_examples(REFERENCE / "SM-nsyl.ex", {"orthography": 105}, {"phonology": 61})
    seconds = time.perf_counter() - start
    assert len(env) == 2998 and env.labels.is_unique
    assert list(env.items.columns) == ["name", "frequency", "idx", "phon", "type"]
    assert env.items.loc["ace", "phon"] == "As" and env.items.loc["bass_2", "name"] == "bass"
    assert env.items["idx"].tolist() == list(range(2998))
    np.testing.assert_allclose(env.frequency.sum(), 683.366, atol=1e-3)
    assert seconds < 5, f"reading SM-nsyl.ex took {seconds:.2f} s"


@needs_reference
def test_plauts_file_with_a_value_missing(tmp_path):
    lines = (REFERENCE / "SM-nsyl.ex").read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("# 1 ache"))
    lines[at + 1] = lines[at + 1].replace("0 ", "", 1)
    path = _write(tmp_path, "\n".join(lines), "SM-nsyl.ex")
    with pytest.raises(DataError, match=rf"SM-nsyl\.ex:{at + 2}: example 'ache': 104 input values, expected 105$"):
        read_examples(path)
