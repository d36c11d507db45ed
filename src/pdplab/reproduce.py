"""Reproductions of published results: ``pdplab reproduce NAME --out DIR``.

A reproduction is a module in ``analyses/`` that names its model spec in
``models/`` and turns the trained results into claims (paper vs model) and
figures::

    NAME = "rumelhart-todd-1993"
    TITLE = "Progressive differentiation in the semantic network"
    SPEC = "rumelhart_todd_1993.toml"
    OVERRIDES = []              # optional: --set-style changes to the spec

    def analyse(ds, experiment):
        return claims, figures   # list of dicts; dict of name -> Figure

:func:`reproduce` trains the model (or reuses ``DIR/results.nc`` when it was
made from the same spec), runs the analysis and writes ``results.nc``,
``figures/*.png``, ``claims.csv`` and ``report.md``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from .core.files import atomic, load, save
from .exceptions import DataError
from .paths import data_dir
from .spec import SpecError, load_spec

__all__ = ["reproductions", "reproduce", "CLAIM_COLUMNS"]

CLAIM_COLUMNS = ["claim", "published", "measured", "holds"]


def reproductions():
    """The available reproductions, by name."""
    found = {}
    for path in sorted(data_dir("analyses").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"pdplab_analyses.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "NAME") and hasattr(module, "analyse"):
            found[module.NAME] = module
    return found


def reproduce(name, out, replicas=None, overrides=(), progress=True, log=print):
    """Train (or reuse) and analyse one reproduction; return its claims table.

    ``overrides`` change the spec as ``--set`` does (e.g. fewer epochs for a
    quick look); the results then differ from the published set-up.
    """
    from .plots import save_figure

    available = reproductions()
    if name not in available:
        raise SpecError(f"unknown reproduction {name!r}; available: {', '.join(available) or 'none'}")
    module = available[name]
    experiment = load_spec(data_dir("models") / module.SPEC, [*getattr(module, "OVERRIDES", ()), *overrides])
    if replicas is not None:
        experiment.replicas = replicas
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    results = out / "results.nc"
    ds = _reusable(results, experiment)
    if ds is None:
        log(f"training {experiment.name}: {experiment.replicas} replicas, {experiment.training['epochs']} epochs")
        ds = experiment.run(progress=progress)
        save(ds, results)
    else:
        log(f"reusing {results}")
    claims, figures = module.analyse(ds, experiment)
    table = pd.DataFrame(claims, columns=CLAIM_COLUMNS)
    with atomic(out / "claims.csv") as tmp:
        table.to_csv(tmp, index=False)
    names = []
    for fig_name, fig in figures.items():
        save_figure(fig, out / "figures" / f"{fig_name}.png")
        names.append(fig_name)
    _write_report(out / "report.md", module, experiment, table, names)
    return table


def _reusable(results, experiment):
    if not results.exists():
        return None
    try:
        ds = load(results)
    except DataError:
        return None
    if ds.attrs.get("spec") == experiment.text and ds.sizes.get("replica") == experiment.replicas:
        return ds
    return None


def _write_report(path, module, experiment, table, figures):
    lines = [f"# {module.TITLE}", "", (module.__doc__ or "").strip(), "",
             f"Model: `{experiment.path.name}`, {experiment.replicas} replicas.", "",
             "| claim | published | measured | holds |", "|---|---|---|---|"]
    for row in table.itertuples(index=False):
        lines.append(f"| {row.claim} | {row.published} | {row.measured} | {'yes' if row.holds else 'no'} |")
    lines.append("")
    for name in figures:
        lines += [f"![{name}](figures/{name}.png)", ""]
    with atomic(path) as tmp:
        Path(tmp).write_text("\n".join(lines))
