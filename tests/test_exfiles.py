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


def _header(**meta):
    import json
    return "#@ " + json.dumps({"pdplab": {"inputs": {"input": 2}, "targets": {"target": 1}, **meta}}) + "\ndefI: 0 ;\n"


@pytest.mark.parametrize("text, message", [
    ('#@ {"pdplab": 5}\ndefI: 0 ;\nname: a I: 1 2 T: 1 ;', r"x\.ex:1: '#@' header: 'pdplab' must be a JSON object"),
    (_header(inputs={"input": -2}) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'inputs' must map"),
    (_header(inputs={"input": 2.5}) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'inputs' must map"),
    (_header(inputs={"input": True}) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'inputs' must map"),
    (_header(inputs="zzz") + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'inputs' must map"),
    (_header(targets=[1]) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'targets' must map"),
    (_header(units={"input": [1, 2]}) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'units' must map"),
    (_header(units={"input": ["p"]}) + "name: a I: 1 2 T: 1 ;",
     r"x\.ex:1: '#@' header: 1 unit labels for group 'input', whose size is 2"),
    (_header(columns=5) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'columns' must be a list"),
    (_header(columns=[1]) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'columns' must be a list"),
    (_header(name=5) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'name' must be text"),
    (_header(index_numeric="yes", columns=[]) + "name: 1 I: 1 2 T: 1 ;",
     r"x\.ex:1: '#@' header: 'index_numeric' must be true or false"),
    (_header(frequency=1) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: 'frequency' must be true or false"),
    (_header(version=2) + "name: a I: 1 2 T: 1 ;", r"x\.ex:1: '#@' header: format version 2 is not 1"),
    (_header(index_numeric=True, columns=["x"]) + "name: 1 I: 1 2 T: 1 ;\nname: abc I: 1 2 T: 1 ;",
     r"x\.ex:4: example 'abc': name 'abc' is not a whole number, which the '#@' header says every name is"),
    (_header(index_numeric=True, columns=[]) + "name: 1_0 I: 1 2 T: 1 ;", r"x\.ex:3: example '1_0': name '1_0'"),
    (_header(columns=["x"]) + 'name: a\n#@ {"x": [1, 2]}\nI: 1 2 T: 1 ;',
     r"x\.ex:4: example 'a': '#@' comment: column 'x' holds a list; item values must be text, numbers"),
])
def test_hostile_metadata_comments(tmp_path, text, message):
    """What ``#@`` comments say is checked like the rest of the file, never trusted."""
    with pytest.raises(DataError, match=rf"^\S*/{message}") as err:
        read_examples(_write(tmp_path, text))
    assert "\n" not in str(err.value)


def test_group_sizes_given_by_the_caller_are_checked(tmp_path):
    path = _write(tmp_path, "name: a I: 1 2 T: 1 ;")
    for size in (-2, 1.5, "2"):
        with pytest.raises(DataError, match=r"x\.ex: inputs: group 'input' has size .*; a size must be a whole"):
            read_examples(path, {"input": size})


def test_errors_of_the_environment_name_the_file(tmp_path):
    with pytest.raises(DataError, match=r"^\S*x\.ex: x: item 'a' has frequency -3\.0"):
        read_examples(_write(tmp_path, "name: a freq: -3 I: 1 2 T: 1 ;"))


@pytest.mark.parametrize("text, message", [
    ("name: a\nI: 1_0 2\nT: 1 ;", r"x\.ex:2: example 'a': input value '1_0' is not a number"),
    ("name: a I: 1 2 T: 1_0 ;", r"x\.ex:1: example 'a': target value '1_0' is not a number"),
    ("name: a I: 1 \u0661 T: 1 ;", r"x\.ex:1: example 'a': input value '\u0661' is not a number"),
    ("name: a freq: 1_0 I: 1 2 T: 1 ;", r"x\.ex:1: example 'a': frequency '1_0' is not a number"),
    ("name: a freq: nan I: 1 2 T: 1 ;", r"x\.ex:1: example 'a': frequency 'nan' is not a number"),
    ("defI: 0_1 ;\nname: a I: 1 2 T: 1 ;", r"x\.ex:1: defI: '0_1' is not a number"),
    ("name: a I: {input} \u00b2 T: 1 ;", r"x\.ex:1: example 'a': '\u00b2' is not a unit number of group 'input'"),
    ("# 0 a A 1_0 #\n1 0 , 1 ;\n", r"x\.ex:1: example 'a': frequency '1_0' is not a number"),
    ("1_0 0 , 1 ;\n", r"x\.ex:1: example '#0': input value '1_0' is not a number"),
])
def test_numbers_are_plain_decimals(tmp_path, text, message):
    """Python's float() reads 1_0 as 10 and Arabic-Indic digits as numbers; Lens reads neither."""
    with pytest.raises(DataError, match=rf"^\S*/{message}"):
        read_examples(_write(tmp_path, text), {"input": 2})


def test_xerion_header_belongs_to_one_example(tmp_path):
    with pytest.raises(DataError, match=r"^\S*x\.ex:2: example '#1': starts on the line where example 'ace' ends, "
                                        r"so it has no header comment"):
        read_examples(_write(tmp_path, "# 0 ace As 0.2 #\n1 0 1 , 0 1 ; 1 1 1 , 1 1 ;\n"))
    with pytest.raises(DataError, match=r"x\.ex:3: example '#1': starts on the line where example 'ace' ends"):
        read_examples(_write(tmp_path, "# 0 ace As 0.2 #\n1 0 1\n, 0 1 ; 1 1 1 , 1 1 ;\n"))
    bare = read_examples(_write(tmp_path, "1 0 1 , 0 1 ; 1 1 1 , 1 1 ;\n"))  # no headers: numbered, as ever
    assert list(bare.labels) == ["0", "1"] and bare.frequency is None
    two = read_examples(_write(tmp_path, "# 0 ace As 0.2 #\n1 0 1 , 0 1 ;\n# 1 bat b@t 0.3 #\n1 1 1 , 1 1 ;\n"))
    assert list(two.labels) == ["ace", "bat"] and list(two.frequency) == [0.2, 0.3]


@pytest.mark.parametrize("group", ["g)", "g(", "g}", "{g", "my group", "g\tx", "g;x", "g#x", ""])
def test_write_refuses_group_names_it_could_not_read_back(tmp_path, group):
    env = pl.Environment({group: [[0.0], [1.0]]}, {"out": [[1.0, 0.0], [0.0, 1.0]]}, items=["a", "b"])
    with pytest.raises(DataError, match=r"input group name .* is empty or holds whitespace or one of"):
        write_examples(env, tmp_path / "g.ex")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("label", [" a", "a ", "\ta", "b\u00a0"])
def test_write_refuses_labels_with_whitespace_at_an_end(tmp_path, label):
    """Lens drops it, so ' a' would come back as 'a' (or as 'a_2' next to an 'a')."""
    env = pl.Environment({"in": [[0.0], [1.0]]}, {"out": [[1.0], [0.0]]}, items=["a", label])
    with pytest.raises(DataError, match=r"begins or ends with whitespace, which a Lens name loses"):
        write_examples(env, tmp_path / "w.ex")
    assert list(tmp_path.iterdir()) == []
    inner = pl.Environment({"in": [[0.0], [1.0]]}, {"out": [[1.0], [0.0]]}, items=["a", "a b;(c)"])
    assert list(read_examples(write_examples(inner, tmp_path / "w.ex")).labels) == ["a", "a b;(c)"]
