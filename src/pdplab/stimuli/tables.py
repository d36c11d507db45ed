"""Environments from CSV tables.

A pattern table has one row per item.  Its ``item`` column labels the items;
a column named ``<group>.<unit>`` holds that unit's value for each item, for
every input and output group of the network; every other column is item
metadata (word, class, frequency …).

    item,kind,kf,input.0,input.1,output.0
    00,even,10,0,0,0
    01,odd,5,0,1,1
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..environment import Environment
from ..exceptions import DataError

__all__ = ["read_patterns", "write_patterns", "existing_file", "read_csv"]


def existing_file(path):
    """``path`` as a Path, if it names a file; else a one-line DataError."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: {'is a folder, not a file' if path.is_dir() else 'no such file'}")
    return path


def read_csv(path, whole_line_comments=False, **options):
    """The CSV table at ``path`` (``options`` go to :func:`pandas.read_csv`), or a one-line
    DataError naming the file.  With ``whole_line_comments``, lines starting with "#" are
    comments and "#" elsewhere is a value (PMSP96's type code)."""
    from io import StringIO

    path = existing_file(path)
    try:
        source = path
        if whole_line_comments:
            source = StringIO("".join(line for line in path.read_text().splitlines(keepends=True)
                                      if not line.startswith("#")))
        return pd.read_csv(source, **options)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path}: not a readable CSV table ({str(exc).splitlines()[0]})") from None


def read_patterns(path, network, frequency=None, name=None, units=None):
    """Read a pattern table for ``network``'s input and output groups.

    Columns are matched to units by their labels when ``units`` (group →
    unit labels, e.g. those a trained network's results carry) gives them:
    a table may order its columns as it likes, but must name the same units.
    """
    path = Path(path)
    table = read_csv(path, comment="#", dtype={"item": str})
    if "item" not in table.columns:
        raise DataError(f"{path}: no 'item' column")
    if table.empty:
        raise DataError(f"{path}: has a header but no rows")
    arrays, used = {}, set()
    for group in network.inputs + network.outputs:
        size = network.groups[group].size
        cols = [c for c in table.columns if c.startswith(f"{group}.")]
        if len(cols) != size:
            raise DataError(f"{path}: {len(cols)} columns '{group}.*' for group {group!r} of {size} units")
        if units and group in units:
            wanted = [f"{group}.{u}" for u in units[group]]
            if sorted(wanted) != sorted(cols):
                odd = sorted(set(cols) - set(wanted)) or sorted(set(wanted) - set(cols))
                raise DataError(f"{path}: the units of group {group!r} are {', '.join(map(str, units[group]))}; "
                                f"the table names {odd[0]!r}")
            cols = wanted
        values = table[cols].apply(pd.to_numeric, errors="coerce")
        bad = ~np.isfinite(values.to_numpy(dtype=float))
        if bad.any():
            row, j = np.argwhere(bad)[0]
            what = "is not a number" if pd.isna(values.iat[row, j]) else f"is {values.iat[row, j]}, not a finite number"
            raise DataError(f"{path}: item {table.at[row, 'item']!r}, column {cols[j]!r} {what}")
        arrays[group] = values.to_numpy(dtype=float)
        used.update(cols)
    items = table.drop(columns=sorted(used)).set_index("item")
    units = {g: [c.split(".", 1)[1] for c in table.columns if c.startswith(f"{g}.")] for g in arrays}
    return Environment(
        {g: arrays[g] for g in network.inputs},
        {g: arrays[g] for g in network.outputs},
        items=items,
        frequency=frequency,
        units=units,
        name=name or path.stem,
    )


def write_patterns(environment, path):
    """Write ``environment`` as a pattern table that :func:`read_patterns` reads."""
    if environment.events > 1:
        raise DataError(f"{path}: the items are sequences of events, which a pattern table (one row per item) "
                        f"cannot hold")
    table = environment.items.copy()
    table.index.name = "item"
    for group, arr in {**environment.inputs, **environment.targets}.items():
        labels = environment.units.get(group, range(arr.shape[1]))
        for j, label in enumerate(labels):
            table[f"{group}.{label}"] = arr[:, j]
    table.to_csv(path)
    return Path(path)
