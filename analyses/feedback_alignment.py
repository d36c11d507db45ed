"""Backpropagation vs feedback alignment in the 8-item semantic network.

Feedback alignment (Lillicrap et al. 2016) sends the output errors back
through fixed random matrices instead of the transposed weights.  Does the
semantic network still learn its facts, and do its item representations
still differentiate progressively?  Feedback alignment learns this task far
more slowly, so the two rules are compared at the same training error, not
at the same epoch.  Both rules start from the same seeds and train well past
a matched error (summed over the 32 patterns, 1.0): feedback alignment for
10000 epochs, backpropagation for 4000.  Split epochs are measured on the
whole runs exactly as in the Rumelhart & Todd reproduction, and compared in
units of each replica's own training time to the matched error (the first
recorded epoch at which its error is at most 1.0).  Three claims: feedback
alignment learns every fact; under it, domains still differentiate before
categories; and categories and items differentiate as far apart, in those
units, as under backprop (non-inferiority, paired by seed: not shorter by
more than 0.05).  No published study of this question was found: the
claims, the matched error, the epochs and the margin are this project's
choices, and the claims hold or fail with their numbers.

Lillicrap, T. P., Cownden, D., Tweed, D. B., & Akerman, C. J. (2016). Random
synaptic feedback weights support error backpropagation for deep learning.
Nature Communications, 7, 13276.
"""

import numpy as np

import pdplab as pl
from pdplab import claims as cl
from pdplab import plots
from pdplab.models.semantic import (all_facts_known, differentiation, item_patterns, level_separation, median,
                                    quartiles)
from pdplab.models.semantic_claims import STAGES_TEXT, differentiation_claims, stages

NAME = "feedback-alignment"
TITLE = "Does progressive differentiation survive feedback alignment? (8-item semantic network)"
SPEC = "rumelhart_todd_1993.toml"
RECORDED = ("representation", "attribute")  # groups the analysis reads
OVERRIDES = ["training.rule=feedback_alignment", "training.epochs=10000", "recording.every=250"]
#: The training error (summed over patterns) at which the two rules are compared.
MATCHED_ERROR = 1.0
BACKPROP_EPOCHS = 4000
#: How much shorter (as a share of the epochs to the matched error) the
#: category-to-item interval may be under feedback alignment and still count as preserved.
MARGIN = 0.05


def reached(ds, level=MATCHED_ERROR):
    """Per replica, the first recorded epoch at which the summed error is at
    or below ``level`` (NaN if never)."""
    below = (ds["error"].sum("item") <= level).values
    epochs = ds["epoch"].values.astype(float)
    return np.where(below.any(axis=1), epochs[below.argmax(axis=1)], np.nan)


def analyse(ds, experiment):
    training = {**experiment.training, "rule": "backprop", "epochs": BACKPROP_EPOCHS}
    bp = pl.train(experiment.network, experiment.environment, **training, seed=ds["seed"].values)
    R = ds.sizes["replica"]
    fa_done, bp_done = reached(ds), reached(bp)
    fa_reps, bp_reps = item_patterns(ds), item_patterns(bp)
    fa_splits, bp_splits = differentiation(fa_reps), differentiation(bp_reps)
    relative = "; ".join(  # split epochs in units of the epochs to the matched error
        f"{name}: " + ", ".join(f"{level} {median(splits[level].values / done):.2f}"
                                 for level in ("domain", "category", "item"))
        for name, splits, done in (("feedback alignment", fa_splits, fa_done), ("backprop", bp_splits, bp_done)))
    bp_summary = ", ".join(f"{level} {quartiles(bp_splits[level])}" for level in ("domain", "category", "item"))

    network, weights = pl.weights_from_dataset(ds)
    known = all_facts_known(pl.inspect(network, weights, experiment.environment)["attribute"].values,
                            experiment.environment.targets["attribute"])
    claims = [
        cl.share("feedback alignment learns every item–relation pattern",
                 "feedback alignment trains networks whose tasks need hidden layers (Lillicrap et al. 2016)", known,
                 "per replica: after training, every output within 0.5 of its target",
                 measured=f"every output within 0.5 of its target in {int(known.sum())} of {R} replicas after "
                          f"{experiment.training['epochs']} epochs; epochs to an error of {MATCHED_ERROR:g}, median "
                          f"[IQR]: feedback alignment {quartiles(fa_done)} (reached in "
                          f"{int(np.isfinite(fa_done).sum())} of {R}), backprop {quartiles(bp_done)} (reached in "
                          f"{int(np.isfinite(bp_done).sum())} of {R})"),
    ]
    # Domains before categories under feedback alignment, as tested under backprop.
    claims.append(differentiation_claims(
        fa_splits, label="under feedback alignment, ",
        published="(no published test; under backprop, plants and animals separate first, then the categories "
                  "within each domain: Rogers & McClelland 2004, ch. 3)",
        extra=f"backprop: {bp_summary}")[0])
    fa_gap = (fa_splits["item"] - fa_splits["category"]).values / fa_done
    bp_gap = (bp_splits["item"] - bp_splits["category"]).values / bp_done
    in_order = {name: f"{int((gap > 0).sum())} of {int(np.isfinite(gap).sum())}"
                for name, gap in (("fa", fa_gap), ("bp", bp_gap))}
    claims.append(cl.greater(
        "progressive differentiation: categories and items split as far apart under feedback alignment as under "
        "backprop",
        "(no published test; under backprop, categories separate well before the items within them: Rogers & "
        "McClelland 2004, ch. 3)",
        fa_gap, bp_gap,
        f"per seed: (item split − category split) / epochs to an error of {MATCHED_ERROR:g}, feedback alignment "
        f"minus backprop; as far apart = not shorter by more than {MARGIN:g}",
        margin=MARGIN,
        measured=f"split epochs in units of the epochs to that error, median: {relative}; categories before "
                 f"items in {in_order['fa']} replicas under feedback alignment, {in_order['bp']} under backprop",
        precondition=(np.isfinite(fa_gap) & np.isfinite(bp_gap),
                      f"under both rules the replica reached an error of {MATCHED_ERROR:g}, and its category and "
                      f"item splits were measured")))

    curves = plots.learning_curves(ds, label="feedback alignment")
    plots.learning_curves(bp, ax=curves.axes[0], label="backprop")
    curves.axes[0].axhline(MATCHED_ERROR, color="0.5", linestyle=":", linewidth=1)
    figures = {
        "learning_curves": (curves, f"Error summed over the 32 patterns under both rules, from the same seeds; "
                                    f"dotted line: the matched error {MATCHED_ERROR:g}. {plots.BAND}."),
        "separation_feedback_alignment": (
            plots.separation_curves(level_separation(fa_reps), fa_splits),
            "Under feedback alignment: mean Euclidean distance between the representations of items in different "
            "domains, in different categories of one domain, and in the same category; dotted lines: median split "
            f"epochs. {plots.BAND}."),
        "dendrograms_feedback_alignment": (
            plots.dendrograms(fa_reps, stages(fa_splits, int(ds["epoch"].values[-1]))),
            f"Under feedback alignment: average-linkage clustering of the replica-mean Euclidean distances between "
            f"item representations at the recorded epochs nearest {STAGES_TEXT}."),
        "mds_trajectories_feedback_alignment": (
            plots.mds_trajectories(fa_reps.isel(replica=0), title="feedback alignment, replica 0"),
            "Paths of the item representations of replica 0 under feedback alignment (classical MDS of all "
            "epochs together); dots: end of training."),
    }
    return claims, figures
