"""The semantic-network training sets of Rumelhart & Todd (1993) and Rogers &
McClelland (2004).

Each pattern is an item and a relation (one-hot inputs ``item`` and
``relation``); its target is the set of attributes true of the item under
that relation (``attribute``).  The item table gives each pattern's item,
relation, domain (plant or animal) and category (tree, flower, bird, fish,
and for Rogers & McClelland's mammals, mammal).

References
----------
Rumelhart, D. E., & Todd, P. M. (1993). Learning and connectionist
representations. In D. E. Meyer & S. Kornblum (Eds.), *Attention and
Performance XIV* (pp. 3-30). MIT Press.
Rogers, T. T., & McClelland, J. L. (2004). *Semantic Cognition*. MIT Press.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from ..environment import Environment
from ..paths import data_dir

__all__ = ["rumelhart_todd_1993", "rumelhart_todd_1993_items", "rogers_mcclelland_2004", "read_table"]


def read_table(name):
    """A shipped table in ``stimuli/``: its output units (the last comment
    line) and its rows."""
    text = (data_dir("stimuli") / name).read_text()
    header = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    return header[-1].split("|"), pd.read_csv(io.StringIO(text), comment="#")


def _environment(name, unit_of, category_of, general, basic):
    units, rows = read_table(f"{name}.csv")
    items = list(dict.fromkeys(rows["item"]))
    relations = list(dict.fromkeys(rows["relation"]))
    n = len(rows)
    x_item, x_rel, target = np.zeros((n, len(items))), np.zeros((n, len(relations))), np.zeros((n, len(units)))
    for i, row in enumerate(rows.itertuples()):
        x_item[i, items.index(row.item)] = 1
        x_rel[i, relations.index(row.relation)] = 1
        for a in row.attributes.split("|"):
            target[i, units.index(unit_of(row.relation, a))] = 1
    facts = {(r.item, r.relation): r.attributes.split("|") for r in rows.itertuples()}
    table = pd.DataFrame(
        {
            "item_name": rows["item"].to_numpy(),
            "relation": rows["relation"].to_numpy(),
            "domain": [general(facts, i) for i in rows["item"]],
            "category": [category_of(basic(facts, i)) for i in rows["item"]],
        },
        index=pd.Index([f"{i} {r}" for i, r in zip(rows["item"], rows["relation"])], name="item"),
    )
    return Environment(
        {"item": x_item, "relation": x_rel},
        {"attribute": target},
        items=table,
        units={"item": items, "relation": relations, "attribute": units},
        name=name,
    )


def rumelhart_todd_1993():
    """The 32 item–relation patterns of the 8-item network (relations ISA, is,
    can, has; 36 attribute units shared by all relations).  Items are labelled
    ``"pine ISA"`` and so on."""
    return _environment(
        "rumelhart_todd_1993",
        unit_of=lambda relation, attribute: attribute,
        category_of=lambda basic: basic,
        general=lambda facts, item: facts[item, "ISA"][1],
        basic=lambda facts, item: facts[item, "ISA"][2],
    )


#: Rogers & McClelland's five mammals have their own basic-level names.
MAMMALS = ("cat", "dog", "mouse", "goat", "pig")


def rogers_mcclelland_2004():
    """The 121 item–relation patterns of the 21-item network (relations
    isa-general, isa-basic, isa-specific, is, can, has; 53 output units, one
    per relation and attribute, labelled ``"has:leaves"``).  The mammals have
    no isa-specific pattern."""
    return _environment(
        "rogers_mcclelland_2004",
        unit_of=lambda relation, attribute: f"{relation}:{attribute}",
        category_of=lambda basic: "mammal" if basic in MAMMALS else basic,
        general=lambda facts, item: facts[item, "isa-general"][0],
        basic=lambda facts, item: facts[item, "isa-basic"][0],
    )


def rumelhart_todd_1993_items():
    """The eight items with every attribute true of them under any relation:
    one-hot ``item`` inputs, 36 ``attribute`` targets, no relation input.
    The input–output map of Saxe, McClelland & Ganguli's (2019) analysis."""
    env = rumelhart_todd_1993()
    names = env.units["item"]
    targets = np.zeros((len(names), len(env.units["attribute"])))
    for i, name in enumerate(env.items["item_name"]):
        targets[names.index(name)] = np.maximum(targets[names.index(name)], env.targets["attribute"][i])
    table = env.items.drop_duplicates("item_name").set_index("item_name")[["domain", "category"]]
    table.index.name = "item"
    return Environment(
        {"item": np.eye(len(names))},
        {"attribute": targets},
        items=table,
        units={"item": names, "attribute": env.units["attribute"]},
        name="rumelhart_todd_1993_items",
    )
