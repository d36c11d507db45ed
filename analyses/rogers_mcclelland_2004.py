"""Rogers & McClelland (2004, ch. 3 and 5): the 21-item semantic network.

The claims of the 8-item model, on the larger corpus: every fact learned,
progressive differentiation (plants from animals; trees, flowers, birds, fish
and mammals; then items), the illusory "pine has leaves", and general facts
outlasting intermediate ones, and intermediate outlasting specific ones,
under noise on the weights into the representation layer.  Differentiation
is measured as for the 8-item model (``pdplab.models.semantic``).
"""

from pdplab.models import semantic_claims

NAME = "rogers-mcclelland-2004"
TITLE = "Rogers & McClelland (2004): the 21-item semantic network"
SPEC = "rogers_mcclelland_2004.toml"
RECORDED = ("representation", "attribute")  # groups the analysis reads


def analyse(ds, experiment):
    return semantic_claims.analyse(ds, experiment, illusion_fact=("pine", "has", "has:leaves"),
                                   naming=("isa-general", "isa-basic", "isa-specific"), severities=[0, 1, 2, 4, 8])
