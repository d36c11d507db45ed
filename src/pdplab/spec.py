"""Model specs: a TOML file that says what network to build, what to train it
on, how, and what to record.

    name = "xor"

    [network]
    init_range = 1.0
    groups = [
        { name = "input", size = 2 },
        { name = "hidden", size = 3 },
        { name = "output", size = 1, error = "sse" },
    ]
    projections = [
        { source = "input", target = "hidden" },
        { source = "hidden", target = "output" },
    ]

    [environment]
    file = "xor.csv"            # a pattern table (see pdplab.stimuli.tables), or
    # stimuli = "rumelhart_todd_1993"   a shipped stimulus set

    [training]                  # the arguments of pdplab.train
    epochs = 2000
    optimizer = "momentum"
    lr = 0.5
    update = "batch"
    replicas = 10
    seed = 1

    [recording]                 # the fields of pdplab.Record
    groups = ["hidden"]
    every = 10

    [sources]                   # optional: where each setting comes from
    "training.lr" = "Rumelhart, Hinton & Williams 1986"
    "training.epochs" = "choice: long enough to learn"   # "choice…": this project's

Every key is checked: a mistake is reported in one line naming the file, the
key path and what was expected (:class:`SpecError`).  Any key can be
overridden with ``"training.lr=0.05"``-style assignments; inside the lists of
groups and projections, an element is named by its group name or by
``source->target`` (``network.groups.hidden.size=20``).  The key paths of
``[sources]`` must name keys of the spec; a reproduction's report lists
each with its value and source, and marks this project's choices.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import tomli_w

from .core.network import Group, Network, Projection
from .core.record import Record, as_record, check_names
from .exceptions import DataError, NetworkError, PdplabError

__all__ = ["SpecError", "Experiment", "load_spec", "parse_assignment", "apply_overrides", "lookup"]


class SpecError(PdplabError, ValueError):
    """A model spec is malformed; the message names the file and key."""


NUMBER = "number"
NUMBERS = "number or list of numbers"
STIMULI_REF = {"stimuli": str, "file": str, "frequency": str, "corpus": str}

SCHEMA = {
    "name": str,
    "description": str,
    "reproduction": str,
    "sources": {str: str},
    "network": {
        "name": str,
        "init_range": NUMBER,
        "time": str,
        "groups": [
            {
                "name": str, "size": int, "activation": str, "bias": (bool, NUMBER),
                "learn_bias": bool, "error": str, "target_radius": NUMBER,
                "zero_error_radius": NUMBER, "units": [str], "copy_of": str, "initial": NUMBER,
            }
        ],
        "projections": [
            {
                "source": str, "target": str, "init_range": NUMBER, "init": str,
                "frozen": bool, "lr_scale": NUMBER,
            }
        ],
    },
    "environment": {**STIMULI_REF, "test": STIMULI_REF, "grow": str},
    "training": {
        "epochs": int, "optimizer": str, "lr": NUMBERS, "momentum": NUMBERS, "decay": NUMBERS,
        "optimizer_options": {str: NUMBER}, "update": str, "batch_size": int, "order": str,
        "scale_by_frequency": bool, "rule": str, "criterion": NUMBER,
        "schedule": {str: {str: (NUMBER, bool, STIMULI_REF)}}, "dtype": str, "replicas": int, "seed": int,
        "engine": str,
        "timing": {"duration": NUMBER, "dt": NUMBER, "grace": NUMBER, "test_duration": NUMBER, "settle": NUMBER,
                   "settle_rule": str, "bptt": str},
    },
    "recording": {"groups": [str], "every": int, "epochs": [int], "log_points": int, "accuracy": [str],
                  "net_input": bool, "delta": bool, "train_error": bool, "ticks": bool},
}
REQUIRED = [("network", "groups"), ("network", "projections"), ("environment",), ("training", "epochs")]
#: Training settings that may differ between replicas of one vectorized run.
PER_REPLICA = ("lr", "momentum", "decay")


@dataclass
class Experiment:
    """A loaded spec: the objects :func:`pdplab.train` needs.

    ``pl.train(exp.network, exp.environment, **exp.training, replicas=..., seed=...)``
    or simply ``exp.run()``: ``training`` holds every argument of
    :func:`pdplab.train` the spec sets, recording and test items included.
    """

    name: str
    path: Path
    spec: dict
    network: Network
    environment: object
    training: dict
    replicas: int = 1
    seed: int = 0
    reproduction: str | None = None
    sources: dict | None = None

    @property
    def text(self):
        """The resolved spec as TOML."""
        return tomli_w.dumps(self.spec)

    def run(self, replicas=None, seed=None, progress=False, weights=None, **options):
        """Train as the spec says; the resolved spec is stored in the results.

        ``weights`` may be a results Dataset of this spec, to continue that
        run (its seeds and replicas; see :func:`pdplab.train`).  ``options``
        go to :func:`pdplab.train` (e.g. ``record_limit_gb``).  A setting that
        training refuses is reported against the spec file.
        """
        from .core.state import saved_state
        from .core.train import train
        from .exceptions import DivergenceError

        if weights is None or saved_state(weights) is None:
            seed = self.seed if seed is None else seed
            replicas = self.replicas if replicas is None else replicas
        try:
            ds = train(
                self.network, self.environment, **self.training,
                replicas=replicas,
                seed=seed, progress=progress, weights=weights, **options,
            )
        except DivergenceError:
            raise
        except (NetworkError, DataError) as exc:
            raise SpecError(f"{self.path}: training: {exc}") from None
        ds.attrs["spec"] = self.text
        ds.attrs["spec_file"] = str(self.path)
        ds.attrs["environment_digest"] = self.environment_digest()
        return ds

    def environment_digest(self):
        """A digest of the items this spec trains and records (see :func:`pdplab.core.state.environment_digest`):
        it tells whether stored results were made from the same data, when the spec's text is
        the same but a data file it names has changed."""
        from .core.state import environment_digest

        return environment_digest(self.environment, self.training.get("test"))


def load_spec(path, overrides=()):
    """Read, override and check a model spec.

    Parameters
    ----------
    path : str or Path
    overrides : sequence of str or dict
        ``"key.path=value"`` assignments (values in TOML syntax; bare words
        are strings), or a mapping from key path to value.

    Returns
    -------
    Experiment

    Raises
    ------
    SpecError
        With a one-line message: ``<file>: <key path>: <what was expected>``.
    """
    path = Path(path)
    if not path.exists():
        raise SpecError(f"{path}: no such file")
    try:
        spec = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot be read ({exc})") from None
    spec = apply_overrides(spec, overrides, path)
    _check(spec, SCHEMA, path, ())
    for keys in REQUIRED:
        node = spec
        for i, k in enumerate(keys):
            if not isinstance(node, dict) or k not in node:
                raise SpecError(f"{path}: {'.'.join(keys[: i + 1])}: missing")
            node = node[k]
    return _build(spec, path)


def parse_assignment(text):
    """``"training.lr=0.05"`` → ``("training.lr", 0.05)``; values are TOML,
    bare words strings."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise SpecError(f"--set {text!r}: expected key.path=value")
    try:
        return key, tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return key, value


