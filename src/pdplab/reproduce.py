"""Reproductions of published results: ``pdplab reproduce NAME --out DIR``.

A reproduction is a module in ``analyses/`` that names its model spec in
``models/`` and turns the trained results into claims (paper vs model) and
figures::

    NAME = "rumelhart-todd-1993"
    TITLE = "Progressive differentiation in the semantic network"
    SPEC = "rumelhart_todd_1993.toml"
    OVERRIDES = []              # optional: --set-style changes to the spec
    RECORDED = ["attribute"]    # optional: groups the analysis needs recorded
    def check(experiment): ...  # optional: refuse, before training, what the analysis cannot use

    def analyse(ds, experiment):
        return claims, figures   # list of pdplab.claims.Claim; dict name -> (Figure, caption)

:func:`reproduce` trains the model (or reuses ``DIR/results.nc`` when it was
made from the same spec), runs the analysis and writes ``results.nc``,
``figures/*.png``, ``claims.csv`` (one row per claim: :data:`pdplab.claims.COLUMNS`)
and ``report.md`` (the claims, the parameters with their sources, and the
captioned figures).
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from . import claims as cl
from .core.files import atomic, load, save
from .core.train import RECORD_LIMIT_GB
from .exceptions import DataError
from .paths import data_dir
from .spec import SpecError, load_spec, lookup, parse_assignment

__all__ = ["reproductions", "reproduce"]


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


def reproduce(name, out, replicas=None, overrides=(), progress=True, log=print, record_limit_gb=RECORD_LIMIT_GB):
    """Train (or reuse) and analyse one reproduction; return its claims table.

    ``overrides`` change the spec as ``--set`` does (e.g. fewer epochs for a
    quick look); the results then differ from the published set-up.  The
    output folder is checked and locked before training: a second
    reproduction into the same folder is refused while one runs.
    """
    available = reproductions()
    if name not in available:
        raise SpecError(f"unknown reproduction {name!r}; available: {', '.join(available) or 'none'}")
    module = available[name]
    overrides = [overrides] if isinstance(overrides, str) else list(overrides)
    experiment = load_spec(data_dir("models") / module.SPEC, [*getattr(module, "OVERRIDES", ()), *overrides])
    if replicas is not None:
        if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 1:
            raise SpecError(f"--replicas: must be an integer ≥ 1, not {replicas!r}")
        experiment.replicas = replicas
    missing = [g for g in getattr(module, "RECORDED", ()) if g not in experiment.training["record"].groups]
    if missing:
        raise SpecError(f"{experiment.path}: recording.groups: the {name} reproduction needs the groups "
                        f"{', '.join(missing)} recorded")
    if hasattr(module, "check"):
        module.check(experiment)
    with _output_folder(Path(out)) as out:
        return _run(module, experiment, out, replicas, overrides, progress, log, record_limit_gb)


#: What a reproduction writes into its folder (and, under figures/, PNGs).
OUTPUTS = ("results.nc", "claims.csv", "report.md")


@contextmanager
def _output_folder(out):
    """Check that ``out`` can take a reproduction's files, lock it against a
    second reproduction, and clear what an interrupted run may have left: a
    report and claims that would describe other results, and temporary
    files."""
    import fcntl
    import tempfile

    if out.exists() and not out.is_dir():
        raise DataError(f"--out {out}: exists and is not a folder")
    try:
        (out / "figures").mkdir(parents=True, exist_ok=True)
        for folder in (out, out / "figures"):
            tempfile.TemporaryFile(dir=folder).close()
    except OSError as exc:
        raise DataError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None
    for name in OUTPUTS:
        if (out / name).exists() and not (out / name).is_file():
            raise DataError(f"--out {out}: {name} exists and is not a file")
    with open(out / ".pdplab-reproduce.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise DataError(f"--out {out}: another pdplab reproduce is writing there; wait for it to finish "
                            f"or choose another folder") from None
        for name in OUTPUTS[1:]:
            (out / name).unlink(missing_ok=True)
        # Temporary files of atomic writes (".<name>.<random><suffix>") that a killed run left.
        for path in [*out.glob(".*"), *(out / "figures").glob(".*")]:
            if any(path.name.startswith(f".{name}.") for name in OUTPUTS) or path.suffix == ".png":
                path.unlink(missing_ok=True)
        yield out


def _run(module, experiment, out, replicas, overrides, progress, log, record_limit_gb):
    from .plots import save_figure

    results = out / "results.nc"
    ds = _reusable(results, experiment)
    if ds is None:
        log(f"training {experiment.name}: {experiment.replicas} replicas, {experiment.training['epochs']} epochs")
        ds = experiment.run(progress=progress, record_limit_gb=record_limit_gb)
        save(ds, results)
    else:
        log(f"reusing {results}")
    claims, figures = module.analyse(ds, experiment)
    table = cl.table(claims)
    with atomic(out / "claims.csv") as tmp:
        table.to_csv(tmp, index=False)
    captions = {}
    for fig_name, (fig, caption) in figures.items():
        save_figure(fig, out / "figures" / f"{fig_name}.png")
        captions[fig_name] = caption
    preset = [parse_assignment(o)[0] for o in getattr(module, "OVERRIDES", ())]
    changed = [parse_assignment(o)[0] for o in overrides] + (["training.replicas"] if replicas is not None else [])
    _write_report(out / "report.md", module, experiment, ds, table, captions, preset, changed)
    return table


def _reusable(results, experiment):
    if not results.exists():
        return None
    try:
        ds = load(results)
    except DataError:
        return None
    if (ds.attrs.get("spec") == experiment.text and ds.sizes.get("replica") == experiment.replicas
            and ds.attrs.get("environment_digest") == experiment.environment_digest()):
        return ds
    return None


def _number(x):
    return "" if pd.isna(x) else f"{x:.3g}"


def _cell(text):
    """Text safe inside a markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _effect(row):
    if pd.isna(row.effect):
        return ""
    return f"{_number(row.effect)} [{_number(row.ci_low)}, {_number(row.ci_high)}]"


