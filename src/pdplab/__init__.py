"""pdplab: connectionist (PDP) models trained with backpropagation.

>>> import pdplab as pl
>>> net = pl.Network([pl.Group("input", 2), pl.Group("hidden", 2),
...                   pl.Group("output", 1, error="sse")],
...                  [("input", "hidden"), ("hidden", "output")])
"""

__version__ = "0.1.0"

# Names are imported when first used, so that the ``pdplab`` command starts (and can be
# interrupted) before numpy, xarray and dask are loaded.
_WHERE = {
    "analysis": ".analysis", "damage": ".core.damage",
    "load": ".core.files", "load_weights": ".core.files", "save": ".core.files", "save_weights": ".core.files",
    "Group": ".core.network", "Network": ".core.network", "Projection": ".core.network",
    "gradients": ".core.propagate", "inspect": ".core.propagate",
    "Record": ".core.record", "weights_from_dataset": ".core.record",
    "train": ".core.train", "Timing": ".core.time", "Environment": ".environment",
    "SpecError": ".spec", "load_spec": ".spec", "open_sweep": ".sweep_store",
}

from .exceptions import DataError, DivergenceError, NetworkError, PdplabError  # noqa: E402


def __getattr__(name):
    import importlib

    if name not in _WHERE:
        raise AttributeError(f"module 'pdplab' has no attribute {name!r}")
    module = importlib.import_module(_WHERE[name], __name__)
    value = module if name in ("analysis", "damage") else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))


__all__ = [
    "Group", "Network", "Projection", "Environment", "Record", "Timing",
    "train", "gradients", "inspect", "damage", "analysis",
    "save", "load", "save_weights", "load_weights", "weights_from_dataset",
    "load_spec", "open_sweep",
    "PdplabError", "NetworkError", "DataError", "DivergenceError", "SpecError",
]
