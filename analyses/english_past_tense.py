"""The English past tense: regular before irregular, overregularization, micro U-shapes, frequency and wugs.

A network maps the stems of English verbs (by default the 500 most frequent
monosyllabic ones; articulatory features in a CCC VV CCCC template) onto
their past forms, trained by square-root token frequency, as in the classic past-tense
models (Rumelhart & McClelland 1986; MacWhinney & Leinbach 1991; Plunkett &
Marchman 1991).  Every recorded output is decoded to the nearest
pronunciation and classified (correct, overregularized, no change, other
irregularization, other).  Novel stems, never trained, test generalization
(Berko 1958), half of them rhyming with irregular verbs (Albright & Hayes
2003).  The corpus, the settings not from the papers and the bounds are this
project's choices (see the parameters).
"""

from pdplab.models.english_past_tense_claims import analyse, check  # noqa: F401 - the reproduction's protocol

NAME = "english-past-tense"
TITLE = "The English past tense: overregularization, micro U-shapes, frequency and wugs"
SPEC = "english_past_tense.toml"
RECORDED = ("past_features",)