def _write_report(path, module, experiment, ds, table, captions, preset, changed):
    seeds = ds["seed"].values
    lines = [f"# {module.TITLE}", "", (module.__doc__ or "").strip(), "",
             f"Model: `{experiment.path.name}`; {ds.sizes['replica']} replicas (seeds {seeds.min()}–{seeds.max()}), "
             f"{int(ds['epoch'].values[-1])} epochs.", "",
             "## Claims", "",
             "Each claim is a test fixed before the run, over the replicas (the unit of analysis): *n* replicas "
             "entered the test, *effect* is the test's effect size with its confidence interval, *p* its p-value. "
             "Replicas that miss a claim's precondition are left out, and the table says how many; a claim with "
             f"too few replicas left (fewer than {cl.MIN_REPLICAS}, or fewer than half) is *not evaluable*.  A "
             "*data* claim is a property of the stimuli, not of training.  Lines in figures are medians over "
             "replicas; bands are interquartile ranges.", "",
             "| claim | published | measured | statistic and test | n | effect [CI] | p | holds |",
             "|---|---|---|---|---|---|---|---|"]
    for row in table.itertuples(index=False):
        kind = " *(data)*" if row.kind == "data" else ""
        test = "; ".join(str(x) for x in (row.statistic, row.test) if isinstance(x, str) and x)
        test += f"; precondition: {row.precondition}" if row.precondition else ""
        n = "" if pd.isna(row.n) else int(row.n)
        lines.append(f"| {_cell(row.claim)}{kind} | {_cell(row.published)} | {_cell(row.measured)} | {_cell(test)} "
                     f"| {n} | {_effect(row)} | {_number(row.p)} | {row.holds} |")
    lines += ["", "## Parameters", "", "| setting | value | source |", "|---|---|---|"]
    sources = experiment.sources or {}
    for key in dict.fromkeys([*sources, *preset, *changed]):
        try:
            value = experiment.replicas if key == "training.replicas" else lookup(experiment.spec, key)
        except SpecError:
            continue
        source = sources.get(key, "")
        if source.startswith("choice"):
            source = "**this project's choice**" + source[len("choice"):]
        if key in preset:
            source = f"set by this reproduction (`{module.NAME}`)" + (f"; the spec's: {source}" if source else "")
        if key in changed:
            source = "**changed for this run**" + (f" (the spec's: {source})" if source else "")
        lines.append(f"| `{_cell(key)}` | `{_cell(value)}` | {_cell(source)} |")
    lines += ["", "## Figures", ""]
    for name, caption in captions.items():
        lines += [f"![{name}](figures/{name}.png)", "", f"*{caption}*", ""]
    with atomic(path) as tmp:
        Path(tmp).write_text("\n".join(lines))
