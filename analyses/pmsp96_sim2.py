"""Plaut, McClelland, Seidenberg & Patterson (1996), Simulation 2: reading aloud with actual frequencies.

The network and claims of Simulation 1, but each word's error weighted by
its actual frequency ((KF + 2) relative to the most frequent word, summing
to about 6 over the corpus instead of 683), with a global learning rate of
0.05 and no weight decay.  Rare words now contribute little to learning, so
frequency effects grow: the frequency × consistency interaction on Taraban
& McClelland's (1987) words should be stronger than in Simulation 1.  The
published comparison figures are Simulation 1's (PMSP96, Table 7); the
paper's Simulation 2 figures and its number of epochs could not be
verified: the rarest words learn slowly with actual frequencies (82% of the
words are read correctly at epoch 300), so the networks train for 1200
epochs (this project's choice).  ``--set
environment.frequency=sqrt_frequency`` trains the square-root variant.
"""

from pdplab.models.reading_claims import analyse, check  # noqa: F401 - the reproduction's protocol

NAME = "pmsp96-sim2"
TITLE = "Plaut et al. (1996), Simulation 2: words, nonwords and frequency × consistency (actual frequencies)"
SPEC = "pmsp96_sim2.toml"
RECORDED = ("phonology",)
