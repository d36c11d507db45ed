"""Rumelhart & Todd (1993); Rogers & McClelland (2004, ch. 3 and 5).

Trained on eight items, the semantic network learns every fact; its item
representations differentiate progressively (plants from animals, then trees
from flowers and birds from fish, then the items themselves); the false fact
"pine has leaves" is believed while pine is still close to the other plants,
then unlearned; and noise on the weights into the representation layer
erases specific knowledge before general knowledge, as in semantic dementia.

Differentiation is measured on the Euclidean distances between the
representation layer's patterns for the eight items: a level (plants vs
animals; categories within a domain; items within a category) splits when
its mean distance has covered half of its rise from its value before
training to its peak (``pdplab.models.semantic``).  The claims are tests
over the replicas (``pdplab.models.semantic_claims``).
"""

from pdplab.models import semantic_claims

NAME = "rumelhart-todd-1993"
TITLE = "Rumelhart & Todd (1993): learning, progressive differentiation, illusory correlation, damage"
SPEC = "rumelhart_todd_1993.toml"
RECORDED = ("representation", "attribute")  # groups the analysis reads


def analyse(ds, experiment):
    return semantic_claims.analyse(ds, experiment, illusion_fact=("pine", "has", "leaves"), naming=("ISA",),
                                   severities=[0, 1, 2, 4, 8])
