"""Representational similarity analysis against scipy's own measures and
against synthetic representations with a known structure."""

import numpy as np
import pytest
import xarray as xr
from scipy import stats
from scipy.spatial.distance import pdist, squareform

from pdplab.analysis import rsa


def acts_array(x, **extra_dims):
    dims = list(extra_dims) + ["item", "h_unit"]
    return xr.DataArray(x, dims=dims, coords={"item": [f"i{k}" for k in range(x.shape[-2])],
                                              "kind": ("item", ["a", "a", "b", "b", "c"][: x.shape[-2]])})


@pytest.mark.parametrize("metric", rsa.METRICS)
def test_rdm_matches_scipy(metric):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5, 7))
    d = rsa.rdm(acts_array(x, replica=3), metric)
    assert d.dims == ("replica", "item", "item2")
    assert list(d["kind2"].values) == ["a", "a", "b", "b", "c"]
    for r in range(3):
        np.testing.assert_allclose(d.isel(replica=r), squareform(pdist(x[r], metric)), atol=1e-12)


def test_compare_methods():
    rng = np.random.default_rng(1)
    a = rsa.rdm(acts_array(rng.normal(size=(2, 5, 4)), replica=2))
    b = rsa.rdm(acts_array(rng.normal(size=(5, 4))))
    iu = np.triu_indices(5, 1)
    for method, fn in (("spearman", stats.spearmanr), ("pearson", stats.pearsonr)):
        got = rsa.compare(a, b, method)
        for r in range(2):
            assert got[r] == pytest.approx(fn(a.values[r][iu], b.values[iu]).statistic)
    # τ_A against a brute-force count: ties are neither concordant nor discordant.
    model = rsa.category_rdm(["a", "a", "b", "b", "c"])
    x, y = a.values[0][iu], model.values[iu]
    n = len(x)
    concordance = sum(np.sign(x[i] - x[j]) * np.sign(y[i] - y[j]) for i in range(n) for j in range(n) if i != j)
    assert float(rsa.compare(a, model, "kendall_tau_a")[0]) == pytest.approx(concordance / (n * (n - 1)))


def test_category_structure_is_found():
    centres = np.array([[3.0, 0, 0, 0], [3, 0, 0, 0], [0, 3, 0, 0], [0, 3, 0, 0], [0, 0, 3, 0]])
    x = centres + np.random.default_rng(2).normal(scale=0.1, size=centres.shape)
    d = rsa.rdm(acts_array(x), "euclidean")
    order = rsa.dendrogram_order(d)
    assert abs(order.index("i0") - order.index("i1")) == 1
    assert abs(order.index("i2") - order.index("i3")) == 1
    right = float(rsa.compare(d, rsa.category_rdm(["a", "a", "b", "b", "c"]), "spearman"))
    wrong = float(rsa.compare(d, rsa.category_rdm(["a", "b", "a", "b", "c"]), "spearman"))
    assert right > 0.6 and wrong < 0.2


def test_split_epochs_follow_a_staged_differentiation():
    # Items split by domain at epoch 2, by category at epoch 5, over epochs 0–8.
    domain = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    category = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    epochs = np.arange(9)
    x = np.zeros((9, 8, 4))
    for t in epochs:
        x[t, :, 0] = np.where(domain == 0, 1.0, -1.0) * (t >= 2)
        x[t, :, 1] = np.where(category % 2 == 0, 1.0, -1.0) * (t >= 5)
        x[t, :, 2] = np.arange(8) * 0.5 * (t >= 7)
    acts = xr.DataArray(x[None], dims=("replica", "epoch", "item", "h_unit"), coords={"epoch": epochs})
    d = rsa.rdm(acts, "euclidean")
    assert float(rsa.split_epoch(d, domain)[0]) == 2
    assert float(rsa.split_epoch(d, category, within=domain)[0]) == 5
    items = rsa.split_epoch(d, np.arange(8), within=category)
    assert float(items[0]) == 7


def test_mds_trajectories_shape():
    x = np.random.default_rng(3).normal(size=(2, 4, 5, 6))
    acts = xr.DataArray(x, dims=("replica", "epoch", "item", "h_unit"), coords={"epoch": [0, 1, 2, 3]})
    y = rsa.mds(acts)
    assert y.dims == ("replica", "epoch", "item", "component") and y.sizes["component"] == 2


def test_rsatoolbox_round_trip():
    pytest.importorskip("rsatoolbox")
    d = rsa.rdm(acts_array(np.random.default_rng(4).normal(size=(2, 5, 3)), replica=2))
    back = rsa.from_rsatoolbox(rsa.to_rsatoolbox(d))
    np.testing.assert_allclose(back.values, d.values, atol=1e-12)
