"""The phonological template: panphon features per slot, encoding, decoding, forms that do not fit."""

import numpy as np
import pytest

from pdplab.exceptions import DataError
from pdplab.models import phonology as ph


@pytest.fixture(scope="module")
def forms():
    from pdplab.stimuli.english_verbs import english_verbs

    verbs, _ = english_verbs(1000)
    return list(verbs["stem_phon"]) + list(verbs["past_phon"])


def test_units():
    t = ph.TEMPLATE
    assert t.slots == ("C1", "C2", "C3", "V1", "V2", "C4", "C5", "C6", "C7")
    assert len(t.features) == 36 and len(t.units) == 9 * 36
    assert "C1:+voi" in t.units and "C7:-son" in t.units and "V2:+round" in t.units
    assert ph.units() == t.units
    signed = ph.Template(coding="signed")
    assert signed.features == ph.FEATURES and len(signed.units) == 9 * 18 and signed.units[0] == "C1:syl"


@pytest.mark.parametrize("coding", ph.CODINGS)
def test_every_phoneme_has_its_own_nonzero_code(coding):
    t = ph.Template(coding=coding)
    codes = {p: tuple(t.encode(p + " IH" if p in ph.CONSONANTS else p)) for p in ph.ARPABET_IPA}
    assert len(set(codes.values())) == len(codes)
    features = t._code[1]
    assert all(np.any(v != 0) for v in features.values())
    assert len({tuple(v) for v in features.values()}) == len(features)


def test_panphon_values():
    # b: voiced labial stop; i: high front tense vowel (Mortensen et al. 2016)
    t = ph.Template(coding="signed")
    x = dict(zip(t.units, t.encode("B IY")))
    assert (x["C3:voi"], x["C3:lab"], x["C3:cont"], x["C3:syl"]) == (1, 1, -1, -1)
    assert (x["V1:hi"], x["V1:back"], x["V1:tense"]) == (1, -1, 1)
    assert all(x[f"C{i}:{f}"] == 0 for i in (1, 2, 4, 5, 6, 7) for f in ph.FEATURES)


def test_slots_and_alignment():
    t = ph.TEMPLATE
    w = len(t.features)

    def slot(x, name):
        i = t.slots.index(name)
        return x[i * w:(i + 1) * w]

    walk, walked = t.encode(["W AO1 K", "W AO1 K T"])
    # the stem's segments keep their slots; the suffix lands in the next coda slot
    assert np.array_equal(walk[:6 * w], walked[:6 * w])
    assert not slot(walk, "C5").any() and slot(walked, "C5").any()
    # onset right-aligned: the consonant before the vowel is always in C3
    eat, treat = t.encode(["IY T", "T R IY T"])
    assert not eat[:3 * w].any() and not slot(treat, "C1").any()
    assert np.array_equal(slot(treat, "C3"), slot(t.encode("R IY T"), "C3"))
    # lax vowels fill V1 only, tense vowels both slots, diphthongs two targets
    bit, beat, bite = t.encode(["B IH T", "B IY T", "B AY T"])
    assert not slot(bit, "V2").any()
    assert np.array_equal(slot(beat, "V1"), slot(beat, "V2"))
    assert slot(bite, "V2").any() and not np.array_equal(slot(bite, "V1"), slot(bite, "V2"))
    # the /ɪd/ suffix: IH takes a coda slot
    assert ph.parse("W AA1 N T IH0 D") == (("W",), "AA", ("N", "T", "IH", "D"))


@pytest.mark.parametrize("coding", ph.CODINGS)
def test_round_trip_every_corpus_form(forms, coding):
    t = ph.Template(coding=coding)
    x = t.encode(forms)
    assert x.shape == (len(forms), len(t.units))
    assert t.decode(x) == forms


def test_decode_picks_the_nearest(forms):
    rng = np.random.default_rng(1)
    x = ph.encode(forms[:300])
    noisy = x + rng.normal(0, 0.15, x.shape)
    assert ph.decode(noisy) == forms[:300]
    # logistic-style outputs: a near-zero slot is empty, values near 1 are on
    soft = np.clip(x, 0.05, 0.95)
    assert ph.decode(soft) == forms[:300]
    assert ph.decode(ph.encode("HH IH1 T")) == "HH IH T"  # one form in, one string out


def test_decode_refuses_bad_outputs():
    with pytest.raises(DataError, match="expected"):
        ph.decode(np.zeros((2, 10)))
    with pytest.raises(DataError, match="NaN"):
        ph.decode(np.full(len(ph.TEMPLATE.units), np.nan))
    with pytest.raises(DataError, match="numbers"):
        ph.decode([["a"] * len(ph.TEMPLATE.units)])


@pytest.mark.parametrize("phon, reason, message", [
    ("T EH K S T S", "coda too long", "coda of 4 segments (K S T S), the template has 3 coda slots"),
    ("S P L R IY", "onset too long", "onset of 4 consonants (S P L R), the template has 3 onset slots"),
    ("S T", "no vowel", "no vowel"),
    ("W AO T ER", "second vowel", "second vowel ER"),
    ("B AY IH D", "second vowel", "second vowel IH"),
    ("W AO K Q", "unknown phoneme", "'Q' is not an ARPAbet phoneme"),
])
def test_forms_that_do_not_fit_are_refused_with_a_reason(phon, reason, message):
    t = ph.Template(coda=3)
    with pytest.raises(ph.TemplateError) as err:
        t.encode([phon])
    assert err.value.reason == reason
    assert message in str(err.value) and "\n" not in str(err.value)
    assert isinstance(err.value, DataError)


def test_the_default_template_refuses_tempted_and_a_wider_one_takes_it():
    with pytest.raises(ph.TemplateError, match="coda of 5 segments") as err:
        ph.encode("T EH1 M P T IH0 D")
    assert err.value.reason == "coda too long"
    wide = ph.Template(coda=5)
    assert wide.decode(wide.encode(["T EH M P T IH D"])) == ["T EH M P T IH D"]


@pytest.mark.parametrize("kwargs", [{"onset": 0}, {"coda": 2.0}, {"coda": True}, {"coding": "onehot"}])
def test_bad_templates(kwargs):
    with pytest.raises(DataError):
        ph.Template(**kwargs)


def test_non_string_forms():
    with pytest.raises(DataError, match="ARPAbet string"):
        ph.encode([3])
    assert ph.encode([]).shape == (0, len(ph.TEMPLATE.units))


def test_templates_compare_by_value():
    assert ph.Template() == ph.TEMPLATE and hash(ph.Template()) == hash(ph.TEMPLATE)
    assert ph.Template(coda=5) != ph.TEMPLATE
    assert repr(ph.TEMPLATE) == "Template(onset=3, coda=4, coding='binary')"


def test_odd_arguments_are_one_line_errors():
    for bad in (None, 5, b"HH IH T"):
        with pytest.raises(DataError, match="expected a pronunciation or a sequence of them"):
            ph.encode(bad)
    with pytest.raises(DataError, match="template must be a Template"):
        ph.encode("HH IH1 T", template="x")
    assert ph.decode(np.zeros((0, len(ph.units())))) == []
