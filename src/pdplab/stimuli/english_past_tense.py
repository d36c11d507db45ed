"""The English past tense as a mapping from stem to past form, in the
phonological template, with a wug test of novel stems.

:func:`english_past_tense` takes the ``size`` most frequent monosyllabic
English verbs (:func:`pdplab.stimuli.english_verbs.english_verbs`), codes
each stem and past in the ``CCC VV CCCC`` template of articulatory features
(:mod:`pdplab.models.phonology`), and trains by a compressed token
frequency.  :func:`english_past_tense_wugs` gives novel stems (never
trained) to test generalization, as Berko (1958) tested children with
"wug" words and Albright & Hayes (2003) tested adults with nonce verbs
that rhyme with irregular verbs (spling ~ sing, ring) or do not (blafe).

Token frequency
---------------
``token_frequency`` = √``frequency``, ``frequency`` the corpus's
per-million count of stem and past spellings: a choice of this project,
the square-root compression Plaut et al. (1996) also ran, so that be
(12 773 per million) is drawn about 23 times as often as the rarest verbs
(≈ 25 per million) rather than 500 times, and regular verbs, frequent by
type, still dominate the tokens trained.  (Log compression, ln(1 + f),
leaves a threefold range, too little for frequency to matter.)

Wugs
----
The novel stems (:data:`WUGS`) were written for this project in ARPAbet:
monosyllables that are not English verbs.  Whether a stem rhymes with an
irregular verb is decided on the trained corpus, not by hand: its class is
``novel rhyming`` when its rime (vowel and coda) is that of a trained
irregular verb's stem (item column ``rhymes_with`` lists them), otherwise
``novel``.  The stems were chosen so that, with the default corpus, 15
rhyme with irregulars (spling ~ sing, ring; fleep ~ keep, sleep; blite ~
bite, light, write) and 15 rhyme only with regular verbs or with none
(blafe, glip, rask).  Their expected past is the regular one
(:func:`pdplab.stimuli.english_verbs.regular_past`).

References
----------
Albright, A., & Hayes, B. (2003). Rules vs. analogy in English past tenses:
a computational/experimental study. *Cognition*, 90, 119–161.
Berko, J. (1958). The child's learning of English morphology. *Word*, 14,
150–177.
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading. *Psychological Review*,
103, 56–115.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import DataError

__all__ = ["english_past_tense", "english_past_tense_wugs", "WUGS", "INPUT", "OUTPUT", "IRREGULAR", "rime",
           "DEFAULT_SIZE"]

INPUT, OUTPUT = "stem_features", "past_features"
#: The corpus classes whose past is not the regular one.
IRREGULAR = ("no change", "vowel change", "other irregular", "suppletive")
#: Verbs in the default set.
DEFAULT_SIZE = 500

#: Novel stems (spelling: ARPAbet), written for this project.  The first 15 rhyme with irregular verbs of the
#: default corpus, the others do not (the class is decided on the corpus, see the module notes).
WUGS = {
    # rhyming with irregular verbs
    "spling": "S P L IH NG",  # sing, ring, string
    "fring": "F R IH NG",
    "fleep": "F L IY P",  # keep, sleep
    "preep": "P R IY P",
    "gleed": "G L IY D",  # feed, lead, read, speed
    "blite": "B L AY T",  # bite, light, write, fight
    "plide": "P L AY D",  # ride, hide
    "frow": "F R OW",  # grow, throw, know, blow
    "gleak": "G L IY K",  # speak, seek
    "drin": "D R IH N",  # win, spin
    "skell": "S K EH L",  # sell, tell
    "greel": "G R IY L",  # feel, deal, steal
    "frake": "F R EY K",  # take, break, wake, shake
    "plind": "P L AY N D",  # find, grind, wind, bind
    "bize": "B AY Z",  # rise
    # not rhyming with irregular verbs
    "blafe": "B L EY F",
    "glip": "G L IH P",
    "rask": "R AE S K",
    "nace": "N EY S",
    "gude": "G UW D",
    "stoof": "S T UW F",
    "trisk": "T R IH S K",
    "slub": "S L AH B",
    "grunch": "G R AH N CH",
    "flurn": "F L ER N",
    "prass": "P R AE S",
    "zoop": "Z UW P",
    "plam": "P L AE M",
    "dape": "D EY P",
    "brop": "B R AA P",
}


def rime(phon):
    """The vowel and coda of an ARPAbet monosyllable (``"S P L IH NG"`` → ``"IH NG"``)."""
    from ..models import phonology

    _, vowel, coda = phonology.parse(phon)
    return " ".join((vowel, *coda))


def _size(size):
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise DataError(f"english_past_tense: size must be a positive whole number, not {size!r}")
    return int(size)


def _environment(items, name):
    from ..environment import Environment
    from ..models import phonology

    units = phonology.units()
    frequency = items["token_frequency"].to_numpy(dtype=float)
    return Environment({INPUT: phonology.encode(list(items["stem_phon"]))},
                       {OUTPUT: phonology.encode(list(items["past_phon"]))},
                       items=items, frequency=frequency if frequency.sum() > 0 else None,
                       units={INPUT: units, OUTPUT: units}, name=name)


def _corpus(size, corpus="english"):
    from .english_verbs import english_verbs, regular_past

    if str(corpus) == "english":
        verbs = english_verbs(_size(size)).verbs
    else:
        verbs = _own_verbs(Path(corpus).expanduser().absolute())
    items = verbs[["verb", "past", "stem_phon", "past_phon", "class", "frequency"]].copy()
    items["regular_past"] = [regular_past(s) for s in items["stem_phon"]]
    items["token_frequency"] = np.sqrt(items["frequency"].to_numpy(dtype=float))
    items.index = pd.Index(items["verb"], name="item")
    return items


def _own_verbs(path):
    """A vocabulary of the user's: a CSV with columns verb, past, stem_phon and past_phon
    (ARPAbet, stress marks optional) and frequency (per million)."""
    from ..models import phonology
    from .english_verbs import past_tense_class
    from .tables import read_csv

    table = read_csv(path, comment="#", dtype=str, keep_default_na=False)
    missing = [c for c in ("verb", "past", "stem_phon", "past_phon", "frequency") if c not in table.columns]
    if missing:
        raise DataError(f"{path}: no {missing[0]!r} column (a vocabulary needs verb, past, stem_phon, past_phon "
                        f"and frequency)")
    if table.empty:
        raise DataError(f"{path}: has a header but no verbs")
    if table["verb"].duplicated().any():
        raise DataError(f"{path}: verb {table['verb'][table['verb'].duplicated()].iloc[0]!r} is listed twice")
    frequency = pd.to_numeric(table["frequency"], errors="coerce")
    bad = frequency.isna() | ~np.isfinite(frequency) | (frequency <= 0)
    if bad.any():
        raise DataError(f"{path}: verb {table['verb'][bad].iloc[0]!r}: the frequency must be a number > 0 (a verb "
                        f"of frequency 0 would never be trained)")
    rows = []
    for line, row in enumerate(table.itertuples(index=False), start=2):
        # ARPAbet in capitals without stress marks, as the decoder writes it.
        stem, past = (" ".join(p for p in ("".join(c for c in t if not c.isdigit()).upper() for t in text.split())
                               if p)
                      for text in (row.stem_phon, row.past_phon))
        try:
            for form in (stem, past):
                phonology.encode([form])
            cls = past_tense_class(stem, past)
        except DataError as exc:
            raise DataError(f"{path}:{line}: verb {row.verb!r}: {exc}") from None
        rows.append({"verb": row.verb, "past": row.past, "stem_phon": stem, "past_phon": past, "class": cls})
    return pd.DataFrame(rows).assign(frequency=frequency.to_numpy(dtype=float))


def english_past_tense(size=DEFAULT_SIZE, seed=0, corpus="english"):
    """The ``size`` most frequent monosyllabic English verbs, or a vocabulary of your own:
    stem features in, past features out.

    Parameters
    ----------
    size : int, default 500
        Verbs (most frequent first; with 500: 404 regular, 55 vowel change,
        24 other irregular, 15 no change, 2 suppletive).
    corpus : str or Path
        ``"english"`` (:func:`pdplab.stimuli.english_verbs.english_verbs`), or
        a CSV of your own verbs with columns ``verb``, ``past``, ``stem_phon``,
        ``past_phon`` (ARPAbet) and ``frequency`` (per million); each verb's
        class is found from its pronunciations (relative paths are read from
        the current folder; ``size`` is then ignored).
    seed : int
        Unused (the corpus is fixed); kept for the stimulus-set protocol.

    Returns
    -------
    Environment
        Input group ``stem_features`` and output group ``past_features``
        (the template code, labelled by :func:`pdplab.models.phonology.units`);
        items labelled by verb, with columns ``verb``, ``past``,
        ``stem_phon``, ``past_phon``, ``class``, ``frequency`` (per million),
        ``regular_past`` and ``token_frequency`` (√frequency), by
        which it is trained.
    """
    return _environment(_corpus(size, corpus), "english-past-tense")


def english_past_tense_wugs(size=DEFAULT_SIZE, corpus="english"):
    """Novel stems for a wug test, never trained (see the module notes).

    Parameters
    ----------
    size, corpus
        The trained corpus (as :func:`english_past_tense`), whose irregular
        verbs decide which stems rhyme with one.

    Returns
    -------
    Environment
        As :func:`english_past_tense`, labelled by the stem's spelling;
        ``class`` is ``novel rhyming`` or ``novel``, ``rhymes_with`` the
        trained irregular verbs of the same rime (``|``-separated),
        ``past``/``past_phon`` the regular past, ``frequency`` NaN and
        ``token_frequency`` 0.
    """
    from .english_verbs import regular_past

    corpus = _corpus(size, corpus)
    known = set(corpus["verb"]) | set(corpus["stem_phon"])
    clash = [w for w, p in WUGS.items() if w in known or p in known]
    if clash:
        raise DataError(f"english_past_tense_wugs: {', '.join(clash)} is a trained verb")
    irregular = corpus[corpus["class"].isin(IRREGULAR)]
    rimes = {}
    for verb, stem in zip(irregular["verb"], irregular["stem_phon"]):
        rimes.setdefault(rime(stem), []).append(verb)
    rows = []
    for wug, stem in WUGS.items():
        past = regular_past(stem)
        rhymes = rimes.get(rime(stem), [])
        rows.append({"verb": wug, "past": wug + "ed", "stem_phon": stem, "past_phon": past,
                     "class": "novel rhyming" if rhymes else "novel", "frequency": np.nan,
                     "regular_past": past, "token_frequency": 0.0, "rhymes_with": "|".join(rhymes)})
    items = pd.DataFrame(rows)
    items.index = pd.Index(items["verb"], name="item")
    return _environment(items, "english-past-tense-wugs")
