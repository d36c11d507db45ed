"""pdplab: connectionist (PDP) models trained with backpropagation.

>>> import pdplab as pl
>>> net = pl.Network([pl.Group("input", 2), pl.Group("hidden", 2),
...                   pl.Group("output", 1, error="sse")],
...                  [("input", "hidden"), ("hidden", "output")])
"""

__version__ = "0.1.0"

from . import analysis
from .core import damage
from .core.files import load, load_weights, save, save_weights
from .core.network import Group, Network, Projection
from .core.propagate import gradients, inspect
from .core.record import Record, weights_from_dataset
from .core.train import train
from .environment import Environment
from .exceptions import DataError, DivergenceError, NetworkError, PdplabError
from .spec import SpecError, load_spec
from .sweep import open_sweep

__all__ = [
    "Group", "Network", "Projection", "Environment", "Record",
    "train", "gradients", "inspect", "damage", "analysis",
    "save", "load", "save_weights", "load_weights", "weights_from_dataset",
    "load_spec", "open_sweep",
    "PdplabError", "NetworkError", "DataError", "DivergenceError", "SpecError",
]
