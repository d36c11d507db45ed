"""Example files: Lens's text format, and the Xerion-style files of PMSP96.

Both hold one example (item) after another, each ended by ``;``.

Xerion style, as Plaut wrote the PMSP96 corpus (``SM-nsyl.ex``)::

    # 0 ace As 0.236101 #            <- header comment: idx name phon freq type
    0 0 0 ... 1 #a                   <- input values (a # ends a line's text)
    ,
    0 0 0 ... 1 0 0 0 #s             <- target values
    ;

The header is the comment on the line just before an example's first values;
its words are named by ``fields``.  Without one, an example is named by its
number.

Lens (Rohde's simulator), as far as this reader goes::

    defI: 0  actI: 1  defT: 0  actT: 1  ;     <- optional header
    name: {ace}  freq: 0.24
    I: (orthography) 0 0 1 0 ...              <- dense values, optionally for a named group
    T: {phonology} 30 48 ;                    <- sparse: the active units' numbers

Per example: ``name:``, ``freq:``, ``proc:`` (kept as text), ``defI:`` …
(overriding the header), ``I:``, ``T:`` and ``B:`` (both).  Values without a
group name cover all input (or target) groups in order.  A sparse list sets
the listed units to ``actI``/``actT`` and the others to ``defI``/``defT``.
Not supported, each with a one-line error: several events per example, event
timing (``max:``, ``min:``, ``grace:``), values other than numbers (``-``,
``*``, ranges), braces spanning lines or nested (``proc:`` scripts must fit
on one line).  Examples without ``freq:`` have frequency 1.

Numbers (values, frequencies, ``defI:`` …) are decimal numbers in ASCII, as
Python's ``float()`` reads them but without its underscores (``1_0`` is not
10) and non-ASCII digits; NaN and infinities are refused.  In a Xerion-style
file an example must start on a line of its own when the one before it has a
header comment (the header belongs to the example after it, not to a second
one on the same line).

:func:`write_examples` writes Lens files.  It keeps what Lens has no place
for (item columns, unit labels, group sizes) in comment lines beginning
``#@``, so that :func:`read_examples` reads its files back identically.
:func:`read_examples` checks these comments' values like any other part of
the file.

What survives the round trip exactly: patterns, frequencies, unit labels,
group names and order, item labels (text, or an integer index), and item
columns holding JSON's types: text, integers (``int64``), floats (NaN and
infinities too) and booleans, with None for a missing value.  What does not:
a pandas nullable column (``Int64``, ``boolean``) comes back as ``int64`` or
``bool``, or with a missing value as ``float64`` (NaN) or ``object`` (None);
a categorical column as plain text; a non-text column name as text (``5`` →
``"5"``); other index types as text.  Columns of other types (dates, lists
…) are refused.  Refused too, before anything is written (Lens could not read
them back as they are): group names that are empty or hold whitespace or one
of ``( ) { } # ;``; item labels that hold a brace, ``#`` or a line break, or
begin or end with whitespace (Lens drops it; strip it first).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..core.files import atomic
from ..environment import Environment
from ..exceptions import DataError
from .tables import existing_file

__all__ = ["XERION_FIELDS", "read_examples", "write_examples", "unique_labels"]

#: The words of a PMSP96 example header: number, word, pronunciation, frequency, type.
XERION_FIELDS = ("idx", "name", "phon", "freq", "type")

_DEFAULTS = {"defI": 0.0, "actI": 1.0, "defT": 0.0, "actT": 1.0}
_TIMING = ("max", "min", "grace")
_LENS_TOKEN = re.compile(r"\{[^{}]*\}|\([^()]*\)|;|[A-Za-z]+:|[^\s;{}()]+|\S")
_FORMAT_VERSION = 1


def unique_labels(names):
    """Item labels from names: a name's second and later occurrences get
    ``_2``, ``_3`` … (``["lead", "lead"]`` → ``["lead", "lead_2"]``)."""
    names = [str(n) for n in names]
    used, counts, labels = set(names), {}, []
    for n in names:
        counts[n] = counts.get(n, 0) + 1
        label, k = n, counts[n]
        while k > 1 and label in used:
            label = f"{n}_{k}"
            k += 1
        used.add(label)
        labels.append(label)
    return labels


class _Block:
    """The values given for a group (None: all groups in order) in an example."""

    def __init__(self, group=None, sparse=False, line=0):
        self.group, self.sparse, self.line, self.chunks = group, sparse, line, []
        self.both = False  # given by B:, for inputs and targets alike

    def add(self, line, tokens):
        if self.chunks and self.chunks[-1][0] == line:
            self.chunks[-1][1].extend(tokens)
        else:
            self.chunks.append((line, list(tokens)))

    def values(self):
        return [v for _, tokens in self.chunks for v in tokens]


class _Example:
    def __init__(self, number, line):
        self.number, self.line = number, line
        self.name = self.freq = self.proc = None
        self.fields, self.meta = {}, {}
        self.blocks = {"I": [], "T": []}
        self.defaults = dict(_DEFAULTS)
        self.headed = False  # a Xerion example with a header comment

    @property
    def label(self):
        return self.name if self.name is not None else f"#{self.number}"


# --- reading ----------------------------------------------------------------------------------------------------

def read_examples(path, inputs=None, targets=None, *, units=None, fields=XERION_FIELDS, name=None):
    """Read a Lens or Xerion-style example file (the format is recognised).

    Parameters
    ----------
    path : str or Path
    inputs, targets : str or dict of str to int, optional
        The input (target) groups and their sizes, in the order the values
        list them, or one group's name.  By default the groups the file names
        (``#@`` comments of :func:`write_examples`, or Lens group names),
        else one group ``input`` (``target``) as large as the values.
    units : dict of str to sequence of str, optional
        Unit labels per group.
    fields : sequence of str
        The words of a Xerion example header; ``name`` labels the example,
        ``freq`` is its frequency, the others become item columns.
    name : str, optional
        The environment's name (default: the file's stem).

    Returns
    -------
    Environment
        Items labelled by their names (a repeated name gets ``_2`` …; the
        name itself is in column ``name``), with columns ``frequency`` (when
        the file gives frequencies), the header fields and ``proc``.

    Raises
    ------
    DataError
        Naming the file, the line and the example, for anything malformed.
    """
    path = existing_file(path)
    try:
        lines = path.read_text().split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable text file ({exc})") from None
    parse = _parse_lens if _is_lens(lines) else _parse_xerion
    examples, meta = parse(lines, path, tuple(fields))
    if not examples:
        raise DataError(f"{path}: no examples")
    return _environment(examples, meta, path, inputs, targets, units, name)


def _is_lens(lines):
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text:
            return bool(re.match(r"[A-Za-z]+:|\[", text))
    return False


def _fail(path, line, example, message):
    where = f"{path}:{line}:" if line else f"{path}:"
    who = f" example {example.label!r}:" if example is not None else ""
    raise DataError(f"{where}{who} {message}")


def _parse_xerion(lines, path, fields):
    examples, ex, part, header = [], None, "I", None
    headed_end = None  # the line where the last example with a header comment ended
    for number, line in enumerate(lines, 1):
        text, hash_, comment = line.partition("#")
        if not text.strip():
            header = (number, comment) if hash_ else None
            continue
        for token in re.split(r"([;,])", text):
            if not token.strip():
                continue
            if ex is None:
                ex = _Example(len(examples), number)
                if number == headed_end:
                    _fail(path, number, ex, f"starts on the line where example {examples[-1].label!r} ends, "
                                            "so it has no header comment; start it on a line of its own")
                _xerion_header(ex, header, path, fields)
                ex.headed, header = header is not None, None
                ex.blocks = {"I": [_Block(line=number)], "T": [_Block(line=number)]}
                part = "I"
            if token == ",":
                if part == "T":
                    _fail(path, number, ex, "a second ',' (one separates the input from the target values)")
                part = "T"
                ex.blocks["T"][0].line = number
            elif token == ";":
                if part == "I":
                    _fail(path, number, ex, "no ',' between the input and target values")
                examples.append(ex)
                headed_end = number if ex.headed else None
                ex = None
            else:
                ex.blocks[part][0].add(number, token.split())
        header = None
    if ex is not None:
        _fail(path, ex.line, ex, "not ended by ';'")
    return examples, {}


def _xerion_header(ex, header, path, fields):
    if header is None:
        return
    line, comment = header
    words = comment.split()
    if len(words) != len(fields):
        _fail(path, line, ex, f"header has {len(words)} fields ({' '.join(words)}), expected {len(fields)} "
                              f"({' '.join(fields)}); pass fields=")
    for field, word in zip(fields, words):
        if field == "name":
            ex.name = word
        elif field == "freq":
            ex.freq = _number(word, path, line, ex, "frequency")
        else:
            ex.fields[field] = word


def _float(text):
    """``text`` as a finite number, or None: Python's ``float()`` without underscores or non-ASCII digits."""
    if "_" in text or not text.isascii():
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _number(text, path, line, ex, what):
    value = _float(text)
    if value is None:
        _fail(path, line, ex, f"{what} {text!r} is not a number")
    return value


