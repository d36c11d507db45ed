"""The word and nonword lists of the PMSP96 reading simulations.

Three shipped lists (``stimuli/*.csv``, each with its citation in its header
comment), read as pandas DataFrames with one row per item:

- :func:`glushko_1979`: 86 nonwords; ``consistency`` (consistent, inconsistent).
- :func:`mccann_besner_1987`: 160 nonwords; ``condition`` (pseudohomophone,
  control) and ``coda_j`` (bool).
- :func:`taraban_mcclelland_1987`: 192 words; ``frequency`` (high, low) and
  ``regularity`` (exception, ambiguous, regular-inconsistent,
  regular-consistent).

Every table has ``spelling``, ``pronunciation`` (the target, in Plaut's
phoneme notation) and ``pronunciations`` (a tuple of every pronunciation the
list accepts, the target first; in the CSV files they are separated by
``|``).  Condition columns are ordered categoricals, so that ``groupby``
lists the cells in the papers' order.

Plaut's phoneme notation: vowels ``a`` (pot) ``e`` (bed) ``i`` (bit) ``o``
(law) ``u`` (put) ``@`` (cat) ``^`` (cut) ``A`` (bake) ``E`` (beet) ``I``
(bite) ``O`` (boat) ``U`` (boot) ``W`` (cow) ``Y`` (boy); consonants ``s S C
z Z j f v T D p b t d k g m n h l r w y N`` with ``S`` (ship), ``C`` (chip),
``Z`` (measure), ``j`` (jam), ``T`` (thin), ``D`` (this), ``N`` (sing).

Plaut's example files code the conditions: Glushko's GPR (regular
pseudoword) and GPE (exception pseudoword); McCann & Besner's ctrl and ph;
Taraban & McClelland's H-/L- (high/low frequency) followed by E (exception),
RI (regular inconsistent), R (regular consistent) or AMB (ambiguous).  The
readable names used here are :data:`CODES`.

References
----------
Glushko, R. J. (1979). The organization and activation of orthographic
knowledge in reading aloud. *Journal of Experimental Psychology: Human
Perception and Performance*, 5, 674-691.
McCann, R. S., & Besner, D. (1987). Reading pseudohomophones: Implications
for models of pronunciation assembly and the locus of word-frequency effects
in naming. *Journal of Experimental Psychology: Human Perception and
Performance*, 13, 14-24.
Taraban, R., & McClelland, J. L. (1987). Conspiracy effects in word
pronunciation. *Journal of Memory and Language*, 26, 608-631.
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading: Computational principles in
quasi-regular domains. *Psychological Review*, 103, 56-115.

Examples
--------
>>> from pdplab.stimuli.reading_lists import taraban_mcclelland_1987
>>> words = taraban_mcclelland_1987()
>>> words.groupby(["frequency", "regularity"], observed=True).size().unique().tolist()
[24]
>>> words.set_index("spelling").loc["pint", ["pronunciation", "regularity"]].tolist()
['pInt', 'exception']
"""

from __future__ import annotations

import io

import pandas as pd

from ..exceptions import DataError
from ..paths import data_dir

__all__ = ["glushko_1979", "mccann_besner_1987", "taraban_mcclelland_1987", "reading_list", "READING_LISTS",
           "CODES"]

#: Plaut's condition codes (in his example files) and the values used here, by list and column.
CODES = {
    "glushko_1979": {"consistency": {"GPR": "consistent", "GPE": "inconsistent"}},
    "mccann_besner_1987": {"condition": {"ctrl": "control", "ph": "pseudohomophone"}},
    "taraban_mcclelland_1987": {
        "frequency": {"H": "high", "L": "low"},
        "regularity": {"E": "exception", "RI": "regular-inconsistent", "R": "regular-consistent",
                       "AMB": "ambiguous"},
    },
}

#: Every condition column's values, in the order the papers report them.
_LEVELS = {
    "consistency": ["consistent", "inconsistent"],
    "condition": ["pseudohomophone", "control"],
    "frequency": ["high", "low"],
    "regularity": ["exception", "ambiguous", "regular-inconsistent", "regular-consistent"],
}

_COLUMNS = {
    "glushko_1979": ["spelling", "pronunciation", "consistency"],
    "mccann_besner_1987": ["spelling", "pronunciation", "condition", "coda_j"],
    "taraban_mcclelland_1987": ["spelling", "pronunciation", "frequency", "regularity"],
}


