"""Each mistake gets a one-line error that names what is wrong."""

import numpy as np
import pytest

import pdplab as pl

from helpers import random_environment, two_input_network


def one_line(excinfo, *words):
    msg = str(excinfo.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, msg


def test_projection_to_unknown_group():
    with pytest.raises(pl.NetworkError) as e:
        pl.Network([pl.Group("i", 2), pl.Group("o", 1, error="sse")], [("i", "hiden")])
    one_line(e, "i->hiden", "'hiden'")


def test_cycle():
    with pytest.raises(pl.NetworkError) as e:
        pl.Network(
            [pl.Group("i", 2), pl.Group("a", 2), pl.Group("b", 2), pl.Group("o", 1, error="sse")],
            [("i", "a"), ("a", "b"), ("b", "a"), ("b", "o")],
        )
    one_line(e, "cycle")


@pytest.mark.parametrize(
    "group, words",
    [
        (pl.Group("h", 0), ["'h'", "size"]),
        (pl.Group("h", 2, activation="sigmoidal"), ["'h'", "sigmoidal", "logistic"]),
        (pl.Group("h", 2, error="mse"), ["'h'", "mse"]),
        (pl.Group("h", 2, activation="tanh", error="cross_entropy"), ["'h'", "cross_entropy", "tanh"]),
        (pl.Group("my group", 2), ["'my group'", "identifier"]),
        (pl.Group("epoch", 2), ["'epoch'", "reserved"]),
    ],
)
def test_bad_group(group, words):
    with pytest.raises(pl.NetworkError) as e:
        pl.Network([pl.Group("i", 2), group, pl.Group("o", 1, error="sse")], [("i", group.name), (group.name, "o")])
    one_line(e, *words)


def test_dead_end_group():
    with pytest.raises(pl.NetworkError) as e:
        pl.Network([pl.Group("i", 2), pl.Group("h", 2), pl.Group("o", 1)], [("i", "h"), ("h", "o")])
    one_line(e, "'o'", "error=")


def test_environment_does_not_fit_network():
    net = two_input_network()
    env = random_environment(net)
    bad = pl.Environment({"a": env.inputs["a"][:, :2], "b": env.inputs["b"]}, env.targets)
    with pytest.raises(pl.DataError) as e:
        pl.train(net, bad, epochs=1)
    one_line(e, "inputs['a']", "2 columns", "3 units")
    missing = pl.Environment({"a": env.inputs["a"]}, env.targets)
    with pytest.raises(pl.DataError) as e:
        pl.train(net, missing, epochs=1)
    one_line(e, "no inputs", "'b'")


def test_pattern_counts_differ():
    with pytest.raises(pl.DataError) as e:
        pl.Environment({"i": np.zeros((3, 2))}, {"o": np.zeros((4, 1))}, name="words")
    one_line(e, "words", "4 patterns", "3")


def test_non_finite_pattern():
    x = np.zeros((3, 2))
    x[1, 0] = np.nan
    with pytest.raises(pl.DataError) as e:
        pl.Environment({"i": x}, {"o": np.zeros((3, 1))})
    one_line(e, "inputs['i']", "pattern 1")


def test_cross_entropy_targets_outside_unit_interval():
    net = two_input_network(error="cross_entropy")
    env = random_environment(net, n=3)
    env.targets["out"][2, 0] = 1.5
    with pytest.raises(pl.DataError) as e:
        pl.train(net, env, epochs=1)
    one_line(e, "'x2'", "outside [0, 1]", "cross_entropy")


def test_softmax_targets_must_sum_to_one():
    net = pl.Network([pl.Group("input", 2), pl.Group("output", 3, activation="softmax", error="cross_entropy")],
                     [("input", "output")])
    env = pl.Environment({"input": [[0, 1], [1, 0]]}, {"output": [[1, 0, 0], [0, 0.5, 0.4]]}, items=["a", "b"])
    with pytest.raises(pl.DataError) as e:
        pl.train(net, env, epochs=1)
    one_line(e, "'b'", "summing to 0.9", "softmax", "sum to 1")


def test_divergence_names_epoch_replica_and_seed():
    net = pl.Network(
        [pl.Group("i", 2), pl.Group("h", 4, activation="linear"), pl.Group("o", 2, activation="linear", error="sse")],
        [("i", "h"), ("h", "o")],
    )
    env = pl.Environment({"i": np.ones((4, 2)) * 10}, {"o": np.ones((4, 2))})
    with pytest.raises(pl.DivergenceError) as e:
        pl.train(net, env, epochs=200, lr=[1e-4, 5.0], update="batch", seed=[3, 9], replicas=2)
    one_line(e, "diverged at epoch", "replica 1", "seed 9")
    assert e.value.replicas == [1] and e.value.seeds == [9] and e.value.epoch >= 1


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(optimizer="rmsprop"), ["rmsprop", "steepest"]),
        (dict(optimizer="adam", momentum=0.9), ["'adam'", "'momentum'"]),
        (dict(update="online"), ["update", "online"]),
        (dict(order="random"), ["order", "random"]),
        (dict(rule="hebb"), ["hebb"]),
        (dict(record=["nope"]), ["record", "'nope'"]),
        (dict(lr=[0.1, 0.2], replicas=3), ["'lr'", "2 values", "3 replicas"]),
        (dict(epochs=-1), ["epochs"]),
        (dict(update="minibatch"), ["batch_size"]),
        (dict(order="probabilistic"), ["frequencies"]),
        (dict(schedule={0: {"lr": 1}}), ["schedule"]),
        (dict(schedule={5: {"learning_rate": 1}}), ["schedule", "epoch 5", "'learning_rate'"]),
        (dict(schedule={5: {"environment": "big.csv"}}), ["schedule", "epoch 5", "Environment"]),
    ],
)
def test_bad_training_settings(kwargs, words):
    net = two_input_network()
    env = random_environment(net)
    kwargs = {"epochs": 2, **kwargs}
    with pytest.raises(pl.PdplabError) as e:
        pl.train(net, env, **kwargs)
    one_line(e, *words)