def apply_overrides(spec, overrides, path="spec"):
    """A copy of ``spec`` with each override applied."""
    spec = copy.deepcopy(spec)
    items = overrides.items() if isinstance(overrides, dict) else (parse_assignment(o) for o in overrides)
    for key, value in items:
        node, parts = spec, key.split(".")
        for i, part in enumerate(parts[:-1]):
            where = ".".join(parts[: i + 1])
            if isinstance(node, list):
                node = _element(node, part, path, where)
            elif isinstance(node, dict):
                node = node.setdefault(part, {})
            else:
                raise SpecError(f"{path}: {where}: is a value, not a table")
        last = parts[-1]
        if isinstance(node, list):
            raise SpecError(f"{path}: {key}: name an element of the list, then its key")
        if not isinstance(node, dict):
            raise SpecError(f"{path}: {key}: is inside a value, not a table")
        node[last] = value
    return spec


def _element(items, name, path, where):
    """The group or projection called ``name`` (a projection: ``source->target``,
    or ``source:target``, which needs no quoting in a shell)."""
    for item in items:
        if isinstance(item, dict) and name in (
            item.get("name"), f"{item.get('source')}->{item.get('target')}",
            f"{item.get('source')}:{item.get('target')}",
        ):
            return item
    raise SpecError(f"{path}: {where}: no element named {name!r}")


