"""Stimulus sets: the shipped published tables, and pattern tables read from CSV."""

from .semantic import rogers_mcclelland_2004, rumelhart_todd_1993, rumelhart_todd_1993_items
from .tables import read_patterns, write_patterns

#: Shipped stimulus sets by the name a model spec uses.
STIMULI = {
    "rumelhart_todd_1993": rumelhart_todd_1993,
    "rogers_mcclelland_2004": rogers_mcclelland_2004,
    "rumelhart_todd_1993_items": rumelhart_todd_1993_items,
}

__all__ = [
    "STIMULI", "rumelhart_todd_1993", "rogers_mcclelland_2004", "rumelhart_todd_1993_items",
    "read_patterns", "write_patterns",
]
