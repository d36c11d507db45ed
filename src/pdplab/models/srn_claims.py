"""Elman's (1990) simple recurrent networks, as claims over replicas: lexical classes from word
order, and the notion "word" from a stream of letters.

A simple recurrent network trained to predict the next word of a stream of
simple sentences (:mod:`pdplab.stimuli.elman`) cannot know which word comes
next, but it can learn how likely each word is to come next: Elman found
its outputs far from the actual next words and close to the *likelihood
vectors*, the distribution of the next word in the corpus given the
sentence so far.  Elman averaged the hidden units' activation over
every occurrence of each word and clustered the 29 mean vectors: the tree
split nouns from verbs, animate from inanimate nouns, and humans from
animals, though no word's category was ever given.  Each claim here is a
test over replicas: the mean Euclidean distance between words of two classes
exceeds the mean distance within them (:mod:`pdplab.analysis.rsa`).

Read letter by letter with no spaces (:func:`letter_claims`), the stream is
predictable within a word and not across words: Elman found the error of
predicting each letter highest at the first letter of each word, falling as
the word went on — "word" boundaries found in the error alone.

References
----------
Elman, J. L. (1990). Finding structure in time. *Cognitive Science*, 14, 179-211.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import xarray as xr

from .. import claims as cl
from ..analysis import rsa
from ..core.record import weights_from_dataset
from ..core.time import TimePlan
from ..core.train_time import evaluate_in_time, sequence_arrays, timing_of
from ..stimuli.elman import LEXICON, WORDS, elman_1990_letter_stream, elman_1990_stream
from .semantic import quartiles

__all__ = ["likelihoods", "evaluate_stream", "word_states", "class_separation", "elman_claims", "analyse",
           "letter_claims", "analyse_letters"]

ANIMATE = set(LEXICON["NOUN-HUM"] + LEXICON["NOUN-ANIM"] + LEXICON["NOUN-AGRESS"])
#: The contrasts of Elman's Figure 7: (claim, the words compared, their two classes).
CONTRASTS = (
    ("nouns and verbs", WORDS, lambda w: "verb" if any(w in LEXICON[c] for c in LEXICON if c.startswith("VERB"))
     else "noun"),
    ("animate and inanimate nouns", [w for w in WORDS if any(w in LEXICON[c] for c in LEXICON
                                                            if c.startswith("NOUN"))],
     lambda w: "animate" if w in ANIMATE else "inanimate"),
    ("humans and animals", sorted(ANIMATE), lambda w: "human" if w in LEXICON["NOUN-HUM"] else "animal"),
)


def likelihoods(stream):
    """Each word's likelihood vector: how often each word follows the sentence read so far, over the
    whole stream (Elman 1990), as (words of the stream, 29); the last word has none (NaN)."""
    words = stream["word"].tolist()
    prefixes, prefix = [], ()
    for w, p in zip(words, stream["position"].tolist()):
        prefix = (w,) if p == 0 else prefix + (w,)
        prefixes.append(prefix)
    follow = {}
    for prefix, after in zip(prefixes, words[1:]):
        follow.setdefault(prefix, Counter())[after] += 1
    index = {w: i for i, w in enumerate(WORDS)}
    out = np.full((len(words), len(WORDS)), np.nan)
    for i, prefix in enumerate(prefixes[:-1]):
        counts = follow[prefix]
        out[i] = 0.0
        for w, c in counts.items():
            out[i, index[w]] = c / sum(counts.values())
    return out


def evaluate_stream(ds, environment):
    """Each replica's hidden and output activations at every word of the stream, with its final
    weights: (replica, event, unit) arrays ``hidden`` and ``prediction``."""
    network, weights = weights_from_dataset(ds)
    dtype = next(iter(weights.values())).dtype
    out = evaluate_in_time(TimePlan(network), weights, sequence_arrays(environment, network, dtype),
                           timing_of(ds, network), groups=["hidden", "prediction"])
    return {g: out[g][:, 0] for g in ("hidden", "prediction")}


def word_states(hidden, stream):
    """The mean hidden vector of each word over its occurrences: (replica, item, hidden_unit)."""
    words = stream["word"].to_numpy()
    means = np.stack([hidden[:, words == w].mean(axis=1) for w in WORDS], axis=1)
    return xr.DataArray(means, dims=("replica", "item", "hidden_unit"), coords={"item": list(WORDS)})


def class_separation(rdms, words, label):
    """Per replica: mean distance between words of different classes − mean distance within a class."""
    d = rdms.sel(item=list(words), item2=list(words)).values
    labels = np.array([label(w) for w in words])
    same = labels[:, None] == labels[None, :]
    off = ~np.eye(len(words), dtype=bool)
    between = d[:, ~same].mean(axis=1)
    within = d[:, same & off].mean(axis=1)
    return between, within


def _top_split(rdms, words, label):
    """In how many replicas the first split of the average-linkage tree is exactly the two classes."""
    from scipy.cluster.hierarchy import fcluster

    labels = np.array([label(w) for w in words])
    hits = 0
    for r in range(rdms.sizes["replica"]):
        d = rdms.isel(replica=r).sel(item=list(words), item2=list(words))
        two = fcluster(rsa.linkage(d), 2, criterion="maxclust")
        hits += all(len(set(labels[two == k])) == 1 for k in (1, 2))
    return hits


def elman_claims(ds, environment):
    """The claims of Elman's lexical-class simulation, and the tables behind them."""
    stream = elman_1990_stream()
    acts = evaluate_stream(ds, environment)
    out = acts["prediction"][:, :-1, : len(WORDS)].astype(float)  # the last word has no next word
    likely = likelihoods(stream)[None, :-1]
    actual = np.eye(len(WORDS))[[WORDS.index(w) for w in stream["word"].iloc[1:]]][None]
    to_likely = np.sqrt(((out - likely) ** 2).sum(-1).mean(-1))
    to_actual = np.sqrt(((out - actual) ** 2).sum(-1).mean(-1))

    states = word_states(acts["hidden"].astype(float), stream)
    rdms = rsa.rdm(states, "euclidean")
    claims = [cl.greater(
        "the outputs approximate the likelihood of each next word, not the actual next word",
        "poor at predicting the actual next word (RMS error 0.88), good at predicting the next word's "
        "likelihoods given the sentence so far (Elman 1990)",
        to_actual, to_likely,
        "per replica: RMS distance of the outputs (29 word units) from the actual next word − from the "
        "likelihood vector (the corpus' distribution of the next word given the sentence so far)",
        measured=f"RMS distance from the actual next word {quartiles(to_actual, 3)}, from the likelihood "
                 f"vectors {quartiles(to_likely, 3)} (median [IQR])")]
    for what, words, label in CONTRASTS:
        between, within = class_separation(rdms, words, label)
        top = _top_split(rdms, words, label)
        claims.append(cl.greater(
            f"hidden states separate {what}",
            f"the hierarchical clustering of the words' mean hidden vectors separates {what} (Elman 1990, Fig. 7)",
            between, within,
            f"per replica: mean Euclidean distance between the mean hidden vectors of {what} − within each class",
            measured=f"between {quartiles(between, 2)}, within {quartiles(within, 2)} (median [IQR]); the first "
                     f"split of the average-linkage tree is exactly this one in {top} of {len(between)} replicas"))
    return claims, {"states": states, "rdms": rdms}