def _type_name(expected):
    if isinstance(expected, tuple):
        return " or ".join(_type_name(e) for e in expected)
    if isinstance(expected, dict):
        return "a table"
    if isinstance(expected, list):
        return "a list"
    if isinstance(expected, str):
        return "a " + expected
    return {str: "a string", int: "an integer", bool: "true or false"}[expected]


def _matches(value, expected):
    if isinstance(expected, tuple):
        return any(_matches(value, e) for e in expected)
    if expected == NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == NUMBERS:
        return _matches(value, NUMBER) or (
            isinstance(value, list) and bool(value) and all(_matches(v, NUMBER) for v in value)
        )
    if isinstance(expected, dict):
        return isinstance(value, dict)
    if isinstance(expected, list):
        return isinstance(value, list)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _key_text(key):
    """A key as it reads in a key path: quoted when not a plain name."""
    return key if re.fullmatch(r"[\w\-<>]+", key) else repr(key)


def _check(value, schema, path, keys):
    keys = tuple(_key_text(str(k)) for k in keys)
    where = ".".join(keys) or "top level"
    if not _matches(value, schema):
        raise SpecError(f"{path}: {where}: expected {_type_name(schema)}, got {value!r:.60}")
    if isinstance(schema, tuple):
        schema = next(s for s in schema if _matches(value, s))
    if isinstance(schema, list):
        for i, item in enumerate(value):
            label = item.get("name") if isinstance(item, dict) and "name" in item else str(i)
            _check(item, schema[0], path, keys + (label,))
    elif isinstance(schema, dict):
        if len(schema) == 1 and str in schema:  # a table of free keys
            for k, v in value.items():
                _check(v, schema[str], path, keys + (k,))
            return
        for k, v in value.items():
            if k not in schema:
                close = difflib.get_close_matches(k, list(schema), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(schema)}"
                raise SpecError(f"{path}: {'.'.join(keys + (_key_text(k),))}: unknown key{hint}")
            _check(v, schema[k], path, keys + (k,))


def _build(spec, path):
    section = "network"
    try:
        net_spec = spec["network"]
        network = Network(
            [Group(**{k: (tuple(v) if k == "units" else v) for k, v in g.items()}) for g in net_spec["groups"]],
            [Projection(**p) for p in net_spec["projections"]],
            init_range=net_spec.get("init_range", 1.0),
            name=net_spec.get("name", spec.get("name", path.stem)),
            time=net_spec.get("time"),
        )
        section = "environment"
        env_spec = spec["environment"]
        environment = _environment(env_spec, network, path, "environment")
        test_spec = env_spec.get("test")
        if test_spec is not None and "corpus" in env_spec and "corpus" not in test_spec:
            from .stimuli import FROM_CORPUS

            if test_spec.get("stimuli") in FROM_CORPUS:  # test items built from the same corpus as the training items
                test_spec = {**test_spec, "corpus": env_spec["corpus"]}
        test = _environment(test_spec, network, path, "environment.test") if test_spec is not None else None
        growth = {}
        if "grow" in env_spec:
            environment, growth, vocabulary = _growth(environment, env_spec["grow"], path)
            test = vocabulary if test is None else _joined(vocabulary, test)
        for env in (environment, test):
            if env is not None:
                env.arrays(network)
        section = "training"
        training = {k: v for k, v in spec.get("training", {}).items() if k not in ("replicas", "seed")}
        if "schedule" in training:
            training["schedule"] = {
                int(epoch): {
                    k: (_environment(v, network, path, f"training.schedule.{epoch}.{k}") if isinstance(v, dict) else v)
                    for k, v in changes.items()
                }
                for epoch, changes in _schedule_epochs(training["schedule"], path).items()
            }
        if growth:
            clash = [e for e, change in training.get("schedule", {}).items() if "environment" in change]
            if clash:
                raise SpecError(f"{path}: training.schedule.{clash[0]}.environment: the vocabulary grows by "
                                f"environment.grow; a scheduled environment would replace it")
            for epoch, change in growth.items():
                training.setdefault("schedule", {}).setdefault(epoch, {}).update(change)
        section = "recording"
        record = as_record(Record(**spec.get("recording", {})), network)
        check_names(record, test or environment)
    except SpecError:
        raise
    except TypeError as exc:  # a required field of a group or projection is missing
        raise SpecError(f"{path}: {section}: {exc}") from None
    except (NetworkError, DataError) as exc:
        raise SpecError(f"{path}: {section}: {exc}") from None
    _check_training(training, network, environment, path)
    training["record"] = record
    if test is not None:
        training["test"] = test
    if spec.get("training", {}).get("replicas", 1) < 1:
        raise SpecError(f"{path}: training.replicas: must be ≥ 1")
    if spec.get("training", {}).get("seed", 0) < 0:
        raise SpecError(f"{path}: training.seed: must be ≥ 0")
    for key in spec.get("sources", {}):
        lookup(spec, key, path, f"sources.{_key_text(key)}")
    return Experiment(
        name=spec.get("name", path.stem),
        path=path,
        spec=spec,
        network=network,
        environment=environment,
        training=training,
        replicas=spec.get("training", {}).get("replicas", 1),
        seed=spec.get("training", {}).get("seed", 0),
        reproduction=spec.get("reproduction"),
        sources=dict(spec.get("sources", {})),
    )


