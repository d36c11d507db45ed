"""The reading model of Plaut, McClelland, Seidenberg & Patterson (1996):
its orthographic and phonological slot codes, decoding and scoring.

A monosyllable is split into onset, vowel and coda.  Each slot has its own
units: 105 grapheme units (30 onset, 27 vowel, 48 coda) and 61 phoneme units
(23 onset, 14 vowel, 24 coda).  The unit inventories and their order are
those of Plaut's own example files for PMSP96; the parsing rules below are
what reproduces every one of his 2998 training examples and his nonword
sets exactly.

Spelling (:func:`parse_spelling`):

- the onset is every letter before the first vowel letter (a e i o u, and y
  anywhere but word-initially);
- the vowel is the run of vowel letters that follows, w included after a
  vowel letter (aw, ew, ow); a "qu" onset leaves its u to the vowel (queen:
  q + uee); a word-final e leaves the vowel for the coda when the letters
  before it do not make a vowel grapheme with it (lye, ewe, awe, but toe);
- the coda is the rest.  Its only vowel letters may be a final e, es, ed or
  ue (bakes, fixed, tongue); any other vowel there is a second syllable;
- every substring of a slot's letters that is a unit of that slot is on: a
  multi-letter grapheme turns on its letters' units too (coda "tch" turns on
  t, c, h, ch and tch; "cks" turns on c, k, s, ck and ks).

Pronunciation (:func:`parse_pronunciation`), in Plaut's notation: onset
consonants, one vowel, coda consonants.  A coda /ps/, /ks/ or /ts/ also turns
on its cluster unit, which is how the code keeps those pairs in order: the
units are read in their canonical (inventory) order, a cluster unit standing
for its two phonemes at its own place (/nekst/ → n-e-ks-t).

References
----------
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading: Computational principles in
quasi-regular domains. *Psychological Review*, 103(1), 56–115.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import xarray as xr

from ..environment import Environment
from ..exceptions import DataError
from ..stimuli.exfiles import unique_labels

__all__ = [
    "SlotError", "SLOTS", "ONSET_GRAPHEMES", "VOWEL_GRAPHEMES", "CODA_GRAPHEMES", "ONSET_PHONEMES",
    "VOWEL_PHONEMES", "CODA_PHONEMES", "GRAPHEME_UNITS", "PHONEME_UNITS", "parse_spelling",
    "parse_pronunciation", "encode_spelling", "encode_pronunciation", "decode", "body", "rime",
    "body_pronunciations", "score_words", "score_nonwords", "nonword_unrepresentable", "log_frequency",
    "environment",
]

SLOTS = ("onset", "vowel", "coda")

#: Grapheme units of each slot, in PMSP96's order.
ONSET_GRAPHEMES = ("y", "s", "p", "t", "k", "q", "c", "b", "d", "g", "f", "v", "j", "z", "l", "m", "n", "r", "w", "h",
                   "ch", "gh", "gn", "ph", "ps", "rh", "sh", "th", "ts", "wh")
VOWEL_GRAPHEMES = ("e", "i", "o", "u", "a", "y", "ai", "au", "aw", "ay", "ea", "ee", "ei", "eu", "ew", "ey", "ie", "oa",
                   "oe", "oi", "oo", "ou", "ow", "oy", "ue", "ui", "uy")
CODA_GRAPHEMES = ("h", "r", "l", "m", "n", "b", "d", "g", "c", "x", "f", "v", "j", "s", "z", "p", "t", "k", "q", "bb",
                  "ch", "ck", "dd", "dg", "ff", "gg", "gh", "gn", "ks", "ll", "ng", "nn", "ph", "pp", "ps", "rr", "sh",
                  "sl", "ss", "tch", "th", "ts", "tt", "zz", "u", "e", "es", "ed")

#: Phoneme units of each slot, in PMSP96's order (Plaut's notation).
ONSET_PHONEMES = tuple("sSCzZjfvTDpbtdkgmnhlrwy")
VOWEL_PHONEMES = tuple("aeiou@^AEIOUWY")
CODA_PHONEMES = ("r", "l", "m", "n", "N", "b", "g", "d", "ps", "ks", "ts", "s", "z", "f", "v", "p", "k", "t", "S", "Z",
                 "T", "D", "C", "j")
CLUSTERS = ("ps", "ks", "ts")

_GRAPHEMES = dict(zip(SLOTS, (ONSET_GRAPHEMES, VOWEL_GRAPHEMES, CODA_GRAPHEMES)))
_PHONEMES = dict(zip(SLOTS, (ONSET_PHONEMES, VOWEL_PHONEMES, CODA_PHONEMES)))

#: Unit labels, ``slot:grapheme`` (105) and ``slot:phoneme`` (61).
GRAPHEME_UNITS = tuple(f"{slot}:{g}" for slot in SLOTS for g in _GRAPHEMES[slot])
PHONEME_UNITS = tuple(f"{slot}:{p}" for slot in SLOTS for p in _PHONEMES[slot])

_GRAPHEME_INDEX = {u: i for i, u in enumerate(GRAPHEME_UNITS)}
_PHONEME_INDEX = {u: i for i, u in enumerate(PHONEME_UNITS)}
_VOWEL_LETTERS = set("aeiouy")
_CODA_VOWEL_TAIL = re.compile(r"u?e[sd]?$")
_LONGEST = max(len(g) for g in GRAPHEME_UNITS)


class SlotError(DataError):
    """A spelling or pronunciation the slot code cannot represent.

    Attributes
    ----------
    reason : str
        A short category ("no vowel", "second vowel", "unknown onset grapheme" …)
        for counting the words a corpus loses, by reason.
    """

    def __init__(self, what, reason, detail):
        super().__init__(f"{what!r}: {detail}")
        self.reason = reason


def _text(value, what):
    """``value`` if it is a string; a :class:`SlotError` naming it and its type if not."""
    if not isinstance(value, str):
        raise SlotError(value, "not text", f"a {what} must be a string, not {type(value).__name__}")
    return value


def _texts(values, what):
    """A sequence of spellings (pronunciations) as a list, refusing anything else."""
    if isinstance(values, (bytes, bytearray)) or not np.iterable(values):
        raise SlotError(values, "not text", f"a {what} must be a string or a sequence of strings, "
                                            f"not {type(values).__name__}")
    return [_text(v, what) for v in values]


# --- spelling ---------------------------------------------------------------------------------------------------

def parse_spelling(word):
    """Split a spelling into its onset, vowel and coda letters (see the module notes).

    >>> parse_spelling("squaw"), parse_spelling("lye"), parse_spelling("tongue")
    (('sq', 'uaw', ''), ('l', 'y', 'e'), ('t', 'o', 'ngue'))
    """
    w = _text(word, "spelling").lower()
    if not re.fullmatch(r"[a-z]+", w):
        raise SlotError(word, "not letters", "a spelling must be letters a-z")
    i = 0
    while i < len(w) and not (w[i] in "aeiou" or (w[i] == "y" and i > 0)):
        i += 1
    if i == len(w):
        raise SlotError(word, "no vowel", "no vowel grapheme")
    j = i
    while j < len(w) and (w[j] in _VOWEL_LETTERS or (w[j] == "w" and j > i)):
        j += 1
    onset, vowel, coda = w[:i], w[i:j], w[j:]
    if not coda and len(vowel) > 1 and vowel.endswith("e") and vowel[-2:] not in VOWEL_GRAPHEMES:
        vowel, coda = vowel[:-1], "e"
    return onset, vowel, coda


def _units(letters, inventory):
    """Every substring of ``letters`` that is in ``inventory``, and the letters none of them covers."""
    on, covered = set(), [False] * len(letters)
    for a in range(len(letters)):
        for b in range(a + 1, min(len(letters), a + _LONGEST) + 1):
            if letters[a:b] in inventory:
                on.add(letters[a:b])
                covered[a:b] = [True] * (b - a)
    return on, [c for c, ok in zip(letters, covered) if not ok]


def _spelling_units(word):
    parts = dict(zip(SLOTS, parse_spelling(word)))
    consonants = _CODA_VOWEL_TAIL.sub("", parts["coda"])
    stray = [c for c in consonants if c in _VOWEL_LETTERS]
    if stray:
        raise SlotError(word, "second vowel", f"vowel letter {stray[0]} in the coda {parts['coda']!r} "
                                              "(a second syllable?)")
    units = []
    for slot, letters in parts.items():
        on, missed = _units(letters, _GRAPHEMES[slot])
        if missed:
            raise SlotError(word, f"unknown {slot} grapheme",
                            f"{slot} letter {missed[0]} of {letters!r} is in no {slot} grapheme of the code")
        units += [f"{slot}:{g}" for g in on]
    return units


def encode_spelling(word):
    """The 105 grapheme units' values (0/1) for a spelling, or an array (words, 105) for a sequence of them.

    Raises
    ------
    SlotError
        If the code cannot represent the spelling, or it is not a string
        (None, a number, bytes, a list holding one).

    >>> [GRAPHEME_UNITS[i] for i in np.flatnonzero(encode_spelling("ache"))]
    ['vowel:a', 'coda:h', 'coda:c', 'coda:ch', 'coda:e']
    """
    if not isinstance(word, str):
        return np.array([encode_spelling(w) for w in _texts(word, "spelling")]).reshape(-1, len(GRAPHEME_UNITS))
    v = np.zeros(len(GRAPHEME_UNITS))
    v[[_GRAPHEME_INDEX[u] for u in _spelling_units(word)]] = 1.0
    return v


def body(word):
    """The body of a spelling: its vowel and coda letters (``body("pint") == "int"``)."""
    return "".join(parse_spelling(word)[1:])


# --- pronunciation ----------------------------------------------------------------------------------------------

def parse_pronunciation(phon):
    """Split a pronunciation (Plaut's notation, slashes optional) into onset, vowel and coda.

    >>> parse_pronunciation("/nekst/")
    ('n', 'e', 'kst')
    """
    p = _text(phon, "pronunciation").strip("/")
    vowels = [i for i, c in enumerate(p) if c in VOWEL_PHONEMES]
    if not vowels:
        raise SlotError(f"/{p}/", "no vowel", "no vowel phoneme")
    if len(vowels) > 1:
        raise SlotError(f"/{p}/", "two vowels", f"two vowel phonemes ({p[vowels[0]]}, {p[vowels[1]]})")
    k = vowels[0]
    onset, vowel, coda = p[:k], p[k], p[k + 1:]
    for slot, letters in (("onset", onset), ("coda", coda)):
        for c in letters:
            if c not in _PHONEMES[slot]:
                raise SlotError(f"/{p}/", f"unknown {slot} phoneme", f"{slot} phoneme {c} not in the code")
    return onset, vowel, coda


def _phoneme_vector(onset, vowel, coda):
    v = np.zeros(len(PHONEME_UNITS))
    units = [f"onset:{c}" for c in onset] + [f"vowel:{vowel}"] + [f"coda:{c}" for c in coda]
    units += [f"coda:{cl}" for cl in CLUSTERS if cl in coda]
    v[[_PHONEME_INDEX[u] for u in units]] = 1.0
    return v


def encode_pronunciation(phon):
    """The 61 phoneme units' values (0/1) for a pronunciation, or an array (words, 61) for a sequence.

    Raises
    ------
    SlotError
        If the code cannot represent the pronunciation, including a coda that
        would not read back in the same order (e.g. /Ts/), or a repeated phoneme;
        or if it is not a string.

    >>> [PHONEME_UNITS[i] for i in np.flatnonzero(encode_pronunciation("/@kt/"))]
    ['vowel:@', 'coda:k', 'coda:t']
    """
    if not isinstance(phon, str):
        return np.array([encode_pronunciation(p) for p in _texts(phon, "pronunciation")]).reshape(
            -1, len(PHONEME_UNITS))
    parts = parse_pronunciation(phon)
    v = _phoneme_vector(*parts)
    back = decode(v)
    if back != "".join(parts):
        slot = "onset" if parse_pronunciation(back)[0] != parts[0] else "coda"
        raise SlotError(f"/{''.join(parts)}/", f"{slot} order",
                        f"{slot} {parts[0] if slot == 'onset' else parts[2]} would read back as /{back}/")
    return v


def rime(phon):
    """The vowel and coda of a pronunciation (``rime("/pInt/") == "Int"``)."""
    return "".join(parse_pronunciation(phon)[1:])


_VOWELS = slice(len(ONSET_PHONEMES), len(ONSET_PHONEMES) + len(VOWEL_PHONEMES))


def _decode_row(active, vowel):
    onset = "".join(p for p, on in zip(ONSET_PHONEMES, active[:_VOWELS.start]) if on)
    coda, taken = "", set()
    for p, on in zip(CODA_PHONEMES, active[_VOWELS.stop:]):
        if on and p in CLUSTERS:
            coda += p
            taken.update(p)
        elif on and p not in taken:
            coda += p
    return onset + VOWEL_PHONEMES[vowel] + coda


def decode(phoneme_activations, threshold=0.5):
    """The pronunciation the phoneme units' activations spell.

    Onset and coda: every unit above ``threshold``, in the canonical order; a
    cluster unit (ps, ks, ts) stands for its two phonemes, in its place.
    Vowel: the most active vowel unit.

    Parameters
    ----------
    phoneme_activations : array_like or xarray.DataArray
        (…, 61), the last axis the phoneme units in :data:`PHONEME_UNITS` order.

    Returns
    -------
    str, or an array (…) of str (a DataArray for a DataArray)

    Raises
    ------
    DataError
        If the activations are not numbers, not 61 wide, or hold NaN or an
        infinity (NaN would otherwise win the vowel's argmax).

    >>> decode(encode_pronunciation("/nekst/"))
    'nekst'
    """
    if isinstance(phoneme_activations, xr.DataArray):
        da = phoneme_activations
        unit_dim = da.dims[-1]
        if unit_dim in da.coords and list(map(str, da[unit_dim].values)) != list(PHONEME_UNITS):
            raise DataError(f"decode: the units of {unit_dim!r} are not the 61 PMSP96 phoneme units in order")
        coords = {k: c for k, c in da.coords.items() if unit_dim not in c.dims}
        return xr.DataArray(decode(da.values, threshold), dims=da.dims[:-1], coords=coords)
    try:
        a = np.asarray(phoneme_activations, dtype=float)
    except (TypeError, ValueError):
        raise DataError("decode: the activations must be numbers") from None
    if a.ndim == 0 or a.shape[-1] != len(PHONEME_UNITS):
        raise DataError(f"decode: the last axis must hold the {len(PHONEME_UNITS)} phoneme units, "
                        f"not shape {a.shape}")
    if not np.isfinite(a).all():
        at = np.unravel_index(np.argmax(~np.isfinite(a)), a.shape)
        raise DataError(f"decode: activation {a[at]} at index {tuple(int(i) for i in at)} is not a finite number")
    flat = a.reshape(-1, a.shape[-1])
    active = flat > threshold
    vowels = np.argmax(flat[:, _VOWELS], axis=1)
    out = np.array([_decode_row(on, v) for on, v in zip(active, vowels)], dtype=object)
    return out[0] if a.ndim == 1 else out.reshape(a.shape[:-1])


# --- scoring ----------------------------------------------------------------------------------------------------

def _strip(phon):
    return str(phon).strip("/")


def score_words(responses, orth, phon):
    """Whether each response is a correct pronunciation of its word.

    A homograph's response is correct when it is either of its pronunciations
    (any pronunciation ``phon`` gives the same spelling).

    Parameters
    ----------
    responses : array_like of str
        (…, words), e.g. from :func:`decode`.
    orth, phon : sequence of str
        Each word's spelling and pronunciation, in the order of the last axis.

    Returns
    -------
    numpy.ndarray of bool, the shape of ``responses``

    Raises
    ------
    DataError
        If ``orth`` and ``phon`` differ in length, or the responses' last axis
        is not one per word.

    Responses, like ``phon``, may have slashes (``/mint/`` is ``mint``).
    """
    orth, phon = [str(o) for o in orth], [_strip(p) for p in phon]
    if len(orth) != len(phon):
        raise DataError(f"score_words: {len(orth)} spellings but {len(phon)} pronunciations")
    accepted = {}
    for o, p in zip(orth, phon):
        accepted.setdefault(o, set()).add(p)
    r = np.asarray(responses, dtype=object)
    if r.shape[-1:] != (len(orth),):
        raise DataError(f"score_words: {r.shape[-1] if r.ndim else 0} responses for {len(orth)} words")
    if not orth:
        return np.zeros(r.shape, dtype=bool)
    ok = np.array([[_strip(resp) in accepted[o] for resp, o in zip(row, orth)] for row in r.reshape(-1, len(orth))],
                  dtype=bool)
    return ok.reshape(r.shape)


def body_pronunciations(orth, phon):
    """For each body spelling in a corpus, the set of rimes its words have.

    >>> sorted(body_pronunciations(["mint", "pint", "hint"], ["mint", "pInt", "hint"])["int"])
    ['Int', 'int']
    """
    orth, phon = list(orth), list(phon)
    if len(orth) != len(phon):
        raise DataError(f"body_pronunciations: {len(orth)} spellings but {len(phon)} pronunciations")
    bodies = {}
    for o, p in zip(orth, phon):
        bodies.setdefault(body(o), set()).add(rime(p))
    return bodies


def nonword_unrepresentable(spellings, corpus_inputs):
    """Nonwords whose input turns on units that no training word turns on.

    The network can have learned nothing from such a unit, so these items are
    reported and left out of nonword scores (in PMSP96's McCann & Besner set:
    faije, jinje, waije and binje, whose coda j no training word has).

    Parameters
    ----------
    spellings : sequence of str
    corpus_inputs : array_like
        (words, 105), the training words' grapheme patterns.

    Returns
    -------
    pandas.DataFrame
        One row per affected nonword (index ``spelling``): ``units``, the
        units concerned, and ``reason``.

    Raises
    ------
    DataError
        If ``corpus_inputs`` is not numbers (words, 105) wide.
    """
    try:
        inputs = np.asarray(corpus_inputs, dtype=float)
    except (TypeError, ValueError):
        raise DataError("nonword_unrepresentable: the corpus inputs must be numbers") from None
    if inputs.ndim not in (1, 2) or inputs.shape[-1] != len(GRAPHEME_UNITS):
        raise DataError(f"nonword_unrepresentable: the corpus inputs must be (words, {len(GRAPHEME_UNITS)}) "
                        f"grapheme patterns, not shape {inputs.shape}")
    seen = inputs.reshape(-1, len(GRAPHEME_UNITS)).any(axis=0)
    rows = []
    for s in spellings:
        unseen = [GRAPHEME_UNITS[i] for i in np.flatnonzero((encode_spelling(s) > 0) & ~seen)]
        if unseen:
            rows.append((s, " ".join(unseen), f"input unit{'s' * (len(unseen) > 1)} {', '.join(unseen)} "
                                             "on in no training word"))
    return pd.DataFrame(rows, columns=["spelling", "units", "reason"]).set_index("spelling")


def _accepted(listed, spelling):
    """A nonword's listed pronunciations as a set, refusing a missing or empty list."""
    if isinstance(listed, str):
        listed = [listed]
    if not np.iterable(listed) or isinstance(listed, (bytes, bytearray)):
        raise DataError(f"score_nonwords: nonword {spelling!r} has no listed pronunciation ({listed!r})")
    accepted = set()
    for p in listed:
        if not isinstance(p, str) or not _strip(p).strip():
            raise DataError(f"score_nonwords: nonword {spelling!r}: {p!r} is not a pronunciation")
        accepted.add(_strip(p))
    if not accepted:
        raise DataError(f"score_nonwords: nonword {spelling!r} has no listed pronunciation")
    return accepted


def score_nonwords(responses, spellings, regular, bodies=None, corpus_inputs=None):
    """Score nonword responses, strictly and (given ``bodies``) leniently.

    A response is correct (``regular``) when it is one of the nonword's listed
    (regular) pronunciations.  Leniently (``lenient``), it is also correct when
    its onset is that of a listed pronunciation and its rime is one that some
    training word with the same body has (PMSP96's second criterion).

    Parameters
    ----------
    responses : array_like of str
        (nonwords,) or (replicas, nonwords).
    spellings : sequence of str
    regular : sequence of str or of collections of str
        Each nonword's accepted pronunciation(s).
    bodies : dict, optional
        :func:`body_pronunciations` of the training corpus.
    corpus_inputs : array_like, optional
        The training words' grapheme patterns: nonwords with units no
        training word turns on (:func:`nonword_unrepresentable`) are scored
        as missing (NA), with the reason in ``excluded``.

    Returns
    -------
    pandas.DataFrame
        One row per (replica and) nonword: ``spelling``, ``response``
        (without slashes), ``regular``, ``lenient`` (with ``bodies``),
        ``excluded`` ("" or the reason).  The boolean columns' ``mean()``
        skips excluded items.

    Raises
    ------
    DataError
        If the lists differ in length, or a nonword's pronunciation list is
        missing (None) or empty.
    """
    spellings, regular = [str(s) for s in spellings], list(regular)
    if len(regular) != len(spellings):
        raise DataError(f"score_nonwords: {len(regular)} pronunciation lists for {len(spellings)} nonwords")
    listed = [_accepted(r, s) for r, s in zip(regular, spellings)]
    r = np.asarray(responses, dtype=object)
    if r.ndim not in (1, 2) or r.shape[-1] != len(spellings):
        raise DataError(f"score_nonwords: responses of shape {r.shape} for {len(spellings)} nonwords")
    excluded = {}
    if corpus_inputs is not None:
        excluded = nonword_unrepresentable(spellings, corpus_inputs)["reason"].to_dict()
    rows = []
    for rep, row in enumerate(np.atleast_2d(r)):
        for s, resp, ok in zip(spellings, row, listed):
            resp = _strip(resp)
            rec = {"replica": rep, "spelling": s, "response": resp, "regular": resp in ok}
            if bodies is not None:
                rec["lenient"] = rec["regular"] or _body_match(resp, s, ok, bodies)
            rec["excluded"] = excluded.get(s, "")
            rows.append(rec)
    columns = ["replica", "spelling", "response", "regular", *["lenient"] * (bodies is not None), "excluded"]
    table = pd.DataFrame(rows, columns=columns)
    for col in ("regular", "lenient"):
        if col in table:
            table[col] = table[col].astype("boolean").mask(table["excluded"] != "")
    return table if r.ndim == 2 else table.drop(columns="replica")


def _body_match(response, spelling, listed, bodies):
    onset, vowel, coda = parse_pronunciation(response)
    onsets = {parse_pronunciation(p)[0] for p in listed}
    return onset in onsets and vowel + coda in bodies.get(body(spelling), ())


# --- corpora ----------------------------------------------------------------------------------------------------

def _missing(value):
    """Whether a table cell holds no spelling or pronunciation: None, NaN, NA or blank text ("//" too)."""
    if isinstance(value, str):
        return not value.strip().strip("/").strip()
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def log_frequency(kf, orth):
    """PMSP96's training frequencies: ln(KF + 2) / 12, a homograph's share
    split evenly among its pronunciations (as in Plaut's example file).

    Raises
    ------
    DataError
        If there is not one count per word, or a count is negative or not a
        finite number.

    >>> np.round(log_frequency([15, 16, 16], ["ace", "bass", "bass"]), 4)
    array([0.2361, 0.1204, 0.1204])
    """
    orth = pd.Series([str(o) for o in orth], dtype=object)
    try:
        kf = np.asarray(kf, dtype=float)
    except (TypeError, ValueError):
        raise DataError("log_frequency: the counts must be numbers") from None
    if kf.shape != (len(orth),):
        raise DataError(f"log_frequency: {kf.size} counts for {len(orth)} words")
    bad = ~np.isfinite(kf) | (kf < 0)
    if bad.any():
        k = int(np.argmax(bad))
        raise DataError(f"log_frequency: word {orth[k]!r} has count {kf[k]}; counts must be finite and at least 0")
    return np.log(kf + 2) / 12 / orth.map(orth.value_counts()).to_numpy()


def environment(table, frequency=None, name="pmsp96"):
    """An :class:`~pdplab.Environment` of words for the reading model.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``orth`` and ``phon`` (Plaut's notation, slashes optional);
        any others (``freq``, ``type`` …) are kept as item columns.
    frequency : str or array_like, optional
        Training frequencies: a column of ``table`` or an array (e.g.
        :func:`log_frequency`).
    name : str

    Returns
    -------
    Environment
        Input group ``orthography`` (105 units), output group ``phonology``
        (61), both labelled with their unit names.  Items are labelled by
        spelling; a spelling's second and later pronunciations (homographs)
        get ``_2``, ``_3`` … (``lead``, ``lead_2``), in table order.  Item
        columns: ``orth``, ``phon`` (without slashes) and the table's others.

    Raises
    ------
    DataError
        For a row without a spelling or a pronunciation (None, NaN or empty
        text), and for a word listed twice with the same pronunciation (only
        different pronunciations make a homograph).  Rows are counted from 1,
        in table order.
    SlotError
        For the first word the code cannot represent.
    """
    missing = [c for c in ("orth", "phon") if c not in table.columns]
    if missing:
        raise DataError(f"{name}: the word table has no {missing[0]!r} column")
    items = table.reset_index(drop=True).copy()
    for k, (o, p) in enumerate(zip(items["orth"], items["phon"]), 1):
        if _missing(o):
            raise DataError(f"{name}: row {k} (pronunciation {p!r}): no spelling")
        if _missing(p):
            raise DataError(f"{name}: word {o!r} (row {k}): no pronunciation")
    items["orth"] = items["orth"].astype(str)
    items["phon"] = items["phon"].map(_strip)
    repeated = items.duplicated(["orth", "phon"])
    if repeated.any():
        k = int(np.argmax(repeated))
        o, p = items["orth"][k], items["phon"][k]
        first = int(np.flatnonzero((items["orth"] == o) & (items["phon"] == p))[0])
        raise DataError(f"{name}: {o!r} appears twice with the same pronunciation /{p}/ (rows {first + 1} and "
                        f"{k + 1})")
    if isinstance(frequency, str):
        if frequency not in items.columns:
            raise DataError(f"{name}: no column {frequency!r} to take frequencies from")
        frequency = items[frequency].to_numpy()
    items.index = pd.Index(unique_labels(items["orth"]), name="item")
    try:
        inputs, targets = encode_spelling(list(items["orth"])), encode_pronunciation(list(items["phon"]))
    except SlotError as exc:
        exc.args = (f"{name}: {exc}",)  # the corpus first; still a SlotError with its reason
        raise exc from None
    return Environment(
        {"orthography": inputs}, {"phonology": targets}, items=items, frequency=frequency, name=name,
        units={"orthography": GRAPHEME_UNITS, "phonology": PHONEME_UNITS},
    )
