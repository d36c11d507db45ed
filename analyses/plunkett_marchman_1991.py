"""Plunkett & Marchman (1991): the past tense of an artificial language, learned on the whole vocabulary at once.

The network, language and scoring of the 1993 reproduction, but all 500
verbs are trained from the first epoch.  Plunkett & Marchman (1991) found
overregularization errors and micro U-shaped development without any
change in the training regime: errors come and go verb by verb, spare the
frequent irregulars, and stay rare.  Marcus (1995) argued that U-shaped
learning in these networks needs the abrupt growth of the 1993 regime;
comparing this reproduction's micro U-shapes with the 1993 one's tests that.
The onset claim of 1993 has no counterpart here (the vocabulary never grows).
"""

from pdplab.models.past_tense_claims import analyse  # noqa: F401 - the reproduction's protocol

NAME = "plunkett-marchman-1991"
TITLE = "Plunkett & Marchman (1991): overregularization and micro U-shapes on the whole vocabulary"
SPEC = "plunkett_marchman_1991.toml"
RECORDED = ("past_features",)
