"""The artificial language of Plunkett & Marchman (1991, 1993): its verbs,
their phonological code, decoding and the classification of responses.

Plunkett & Marchman trained a three-layer back-propagation network to map
the stems of an artificial language onto their past-tense forms.  The
language has four kinds of mapping, "analogous to those which characterize
the relationship between the stem and past tense forms of English verbs"
(PM91, abstract): arbitrary mappings (go → went), identity mappings
(hit → hit), vowel changes (sing → sang) and the addition of a suffix
(walk → walked).  PM93 grew the training set incrementally and tested the
network on trained and novel verbs.

What this module builds
-----------------------
- :data:`PHONEMES`: 32 phonemes (20 consonants, 12 vowels), each six binary
  features: bit 1 consonant (0) / vowel (1), bit 2 voiced, bits 3–4 manner,
  bits 5–6 place.
- :func:`artificial_language`: a seeded random language of three-phoneme
  stems (templates CVC, VCC, CCV) in the classes ``arbitrary``,
  ``identity``, ``vowel change``, ``regular`` and ``novel`` (test stems,
  not trained).
- :func:`encode_stems`, :func:`encode_pasts`, :func:`decode`: the 20-unit
  code (3 × 6 phoneme features + 2 suffix units) and its inverse.
- :func:`classify`: each response as ``correct``, ``overregularized``,
  ``no change``, ``other irregularization`` or ``other``.
- :func:`environment`: a :class:`~pdplab.Environment` with input group
  ``stem_features`` and output group ``past_features``.

Sources, and what could and could not be checked
------------------------------------------------
Checked against the papers' abstracts (stored copies of PM91, PM93 and of
Marcus 1995): the four mapping types; the three-layer back-propagation
network; PM93's incremental training with trained and novel verbs, and
the role of the numbers of regular and irregular verbs and of the
irregulars' phonological sub-regularities; Marcus's (1995) comparison of
overregularizations of vowel-change and no-change verbs and of
overregularizations against irregularizations (which :func:`classify`
makes measurable).  The English allomorph rule (/d/ after voiced segments,
/t/ after voiceless ones, /ɪd/ after t and d) is standard English
phonology.

Not verified against the papers' text (taken from the project's reference
notes, ``shared/reference/README.md``, which give them as the facts of one
published set; the papers' bodies and McLeod, Plunkett & Rolls 1998, ch. 9,
could not be consulted): the class sizes 2 / 410 / 20 / 68 of 500 stems;
the template counts 383 CVC / 66 VCC / 51 CCV; that every identity stem
ends in t or d; the 6-bit phoneme codes; the two suffix units.

This project's choices (documented where they are made): the ASCII
symbols, the names of the two vowels the notes leave unlabelled, the 2-bit
suffix codes, the vowel-change mapping, the phonotactic restrictions, the
default token frequencies, how arbitrary pasts are drawn, the default
number of novel stems (0) and the response categories' details.

References
----------
Plunkett, K., & Marchman, V. (1991). U-shaped learning and frequency
effects in a multi-layered perceptron: Implications for child language
acquisition. *Cognition*, 38, 43–102.  ("PM91")

Plunkett, K., & Marchman, V. (1993). From rote learning to system
building: acquiring verb morphology in children and connectionist nets.
*Cognition*, 48, 21–69.  ("PM93")

McLeod, P., Plunkett, K., & Rolls, E. T. (1998). *Introduction to
connectionist modelling of cognitive processes*, ch. 9. Oxford University
Press.

Marcus, G. F. (1995). The acquisition of the English past tense in
children and multilayered connectionist networks. *Cognition*, 56, 271–279.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import xarray as xr

from ..environment import Environment
from ..exceptions import DataError

__all__ = [
    "PHONEMES", "CONSONANTS", "VOWELS", "FEATURES", "UNITS", "SUFFIXES", "SUFFIX_CODES", "VOWEL_CHANGE", "CLASSES",
    "TEMPLATES", "TEMPLATE_COUNTS", "TOKEN_FREQUENCY", "OUTCOMES", "allomorph", "vowel_change", "response",
    "split_response", "artificial_language", "encode_stems", "encode_pasts", "decode", "classify", "environment",
]


def _bits(code):
    return tuple(int(c) for c in code)


#: Consonants: ASCII symbol → 6 features.  ``T`` is θ, ``D`` ð, ``N`` ŋ,
#: ``y`` j (the glide); the others are their IPA letters.  Bits 3–4 (manner):
#: 11 stop, 10 fricative, 00 nasal, 01 liquid, glide or h; bits 5–6
#: (place): 11 labial, 10 dental/alveolar, 01 alveolar (s z r), 00 velar,
#: palatal or glottal.  Codes from the project's reference notes (unverified).
CONSONANTS = {
    "p": _bits("001111"), "b": _bits("011111"), "t": _bits("001110"), "d": _bits("011110"),
    "k": _bits("001100"), "g": _bits("011100"), "f": _bits("001011"), "v": _bits("011011"),
    "s": _bits("001001"), "z": _bits("011001"), "T": _bits("001010"), "D": _bits("011010"),
    "m": _bits("010011"), "n": _bits("010010"), "N": _bits("010000"), "l": _bits("010110"),
    "r": _bits("010101"), "w": _bits("010111"), "y": _bits("010100"), "h": _bits("000100"),
}

#: Vowels: ASCII symbol → 6 features.  ``i`` i, ``I`` ɪ, ``e`` e, ``E`` ɛ,
#: ``a`` æ, ``V`` ʌ, ``u`` u, ``U`` ʊ, ``O`` ɔ, ``A`` ɑ.  The notes leave two
#: codes unlabelled (their labels differ between sources); this project
#: names them ``o`` (111100) and ``@`` (110000).  Every vowel has bit 2 on
#: (vowels are voiced).  Codes from the reference notes (unverified).
VOWELS = {
    "i": _bits("110011"), "I": _bits("111000"), "e": _bits("110010"), "E": _bits("111111"),
    "a": _bits("110100"), "V": _bits("110111"), "u": _bits("110001"), "U": _bits("111101"),
    "O": _bits("111011"), "A": _bits("111110"), "o": _bits("111100"), "@": _bits("110000"),
}

#: All 32 phonemes, consonants first: symbol → (6 binary features).
PHONEMES = {**CONSONANTS, **VOWELS}

#: Names of the six features of a phoneme slot (bit 1 is on for a vowel).
FEATURES = ("vowel", "voiced", "manner1", "manner2", "place1", "place2")

#: The 20 unit labels of the ``stem`` and ``past`` groups: ``p1:vowel`` …
#: ``p3:place2``, ``suffix:1``, ``suffix:2``.
#: The network's input and output groups (not ``stem`` and ``past``: those name the item columns).
INPUT, OUTPUT = "stem_features", "past_features"
UNITS = tuple(f"p{k}:{f}" for k in (1, 2, 3) for f in FEATURES) + ("suffix:1", "suffix:2")

#: The suffixes: none and the three allomorphs of the regular past.
SUFFIXES = ("", "d", "t", "id")

#: The two suffix units for each suffix (this project's choice; the papers'
#: assignment was not verified): none 00, /d/ 01, /t/ 10, /ɪd/ 11.
SUFFIX_CODES = {"": (0, 0), "d": (0, 1), "t": (1, 0), "id": (1, 1)}

#: The vowel-change class's fixed mapping, stem vowel → past vowel (this
#: project's choice, loosely after English strong verbs: sit/sat I→a,
#: feed/fed i→E, take/took e→U, hang/hung a→V, come/came V→e).  It is
#: one-to-one and changes every vowel, so a vowel-change past differs from
#: its stem in the vowel alone.
VOWEL_CHANGE = {"I": "a", "i": "E", "e": "U", "E": "O", "a": "V", "V": "e",
                "u": "o", "U": "u", "O": "I", "A": "@", "o": "i", "@": "A"}

#: The verb classes, in table order.
CLASSES = ("arbitrary", "identity", "vowel change", "regular", "novel")
_IRREGULAR = ("arbitrary", "identity", "vowel change")

#: Where the vowel is in each template.
TEMPLATES = {"CVC": 1, "VCC": 0, "CCV": 2}

#: Template counts of one published set of 500 stems (reference notes,
#: unverified); other sizes keep these proportions.
TEMPLATE_COUNTS = {"CVC": 383, "VCC": 66, "CCV": 51}

#: Default tokens of each verb per epoch, by class.  This project's choice:
#: irregular verbs of the arbitrary and vowel-change classes more frequent
#: than regular ones, as in PM91's "parent" conditions; the papers' values
#: were not verified.  Novel verbs are not trained.
TOKEN_FREQUENCY = {"arbitrary": 5, "identity": 1, "vowel change": 3, "regular": 1, "novel": 0}

#: Response categories of :func:`classify`.
OUTCOMES = ("correct", "overregularized", "no change", "other irregularization", "other")

_CODES = np.array(list(PHONEMES.values()), dtype=float)
_SYMBOLS = np.array(list(PHONEMES), dtype=object)
_DEFAULT_COUNTS = {"regular": 410, "identity": 20, "vowel change": 68, "arbitrary": 2, "novel": 0}


# --- forms ------------------------------------------------------------------------------------------------------

def _form(value, what):
    """A form as a string of 3 known phoneme symbols."""
    if not isinstance(value, str):
        raise DataError(f"{what}: {value!r} is not a string of 3 phoneme symbols")
    if len(value) != 3:
        raise DataError(f"{what}: {value!r} has {len(value)} symbols, not 3")
    bad = [c for c in value if c not in PHONEMES]
    if bad:
        raise DataError(f"{what}: {value!r} has unknown phoneme symbol {bad[0]!r} (known: {''.join(PHONEMES)})")
    return value


def _suffix(value, what):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if not isinstance(value, str) or value not in SUFFIX_CODES:
        raise DataError(f"{what}: unknown suffix {value!r} (known: '', 'd', 't', 'id')")
    return value


def allomorph(stem):
    """The regular past suffix of a stem: ``"id"`` after t or d, ``"d"``
    after other voiced segments (every vowel is voiced), ``"t"`` after
    voiceless ones.

    >>> allomorph("pat"), allomorph("pab"), allomorph("pak"), allomorph("spa")
    ('id', 'd', 't', 'd')
    """
    last = _form(stem, "allomorph")[-1]
    if last in "td":
        return "id"
    return "d" if PHONEMES[last][1] else "t"


def vowel_change(form):
    """The form with its vowel changed by :data:`VOWEL_CHANGE` (each
    template has one vowel).

    >>> vowel_change("sIt")
    'sat'
    """
    return _changed(_form(form, "vowel_change"))


def _changed(form):
    return "".join(VOWEL_CHANGE.get(c, c) for c in form)


def response(form, suffix=""):
    """A form and a suffix written as one response: ``"pat"`` without a
    suffix, ``"pat+id"`` with one.

    >>> response("pat", "id")
    'pat+id'
    """
    form, suffix = _form(form, "response"), _suffix(suffix, "response")
    return f"{form}+{suffix}" if suffix else form


def split_response(text):
    """The (form, suffix) of a response written by :func:`response`.

    >>> split_response("pat+id")
    ('pat', 'id')
    """
    return _split(text, "split_response")


def _split(text, what):
    if not isinstance(text, str):
        raise DataError(f"{what}: {text!r} is not a response string")
    form, plus, suffix = text.partition("+")
    if plus and suffix not in SUFFIXES[1:]:
        raise DataError(f"{what}: {text!r} has unknown suffix {suffix!r} (known: d, t, id)")
    return _form(form, what), suffix


# --- the language -------------------------------------------------------------------------------------------------

def _pool(template, final=None):
    """Every form of a template, in a fixed order, under this project's
    phonotactic restrictions: no ŋ (N) at the start of a form or in an
    onset cluster; h only before a vowel at the start of a CVC form; no
    repeated consonant in a cluster.  ``final``: allowed last phonemes."""
    cons, vows = list(CONSONANTS), list(VOWELS)
    if template == "CVC":
        forms = [a + v + b for a in cons if a != "N" for v in vows for b in cons if b != "h"]
    elif template == "VCC":
        forms = [v + a + b for v in vows for a in cons if a != "h" for b in cons if b not in ("h", a)]
    else:
        forms = [a + b + v for a in cons if a not in ("h", "N") for b in cons if b not in ("h", "N", a)
                 for v in vows]
    if final is not None:
        forms = [f for f in forms if f[-1] in final]
    return forms


def _template(form):
    return "".join("V" if c in VOWELS else "C" for c in form)


def _template_counts(n):
    """``n`` split over the templates in the published proportions (largest
    remainders, ties to the commoner template)."""
    total = sum(TEMPLATE_COUNTS.values())
    exact = {t: n * c / total for t, c in TEMPLATE_COUNTS.items()}
    counts = {t: int(np.floor(x)) for t, x in exact.items()}
    order = sorted(TEMPLATE_COUNTS, key=lambda t: (-(exact[t] - counts[t]), -TEMPLATE_COUNTS[t]))
    for t in order[:n - sum(counts.values())]:
        counts[t] += 1
    return counts


def _by_class(mapping, what):
    """A {class: count} argument, checked (empty when None)."""
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise DataError(f"artificial_language: {what} must map classes to counts, not {type(mapping).__name__}")
    for cls in mapping:
        if cls not in CLASSES:
            raise DataError(f"artificial_language: {what} names unknown class {cls!r} (known: {', '.join(CLASSES)})")
    return mapping


def _count(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise DataError(f"artificial_language: {what} must be a whole number, not {value!r}")
    if value < 0:
        raise DataError(f"artificial_language: {what} must be at least 0, not {value}")
    return int(value)


def _draw(rng, candidates, k, used, what, accept=None):
    """``k`` candidates, in a seeded random order, not in ``used`` (and
    passing ``accept``); each taken one (and what ``accept`` returns) is
    added to ``used``."""
    taken = []
    if k == 0:
        return taken
    for i in rng.permutation(len(candidates)):
        form = candidates[i]
        if form in used:
            continue
        extra = accept(form) if accept else ()
        if extra is None:
            continue
        used.add(form)
        used.update(extra)
        taken.append((form, *extra))
        if len(taken) == k:
            return taken
    raise DataError(f"artificial_language: cannot draw {k} {what}: only {len(taken)} unused forms fit")


def artificial_language(regular=410, identity=20, vowel_change=68, arbitrary=2, novel=0, seed=0,
                        token_frequency=None, type_frequency=None):
    """A random artificial language in the manner of Plunkett & Marchman
    (1991, 1993).

    Parameters
    ----------
    regular, identity, vowel_change, arbitrary : int
        Verbs of each class (defaults: 410, 20, 68 and 2 of 500, the sizes
        of one published set; reference notes, unverified against PM91).
    novel : int
        Novel stems for testing generalization (not trained).  Default 0;
        the reference notes mention 211 in one set (unverified).
    seed : int
        Seed of the random draws: the same seed (and arguments) gives the
        same language.
    token_frequency : dict of str to int, optional
        Tokens of each verb per epoch, by class; classes not named keep
        :data:`TOKEN_FREQUENCY` (arbitrary 5, identity 1, vowel change 3,
        regular 1, novel 0 — this project's choice after PM91's "parent"
        conditions, where irregulars were more frequent than regulars).
    type_frequency : dict of str to int, optional
        Number of verbs by class (``"regular"``, ``"identity"``,
        ``"vowel change"``, ``"arbitrary"``, ``"novel"``), overriding the
        keyword counts of the classes it names — PM91 varied these type
        frequencies.

    Returns
    -------
    pandas.DataFrame
        One row per verb, in the order of :data:`CLASSES`, with columns

        ``stem``
            three phoneme symbols (:data:`PHONEMES`);
        ``past``
            the past form's three phonemes (without the suffix);
        ``suffix``
            ``""``, ``"d"``, ``"t"`` or ``"id"``;
        ``class``
            one of :data:`CLASSES`;
        ``template``
            ``"CVC"``, ``"VCC"`` or ``"CCV"`` (of the stem);
        ``token_frequency``
            tokens of the verb per epoch.

    Notes
    -----
    - Templates: the trained verbs' templates are split 383 : 66 : 51
      (CVC : VCC : CCV) exactly (largest remainders), shuffled and dealt to
      the classes, identity verbs first (they cannot be CCV); novel stems
      are split the same way on their own.
    - Regular: past = stem, suffix = :func:`allomorph` of the stem.  A
      regular stem may end in t or d (then its suffix is ``"id"``), as in
      English wait/waited beside hit/hit: only so does the /ɪd/ allomorph
      occur, and identity verbs then share their final consonants with
      regular ones (a choice; PM91 not checked on this point).
    - Identity: the stem ends in t or d (CVC or VCC), past = stem, no
      suffix.
    - Vowel change: past = the stem with its vowel changed by
      :data:`VOWEL_CHANGE`, no suffix.
    - Arbitrary: past = a random form (its template drawn in the published
      proportions) sharing no phoneme in the same position with the stem,
      no suffix.
    - Novel: drawn like regular stems; past and suffix give the regular
      past expected of them.
    - Every stem and every unsuffixed irregular past is a different form:
      no stem of one verb is the stem or past of another.
    - Phonotactics (this project's choice): no ŋ at the start of a form or
      in an onset cluster, h only at the start of a CVC form, no repeated
      consonant in a cluster.

    Raises
    ------
    DataError
        For a negative or non-integer count, an unknown class, a negative
        token frequency, or counts that cannot be met (e.g. more identity
        verbs than there are CVC and VCC stems ending in t or d).

    Examples
    --------
    >>> table = artificial_language(seed=1)
    >>> table["class"].value_counts().to_dict()
    {'regular': 410, 'vowel change': 68, 'identity': 20, 'arbitrary': 2}
    """
    counts = {"regular": regular, "identity": identity, "vowel change": vowel_change, "arbitrary": arbitrary,
              "novel": novel}
    for cls, value in _by_class(type_frequency, "type_frequency").items():
        if counts[cls] != _DEFAULT_COUNTS[cls] and counts[cls] != value:
            raise DataError(f"artificial_language: the number of {cls!r} verbs is given twice "
                            f"({counts[cls]} and type_frequency {value})")
        counts[cls] = value
    counts = {cls: _count(n, f"the number of {cls!r} verbs") for cls, n in counts.items()}
    tokens = dict(TOKEN_FREQUENCY)
    for cls, value in _by_class(token_frequency, "token_frequency").items():
        tokens[cls] = _count(value, f"the token frequency of {cls!r} verbs")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise DataError(f"artificial_language: seed must be a whole number at least 0, not {seed!r}")
    trained = sum(counts[c] for c in _IRREGULAR + ("regular",))
    if trained + counts["novel"] == 0:
        raise DataError("artificial_language: every class has 0 verbs")
    forms = sum(len(_pool(t)) for t in TEMPLATE_COUNTS)
    if trained + counts["novel"] > forms:  # checked before anything of that size is built
        raise DataError(f"artificial_language: {trained + counts['novel']} verbs asked for, but only {forms} "
                        f"forms of three phonemes fit the templates")
    id_pools = {t: _pool(t, final="td") for t in ("CVC", "VCC")}
    possible = sum(len(p) for p in id_pools.values())
    if counts["identity"] > possible:
        raise DataError(f"artificial_language: {counts['identity']} identity verbs asked for, but only {possible} "
                        f"stems end in t or d")

    rng = np.random.default_rng(int(seed))
    deck = [t for t, n in _template_counts(trained).items() for _ in range(n)]
    deck = [deck[i] for i in rng.permutation(len(deck))]
    open_slots = [i for i, t in enumerate(deck) if t != "CCV"]
    if counts["identity"] > len(open_slots):
        raise DataError(f"artificial_language: {counts['identity']} identity verbs need CVC or VCC stems, but only "
                        f"{len(open_slots)} of the {trained} trained stems have those templates")
    id_slots = set(open_slots[:counts["identity"]])
    templates = {"identity": [deck[i] for i in sorted(id_slots)]}
    rest = [t for i, t in enumerate(deck) if i not in id_slots]
    for cls in ("vowel change", "arbitrary", "regular"):
        templates[cls], rest = rest[:counts[cls]], rest[counts[cls]:]
    novel_deck = [t for t, n in _template_counts(counts["novel"]).items() for _ in range(n)]
    templates["novel"] = [novel_deck[i] for i in rng.permutation(len(novel_deck))]

    pools = {t: _pool(t) for t in TEMPLATES}
    used = set()
    drawn = {}

    def draw(cls, accept=None, final_pools=None):
        rows = []
        for t in TEMPLATES:
            k = templates[cls].count(t)
            if k == 0:
                continue
            rows += _draw(rng, (final_pools or pools)[t], k, used, f"{cls} stems of template {t}", accept)
        order = rng.permutation(len(rows))
        return [rows[i] for i in order]

    drawn["identity"] = draw("identity", final_pools=id_pools)

    def changed(stem):
        past = _changed(stem)
        return None if past in used else (past,)

    drawn["vowel change"] = draw("vowel change", accept=changed)
    past_templates = list(TEMPLATE_COUNTS)
    weights = np.array(list(TEMPLATE_COUNTS.values()), dtype=float)
    weights /= weights.sum()

    def unrelated(stem):
        t = past_templates[int(rng.choice(len(past_templates), p=weights))]
        candidates = [f for f in pools[t] if f not in used and f != stem and all(a != b for a, b in zip(f, stem))]
        if not candidates:
            return None
        return (candidates[int(rng.integers(len(candidates)))],)

    drawn["arbitrary"] = draw("arbitrary", accept=unrelated)
    drawn["regular"] = draw("regular")
    drawn["novel"] = draw("novel")

    rows = []
    for cls in CLASSES:
        for entry in drawn[cls]:
            stem = entry[0]
            if cls == "vowel change" or cls == "arbitrary":
                past, suffix = entry[1], ""
            elif cls == "identity":
                past, suffix = stem, ""
            else:
                past, suffix = stem, allomorph(stem)
            rows.append((stem, past, suffix, cls, _template(stem), tokens[cls]))
    table = pd.DataFrame(rows, columns=["stem", "past", "suffix", "class", "template", "token_frequency"])
    table["token_frequency"] = table["token_frequency"].astype(int)
    return table


# --- the code -----------------------------------------------------------------------------------------------------

def _forms(values, what):
    if isinstance(values, str):
        return [_form(values, what)], True
    try:
        values = list(values)
    except TypeError:
        raise DataError(f"{what}: expected a form or a sequence of forms, not {type(values).__name__}") from None
    return [_form(v, what) for v in values], False


def _phoneme_features(forms):
    out = np.zeros((len(forms), len(UNITS)))
    for i, form in enumerate(forms):
        out[i, :18] = [b for c in form for b in PHONEMES[c]]
    return out


def encode_stems(stems):
    """Input patterns of stems: 3 × 6 phoneme features and 2 suffix units,
    always 0.

    Parameters
    ----------
    stems : str or sequence of str
        Forms of three symbols of :data:`PHONEMES`.

    Returns
    -------
    numpy.ndarray
        (n, 20), columns :data:`UNITS`; (20,) for a single stem.

    Raises
    ------
    DataError
        For a form that is not three known phoneme symbols.
    """
    forms, single = _forms(stems, "encode_stems")
    out = _phoneme_features(forms)
    return out[0] if single else out


def encode_pasts(pasts, suffixes):
    """Target patterns of past forms: 3 × 6 phoneme features and the 2
    suffix units of :data:`SUFFIX_CODES` (none 00, d 01, t 10, id 11).

    Parameters
    ----------
    pasts : str or sequence of str
        Past forms without their suffix (three phoneme symbols).
    suffixes : str or sequence of str
        ``""``, ``"d"``, ``"t"`` or ``"id"`` for each (None and NaN count
        as no suffix, as a CSV round trip may leave them).

    Returns
    -------
    numpy.ndarray
        (n, 20), columns :data:`UNITS`; (20,) for a single form.

    Raises
    ------
    DataError
        For an unknown symbol or suffix, or unequal numbers of forms and
        suffixes.
    """
    forms, single = _forms(pasts, "encode_pasts")
    if isinstance(suffixes, str) or suffixes is None:
        suffixes = [suffixes]
    try:
        suffixes = list(suffixes)
    except TypeError:
        raise DataError(f"encode_pasts: expected suffixes, not {type(suffixes).__name__}") from None
    if len(suffixes) != len(forms):
        raise DataError(f"encode_pasts: {len(forms)} past forms but {len(suffixes)} suffixes")
    out = _phoneme_features(forms)
    out[:, 18:] = [SUFFIX_CODES[_suffix(s, "encode_pasts")] for s in suffixes]
    return out[0] if single else out


_FROM_CODE = {code: s for s, code in SUFFIX_CODES.items()}


def decode(outputs, split=False, threshold=0.5):
    """The responses that output activations spell.

    Each 6-unit phoneme slot is read as the nearest of the 32 phonemes by
    Euclidean distance (ties to the first in :data:`PHONEMES` order); the
    two suffix units are read as on above ``threshold`` and mapped back
    through :data:`SUFFIX_CODES`.

    Parameters
    ----------
    outputs : array_like or xarray.DataArray
        (…, 20), the last axis the units :data:`UNITS`.
    split : bool
        Return the forms and the suffixes as two arrays instead of one.
    threshold : float

    Returns
    -------
    str, or an array (…) of str (a DataArray for a DataArray)
        Each response as :func:`response` writes it: the form, then ``+``
        and the suffix when there is one (``"pat"``, ``"pat+id"``).  With
        ``split=True``, a tuple (forms, suffixes).

    Raises
    ------
    DataError
        If the activations are not numbers, not 20 wide, or not finite.

    Examples
    --------
    >>> decode(encode_pasts("pat", "id"))
    'pat+id'
    """
    if isinstance(outputs, xr.DataArray):
        da = outputs
        unit_dim = da.dims[-1] if da.dims else None
        if unit_dim in da.coords and list(map(str, da[unit_dim].values)) != list(UNITS):
            raise DataError(f"decode: the units of {unit_dim!r} are not the 20 past-tense units in order")
        coords = {k: c for k, c in da.coords.items() if unit_dim not in c.dims}
        result = decode(da.values, split=split, threshold=threshold)
        wrap = lambda a: xr.DataArray(a, dims=da.dims[:-1], coords=coords)  # noqa: E731
        return tuple(map(wrap, result)) if split else wrap(result)
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not np.isfinite(threshold):
        raise DataError(f"decode: threshold must be a finite number, not {threshold!r:.40}")
    try:
        a = np.asarray(outputs, dtype=float)
    except (TypeError, ValueError):
        raise DataError("decode: the activations must be numbers") from None
    if a.ndim == 0 or a.shape[-1] != len(UNITS):
        raise DataError(f"decode: the last axis must hold the {len(UNITS)} units, not shape {a.shape}")
    if not np.isfinite(a).all():
        at = np.unravel_index(np.argmax(~np.isfinite(a)), a.shape)
        raise DataError(f"decode: activation {a[at]} at index {tuple(int(i) for i in at)} is not a finite number")
    flat = a.reshape(-1, len(UNITS))
    # squared distance to each code less the slot's own |x|², which is the same for every code
    slots = flat[:, :18].reshape(-1, 6)
    nearest = np.empty(len(slots), dtype=np.intp)
    norms = (_CODES ** 2).sum(axis=1)[:, None]
    for start in range(0, len(slots), 1 << 16):  # in chunks: codes × slots distances stay small
        chunk = slots[start:start + (1 << 16)]
        nearest[start:start + len(chunk)] = np.argmin(norms - 2 * (_CODES @ chunk.T), axis=0)
    nearest = nearest.reshape(-1, 3)
    on = (flat[:, 18:] > threshold).astype(int)
    key = ((nearest[:, 0] * 32 + nearest[:, 1]) * 32 + nearest[:, 2]) * 4 + on[:, 0] * 2 + on[:, 1]
    keys, where = np.unique(key, return_inverse=True)
    codes = [(int(k) >> 2, _FROM_CODE[((int(k) >> 1) & 1, int(k) & 1)]) for k in keys]
    forms = np.array(["".join(_SYMBOLS[[k // 1024, k // 32 % 32, k % 32]]) for k, _ in codes], dtype=object)
    suffixes = np.array([s for _, s in codes], dtype=object)
    shape = a.shape[:-1]
    where = where.reshape(-1)
    if split:
        if a.ndim == 1:
            return forms[where[0]], suffixes[where[0]]
        return forms[where].reshape(shape), suffixes[where].reshape(shape)
    out = np.array([f"{f}+{s}" if s else f for f, s in zip(forms, suffixes)], dtype=object)[where]
    return out[0] if a.ndim == 1 else out.reshape(shape)


# --- scoring ------------------------------------------------------------------------------------------------------

def _verbs(table, what):
    if not isinstance(table, pd.DataFrame):
        raise DataError(f"{what}: the verbs must be a pandas DataFrame, not {type(table).__name__}")
    missing = [c for c in ("stem", "past", "suffix", "class") if c not in table.columns]
    if missing:
        raise DataError(f"{what}: the verb table has no {missing[0]!r} column")
    for k, cls in enumerate(table["class"], 1):
        if cls not in CLASSES:
            raise DataError(f"{what}: row {k} has unknown class {cls!r} (known: {', '.join(CLASSES)})")
    stems = [_form(s, f"{what}: stem") for s in table["stem"]]
    pasts = [_form(p, f"{what}: past") for p in table["past"]]
    suffixes = [_suffix(s, f"{what}: suffix") for s in table["suffix"]]
    return stems, pasts, suffixes, list(table["class"])


def _outcome(stem, past, suffix, cls, form, said, irregular_pasts):
    """(outcome, kind) of one response (form + said suffix) to one verb."""
    if form == past and said == suffix:
        return "correct", ""
    irregular = cls in _IRREGULAR
    if irregular and form == stem and said:
        return "overregularized", "stem+suffix" if said == allomorph(stem) else "stem+wrong suffix"
    if irregular and form == past and said:
        return "overregularized", "past+suffix"
    if form == stem and not said:
        return "no change", ""
    shape = _template(stem)
    vowel_only = form != stem and _template(form) == shape and all(
        f == s for f, s, t in zip(form, stem, shape) if t == "C")
    if vowel_only and not said:
        return "other irregularization", "vowel change" if form == _changed(stem) else "other vowel"
    if not said and form in irregular_pasts and form != past:
        return "other irregularization", "another verb's past"
    if vowel_only:
        return "other", "vowel change+suffix"
    if form == stem:
        return "other", "wrong suffix"
    return "other", ""


def classify(responses, table):
    """What kind of response each response is.

    Outcomes (:data:`OUTCOMES`), with a ``kind`` that refines some of them:

    ``correct``
        the verb's past form with its suffix (for a regular or novel verb,
        the stem and its :func:`allomorph`).
    ``overregularized``
        an irregular verb (arbitrary, identity, vowel change) with a suffix:
        kind ``"stem+suffix"`` (the stem and its regular allomorph: goed,
        hitted), ``"stem+wrong suffix"`` (the stem and another allomorph)
        or ``"past+suffix"`` (the irregular past and a suffix, a "blend":
        wented, sanged).  An identity verb's stem is its past: its
        suffixed forms count as stem+suffix.
    ``no change``
        the stem without a suffix, for a verb whose past differs from it
        (an irregular verb's or a regular verb's).
    ``other irregularization``
        an irregular-looking form without a suffix that is not the verb's
        past: the stem with only its vowel changed (kind ``"vowel
        change"`` when by :data:`VOWEL_CHANGE`, ``"other vowel"``
        otherwise) — for a regular verb, or a wrong vowel for an irregular
        one — or the past form of another irregular verb in the table
        (kind ``"another verb's past"``).
    ``other``
        anything else; kind ``"wrong suffix"`` for the stem with a wrong
        allomorph (regular and novel verbs), ``"vowel change+suffix"`` for
        a vowel-changed stem with a suffix, otherwise ``""``.

    The categories follow the error types of PM91/PM93 and Marcus (1995);
    their exact boundaries here are this project's.

    Parameters
    ----------
    responses : array_like of str, or xarray.DataArray
        (…, verbs): responses as :func:`decode` writes them (``"pat"``,
        ``"pat+id"``), the last axis the rows of ``table``.
    table : pandas.DataFrame
        Columns ``stem``, ``past``, ``suffix`` and ``class``, as from
        :func:`artificial_language`.

    Returns
    -------
    outcome, kind : numpy.ndarray of str
        Both of the shape of ``responses`` (DataArrays for a DataArray).
        For one response per verb, ``pandas.DataFrame({"outcome": outcome,
        "kind": kind}, index=table["stem"])`` is the usual table.

    Raises
    ------
    DataError
        For a malformed response or verb, or a last axis that is not one
        response per verb.
    """
    if isinstance(responses, xr.DataArray):
        da = responses
        outcome, kind = classify(da.values, table)
        return (xr.DataArray(outcome, dims=da.dims, coords=da.coords, name="outcome"),
                xr.DataArray(kind, dims=da.dims, coords=da.coords, name="kind"))
    stems, pasts, suffixes, classes = _verbs(table, "classify")
    r = np.asarray(responses, dtype=object)
    n = len(stems)
    if r.ndim == 0 or r.shape[-1] != n:
        raise DataError(f"classify: {r.shape[-1] if r.ndim else 0} responses on the last axis for {n} verbs")
    if r.size == 0:
        return np.empty(r.shape, dtype=object), np.empty(r.shape, dtype=object)
    irregular_pasts = {p for p, s, c in zip(pasts, stems, classes) if c in _IRREGULAR and p != s}
    flat = r.reshape(-1, n)
    outcome = np.empty(flat.shape, dtype=object)
    kind = np.empty(flat.shape, dtype=object)
    cache = {}
    for j in range(n):
        verb = (stems[j], pasts[j], suffixes[j], classes[j])
        for i, text in enumerate(flat[:, j]):
            key = (j, text)
            if key not in cache:
                form, said = _split(text, "classify")
                cache[key] = _outcome(*verb, form, said, irregular_pasts)
            outcome[i, j], kind[i, j] = cache[key]
    return outcome.reshape(r.shape), kind.reshape(r.shape)


# --- environment --------------------------------------------------------------------------------------------------

def environment(table, name="plunkett-marchman"):
    """An :class:`~pdplab.Environment` of verbs: stems in, past forms out.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``stem``, ``past``, ``suffix`` and ``class`` (and usually
        ``template`` and ``token_frequency``), as from
        :func:`artificial_language`; other columns are kept.
    name : str

    Returns
    -------
    Environment
        Input group ``stem_features`` (:func:`encode_stems`, 20 units) and output
        group ``past_features`` (:func:`encode_pasts`, 20 units), both labelled
        :data:`UNITS`; items labelled by stem, with the table's columns;
        frequency the ``token_frequency`` column (None when the table has
        none or every verb's is 0, e.g. novel verbs only).

    Notes
    -----
    Novel verbs have token frequency 0: they are never drawn under
    ``order="probabilistic"`` and add no error under
    ``scale_by_frequency``, but ordered and permuted training presents
    every item.  To train on the language and test generalization, build
    the training environment from the trained rows and add the novel ones
    as test items::

        train = environment(table[table["class"] != "novel"])
        both = train.with_test(environment(table[table["class"] == "novel"]))

    Raises
    ------
    DataError
        For a missing column, a malformed form, suffix or class, a stem
        listed twice, or a bad token frequency.
    """
    stems, pasts, suffixes, _ = _verbs(table, name)
    items = table.reset_index(drop=True).copy()
    items["suffix"] = suffixes
    frequency = None
    if "token_frequency" in items.columns:
        try:
            freq = np.asarray(items["token_frequency"], dtype=float)
        except (TypeError, ValueError):
            raise DataError(f"{name}: the token_frequency column must hold numbers") from None
        if freq.size and (~np.isfinite(freq) | (freq < 0)).any():
            k = int(np.argmax(~np.isfinite(freq) | (freq < 0)))
            raise DataError(f"{name}: verb {stems[k]!r} has token frequency {freq[k]}; it must be finite and at "
                            f"least 0")
        if freq.sum() > 0:
            frequency = freq
    items.index = pd.Index(stems, name="item")
    return Environment({INPUT: encode_stems(stems)}, {OUTPUT: encode_pasts(pasts, suffixes)}, items=items,
                       frequency=frequency, units={INPUT: UNITS, OUTPUT: UNITS}, name=name)
