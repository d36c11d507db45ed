"""Train Rumelhart & Todd's (1993) semantic network and watch it differentiate.

Ten replicas train together; every 250 epochs the script prints the error
and the mean correlation distance between the learned representations of
items in the same domain (plants, animals) and in different domains, then
writes the results to semantic.nc.

    python examples/semantic_network.py
"""

import numpy as np

import pdplab as pl
from pdplab.analysis import rsa
from pdplab.models.semantic import item_patterns
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

reps = item_patterns(ds)                       # one representation per item
distance = rsa.mean_rdm(rsa.rdm(reps))         # (epoch, item, item2), mean over replicas
domain = reps["domain"].values
same = (domain[:, None] == domain[None, :]) & ~np.eye(len(domain), dtype=bool)
between = domain[:, None] != domain[None, :]

print(f"{'epoch':>6} {'error':>8} {'within domain':>14} {'between':>8}")
for epoch in distance["epoch"].values:
    d = distance.sel(epoch=epoch).values
    error = float(ds["error"].sel(epoch=epoch).sum("item").mean())
    print(f"{epoch:6d} {error:8.3f} {d[same].mean():14.2f} {d[between].mean():8.2f}")

pl.save(ds, "semantic.nc")
print("results written to semantic.nc (try: pdplab info semantic.nc)")