def _read(name):
    path = data_dir("stimuli") / f"{name}.csv"
    text = path.read_text()
    # Every column is text: spellings such as "nan", "null" or "true" must stay words.
    table = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)
    if list(table.columns) != _COLUMNS[name]:
        raise DataError(f"{path}: columns {', '.join(table.columns)}; expected {', '.join(_COLUMNS[name])}")
    if table["spelling"].duplicated().any():
        raise DataError(f"{path}: spelling {table['spelling'][table['spelling'].duplicated()].iloc[0]!r} "
                        f"occurs twice")
    accepted = table["pronunciation"].str.split("|").map(tuple)
    table["pronunciation"] = accepted.str[0].astype(table["spelling"].dtype)
    table.insert(2, "pronunciations", accepted)
    for column in table.columns.intersection(list(_LEVELS)):
        odd = sorted(set(table[column]) - set(_LEVELS[column]))
        if odd:
            raise DataError(f"{path}: column {column!r} holds {odd[0]!r}; "
                            f"expected one of {', '.join(_LEVELS[column])}")
        table[column] = pd.Categorical(table[column], categories=_LEVELS[column], ordered=True)
    if "coda_j" in table:
        table["coda_j"] = table["coda_j"].map({"true": True, "false": False}).astype(bool)
    return table


def glushko_1979():
    """Glushko's (1979) 43 consistent and 43 inconsistent nonwords.

    Returns
    -------
    pandas.DataFrame
        86 rows; columns ``spelling``, ``pronunciation`` (the regular
        pronunciation, in Plaut's notation), ``pronunciations`` (tuple) and
        ``consistency`` (consistent: Glushko's regular pseudowords, e.g.
        TAZE; inconsistent: his exception pseudowords, e.g. TAVE).

    Notes
    -----
    PMSP96 (Simulation 1) also scored inconsistent nonwords leniently,
    accepting any pronunciation their body has in a training word; that set
    depends on the training corpus and is not part of this list.

    References
    ----------
    Glushko, R. J. (1979). *JEP: Human Perception and Performance*, 5, 674-691.
    Plaut, D. C., et al. (1996). *Psychological Review*, 103, 56-115.
    """
    return _read("glushko_1979")


def mccann_besner_1987():
    """McCann & Besner's (1987) 80 pseudohomophones and 80 control nonwords.

    Returns
    -------
    pandas.DataFrame
        160 rows; columns ``spelling``, ``pronunciation``, ``pronunciations``,
        ``condition`` (pseudohomophone, e.g. TRAX; control, e.g. PRAX) and
        ``coda_j``: true for the four items spelled with J after the vowel
        (FAIJE, JINJE, WAIJE, BINJE), which no PMSP96 training word has and
        which are usually left out of the model's scores.

    References
    ----------
    McCann, R. S., & Besner, D. (1987). *JEP: Human Perception and
    Performance*, 13, 14-24.
    Plaut, D. C., et al. (1996). *Psychological Review*, 103, 56-115.
    """
    return _read("mccann_besner_1987")


def taraban_mcclelland_1987():
    """Taraban & McClelland's (1987) words as tested with the PMSP96 model.

    Returns
    -------
    pandas.DataFrame
        192 rows, 24 in each cell of ``frequency`` (high, low) ×
        ``regularity`` (exception, ambiguous, regular-inconsistent,
        regular-consistent); columns ``spelling``, ``pronunciation``,
        ``pronunciations``, ``frequency``, ``regularity``.  All are words of
        the PMSP96 training corpus.

    References
    ----------
    Taraban, R., & McClelland, J. L. (1987). *Journal of Memory and
    Language*, 26, 608-631.
    Plaut, D. C., et al. (1996). *Psychological Review*, 103, 56-115.
    """
    return _read("taraban_mcclelland_1987")


#: The lists by name.
READING_LISTS = {
    "glushko_1979": glushko_1979,
    "mccann_besner_1987": mccann_besner_1987,
    "taraban_mcclelland_1987": taraban_mcclelland_1987,
}


def reading_list(name):
    """The list called ``name`` (a key of :data:`READING_LISTS`).

    Raises
    ------
    pdplab.exceptions.DataError
        For an unknown name.
    """
    if name not in READING_LISTS:
        raise DataError(f"no reading list {name!r}; the lists are {', '.join(READING_LISTS)}")
    return READING_LISTS[name]()