def lookup(spec, key, path="spec", where=None):
    """The value at ``key`` (a key path as in overrides, list elements named)
    in a spec; a :class:`SpecError` naming ``where`` if there is none."""
    node = spec
    for part in key.split("."):
        if isinstance(node, list):
            node = _element(node, part, path, where or key)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise SpecError(f"{path}: {where or key}: the spec has no key {key!r}")
    return node


def _schedule_epochs(schedule, path):
    out = {}
    for epoch, changes in schedule.items():
        try:
            out[int(epoch)] = changes
        except ValueError:
            raise SpecError(f"{path}: training.schedule.{epoch}: the key must be an epoch number") from None
    return out


def _environment(ref, network, path, where):
    from .stimuli import FROM_CORPUS, STIMULI, read_patterns

    if ("stimuli" in ref) == ("file" in ref):
        raise SpecError(f"{path}: {where}: give exactly one of 'stimuli' (a shipped set) or 'file' (a CSV table)")
    if "stimuli" in ref:
        if ref["stimuli"] not in STIMULI:
            raise SpecError(
                f"{path}: {where}.stimuli: unknown stimulus set {ref['stimuli']!r}; shipped: {', '.join(STIMULI)}"
            )
        if "corpus" in ref and ref["stimuli"] not in FROM_CORPUS:
            raise SpecError(f"{path}: {where}.corpus: the stimulus set {ref['stimuli']!r} is not built from a "
                            f"corpus (those that are: {', '.join(FROM_CORPUS)})")
        try:
            env = STIMULI[ref["stimuli"]](**({"corpus": ref["corpus"]} if "corpus" in ref else {}))
        except DataError as exc:
            raise SpecError(f"{path}: {where}: {exc}") from None
        if "frequency" in ref:
            env = _with_frequency(env, ref["frequency"], path, where)
        return env
    file = Path(ref["file"])
    if not file.is_absolute():
        file = path.parent / file
    try:
        return read_patterns(file, network, frequency=ref.get("frequency"))
    except DataError as exc:
        raise SpecError(f"{path}: {where}.file: {exc}") from None


