"""Train Rumelhart & Todd's (1993) semantic network and watch it differentiate.

Ten replicas train together; the script prints the error, the mean
correlation between the learned representations of items in the same and in
different domains (plants, animals) as training goes on, and writes the
results to semantic.nc.

    python examples/semantic_network.py
"""

import numpy as np

import pdplab as pl
from pdplab.stimuli import rumelhart_todd_1993

env = rumelhart_todd_1993()
net = pl.Network(
    [
        pl.Group("item", 8),
        pl.Group("relation", 4),
        pl.Group("representation", 8),
        pl.Group("hidden", 15),
        pl.Group("attribute", 36, error="sse"),
    ],
    [("item", "representation"), ("representation", "hidden"),
     ("relation", "hidden"), ("hidden", "attribute")],
    init_range=0.9,
)
ds = pl.train(net, env, epochs=2000, lr=0.1, replicas=10, seed=1,
              record={"groups": ["representation"], "every": 250}, progress=True)

# One representation per item (it does not depend on the relation).
isa = ds.where(ds["relation"] == "ISA", drop=True)
domain = isa["domain"].values
same = domain[:, None] == domain[None, :]
off_diagonal = ~np.eye(len(domain), dtype=bool)

print(f"{'epoch':>6} {'error':>8} {'r within domain':>16} {'r between':>10}")
for epoch in isa["epoch"].values:
    reps = isa["representation"].sel(epoch=epoch).values  # (replica, item, unit)
    r = np.array([np.corrcoef(x) for x in reps]).mean(axis=0)
    error = float(ds["error"].sel(epoch=epoch).sum("item").mean())
    print(f"{epoch:6d} {error:8.3f} {r[same & off_diagonal].mean():16.2f} {r[~same].mean():10.2f}")

pl.save(ds, "semantic.nc")
print("results written to semantic.nc (try: pdplab info semantic.nc)")
