"""Errors that pdplab reports to its users.

Each carries a one-line message that names the file, key, group or item at
fault, so that a command-line front end can print it without a traceback.
"""

__all__ = ["PdplabError", "NetworkError", "DataError", "DivergenceError"]


class PdplabError(Exception):
    """Base class of every error caused by what a user asked for."""


class NetworkError(PdplabError, ValueError):
    """A network definition is inconsistent (unknown group, cycle, bad setting)."""


class DataError(PdplabError, ValueError):
    """Patterns, weights or files do not fit the network, or hold bad values."""


class DivergenceError(PdplabError, FloatingPointError):
    """Training produced a non-finite error or weight.

    Attributes
    ----------
    epoch : int
        The first epoch at which a non-finite value was seen.
    replicas : list of int
        The replicas that diverged.
    seeds : list of int
        Their seeds.
    """

    def __init__(self, message, epoch=None, replicas=(), seeds=()):
        super().__init__(message)
        self.epoch = epoch
        self.replicas = list(replicas)
        self.seeds = list(seeds)