def _lens_tokens(lines, path):
    """(token, line) pairs; ``#@`` comments are kept as single tokens."""
    tokens = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#@"):
            tokens.append((stripped, number))
            continue
        for tok in _LENS_TOKEN.findall(line.split("#", 1)[0]):
            if tok in ("{", "}", "(", ")"):
                raise DataError(f"{path}:{number}: unbalanced {tok!r} (braces and parentheses must close on "
                                "the same line and cannot nest)")
            tokens.append((tok, number))
    return tokens


def _segments(tokens, path):
    """The tokens of each ``;``-ended part of the file."""
    segments, current = [], []
    for tok, line in tokens:
        if tok == ";":
            segments.append(current)
            current = []
        else:
            current.append((tok, line))
    if any(not tok.startswith("#@") for tok, _ in current):
        raise DataError(f"{path}:{current[0][1]}: example not ended by ';'")
    return segments


def _parse_lens(lines, path, fields):
    segments = _segments(_lens_tokens(lines, path), path)
    defaults, meta = dict(_DEFAULTS), {}
    if segments and _is_header(segments[0]):
        meta = _lens_header(segments.pop(0), defaults, path)
    examples = []
    for seg in segments:
        if not seg:
            line = examples[-1].line if examples else 1
            raise DataError(f"{path}:{line}: an empty example (two ';' in a row?)")
        ex = _Example(len(examples), seg[0][1])
        ex.defaults = dict(defaults)
        _lens_example(ex, seg, path)
        examples.append(ex)
    return examples, meta


