"""The semantic-network training set of Rumelhart & Todd (1993).

References
----------
Rumelhart, D. E., & Todd, P. M. (1993). Learning and connectionist
representations. In D. E. Meyer & S. Kornblum (Eds.), *Attention and
Performance XIV* (pp. 3-30). MIT Press.
Rogers, T. T., & McClelland, J. L. (2004). *Semantic Cognition*. MIT Press.
"""

from __future__ import annotations

import io
from importlib import resources

import numpy as np
import pandas as pd

from ..environment import Environment

__all__ = ["rumelhart_todd_1993", "read_table"]


def read_table(name):
    """A shipped table: its attribute order (the last comment line) and its rows."""
    text = resources.files(__package__).joinpath("data", name).read_text()
    header = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    return header[-1].split("|"), pd.read_csv(io.StringIO(text), comment="#")


def rumelhart_todd_1993():
    """The 32 item–relation patterns of the 8-item semantic network.

    Returns
    -------
    Environment
        Inputs ``item`` (8 one-hot units) and ``relation`` (4: ISA, is, can,
        has); targets ``attribute`` (36 units).  The item table has columns
        ``item_name``, ``relation``, ``domain`` (plant/animal) and
        ``category`` (tree, flower, bird, fish); items are labelled
        ``"pine ISA"`` and so on; unit labels are the item, relation and
        attribute names.
    """
    attributes, rows = read_table("rumelhart_todd_1993.csv")
    items = list(dict.fromkeys(rows["item"]))
    relations = list(dict.fromkeys(rows["relation"]))
    n = len(rows)
    x_item = np.zeros((n, len(items)))
    x_rel = np.zeros((n, len(relations)))
    target = np.zeros((n, len(attributes)))
    for i, row in enumerate(rows.itertuples()):
        x_item[i, items.index(row.item)] = 1
        x_rel[i, relations.index(row.relation)] = 1
        for a in row.attributes.split("|"):
            target[i, attributes.index(a)] = 1
    isa = {r.item: r.attributes.split("|") for r in rows.itertuples() if r.relation == "ISA"}
    table = pd.DataFrame(
        {
            "item_name": rows["item"].to_numpy(),
            "relation": rows["relation"].to_numpy(),
            "domain": [isa[i][1] for i in rows["item"]],
            "category": [isa[i][2] for i in rows["item"]],
        },
        index=pd.Index([f"{i} {r}" for i, r in zip(rows["item"], rows["relation"])], name="item"),
    )
    return Environment(
        {"item": x_item, "relation": x_rel},
        {"attribute": target},
        items=table,
        units={"item": items, "relation": relations, "attribute": attributes},
        name="rumelhart_todd_1993",
    )