def test_weights_of_the_wrong_shape():
    net = two_input_network()
    w = net.init_weights([0, 1])
    w["h1->h2"] = w["h1->h2"][:, :2]
    with pytest.raises(pl.NetworkError) as e:
        pl.train(net, random_environment(net), epochs=1, weights=w, replicas=2)
    one_line(e, "'h1->h2'", "(2, 2, 3)", "(replicas, 4, 3)")


def test_recorded_group_named_like_an_item_column():
    net = two_input_network()
    env = random_environment(net)
    env.items["h1"] = 0
    with pytest.raises(pl.NetworkError) as e:
        pl.train(net, env, epochs=1, record=["h1"])
    one_line(e, "'h1'", "item table")


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"seed": -1}, ["seed", "≥ 0", "-1"]),
        ({"seed": 1.5}, ["seed", "1.5"]),
        ({"seed": [2 ** 63]}, ["seed", "2**63"]),
        ({"dtype": "banana"}, ["dtype", "banana"]),
        ({"criterion": "x"}, ["criterion", "'x'"]),
        ({"criterion": -1.0}, ["criterion", "-1.0"]),
        ({"criterion": float("nan")}, ["criterion", "nan"]),
        ({"record": 5}, ["record", "5"]),
        ({"test": "abc"}, ["test", "Environment"]),
        ({"schedule": {1.5: {"lr": 0.1}}}, ["schedule", "1.5"]),
        ({"epochs": 10 ** 20}, ["record", "GB", "every"]),
        ({"epochs": 1000000, "replicas": 100, "record": {"groups": ["h1", "h2"], "every": 1}}, ["32.5 GB", "--force"]),
    ],
)
def test_bad_training_arguments(settings, words):
    net = two_input_network()
    env = random_environment(net)
    with pytest.raises(pl.NetworkError) as e:
        pl.train(net, env, **{"epochs": 2, **settings})
    one_line(e, *words)


def test_bad_projection_setting_and_empty_environment():
    with pytest.raises(pl.NetworkError) as e:
        pl.Network([pl.Group("i", 1), pl.Group("o", 1, error="sse")], [pl.Projection("i", "o", lr_scale="x")])
    one_line(e, "i->o", "lr_scale")
    with pytest.raises(pl.DataError) as e:
        pl.Environment({"i": np.zeros((0, 2))}, {"o": np.zeros((0, 1))}, name="nothing")
    one_line(e, "nothing", "no items")


@pytest.mark.parametrize("text, kwargs, words", [
    ("item,kind,input.a,input.b,output.y\n", {}, ["no rows"]),
    ("item,kind,input.a,input.b,output.y\n00,even,0,0,0\n01,odd,0,1\n", {}, ["'01'", "'output.y'", "not a number"]),
    ("item,kind,input.a,input.b,output.y\n00,even,0,0,0\n10,odd,1,0,1,7\n", {}, ["not a readable CSV"]),
    ("item,kind,input.a,input.b,output.y\n00,even,0,0,0\n01,odd,0,1e400,1\n", {}, ["t.csv", "'01'", "'input.b'",
                                                                                 "inf, not a finite number"]),
    ("item,kind,input.a,input.b,output.y\n00,even,0,0,0\n01,odd,0,1,1\n", {"frequency": "kind"},
     ["frequency column 'kind'", "numbers"]),
])
def test_bad_pattern_tables(tmp_path, text, kwargs, words):
    from pdplab.stimuli import read_patterns

    net = pl.Network([pl.Group("input", 2), pl.Group("hidden", 3), pl.Group("output", 1, error="sse")],
                     [("input", "hidden"), ("hidden", "output")])
    (tmp_path / "t.csv").write_text(text)
    with pytest.raises(pl.DataError) as e:
        read_patterns(tmp_path / "t.csv", net, **kwargs)
    one_line(e, *words)