def _is_header(seg):
    keys = {tok[:-1] for tok, _ in seg if tok.endswith(":")}
    return bool(keys) and keys <= set(_DEFAULTS) | set(_TIMING)


def _lens_header(seg, defaults, path):
    meta, i = {}, 0
    while i < len(seg):
        tok, line = seg[i]
        if tok.startswith("#@"):
            value = _json(tok, path, line, None)
            if "pdplab" in value:
                meta = _checked_header(value["pdplab"], path, line)
            i += 1
            continue
        key = tok[:-1]
        if key in _TIMING:
            raise DataError(f"{path}:{line}: {tok} (event timing) is not supported")
        if i + 1 >= len(seg):
            raise DataError(f"{path}:{line}: {tok} has no value")
        if key not in defaults:
            raise DataError(f"{path}:{line}: unexpected {tok!r} in the header")
        defaults[key] = _number(seg[i + 1][0], path, line, None, tok)
        i += 2
    return meta


def _checked_header(meta, path, line):
    """The ``pdplab`` object of a ``#@`` header comment (written by :func:`write_examples`), its values checked."""
    def check(ok, message):
        if not ok:
            raise DataError(f"{path}:{line}: '#@' header: {message}")

    def whole(n):
        return type(n) is int and n >= 0

    check(isinstance(meta, dict), f"'pdplab' must be a JSON object, not {type(meta).__name__}")
    check(meta.get("version", _FORMAT_VERSION) == _FORMAT_VERSION and whole(meta.get("version", 1)),
          f"format version {meta.get('version')!r} is not {_FORMAT_VERSION}, the one this pdplab reads")
    sizes = {}
    for key in ("inputs", "targets"):
        groups = meta.get(key, {})
        check(isinstance(groups, dict) and all(whole(n) for n in groups.values()),
              f"{key!r} must map group names to sizes (whole numbers, at least 0)")
        sizes.update(groups)
    units = meta.get("units", {})
    check(isinstance(units, dict) and all(isinstance(u, list) and all(isinstance(x, str) for x in u)
                                          for u in units.values()),
          "'units' must map group names to lists of unit labels")
    if "inputs" in meta and "targets" in meta:
        for g, labels in units.items():
            check(len(labels) == sizes.get(g), f"{len(labels)} unit labels for group {g!r}, whose size is "
                                               f"{sizes.get(g, 'not given')}")
    columns = meta.get("columns", [])
    check(isinstance(columns, list) and all(isinstance(c, str) for c in columns),
          "'columns' must be a list of column names")
    for key in ("name", "index_name"):
        check(meta.get(key) is None or isinstance(meta[key], str), f"{key!r} must be text")
    for key in ("index_numeric", "frequency"):
        check(isinstance(meta.get(key, False), bool), f"{key!r} must be true or false")
    return meta


