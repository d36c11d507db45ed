"""Plunkett & Marchman's (1993) growing vocabulary of an artificial language.

The language is :func:`pdplab.models.past_tense.artificial_language`: 500
verbs (410 regular, 68 vowel change, 20 identity, 2 arbitrary) and novel
stems for a generalization test.  Plunkett & Marchman (1993) trained a
network on a small vocabulary first and then added verbs as training went
on; :func:`plunkett_marchman_1993` gives every verb the epoch at which it
enters training (item column ``enters``; NaN for novel stems, never
trained), which a spec turns into an environment schedule with
``environment.grow = "enters"``; ``environment.grow = "from_start"`` trains
the whole vocabulary from the start, as Plunkett & Marchman (1991) did.

This project's choices, as the paper's figures could not be verified: the
first 20 verbs are 12 regular, 4 vowel change, 2 identity and the 2
arbitrary verbs (children's first verbs are disproportionately irregular);
then one verb joins every 5 epochs until there are 100, and one every epoch
until all 500 have; the order of the later verbs is random (seeded).
Irregular verbs have a high (5) or a low (1) token frequency, half each
within a class (the arbitrary verbs high), regular verbs 1, so that the
protection of frequent irregulars can be tested within a class
(``token`` column: high or low).

References
----------
Plunkett, K., & Marchman, V. (1991). U-shaped learning and frequency effects
in a multi-layered perceptron: Implications for child language acquisition.
*Cognition*, 38, 43–102.
Plunkett, K., & Marchman, V. (1993). From rote learning to system building:
acquiring verb morphology in children and connectionist nets. *Cognition*,
48, 21–69.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import DataError

__all__ = ["plunkett_marchman_1993", "FIRST_VERBS", "HIGH", "LOW"]

#: The first verbs trained, by class (this project's choice).
FIRST_VERBS = {"regular": 12, "vowel change": 4, "identity": 2, "arbitrary": 2}
#: Token frequencies of irregular verbs of high and low frequency, and of regular verbs (LOW).
HIGH, LOW = 5, 1


def plunkett_marchman_1993(seed=0, novel=211, every_until_100=5):
    """The vocabulary and its schedule of growth (see the module notes).

    Parameters
    ----------
    seed : int
        Seeds the language, the token frequencies and the order of growth.
    novel : int
        Novel stems for the generalization test (never trained).
    every_until_100 : int
        Epochs between new verbs until the vocabulary has 100 (then 1).

    Returns
    -------
    Environment
        Input group ``stem``, output group ``past``; item columns ``stem``,
        ``past``, ``suffix``, ``class``, ``template``, ``token_frequency``,
        ``token`` (high, low), ``enters`` (the growing vocabulary of 1993) and
        ``from_start`` (0 for every verb: the whole vocabulary from the start,
        as in 1991); trained by token frequency.
    """
    from ..models import past_tense

    if isinstance(every_until_100, bool) or not isinstance(every_until_100, int) or every_until_100 < 1:
        raise DataError(f"every_until_100 must be a whole number ≥ 1, not {every_until_100!r}")
    rng = np.random.default_rng([int(seed), 1993])
    table = past_tense.artificial_language(novel=novel, seed=seed).reset_index(drop=True)
    verbs = table.index[table["class"] != "novel"]
    token = pd.Series("low", index=table.index)
    for cls in ("vowel change", "identity"):
        members = rng.permutation(table.index[table["class"] == cls])
        token[members[: len(members) // 2]] = "high"
    token[table["class"] == "arbitrary"] = "high"
    token[table["class"] == "regular"] = "low"
    table["token"] = token.where(table["class"] != "novel", "none")
    table["token_frequency"] = np.where(table["token"] == "high", HIGH, np.where(table["class"] == "novel", 0, LOW))

    first = np.concatenate([rng.choice(table.index[table["class"] == cls], n, replace=False)
                            for cls, n in FIRST_VERBS.items()])
    later = rng.permutation(np.setdiff1d(verbs, first))
    gaps = [every_until_100 if len(first) + i < 100 else 1 for i in range(len(later))]
    table["enters"] = np.nan
    table.loc[first, "enters"] = 0
    table.loc[later, "enters"] = np.cumsum(gaps)
    table["from_start"] = np.where(table["class"] == "novel", np.nan, 0.0)  # Plunkett & Marchman 1991
    return past_tense.environment(table, name="plunkett-marchman")
