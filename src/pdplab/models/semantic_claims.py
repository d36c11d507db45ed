"""The claims and figures shared by the semantic-network reproductions
(Rumelhart & Todd 1993; Rogers & McClelland 2004, ch. 3 and 5).

Each published result is a test over the trained replicas (see
:mod:`pdplab.claims`):

* every fact is learned — the share of replicas whose every output ends
  within 0.5 of its target (binomial test against ½);
* progressive differentiation — domains split before categories, and
  categories before items (two sign tests over replicas on the split epochs
  of :func:`pdplab.models.semantic.differentiation`);
* the illusory correlation — the share of replicas in which the false fact
  ("pine has leaves") peaks above 0.5, above every control false fact, after
  the domain split and before the item leaves its category, and ends below
  0.5 (:func:`pdplab.models.semantic.illusion`);
* damage — under noise on the weights into the representation layer,
  general facts outlast intermediate ones, and intermediate facts outlast
  specific ones (two sign tests over replicas on the share of each level's
  facts still known, averaged over the damaged severities), among replicas
  that knew every fact of both levels before damage.  Facts every item has
  (universal), names and facts that cut across the hierarchy are reported
  but not tested (:func:`pdplab.models.semantic.fact_levels`).
"""

from __future__ import annotations

import numpy as np

from .. import claims as cl
from .. import plots
from ..core.propagate import inspect
from ..core.record import weights_from_dataset
from .semantic import (LEVELS, RESOLUTION, SETTLED, all_facts_known, control_facts, damage_by_level, differentiation,
                       fact_levels, fact_outputs,
                       illusion, item_patterns, item_split, level_separation, median, quartiles)

__all__ = ["analyse", "differentiation_claims", "stages"]

SOURCE = "Rogers & McClelland 2004, ch. 3"
PLURAL = {"domain": "domains", "category": "categories", "item": "items"}


def differentiation_claims(splits, label="", published=None, extra=""):
    """The two ordering claims of progressive differentiation, from split
    epochs per level (a Dataset as from :func:`differentiation`).

    ``label`` prefixes the claims' names, ``published`` replaces the book's
    account and ``extra`` is appended to the measured text.
    """
    summary = ", ".join(f"{level} {quartiles(splits[level])}" for level in LEVELS)
    measured = f"split epochs, median [IQR]: {summary}" + (f"; {extra}" if extra else "")
    out = []
    for earlier, later, account in (
            ("domain", "category", "plants and animals separate first, then the categories within each domain"),
            ("category", "item", "categories separate before the items within them")):
        a, b = splits[earlier].values, splits[later].values
        out.append(cl.ordered(
            f"progressive differentiation: {label}{PLURAL[earlier]} before {PLURAL[later]}",
            published or f"{account} ({SOURCE})", a, b, measured=measured,
            precondition=(np.isfinite(a) & np.isfinite(b),
                          f"both levels differentiated (separation rose ≥ 50% above its epoch-0 value) and levelled "
                          f"off (≥ {SETTLED:.0%} of the rise covered at 80% of the epochs), each split located "
                          f"between recorded epochs at most {RESOLUTION:.0%} of it apart")))
    return out


STAGES_TEXT = ("half the median domain split epoch, midway between the median domain and category split epochs, "
               "midway between the median category and item split epochs, and the end")


def stages(splits, last_epoch):
    """Epochs that show each stage of differentiation, from the median split
    epochs: before the domain split, between the domain and category splits,
    between the category and item splits (where those happened), and
    ``last_epoch``."""
    d, c, i = (median(splits[level].values) for level in LEVELS)
    chosen = [(d / 2, "before domains split"), ((d + c) / 2, "domains split, categories not"),
              ((c + i) / 2, "categories split, items not")]
    return [(e, title) for e, title in chosen if np.isfinite(e)] + [(last_epoch, "end of training")]