def _json(tok, path, line, ex):
    try:
        value = json.loads(tok[2:])
    except ValueError:
        value = None
    if not isinstance(value, dict):
        _fail(path, line, ex, "a '#@' comment must hold a JSON object")
    return value


def _lens_example(ex, seg, path):
    i = 0
    while i < len(seg):
        tok, line = seg[i]
        key = tok[:-1] if re.fullmatch(r"[A-Za-z]+:", tok) else None
        if tok.startswith("#@"):
            value = _json(tok, path, line, ex)
            for column, v in value.items():
                if not (v is None or isinstance(v, (str, int, float))):
                    _fail(path, line, ex, f"'#@' comment: column {column!r} holds a {type(v).__name__}; item "
                                          "values must be text, numbers, booleans or null")
            ex.meta.update(value)
        elif key in ("I", "T", "B"):
            i = _lens_values(ex, key, seg, i + 1, path)
            continue
        elif key in ("name", "freq", "proc", *_DEFAULTS):
            if i + 1 >= len(seg) or seg[i + 1][0].endswith(":"):
                _fail(path, line, ex, f"{tok} has no value")
            value = seg[i + 1][0]
            if value.startswith("{") or value.startswith("("):
                value = value[1:-1].strip()
            if key == "name":
                ex.name = value
            elif key == "proc":
                ex.proc = value
            elif key == "freq":
                ex.freq = _number(value, path, line, ex, "frequency")
            else:
                ex.defaults[key] = _number(value, path, line, ex, tok)
            i += 1
        elif key in _TIMING:
            _fail(path, line, ex, f"{tok} (event timing) is not supported")
        elif key is not None:
            _fail(path, line, ex, f"unknown field {tok!r}")
        elif re.fullmatch(r"\[0\]|1", tok) and not (ex.blocks["I"] or ex.blocks["T"]):
            pass  # one event, numbered 0
        elif re.fullmatch(r"\d+|\[.*\]?", tok):
            _fail(path, line, ex, f"{tok!r}: examples with several events are not supported")
        else:
            _fail(path, line, ex, f"unexpected {tok!r}")
        i += 1


def _lens_values(ex, key, seg, i, path):
    """Read the blocks of an ``I:``/``T:``/``B:`` field from ``seg[i]``; return where it ends."""
    blocks, chunk = [], None
    while i < len(seg):
        tok, line = seg[i]
        if tok[-1] == ":" or tok[0] == "[" or tok.startswith("#@"):
            break
        if tok[0] in "({":
            blocks.append(_Block(tok[1:-1].strip(), tok[0] == "{", line))
            chunk = None
        else:
            if not blocks:
                blocks.append(_Block(line=line))
            if chunk is None or chunk[0] != line:
                chunk = (line, [])
                blocks[-1].chunks.append(chunk)
            chunk[1].append(tok)
        i += 1
    if not blocks:
        _fail(path, seg[i - 1][1], ex, f"{key}: has no values")
    for block in blocks:
        block.both = key == "B"
    for kind in ("IT" if key == "B" else key):
        ex.blocks[kind].extend(blocks)
    return i


# --- from parsed examples to an Environment ---------------------------------------------------------------------

def _environment(examples, meta, path, inputs, targets, units, name):
    layout = {kind: _layout(examples, kind, given if given is not None else meta.get(key), path)
              for kind, key, given in (("I", "inputs", inputs), ("T", "targets", targets))}
    arrays = {kind: {g: np.empty((len(examples), n)) for g, n in layout[kind].items()} for kind in "IT"}
    for k, ex in enumerate(examples):
        for kind in "IT":
            other = layout["T" if kind == "I" else "I"]
            for g, row in _patterns(ex, kind, layout[kind], other, path).items():
                arrays[kind][g][k] = row
    items, frequency = _items(examples, meta, path)
    try:
        return Environment(arrays["I"], arrays["T"], items=items, frequency=frequency,
                           units=units if units is not None else meta.get("units"),
                           name=name or meta.get("name") or path.stem)
    except DataError as exc:
        raise DataError(f"{path}: {exc}") from None


