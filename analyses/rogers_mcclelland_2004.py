"""Rogers & McClelland (2004, ch. 3 and 5): the 21-item semantic network.

The claims of the 8-item model, on the larger corpus: every fact learned,
progressive differentiation (plants from animals; trees, flowers, birds, fish
and mammals; then items), the illusory "pine has leaves", and specific
knowledge lost before general knowledge under noise on the weights into the
representation layer.  Split epochs are measured as for the 8-item model.
"""

from pdplab.models.semantic import reproduce_semantic

NAME = "rogers-mcclelland-2004"
TITLE = "Rogers & McClelland (2004): the 21-item semantic network"
SPEC = "rogers_mcclelland_2004.toml"

GENERAL = ["isa-general:plant", "isa-general:animal", "is:living", "can:grow", "can:move"]
SPECIFIC = ["isa-specific:" + name for name in (
    "pine", "oak", "maple", "birch", "rose", "daisy", "tulip", "sunflower",
    "robin", "canary", "sparrow", "penguin", "sunfish", "salmon", "flounder", "cod")]


def analyse(ds, experiment):
    return reproduce_semantic(ds, experiment, GENERAL, SPECIFIC, illusion=("pine", "has", "has:leaves"),
                              severities=[0, 1, 2, 4, 8])
