"""Plunkett & Marchman (1993): the past tense of an artificial language, learned on a growing vocabulary.

A network maps verb stems (three phonemes of six features) onto their past
forms (three phonemes and two suffix units).  Its vocabulary starts with 20
verbs and grows to 500: 410 regular (stem + /d/, /t/ or /ɪd/ by the stem's
last phoneme), 68 vowel change, 20 identity (no change) and 2 arbitrary.
Plunkett & Marchman found a period of rote learning, then overregularization
errors once the vocabulary passed a critical mass; the errors stay rare,
come and go verb by verb (micro U-shapes), and spare frequent irregulars.
Every recorded output is decoded to the nearest phonemes and classified;
rates are per token.  The language is generated anew (seeded), with the
published class sizes; the growth schedule, token frequencies and bounds are
this project's choices (see the parameters).
"""

from pdplab.models.past_tense_claims import analyse  # noqa: F401 - the reproduction's protocol

NAME = "plunkett-marchman-1993"
TITLE = "Plunkett & Marchman (1993): overregularization and micro U-shapes on a growing vocabulary"
SPEC = "plunkett_marchman_1993.toml"
RECORDED = ("past_features",)