def _layout(examples, kind, given, path):
    """The groups of one kind and their sizes, in order."""
    if isinstance(given, dict):
        for g, n in given.items():
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
                raise DataError(f"{path}: {'inputs' if kind == 'I' else 'targets'}: group {g!r} has size {n!r}; "
                                "a size must be a whole number, at least 0")
        return {str(g): int(n) for g, n in given.items()}
    default = given or ("input" if kind == "I" else "target")
    sizes = {}
    for ex in examples:
        if not ex.blocks[kind]:
            _fail(path, ex.line, ex, f"no {_WHAT[kind]} values")
        for block in ex.blocks[kind]:
            group = block.group or default
            if group not in sizes:
                if block.sparse:
                    _fail(path, block.line, ex, f"sparse values for group {group!r}, whose size is unknown: "
                                                f"pass {'inputs' if kind == 'I' else 'targets'}={{{group!r}: size}}")
                sizes[group] = len(block.values())
    return sizes


_WHAT = {"I": "input", "T": "target"}


def _patterns(ex, kind, layout, other, path):
    rows = {}
    for block in ex.blocks[kind]:
        if block.both and block.group in other and block.group not in layout:
            continue  # B: values for a group of the other kind
        if block.group is None:
            values = _dense(block, ex, kind, sum(layout.values()), path)
            parts = np.split(values, np.cumsum(list(layout.values()))[:-1])
            new = dict(zip(layout, parts))
        elif block.group not in layout:
            _fail(path, block.line, ex, f"unknown {_WHAT[kind]} group {block.group!r} "
                                        f"(groups: {', '.join(layout) or 'none'})")
        elif block.sparse:
            new = {block.group: _sparse(block, ex, kind, layout[block.group], path)}
        else:
            new = {block.group: _dense(block, ex, kind, layout[block.group], path)}
        for g in new:
            if g in rows:
                _fail(path, block.line, ex, f"{_WHAT[kind]} values for group {g!r} given twice")
        rows.update(new)
    for g in layout:
        if g not in rows:
            _fail(path, ex.line, ex, f"no {_WHAT[kind]} values for group {g!r}")
    return rows


def _dense(block, ex, kind, size, path):
    values = block.values()
    if len(values) != size:
        whose = f" for group {block.group!r}" if block.group else ""
        _fail(path, block.line, ex, f"{len(values)} {_WHAT[kind]} values{whose}, expected {size}")
    try:
        row = np.array(values, dtype=float)
    except ValueError:
        row = None
    text = "".join(values)
    if row is None or not np.isfinite(row).all() or "_" in text or not text.isascii():
        line, bad = next((line, v) for line, tokens in block.chunks for v in tokens if _float(v) is None)
        _fail(path, line, ex, f"{_WHAT[kind]} value {bad!r} is not a number")
    return row


def _sparse(block, ex, kind, size, path):
    row = np.full(size, ex.defaults["defI" if kind == "I" else "defT"])
    for line, tokens in block.chunks:
        for tok in tokens:
            if not re.fullmatch(r"[0-9]+", tok) or int(tok) >= size:
                _fail(path, line, ex, f"{tok!r} is not a unit number of group {block.group!r} (0-{size - 1})")
            row[int(tok)] = ex.defaults["actI" if kind == "I" else "actT"]
    return row


def _items(examples, meta, path):
    names = [ex.name if ex.name is not None else str(ex.number) for ex in examples]
    freq = [ex.freq for ex in examples]
    frequency = None if all(f is None for f in freq) else np.array([1.0 if f is None else f for f in freq])
    index = pd.Index(unique_labels(names), name="item")
    if "columns" in meta:
        items = pd.DataFrame([ex.meta for ex in examples], columns=meta["columns"], index=index) \
            if meta["columns"] else pd.DataFrame(index=index)
        if meta.get("index_numeric"):
            for ex, label in zip(examples, index):
                if not re.fullmatch(r"-?[0-9]+", label):
                    _fail(path, ex.line, ex, f"name {label!r} is not a whole number, which the '#@' header says "
                                             "every name is (index_numeric)")
            items.index = pd.Index([int(label) for label in index], name=meta.get("index_name"))
        else:
            items.index.name = meta.get("index_name")
        return items, frequency if meta.get("frequency") else None
    table = {"name": names}
    if frequency is not None:
        table["frequency"] = frequency
    for field in dict.fromkeys(f for ex in examples for f in ex.fields):
        table[field] = _maybe_numeric([ex.fields.get(field) for ex in examples])
    if any(ex.proc is not None for ex in examples):
        table["proc"] = [ex.proc for ex in examples]
    for column in dict.fromkeys(c for ex in examples for c in ex.meta):
        table[column] = [ex.meta.get(column) for ex in examples]
    return pd.DataFrame(table, index=index), frequency