def _growth(vocabulary, column, path):
    """The items trained from epoch 1, and the schedule that adds the others.

    Each item joins at the epoch its ``column`` gives (a whole number; blank or NaN: never
    trained, a test item); the first vocabulary joins at 0.  The vocabulary is put in order
    of joining, so that each scheduled vocabulary is a view of the same arrays, not a copy.
    """
    from .environment import Environment

    where = f"{path}: environment.grow"
    if column not in vocabulary.items.columns:
        raise SpecError(f"{where}: the items have no column {column!r}")
    raw = vocabulary.items[column]
    if pd.api.types.is_bool_dtype(raw):
        raise SpecError(f"{where}: column {column!r} holds true/false, not epochs")
    enters = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    blank = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
    with np.errstate(invalid="ignore"):
        bad = (np.isnan(enters) & ~blank) | np.isinf(enters) | (enters < 0) | (enters != np.round(enters))
    bad &= ~(np.isnan(enters) & blank)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise SpecError(f"{where}: item {vocabulary.labels[k]!r} joins at {str(raw.iloc[k])!r}; column {column!r} must "
                        f"give a whole epoch ≥ 0 (blank or NaN: never trained)")
    joins = ~np.isnan(enters)
    if not joins.any() or enters[joins].min() != 0:
        raise SpecError(f"{where}: no item joins at epoch 0 (the first vocabulary); column {column!r} "
                        f"{'gives no epoch' if not joins.any() else f'starts at {enters[joins].min():g}'}")
    order = np.argsort(np.where(joins, enters, np.inf), kind="stable")
    ordered = Environment({g: a[order] for g, a in vocabulary.inputs.items()},
                          {g: a[order] for g, a in vocabulary.targets.items()},
                          items=vocabulary.items.iloc[order],
                          frequency=None if vocabulary.frequency is None else vocabulary.frequency[order],
                          units=vocabulary.units, name=vocabulary.name)
    sorted_enters = enters[order]

    def first(k, name):
        return Environment({g: a[:k] for g, a in ordered.inputs.items()},
                           {g: a[:k] for g, a in ordered.targets.items()}, items=ordered.items.iloc[:k],
                           frequency=None if ordered.frequency is None else ordered.frequency[:k],
                           units=ordered.units, name=name)

    counts = {int(e): int((sorted_enters <= e).sum()) for e in np.unique(enters[joins])}
    schedule = {e: {"environment": first(k, f"{vocabulary.name}@{e}")} for e, k in counts.items() if e > 0}
    return first(counts[0], vocabulary.name), schedule, ordered


def _joined(vocabulary, test):
    """The growing vocabulary followed by the test items it lacks (no marker column)."""
    both = vocabulary.with_test(test, column="_joined")
    both.items = both.items.drop(columns="_joined")
    return both


def _with_frequency(env, column, path, where):
    from .environment import Environment

    if column not in env.items.columns:
        raise SpecError(f"{path}: {where}.frequency: the stimuli have no column {column!r}")
    return Environment(env.inputs, env.targets, items=env.items, frequency=column, units=env.units, name=env.name)


def _check_training(training, network, environment, path):
    """Catch impossible training settings now rather than when training starts."""
    from .core.compiled import ENGINES
    from .core.optim import OPTIMIZERS, make_optimizer
    from .core.rules import RULES
    from .core.train import ORDERS, UPDATES

    from .core.train_time import UPDATES_IN_TIME

    updates = UPDATES if network.time is None else UPDATES_IN_TIME
    for key, allowed in (("update", updates), ("order", ORDERS), ("rule", RULES),
                         ("optimizer", tuple(OPTIMIZERS)), ("dtype", ("float64", "float32")), ("engine", ENGINES)):
        if key in training and training[key] not in allowed:
            raise SpecError(
                f"{path}: training.{key}: expected one of {', '.join(allowed)}, got {training[key]!r}"
            )
    for key in ("epochs", "batch_size"):
        if key in training and training[key] < (0 if key == "epochs" else 1):
            raise SpecError(f"{path}: training.{key}: must be {'≥ 0' if key == 'epochs' else '≥ 1'}")
    try:
        make_optimizer(
            training.get("optimizer", "steepest"),
            **{k: training[k] for k in PER_REPLICA if k in training},
            **training.get("optimizer_options", {}),
        )
    except NetworkError as exc:
        raise SpecError(f"{path}: training: {exc}") from None
    if training.get("update") == "minibatch" and "batch_size" not in training:
        raise SpecError(f"{path}: training.batch_size: needed with update = \"minibatch\"")
    if "timing" in training and network.time is None:
        raise SpecError(f"{path}: training.timing: applies to networks in time (network.time)")
    if network.time is not None:
        from .core.time import as_timing

        try:
            as_timing(training.get("timing"), network)
        except NetworkError as exc:
            raise SpecError(f"{path}: training.{exc}") from None
