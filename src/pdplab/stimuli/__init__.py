"""Stimulus sets: the shipped published tables, and pattern tables read from CSV."""

from .elman import elman_1990_letters, elman_1990_words
from .english_past_tense import english_past_tense, english_past_tense_wugs
from .exfiles import read_examples, write_examples
from .plunkett_marchman import plunkett_marchman_1993
from .pmsp96 import pmsp96
from .semantic import rogers_mcclelland_2004, rumelhart_todd_1993, rumelhart_todd_1993_items
from .tables import read_patterns, write_patterns

#: Shipped stimulus sets by the name a model spec uses.
STIMULI = {
    "rumelhart_todd_1993": rumelhart_todd_1993,
    "rogers_mcclelland_2004": rogers_mcclelland_2004,
    "rumelhart_todd_1993_items": rumelhart_todd_1993_items,
    "pmsp96": pmsp96,
    "plunkett_marchman_1993": plunkett_marchman_1993,
    "english_past_tense": english_past_tense, "english_past_tense_wugs": english_past_tense_wugs,
    "elman_1990": elman_1990_words, "elman_1990_letters": elman_1990_letters,
}

#: Shipped stimulus sets that are built from a corpus (``environment.corpus`` in a spec).
FROM_CORPUS = ("pmsp96", "english_past_tense", "english_past_tense_wugs")

__all__ = [
    "STIMULI", "FROM_CORPUS", "pmsp96", "plunkett_marchman_1993", "rumelhart_todd_1993", "rogers_mcclelland_2004",
    "rumelhart_todd_1993_items", "english_past_tense", "english_past_tense_wugs",
    "read_patterns", "write_patterns", "read_examples", "write_examples", "elman_1990_words",
    "elman_1990_letters",
]
