"""Stimulus sets: the shipped published tables, and pattern tables read from CSV."""

from .semantic import rumelhart_todd_1993
from .tables import read_patterns, write_patterns

#: Shipped stimulus sets by the name a model spec uses.
STIMULI = {"rumelhart_todd_1993": rumelhart_todd_1993}

__all__ = ["STIMULI", "rumelhart_todd_1993", "read_patterns", "write_patterns"]
