"""Train Rumelhart & Todd's (1993) semantic network and watch it differentiate.

Twenty replicas train together.  Every 250 epochs the script prints the
error and how far apart the learned representations are at each level of
the hierarchy (the mean Euclidean distance between items in different
domains, in different categories of one domain, and in the same category;
medians over replicas), then the epoch at which each level split, and
writes the results to semantic.nc.

    python examples/semantic_network.py
"""

import pdplab as pl
from pdplab.models import semantic
from pdplab.stimuli import rumelhart_todd_1993

env = rumelhart_todd_1993()
net = pl.Network(
    [
        pl.Group("item", 8),
        pl.Group("relation", 4),
        pl.Group("representation", 8, bias=-2.0, learn_bias=False),
        pl.Group("hidden", 15, bias=-2.0, learn_bias=False),
        pl.Group("attribute", 36, error="sse", bias=-2.0, learn_bias=False),
    ],
    [("item", "representation"), ("representation", "hidden"),
     ("relation", "hidden"), ("hidden", "attribute")],
    init_range=0.9,
)
ds = pl.train(net, env, epochs=2000, lr=0.1, replicas=20, seed=1,
              record={"groups": ["representation"], "every": 250, "log_points": 100}, progress=True)

reps = semantic.item_patterns(ds)                     # one representation per item
separation = semantic.level_separation(reps).median("replica")

print(f"{'epoch':>6} {'error':>8} {'domain':>8} {'category':>9} {'item':>6}")
for epoch in range(0, 2001, 250):
    error = float(ds["error"].sel(epoch=epoch).sum("item").median())
    at = separation.sel(epoch=epoch)
    print(f"{epoch:6d} {error:8.3f} {float(at['domain']):8.2f} {float(at['category']):9.2f} {float(at['item']):6.2f}")

splits = semantic.differentiation(reps)
print("split epochs, median [IQR] over replicas:",
      ", ".join(f"{level} {semantic.quartiles(splits[level])}" for level in semantic.LEVELS))
pl.save(ds, "semantic.nc")
print("results written to semantic.nc (try: pdplab info semantic.nc)")
