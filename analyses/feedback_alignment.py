"""Backpropagation vs feedback alignment in the 8-item semantic network.

Feedback alignment (Lillicrap et al. 2016) sends the output errors back
through fixed random matrices instead of the transposed weights.  Does the
semantic network still learn its facts, and do its item representations
still differentiate progressively?  The same spec is trained both ways from
the same seeds; split epochs are measured as in the Rumelhart & Todd
reproduction.  Whatever the answer, it is reported with its numbers.

Lillicrap, T. P., Cownden, D., Tweed, D. B., & Akerman, C. J. (2016). Random
synaptic feedback weights support error backpropagation for deep learning.
Nature Communications, 7, 13276.
"""

from pdplab import plots
from pdplab.models.semantic import differentiation, in_order, item_patterns, mean_sd

NAME = "feedback-alignment"
TITLE = "Does progressive differentiation survive feedback alignment? (8-item semantic network)"
SPEC = "rumelhart_todd_1993.toml"
OVERRIDES = ["training.rule=feedback_alignment"]


def _summary(ds):
    splits = differentiation(item_patterns(ds))
    return splits, in_order(splits), float(ds["error"].isel(epoch=-1).sum("item").mean())


def analyse(ds, experiment):
    import pdplab as pl

    training = {**experiment.training, "rule": "backprop"}
    bp = pl.train(experiment.network, experiment.environment, **training, seed=ds["seed"].values)
    n = ds.sizes["replica"]
    fa_splits, fa_ordered, fa_error = _summary(ds)
    bp_splits, bp_ordered, bp_error = _summary(bp)
    claims = [
        {
            "claim": "feedback alignment learns the semantic facts",
            "published": "FA trains deep networks nearly as well as backprop (Lillicrap et al. 2016)",
            "measured": f"final error {fa_error:.2f} with FA, {bp_error:.2f} with backprop (mean of {n} replicas)",
            "holds": bool(fa_error < 2 * max(bp_error, 0.5)),
        },
        {
            "claim": "progressive differentiation survives feedback alignment",
            "published": "(open question; backprop: domains, then categories, then items)",
            "measured": f"FA split epochs: domain {mean_sd(fa_splits['domain'])}, "
                        f"category {mean_sd(fa_splits['category'])}, "
                        f"item {mean_sd(fa_splits['item'])} (ordered in {int(fa_ordered.sum())} of {n}); backprop: "
                        f"domain {mean_sd(bp_splits['domain'])}, category {mean_sd(bp_splits['category'])}, "
                        f"item {mean_sd(bp_splits['item'])} (ordered in {int(bp_ordered.sum())} of {n})",
            "holds": bool(fa_ordered.mean() >= 0.8),
        },
    ]
    figures = {"learning_curves_feedback_alignment": plots.learning_curves(ds),
               "learning_curves_backprop": plots.learning_curves(bp)}
    figures["mds_trajectories_feedback_alignment"] = plots.mds_trajectories(
        item_patterns(ds).isel(replica=0), title="feedback alignment (replica 0)")
    return claims, figures
