"""Plaut, McClelland, Seidenberg & Patterson (1996), Simulation 3: an attractor network that reads aloud.

Orthography feeds 100 hidden units that exchange activation with the 61
phoneme units, which also feed each other, in continuous time: each word's
graphemes are clamped for 2 units of time and the phonology settles.
Trained with actual frequencies (as Simulation 2), it should read nearly
every word and read nonwords as Simulation 1 does; the time its phonology
takes to settle is its naming latency, which on Taraban & McClelland's
(1987) words should show the frequency × consistency interaction (slowest
for low-frequency exception words).  Lesions of the orthography → hidden
pathway should then cost low-frequency exception words most, often as
regularizations: surface dyslexia.  The networks train for the paper's
first 1800 epochs at dt 0.2 (its last 100, at finer ticks, undid the
training here: see the spec's sources), 6 replicas in about 9 minutes on 2
cores.
"""

NAME = "pmsp96-sim3"
TITLE = "Plaut et al. (1996), Simulation 3: attractor network, naming latencies and surface dyslexia"
SPEC = "pmsp96_sim3.toml"
RECORDED = ("phonology",)


def check(experiment):
    from pdplab.models.reading_claims import check_corpus

    check_corpus(experiment.environment)


def analyse(ds, experiment):
    from pdplab.models.attractor_claims import analyse as attractor

    return attractor(ds, experiment)
