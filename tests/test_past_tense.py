"""The artificial language of Plunkett & Marchman (1991, 1993): generation,
coding, decoding and the classification of responses."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import pdplab as pl
from pdplab.exceptions import DataError
from pdplab.models import past_tense as pt


@pytest.fixture(scope="module")
def language():
    return pt.artificial_language(novel=211, seed=3)


def _by(table, cls):
    return table[table["class"] == cls]


# --- phonemes -----------------------------------------------------------------------------------------------------

def test_phoneme_inventory():
    assert len(pt.PHONEMES) == 32
    assert len(pt.CONSONANTS) == 20 and len(pt.VOWELS) == 12
    assert all(len(s) == 1 and s.isascii() for s in pt.PHONEMES)
    codes = list(pt.PHONEMES.values())
    assert len(set(codes)) == 32 and all(len(c) == 6 and set(c) <= {0, 1} for c in codes)
    assert all(c[0] == 0 for c in pt.CONSONANTS.values()) and all(c[0] == 1 for c in pt.VOWELS.values())
    # codes of the reference notes
    assert pt.PHONEMES["p"] == (0, 0, 1, 1, 1, 1) and pt.PHONEMES["b"] == (0, 1, 1, 1, 1, 1)
    assert pt.PHONEMES["T"] == (0, 0, 1, 0, 1, 0) and pt.PHONEMES["N"] == (0, 1, 0, 0, 0, 0)
    assert pt.PHONEMES["h"] == (0, 0, 0, 1, 0, 0) and pt.PHONEMES["y"] == (0, 1, 0, 1, 0, 0)
    assert pt.PHONEMES["I"] == (1, 1, 1, 0, 0, 0) and pt.PHONEMES["o"] == (1, 1, 1, 1, 0, 0)
    assert pt.PHONEMES["@"] == (1, 1, 0, 0, 0, 0)
    assert len(pt.UNITS) == 20 and pt.UNITS[0] == "p1:vowel" and pt.UNITS[-2:] == ("suffix:1", "suffix:2")
    assert len(set(pt.SUFFIX_CODES.values())) == 4


def test_vowel_change_mapping_is_one_to_one_and_changes_every_vowel():
    assert set(pt.VOWEL_CHANGE) == set(pt.VOWELS) == set(pt.VOWEL_CHANGE.values())
    assert all(v != w for v, w in pt.VOWEL_CHANGE.items())


# --- the language -------------------------------------------------------------------------------------------------

def test_counts_per_class_and_template(language):
    counts = language["class"].value_counts().to_dict()
    assert counts == {"regular": 410, "novel": 211, "vowel change": 68, "identity": 20, "arbitrary": 2}
    trained = language[language["class"] != "novel"]
    assert trained["template"].value_counts().to_dict() == {"CVC": 383, "VCC": 66, "CCV": 51}
    novel = _by(language, "novel")["template"].value_counts().to_dict()
    assert novel == {"CVC": 162, "VCC": 28, "CCV": 21}  # 211 in the proportions 383 : 66 : 51
    for stem, template in zip(language["stem"], language["template"]):
        assert "".join("V" if c in pt.VOWELS else "C" for c in stem) == template
    assert list(language.columns) == ["stem", "past", "suffix", "class", "template", "token_frequency"]
    assert list(pd.unique(language["class"])) == list(pt.CLASSES)


def test_other_sizes_keep_template_proportions():
    table = pt.artificial_language(regular=100, identity=10, vowel_change=20, arbitrary=5, seed=1)
    assert table["class"].value_counts().to_dict() == {"regular": 100, "vowel change": 20, "identity": 10,
                                                        "arbitrary": 5}
    assert table["template"].value_counts().to_dict() == {"CVC": 103, "VCC": 18, "CCV": 14}  # 103.4, 17.8, 13.8


def test_type_frequency_overrides_counts():
    table = pt.artificial_language(type_frequency={"regular": 50, "arbitrary": 6}, seed=2)
    assert table["class"].value_counts().to_dict() == {"vowel change": 68, "regular": 50, "identity": 20,
                                                        "arbitrary": 6}


def test_allomorph_rule_on_every_regular_verb(language):
    rows = language[language["class"].isin(["regular", "novel"])]
    for stem, past, suffix in zip(rows["stem"], rows["past"], rows["suffix"]):
        last = stem[-1]
        expected = "id" if last in "td" else ("d" if last in "bdgvzDmnNlrwy" or last in pt.VOWELS else "t")
        assert suffix == expected, stem
        assert past == stem
    assert set(rows["suffix"]) == {"d", "t", "id"}
    assert [pt.allomorph(s) for s in ("pat", "pad", "pab", "pak", "pas", "paz", "spa", "paf")] == \
        ["id", "id", "d", "t", "t", "d", "d", "t"]


def test_identity_stems_end_in_t_or_d(language):
    identity = _by(language, "identity")
    assert identity["stem"].str[-1].isin(["t", "d"]).all()
    assert (identity["past"] == identity["stem"]).all() and (identity["suffix"] == "").all()
    assert (identity["template"] != "CCV").all()


def test_vowel_change_pasts_differ_only_in_the_vowel(language):
    for stem, past, suffix, template in _by(language, "vowel change")[["stem", "past", "suffix", "template"]].values:
        v = pt.TEMPLATES[template]
        assert suffix == ""
        assert past[v] == pt.VOWEL_CHANGE[stem[v]] != stem[v]
        assert [c for i, c in enumerate(past) if i != v] == [c for i, c in enumerate(stem) if i != v]


def test_arbitrary_pasts_are_unrelated(language):
    for stem, past, suffix in _by(language, "arbitrary")[["stem", "past", "suffix"]].values:
        assert suffix == "" and all(a != b for a, b in zip(stem, past))


def test_forms_are_unique(language):
    stems = list(language["stem"])
    assert len(set(stems)) == len(stems)
    irregular_pasts = [p for p, s in zip(language["past"], language["stem"]) if p != s]
    assert len(set(irregular_pasts)) == len(irregular_pasts)
    assert not set(irregular_pasts) & set(stems)


def test_phonotactic_restrictions(language):
    for stem, past in zip(language["stem"], language["past"]):
        for form in (stem, past):
            assert form[0] != "N" and "h" not in form[1:]
            assert not (form[0] in pt.CONSONANTS and form[1] == form[0])
            assert not (form[1] in pt.CONSONANTS and form[2] == form[1])


def test_token_frequency_defaults_and_override(language):
    freq = language.groupby("class")["token_frequency"].unique().map(list).to_dict()
    assert freq == {c: [pt.TOKEN_FREQUENCY[c]] for c in pt.CLASSES}
    assert pt.TOKEN_FREQUENCY["arbitrary"] > pt.TOKEN_FREQUENCY["regular"]
    assert pt.TOKEN_FREQUENCY["vowel change"] > pt.TOKEN_FREQUENCY["regular"]
    table = pt.artificial_language(token_frequency={"regular": 2, "arbitrary": 15})
    assert set(_by(table, "regular")["token_frequency"]) == {2}
    assert set(_by(table, "arbitrary")["token_frequency"]) == {15}
    assert set(_by(table, "vowel change")["token_frequency"]) == {pt.TOKEN_FREQUENCY["vowel change"]}


def test_reproducible_by_seed():
    a = pt.artificial_language(novel=20, seed=7)
    b = pt.artificial_language(novel=20, seed=7)
    c = pt.artificial_language(novel=20, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["stem"].equals(c["stem"])


# --- code ---------------------------------------------------------------------------------------------------------

def test_encode_stems_and_pasts(language):
    x = pt.encode_stems(language["stem"])
    assert x.shape == (len(language), 20) and not x[:, 18:].any()
    assert list(pt.encode_stems("pIt")[:6]) == list(pt.PHONEMES["p"])
    y = pt.encode_pasts(language["past"], language["suffix"])
    for suffix, code in pt.SUFFIX_CODES.items():
        assert (y[language["suffix"].to_numpy() == suffix, 18:] == code).all()
    assert (y[:, :18] == pt.encode_stems(language["past"])[:, :18]).all()


def test_round_trip_on_every_form(language):
    stems = language["stem"].to_numpy()
    assert list(pt.decode(pt.encode_stems(stems))) == list(stems)
    expected = [pt.response(p, s) for p, s in zip(language["past"], language["suffix"])]
    assert list(pt.decode(pt.encode_pasts(language["past"], language["suffix"]))) == expected
    forms, suffixes = pt.decode(pt.encode_pasts(language["past"], language["suffix"]), split=True)
    assert list(forms) == list(language["past"]) and list(suffixes) == list(language["suffix"])
    every = [a + b + c for a in pt.PHONEMES for b in "aIt" for c in "Nd@"]
    for suffix in pt.SUFFIXES:
        assert list(pt.decode(pt.encode_pasts(every, [suffix] * len(every)))) == \
            [pt.response(f, suffix) for f in every]


def test_decode_nearest_any_shape():
    targets = pt.encode_pasts(["pIt", "spa", "Ekt"], ["id", "d", ""])
    rng = np.random.default_rng(0)
    noisy = np.clip(targets + rng.uniform(-0.3, 0.3, size=(2, 4) + targets.shape), 0, 1)
    out = pt.decode(noisy)
    assert out.shape == (2, 4, 3)
    assert (out == np.array(["pIt+id", "spa+d", "Ekt"], dtype=object)).all()
    soft = targets.copy()
    soft[1, 18:] = [0.4, 0.6]
    assert pt.decode(soft)[1] == "spa+d"
    soft[1, 18:] = [0.6, 0.4]
    assert pt.decode(soft)[1] == "spa+t"
    assert pt.decode(targets[0]) == "pIt+id"
    da = xr.DataArray(noisy, dims=("replica", "epoch", "item", "past_unit"), coords={"past_unit": list(pt.UNITS)})
    decoded = pt.decode(da)
    assert decoded.dims == ("replica", "epoch", "item") and decoded.values[1, 2, 0] == "pIt+id"


# --- classification -----------------------------------------------------------------------------------------------

def _hand_table():
    return pd.DataFrame({
        "stem": ["gIv", "hIt", "sIt", "wak", "pad", "spa"],
        "past": ["lUT", "hIt", "sat", "wak", "pad", "spa"],
        "suffix": ["", "", "", "t", "id", "d"],
        "class": ["arbitrary", "identity", "vowel change", "regular", "regular", "novel"],
    })


@pytest.mark.parametrize("item, said, outcome, kind", [
    (3, "wak+t", "correct", ""),
    (4, "pad+id", "correct", ""),
    (5, "spa+d", "correct", ""),
    (2, "sat", "correct", ""),
    (1, "hIt", "correct", ""),
    (0, "lUT", "correct", ""),
    (2, "sIt+id", "overregularized", "stem+suffix"),
    (0, "gIv+d", "overregularized", "stem+suffix"),
    (1, "hIt+id", "overregularized", "stem+suffix"),
    (0, "gIv+t", "overregularized", "stem+wrong suffix"),
    (2, "sat+id", "overregularized", "past+suffix"),
    (0, "lUT+id", "overregularized", "past+suffix"),
    (2, "sIt", "no change", ""),
    (0, "gIv", "no change", ""),
    (3, "wak", "no change", ""),
    (3, "wVk", "other irregularization", "vowel change"),
    (4, "pOd", "other irregularization", "other vowel"),
    (2, "sEt", "other irregularization", "other vowel"),
    (1, "hat", "other irregularization", "vowel change"),
    (3, "lUT", "other irregularization", "another verb's past"),
    (3, "wak+d", "other", "wrong suffix"),
    (3, "wVk+t", "other", "vowel change+suffix"),
    (3, "bOg", "other", ""),
])
def test_classify_hand_made(item, said, outcome, kind):
    table = _hand_table()
    responses = [pt.response(p, s) for p, s in zip(table["past"], table["suffix"])]
    responses[item] = said
    got, kinds = pt.classify(responses, table)
    assert got[item] == outcome and kinds[item] == kind
    others = [j for j in range(len(table)) if j != item]
    assert (got[others] == "correct").all()


def test_classify_shapes_and_decoded_outputs(language):
    table = language.head(40)
    targets = pt.encode_pasts(table["past"], table["suffix"])
    outputs = np.broadcast_to(targets, (3, 2) + targets.shape).copy()
    outputs[1, 1, :, 18:] = pt.SUFFIX_CODES["d"]  # every verb given a /d/ suffix
    outcome, kind = pt.classify(pt.decode(outputs), table)
    assert outcome.shape == (3, 2, 40)
    assert (outcome[0] == "correct").all()
    irregular = table["class"].isin(["arbitrary", "identity", "vowel change"]).to_numpy()
    assert (outcome[1, 1, irregular] == "overregularized").all()
    da = xr.DataArray(pt.decode(outputs), dims=("replica", "epoch", "item"))
    o, k = pt.classify(da, table)
    assert o.dims == da.dims and (o.values == outcome).all() and (k.values == kind).all()


# --- environment --------------------------------------------------------------------------------------------------

def test_environment(language):
    trained = language[language["class"] != "novel"]
    env = pt.environment(trained)
    assert isinstance(env, pl.Environment) and len(env) == 500
    assert env.inputs["stem_features"].shape == (500, 20) and env.targets["past_features"].shape == (500, 20)
    assert env.units["stem_features"] == list(pt.UNITS) == env.units["past_features"]
    assert list(env.labels) == list(trained["stem"])
    assert {"stem", "past", "suffix", "class", "template", "token_frequency"} <= set(env.items.columns)
    assert (env.frequency == trained["token_frequency"].to_numpy()).all()
    both = env.with_test(pt.environment(_by(language, "novel")))
    assert len(both) == 711 and (both.items["set"] == "test").sum() == 211


# --- bad input ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: pt.artificial_language(regular=-1),
    lambda: pt.artificial_language(identity=2.5),
    lambda: pt.artificial_language(identity=1000),
    lambda: pt.artificial_language(identity=500, regular=0, vowel_change=0, arbitrary=0),
    lambda: pt.artificial_language(regular=0, identity=0, vowel_change=0, arbitrary=0),
    lambda: pt.artificial_language(regular=20000),
    lambda: pt.artificial_language(token_frequency={"regular": -1}),
    lambda: pt.artificial_language(token_frequency={"weak": 2}),
    lambda: pt.artificial_language(type_frequency={"regular": 5}, regular=7),
    lambda: pt.artificial_language(seed=-1),
    lambda: pt.encode_stems(["pIq"]),
    lambda: pt.encode_stems(["pItt"]),
    lambda: pt.encode_stems([3]),
    lambda: pt.encode_pasts(["pIt"], ["ed"]),
    lambda: pt.encode_pasts(["pIt", "spa"], ["d"]),
    lambda: pt.decode(np.zeros((4, 18))),
    lambda: pt.decode(np.full((2, 20), np.nan)),
    lambda: pt.decode([["a"] * 20]),
    lambda: pt.classify(["pIt+ed"], pd.DataFrame({"stem": ["pIt"], "past": ["pIt"], "suffix": ["id"],
                                                  "class": ["regular"]})),
    lambda: pt.classify(["pIt", "pIt"], pd.DataFrame({"stem": ["pIt"], "past": ["pIt"], "suffix": ["id"],
                                                      "class": ["regular"]})),
    lambda: pt.classify(["pIt"], pd.DataFrame({"stem": ["pIt"], "past": ["pIt"], "suffix": ["id"],
                                               "class": ["weak"]})),
    lambda: pt.environment(pd.DataFrame({"stem": ["pIt"], "past": ["pIt"]})),
    lambda: pt.environment(pd.DataFrame({"stem": ["pIt", "pIt"], "past": ["pIt", "pIt"], "suffix": ["id", "id"],
                                         "class": ["regular", "regular"]})),
])
def test_bad_input_is_one_line_data_error(call):
    with pytest.raises(DataError) as info:
        call()
    assert "\n" not in str(info.value) and str(info.value)


def test_impossible_sizes_and_odd_arguments_fail_at_once():
    import time

    started = time.perf_counter()
    with pytest.raises(DataError, match="forms of three phonemes fit the templates"):
        pt.artificial_language(regular=10**9)  # refused before anything of that size is built
    assert time.perf_counter() - started < 5
    with pytest.raises(DataError, match="threshold must be a finite number"):
        pt.decode(np.zeros((1, 20)), threshold="0.5")
    with pytest.raises(DataError, match="threshold must be a finite number"):
        pt.decode(np.zeros((1, 20)), threshold=float("nan"))
    table = pt.artificial_language()
    outcome, kind = pt.classify(np.array([], dtype=object), table.iloc[:0])
    assert outcome.shape == kind.shape == (0,)