def _maybe_numeric(values):
    try:
        return pd.to_numeric(pd.Series(values)).to_numpy()
    except (ValueError, TypeError):
        return values


# --- writing ----------------------------------------------------------------------------------------------------

def write_examples(environment, path, sparse=False):
    """Write ``environment`` as a Lens example file that :func:`read_examples` reads back identically.

    Each item becomes one single-event example: ``name:`` its label, ``freq:``
    its frequency (if the environment has them), ``I:`` and ``T:`` its patterns
    per group, dense (``(group) values``), or with ``sparse=True`` as the list
    of active units (``{group} units``) where a pattern is all 0s and 1s.
    Item columns, unit labels and group sizes go in ``#@`` comments, which
    Lens skips.  The file is written atomically.

    Raises
    ------
    DataError
        Before writing anything, for what the file could not hold as it is
        (see the module notes): a group name that is empty or holds
        whitespace or one of ``( ) { } # ;``; an item label with a brace,
        ``#``, a line break, or whitespace at either end; an item column of
        a type other than text, number or boolean.
    """
    if environment.events > 1:
        raise DataError(f"{path}: the items are sequences of events, which this writer (one event per example) "
                        f"cannot hold")
    for kind, arrays in (("input", environment.inputs), ("target", environment.targets)):
        for g in arrays:
            if not str(g) or re.search(r"[(){}#;\s]", str(g)):
                raise DataError(f"{path}: {kind} group name {str(g)!r} is empty or holds whitespace or one of "
                                "( ) { } # ;, which a Lens group name cannot")
    for label in environment.labels:
        if re.search(r"[{}#\n\r]", str(label)):
            raise DataError(f"{path}: item label {str(label)!r} holds a brace, '#' or a line break, which a Lens "
                            "name cannot")
        if str(label) != str(label).strip():
            raise DataError(f"{path}: item label {str(label)!r} begins or ends with whitespace, which a Lens name "
                            "loses; strip it first")
    items = environment.items
    header = {
        "name": environment.name,
        "inputs": {g: a.shape[1] for g, a in environment.inputs.items()},
        "targets": {g: a.shape[1] for g, a in environment.targets.items()},
        "units": environment.units,
        "columns": [str(c) for c in items.columns],
        "index_name": items.index.name,
        "index_numeric": bool(pd.api.types.is_integer_dtype(items.index)),
        "frequency": environment.frequency is not None,
    }
    lines = [f"# Lens example file written by pdplab {__version__}",
             "#@ " + json.dumps({"pdplab": {"version": _FORMAT_VERSION, **header}}),
             "defI: 0", "actI: 1", "defT: 0", "actT: 1", ";"]
    records = items.to_dict("records")
    for k, label in enumerate(environment.labels):
        lines.append(f"name: {{{label}}}")
        if environment.frequency is not None:
            lines.append(f"freq: {_number_text(environment.frequency[k])}")
        if records[k]:
            lines.append("#@ " + _item_json(records[k], label, path))
        for key, arrays in (("I", environment.inputs), ("T", environment.targets)):
            for g, a in arrays.items():
                lines.append(f"{key}: {_values_text(g, a[k], sparse)}")
        lines.append(";")
    with atomic(path) as tmp:
        Path(tmp).write_text("\n".join(lines) + "\n")
    return Path(path)


def _item_json(record, label, path):
    """An item's columns as a JSON object."""
    plain = {str(c): v.item() if isinstance(v, np.generic) else v for c, v in record.items()}
    try:
        return json.dumps(plain)
    except TypeError:
        bad = next(c for c, v in plain.items() if not _jsonable(v))
        raise DataError(f"{path}: item {label!r}: column {bad!r} holds {type(plain[bad]).__name__}, which an "
                        "example file cannot hold (text, numbers and booleans can)") from None


def _jsonable(value):
    try:
        json.dumps(value)
        return True
    except TypeError:
        return False


def _number_text(v):
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _values_text(group, row, sparse):
    binary = bool(np.all((row == 0) | (row == 1)))
    if sparse and binary:
        return f"{{{group}}} " + " ".join(map(str, np.flatnonzero(row)))
    if binary:
        return f"({group}) " + " ".join("1" if v else "0" for v in row)
    return f"({group}) " + " ".join(map(_number_text, row))
