"""Rumelhart & Todd (1993); Rogers & McClelland (2004, ch. 3 and 5).

Trained on eight items, the semantic network learns every fact; its item
representations differentiate progressively (plants from animals, then trees
from flowers and birds from fish, then the items themselves); the false fact
"pine has leaves" is briefly believed while pine is still close to the other
plants; and noise on the weights into the representation layer erases
specific knowledge before general knowledge, as in semantic dementia.

Split epochs use correlation distances between the representation layer's
patterns for the eight items: a level splits at the first recorded epoch
from which items in different groups stay further apart than items in the
same group by at least half the final gap (``pdplab.analysis.rsa.split_epoch``).
"""

from pdplab.models.semantic import reproduce_semantic

NAME = "rumelhart-todd-1993"
TITLE = "Rumelhart & Todd (1993): learning, progressive differentiation, illusory correlation, damage"
SPEC = "rumelhart_todd_1993.toml"

GENERAL = ["living thing", "plant", "animal", "living", "grow", "move"]
SPECIFIC = ["pine", "oak", "rose", "daisy", "robin", "canary", "sunfish", "salmon"]


def analyse(ds, experiment):
    return reproduce_semantic(ds, experiment, GENERAL, SPECIFIC, illusion=("pine", "has", "leaves"),
                              severities=[0, 1, 2, 4, 8])
