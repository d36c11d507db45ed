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
    # From a common small random start, items split by domain over epochs
    # 2–4, by category over 5–7 and individually over 7–9 (epochs 0–10).
    domain = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    category = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    epochs = np.arange(11)

    def ramp(start):  # 0 → 1 over two epochs
        return np.clip((epochs - start) / 2, 0, 1)

    x = np.zeros((11, 8, 4)) + 0.01 * np.random.default_rng(0).normal(size=(1, 8, 4))
    x[:, :, 0] += np.where(domain == 0, 1.0, -1.0) * ramp(2)[:, None]
    x[:, :, 1] += np.where(category % 2 == 0, 1.0, -1.0) * ramp(5)[:, None]
    x[:, :, 2] += np.where(np.arange(8) % 2 == 0, 0.5, -0.5) * ramp(7)[:, None]
    acts = xr.DataArray(x[None], dims=("replica", "epoch", "item", "h_unit"), coords={"epoch": epochs})
    d = rsa.rdm(acts, "euclidean")
    by_domain = rsa.separation(d, domain)
    assert by_domain.dims == ("replica", "epoch")
    assert float(rsa.split_epoch(by_domain)[0]) == pytest.approx(3, abs=0.3)
    assert float(rsa.split_epoch(rsa.separation(d, category, within=domain))[0]) == pytest.approx(6, abs=0.3)
    items = rsa.separation(d, np.arange(8), within=category)
    assert float(rsa.split_epoch(items)[0]) == pytest.approx(8, abs=0.3)
    # Stopping at epoch 6 leaves the items undifferentiated; a separation that
    # never rises enough is NaN, not a split.
    assert np.isnan(float(rsa.split_epoch(items, until=[6])[0]))
    assert np.isnan(float(rsa.split_epoch(items.isel(epoch=slice(0, 6)))[0]))
    first_only = rsa.separation(d, np.arange(8), within=category, among=np.arange(8) == 0)
    assert float(rsa.split_epoch(first_only)[0]) == pytest.approx(8, abs=0.3)


def test_split_epoch_interpolates_between_recorded_epochs():
    sep = xr.DataArray([[1.0, 1.0, 3.0, 5.0]], dims=("replica", "epoch"), coords={"epoch": [0, 10, 20, 40]})
    assert float(rsa.split_epoch(sep)[0]) == 20  # half of the rise 1 → 5 is 3, reached at 20
    assert float(rsa.split_epoch(sep, fraction=0.75)[0]) == 30  # 4, half-way from 20 to 40
    # Located between epochs 20 and 40: 20 apart, more than 10% of 30.
    assert np.isnan(float(rsa.split_epoch(sep, fraction=0.75, resolution=0.1)[0]))


def test_split_epoch_refuses_what_it_cannot_measure():
    epochs = {"epoch": [0, 1, 2, 3]}
    with_nan = xr.DataArray([[np.nan, 1, 2, 3], [1, 1, np.nan, 3], [1, 1, 2, 3]], dims=("replica", "epoch"),
                            coords=epochs)
    assert np.isnan(rsa.split_epoch(with_nan).values[:2]).all() and float(rsa.split_epoch(with_nan)[2]) == 2
    for bad in ({"fraction": 1.5}, {"fraction": 0}, {"fraction": np.nan}, {"min_rise": -1}, {"settled": 2}):
        with pytest.raises(ValueError):
            rsa.split_epoch(with_nan, **bad)
    with pytest.raises(ValueError, match="increase"):
        rsa.split_epoch(with_nan.assign_coords(epoch=[0, 2, 1, 3]))


def test_split_epoch_until_is_matched_by_dimension_name():
    sep = xr.DataArray(np.tile([1.0, 1, 3, 5, 5, 5], (3, 2, 1)), dims=("replica", "cond", "epoch"),
                       coords={"epoch": [0, 1, 2, 3, 4, 5]})
    until = xr.DataArray([1, 100, 100], dims="replica")  # replica 0 stops before anything happened
    for layout in (sep, sep.transpose("cond", "replica", "epoch")):
        split = rsa.split_epoch(layout, until=until).transpose("replica", "cond").values
        assert np.isnan(split[0]).all() and (split[1:] == 2).all()


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