def figures(tables, epoch):
    """The mean-RDM dendrogram of the words' hidden states after ``epoch`` epochs."""
    from .. import plots

    states = tables["states"].assign_coords(
        word_class=("item", [CONTRASTS[0][2](w) for w in WORDS])).expand_dims(epoch=[epoch])
    return {"lexical_classes": (
        plots.dendrograms(states, [(epoch, "after training")], colour_by="word_class"),
        "Average-linkage clustering of the 29 words' mean hidden vectors (over all their occurrences in the "
        "stream), from the replica-mean Euclidean distances; colour: noun or verb (Elman 1990, Fig. 7).")}


def analyse(ds, experiment):
    """The reproduction's analysis (see :mod:`pdplab.reproduce`)."""
    claims, tables = elman_claims(ds, experiment.environment)
    return claims, figures(tables, int(ds["epoch"][-1]))


def letter_claims(ds):
    """The claims of Elman's letter simulation: the error of predicting each letter of the stream, by
    its place in its word (the final test pass; ``error`` at event i is that of predicting letter i + 1)."""
    letters = elman_1990_letter_stream()
    error = ds["error"].isel(epoch=-1, item=0).values[:, :-1]  # the last letter predicts nothing
    predicted = letters.iloc[1:]
    position = predicted["position"].to_numpy()
    length = predicted.groupby("word")["position"].transform("max").to_numpy() + 1
    initial, inside = error[:, position == 0].mean(1), error[:, position > 0].mean(1)
    long_words = length >= 3
    second = error[:, long_words & (position == 1)].mean(1)
    last = error[:, long_words & (position == length - 1)].mean(1)
    claims = [
        cl.greater(
            "the error peaks at word boundaries",
            "the error of predicting the next letter is high at the start of each word and falls within it, "
            "so that word boundaries show in the error (Elman 1990, Fig. 6)",
            initial, inside,
            "per replica: mean error predicting a word's first letter − predicting any other letter",
            measured=f"first letters {quartiles(initial, 3)}, other letters {quartiles(inside, 3)} (median [IQR])"),
        cl.greater(
            "the error falls as a word goes on",
            "the error declines over the letters of a word (Elman 1990, Fig. 6)",
            second, last,
            "per replica, words of three letters or more: mean error predicting the second letter − predicting "
            "the last",
            measured=f"second letters {quartiles(second, 3)}, last letters {quartiles(last, 3)} (median [IQR])"),
    ]
    return claims, {"error": error, "letters": predicted}


def letter_figure(tables, shown=60):
    """The error of predicting each of the first ``shown`` letters (median over replicas)."""
    from .. import plots

    error, letters = tables["error"][:, :shown], tables["letters"].iloc[:shown]
    fig = plots._figure(figsize=(10, 3))
    ax = fig.add_subplot()
    q = np.quantile(error, [0.25, 0.5, 0.75], axis=0)
    ax.plot(np.arange(shown), q[1], color="0.2", marker=".")
    ax.fill_between(np.arange(shown), q[0], q[2], color="0.2", alpha=0.2, linewidth=0)
    for i in np.flatnonzero(letters["position"].to_numpy() == 0):
        ax.axvline(i, color="tab:orange", alpha=0.3, linewidth=0.8)
    ax.set_xticks(np.arange(shown), list(letters["letter"]), fontsize=7)
    ax.set_xlim(-0.5, shown - 0.5)
    ax.set_ylabel("error predicting the letter")
    return fig


def analyse_letters(ds, experiment):
    """The letter reproduction's analysis (see :mod:`pdplab.reproduce`)."""
    claims, tables = letter_claims(ds)
    return claims, {"letter_error": (
        letter_figure(tables),
        "Error of predicting each letter of the start of the stream after training (median over replicas, "
        "interquartile range shaded); orange lines: the first letter of each word (Elman 1990, Fig. 6).")}