def analyse(ds, experiment, illusion_fact, naming, severities, where="item->representation", repeats=5):
    """Claims and captioned figures of a semantic-network reproduction.

    Parameters
    ----------
    illusion_fact : (item, relation, unit)
        A fact false of the item but true of the rest of its domain ("pine
        has leaves").
    naming : sequence of str
        The relations whose item-specific answers are names.
    severities : sequence of float
        Noise sds on the weights ``where``, starting with 0 (undamaged).
    """
    env = experiment.environment
    network, weights = weights_from_dataset(ds)
    outputs = inspect(network, weights, env)["attribute"].values
    known = all_facts_known(outputs, env.targets["attribute"])
    R = ds.sizes["replica"]

    reps = item_patterns(ds)
    separation = level_separation(reps)
    splits = differentiation(reps)
    item, relation, unit = illusion_fact
    item_splits = item_split(reps, item).values
    shown = illusion(ds, env, item, relation, unit, after=splits["domain"].values, before=item_splits)
    levels = fact_levels(env, naming)
    dmg = damage_by_level(ds, env, levels, severities, where, repeats)
    hurt = dmg["hits"].sel(severity=dmg["severity"] > 0).mean("severity")
    intact = dmg["hits"].sel(severity=0)
    fact_text = f"'{item} {relation} {unit.split(':')[-1]}'"

    claims = [
        cl.share("the network learns every item–relation pattern", "every pattern learned", known,
                 "per replica: after training, every output within 0.5 of its target",
                 measured=f"every output within 0.5 of its target in {int(known.sum())} of {R} replicas; "
                          f"final error summed over patterns {quartiles(ds['error'].isel(epoch=-1).sum('item'), 2)}"),
        *differentiation_claims(splits),
        cl.share(f"illusory correlation: {fact_text} is believed, then unlearned",
                 f"the false {fact_text} rises while {item} is close to the rest of its domain and falls as "
                 f"{item} differentiates ({SOURCE})",
                 shown["shown"].values,
                 f"per replica: after the domain split, the fact's output peaks above 0.5 and above every control "
                 f"false fact, before {item} moves away from its category mates, and ends below 0.5",
                 measured=f"peak {quartiles(shown['peak'], 2)} at epoch {quartiles(shown['peak_epoch'])}; "
                          f"highest control {quartiles(shown['control_peak'], 2)}; {item} leaves its category at "
                          f"epoch {quartiles(item_splits)}; end of training {quartiles(shown['final'], 2)}; "
                          f"shown in {int(shown['shown'].sum())} of {R} replicas",
                 precondition=(np.isfinite(splits["domain"].values) & np.isfinite(item_splits),
                               f"the domain split and {item}'s split were both measured (as for the "
                               f"differentiation claims)")),
    ]
    counts = levels["level"].value_counts()
    hits_text = "; ".join(
        f"{level} ({counts[level]} facts) "
        + "/".join(f"{v:.2f}" for v in dmg["hits"].sel(level=level).median("replica").values)
        for level in dmg["level"].values)
    fa_text = "/".join(f"{v:.3f}" for v in dmg["false_alarms"].median("replica").values)
    damage_text = (f"share of true facts still active, median over replicas, at noise sd "
                   f"{'/'.join(f'{s:g}' for s in severities)}: {hits_text}; false alarms {fa_text}")
    for stronger, weaker in (("general", "intermediate"), ("intermediate", "specific")):
        claims.append(cl.greater(
            f"damage: {stronger} facts outlast {weaker} facts",
            "under damage, specific facts and names are lost first and the most general last (Rogers & "
            "McClelland 2004, ch. 5; semantic dementia)",
            hurt.sel(level=stronger).values, hurt.sel(level=weaker).values,
            f"per replica: share of the level's true facts still active above 0.5, mean over noise sd "
            f"{', '.join(f'{s:g}' for s in severities[1:])} on {where}; {stronger} minus {weaker}",
            measured=damage_text,
            precondition=((intact.sel(level=stronger) == 1).values & (intact.sel(level=weaker) == 1).values,
                          f"the undamaged network knew every {stronger} and {weaker} fact")))

    controls = fact_outputs(ds, control_facts(env, item, relation, unit))
    figures = {
        "learning_curve": (plots.learning_curves(ds, by="relation"),
                           f"Error per pattern over training, mean within each relation. {plots.BAND}."),
        "separation": (plots.separation_curves(separation, splits),
                       "Mean Euclidean distance between the representations of items in different domains, in "
                       "different categories of one domain, and in the same category; dotted lines: median "
                       f"split epochs. {plots.BAND}."),
        "dendrograms": (plots.dendrograms(reps, stages(splits, int(ds["epoch"].values[-1]))),
                        f"Average-linkage clustering of the replica-mean Euclidean distances between item "
                        f"representations at the recorded epochs nearest {STAGES_TEXT}; labels coloured by "
                        f"category."),
        "mds_trajectories": (plots.mds_trajectories(reps.isel(replica=0), title="replica 0"),
                             "Paths of the item representations of replica 0 through training (classical MDS of "
                             "all epochs together); dots: end of training."),
        "illusion": (plots.fact_curves(
            {fact_text: fact_outputs(ds, [illusion_fact]).isel(fact=0),
             "highest control false fact": controls.max("fact")},
            marks=[(median(splits["domain"].values), "domains split"), (median(item_splits), f"{item} splits")]),
            f"Output for {fact_text} and the highest output among its control false facts; dotted lines: "
            f"median epochs of the domain split and of {item}'s split. {plots.BAND}."),
        "damage": (plots.damage_curves(dmg),
                   f"Noise on the weights {where} ({repeats} draws per replica and severity): true facts of each "
                   f"level still active above 0.5, and false facts active above 0.5. {plots.BAND}."),
    }
    return claims, figures
