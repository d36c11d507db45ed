"""The compiled training path: a network laid out in flat arrays for :mod:`pdplab.core.kernels`.

:func:`pdplab.train` uses it by itself for pattern-wise and small-batch
training (see :func:`choose_engine`); the numpy passes remain the path for
large batches, where matrix products already run near the machine's limit,
and the reference the compiled path is tested against.

The parameters, the feedback matrices, the gradient and the optimizer's
state live in one array per run, ``par`` (replicas, rows, P); the mapping of
parameters that the rest of the engine uses (records, tests, damage) holds
views of its parameter row ``theta``, and the optimizer's state arrays are
views of its state rows, so that saving and continuing a run work as on the
numpy path.  Replicas are split between threads (:func:`in_parallel`; the
kernel releases the GIL) rather than by numba's ``prange``, whose default
threading layer aborts when two threads run parallel code at once, as the
threads of a dask worker may.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..exceptions import NetworkError, PdplabError
from .errors import _eps

__all__ = ["ENGINES", "choose_engine", "CompiledRun"]

ENGINES = ("auto", "compiled", "numpy")
#: The automatic choice takes the compiled path for updates of at most this many patterns.
MAX_COMPILED_BATCH = 64
#: Order and error arrays of one call hold at most this many presentations (replicas × epochs × items).
_CHUNK = 1 << 18
#: Work is split between threads only when it computes at least this many values (presentations).
_THREADED = 2000
_ACTIVATIONS = {"logistic": 0, "tanh": 1, "linear": 2, "relu": 3, "softmax": 4}
_OPTIMIZERS = {"steepest": 0, "momentum": 1, "dougs_momentum": 2, "delta_bar_delta": 3,
               "lens_delta_bar_delta": 4, "adam": 5}


def choose_engine(engine, optimizer, update, batch_size, n_items):
    """``"compiled"`` or ``"numpy"``: the path a run takes.

    ``"auto"`` (the default; the environment variable ``PDPLAB_ENGINE`` may
    force either path) takes the compiled path when numba is installed, the
    optimizer is one of pdplab's own and every update sees at most
    :data:`MAX_COMPILED_BATCH` patterns.  The choice never depends on the
    number of replicas, so a replica gives the same numbers alone or among others.
    """
    if engine not in ENGINES:
        raise NetworkError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "auto":
        engine = os.environ.get("PDPLAB_ENGINE", "auto")
        if engine not in ENGINES:
            raise PdplabError(f"the environment variable PDPLAB_ENGINE must be one of {', '.join(ENGINES)}, "
                              f"not {engine!r}")
    if engine == "numpy":
        return engine
    from .optim import OPTIMIZERS

    own = type(optimizer) is OPTIMIZERS.get(optimizer.name)
    if engine == "compiled":
        if not own:
            raise NetworkError(f"engine 'compiled': optimizer {type(optimizer).__name__} is not one of pdplab's "
                               f"own ({', '.join(_OPTIMIZERS)}); use engine='numpy'")
        _kernels()
        return engine
    size = {"pattern": 1, "minibatch": batch_size, "batch": n_items}[update]
    if not own or size > MAX_COMPILED_BATCH:
        return "numpy"
    try:
        _kernels()
    except ImportError:
        return "numpy"
    return "compiled"


def _kernels():
    try:
        from . import kernels
    except ImportError as exc:
        raise NetworkError(f"engine 'compiled' needs numba ({exc}); install it, or use engine='numpy'") from None
    return kernels


class CompiledRun:
    """A network's parameters, optimizer state and pass plan as flat arrays.

    Parameters
    ----------
    network : Network
    plan : Plan
        The training plan (biases fused where it fuses them).
    params : dict of str to ndarray
        From ``plan.fuse``; its arrays are copied into ``theta`` and
        :attr:`params` holds views of it under the same names.
    trainable : list of str
        The optimizer's parameters, in its order.
    opt : Optimizer
        Bound to the trainable parameters; its parameters become views of the
        flat arrays, and after :meth:`bind_optimizer` its state too.
    feedback : dict of str to ndarray
        The matrices deltas pass back through (:func:`pdplab.core.rules.feedback_matrices`).
    rule : str
    """

    def __init__(self, network, plan, params, trainable, opt, feedback, rule):
        self.kernels = _kernels()
        self.network, self.plan, self.opt = network, plan, opt
        fused_parts = {k for pair in plan.fused.values() for k in pair}
        primary = [k for k in params if k not in fused_parts]
        keys = list(trainable) + [k for k in primary if k not in set(trainable)]
        R = next(iter(params.values())).shape[0]
        dtype = params[keys[0]].dtype
        self.dtype, self.replicas = dtype, R
        self.offsets, sizes = {}, [0]
        for k in keys:
            self.offsets[k] = sizes[-1]
            sizes.append(sizes[-1] + int(np.prod(params[k].shape[1:])))
        self.n_train = sizes[len(trainable)]
        K = self.kernels
        self.par = np.zeros((R, K.PAR_ROWS, sizes[-1]), dtype)
        theta = self.par[:, K.THETA]
        self.params = {}
        for k in keys:
            view = self._view(theta, k, params[k].shape)
            view[...] = params[k]
            self.params[k] = view
        for key, (wkey, bkey) in plan.fused.items():
            self.params[wkey] = self.params[key][:, :-1, :]
            self.params[bkey] = self.params[key][:, -1, :]
        self._layout(network, plan)
        self.feedback_row = K.THETA if rule == "backprop" else K.FEEDBACK
        if rule != "backprop":
            for p in network.projections:
                key = self._block(p.key)
                n_src = network.groups[p.source].size
                self._view(self.par[:, K.FEEDBACK], key, params[key].shape)[:, :n_src] = feedback[p.key]
        opt.params = [self.params[k] for k in trainable]
        self.scale = np.empty((2, self.n_train), dtype)  # learning-rate scale; whether weight decay applies
        for k, s, d in zip(trainable, opt.lr_scales, opt.decays):
            a, b = self.offsets[k], self.offsets[k] + int(np.prod(params[k].shape[1:]))
            self.scale[0, a:b] = s
            self.scale[1, a:b] = np.broadcast_to(np.asarray(d, dtype=dtype)[0] if np.ndim(d) else float(d),
                                                 params[k].shape[1:]).ravel()
        self._state_views = [[self._view(self.par[:, K.STATE + i], k, params[k].shape) for k in trainable]
                             for i in range(len(opt.state_names))]
        self.code = _OPTIMIZERS[opt.name]
        self.eps = _eps(dtype)
        self._data = None

    def _block(self, projection_key):
        return next((k for k, (w, _) in self.plan.fused.items() if w == projection_key), projection_key)

    def _view(self, flat, key, shape):
        a = self.offsets[key]
        return flat[:, a: a + int(np.prod(shape[1:]))].reshape(shape)

    def _layout(self, network, plan):
        """The tables of steps, projections and outputs (see :mod:`pdplab.core.kernels`)."""
        groups = network.groups
        offsets, n = {}, 0
        for g in network.inputs + [s.group for s in plan.steps]:
            offsets[g] = n
            n += groups[g].size
        self.n_units = n
        out_index = {o.group: i for i, o in enumerate(plan.outputs)}
        steps, projections = [], []
        for s in plan.steps:
            first = len(projections)
            for src, key in s.incoming:
                ones = src.endswith("+1")
                source = src[:-2] if ones else src
                g = network.inputs.index(source) if source in network.inputs else -1
                projections.append((offsets[source], groups[source].size, self.offsets[key], int(ones), g,
                                    int(self.offsets[key] < self.n_train)))
            bias = -1 if s.bias is None else self.offsets[s.bias]
            steps.append((offsets[s.group], groups[s.group].size, _ACTIVATIONS[s.activation.name], bias,
                          out_index.get(s.group, -1), first, len(projections)))
        outputs, radii, t = [], [], 0
        for o in plan.outputs:
            code = {"sse": 0, "cross_entropy": 1 if o.activation.name != "softmax" else 2}[o.error.name]
            outputs.append((offsets[o.group], groups[o.group].size, code, t))
            radii.append((o.target_radius, o.zero_error_radius))
            t += groups[o.group].size
        self.steps = np.array(steps, dtype=np.int64).reshape(-1, 7)
        self.projections = np.array(projections, dtype=np.int64).reshape(-1, 6)
        self.outputs = np.array(outputs, dtype=np.int64).reshape(-1, 4)
        self.radii = np.array(radii, dtype=self.dtype).reshape(-1, 2)

    def bind_optimizer(self):
        """Make the optimizer's state views of the flat arrays (copying in any state it holds,
        e.g. restored or reset by a schedule)."""
        opt = self.opt
        for name, views in zip(opt.state_names, self._state_views):
            arrays = getattr(opt, name)
            for i, view in enumerate(views):
                if arrays[i] is not view:
                    view[...] = arrays[i]
                    arrays[i] = view

    def settings(self):
        """The optimizer's settings as (replicas, len(SETTINGS))."""
        from .optim import per_replica

        out = np.zeros((self.replicas, len(self.kernels.SETTINGS)), self.dtype)
        for j, name in enumerate(self.kernels.SETTINGS):
            if name in self.opt.settings:
                out[:, j] = per_replica(self.opt.settings[name], self.replicas, name)
        return out

    def data(self, trainset):
        """The training set's patterns side by side, made once per training set."""
        if self._data is None or self._data[0] is not trainset:
            X = np.concatenate([trainset.plain_inputs[g][0] for g in self.network.inputs], axis=1)
            T = np.concatenate([trainset.targets[o.group][0] for o in self.plan.outputs], axis=1)
            w = np.ones(len(trainset), self.dtype) if trainset.weights is None else trainset.weights[0, :, 0]
            X, T, w = (np.ascontiguousarray(a, dtype=self.dtype) for a in (X, T, w))
            self._data = (trainset, X, *_nonzero(X, [self.network.groups[g].size for g in self.network.inputs]), T, w)
        return self._data[1:]

    def chunk(self, n_presented):
        """How many epochs one call may train."""
        return max(1, _CHUNK // max(1, self.replicas * n_presented))

    def epochs(self, first, count, trainset, batch, rngs, criterion, stopped, steps_before):
        """Train epochs ``first … first + count − 1``.

        Parameters
        ----------
        rngs : list of numpy.random.Generator
            Each replica's generator of item orders (drawn as the numpy path draws them).
        stopped : ndarray (replicas,)
            Each replica's stopping epoch (NaN while it learns); updated.
        steps_before : int
            Updates made before (Adam's step count).

        Returns
        -------
        errors : ndarray (replicas, count, presentations)
            The error of each presentation, met before its update.
        orders : ndarray (replicas, count, presentations) or None
            The item of each presentation (None: every epoch in table order).
        diverged : ndarray (replicas,)
            The epoch each replica's weights became non-finite (NaN: they did not).
        """
        self.bind_optimizer()
        X, active, where, T, w = self.data(trainset)
        R, n = self.replicas, len(trainset)
        permuted = trainset.order == "permuted" and batch < n
        orders = None if permuted else trainset.orders(count, batch, rngs)
        drawn = permuted or orders is not None
        if orders is None:
            orders = np.empty((R, count, n), dtype=np.int64)
            if not permuted:
                orders[...] = np.arange(n)
        settings = self.settings()
        errors = np.empty(orders.shape, self.dtype)
        diverged = np.full(R, np.nan)
        crit = -1.0 if criterion is None else float(criterion)

        def part(a, b):
            if permuted:  # drawn here, so that threads draw their own replicas' orders
                for r in range(a, b):
                    self.kernels.permutations(rngs[r], orders[r])
            self.kernels.train_epochs(
                self.par[a:b], self.feedback_row, self.n_train, settings[a:b], steps_before, self.code, self.scale,
                X, active, where, T, w, orders[a:b], batch, self.steps, self.projections, self.outputs, self.radii,
                self.n_units, self.eps, crit, first, stopped[a:b], diverged[a:b], errors[a:b])

        in_parallel(part, R, orders.size)
        return errors, orders if drawn else None, diverged


def logistic(net, out):
    """The logistic of a large contiguous array into ``out`` with the compiled kernel, split
    between the cores; None when numba is missing or the arrays are not contiguous."""
    try:
        from .kernels import logistic as kernel
    except ImportError:
        return None
    if not (net.flags.c_contiguous and out.flags.c_contiguous and net.dtype == out.dtype):
        return None
    flat_in, flat_out = net.reshape(-1), out.reshape(-1)
    in_parallel(lambda a, b: kernel(flat_in[a:b], flat_out[a:b]), flat_in.size, flat_in.size // 50)
    return out


def cross_entropy(out, target, target_radius, zero_error_radius, softmax):
    """The cross-entropy error per replica and pattern (:func:`pdplab.core.kernels.cross_entropy`),
    split between the cores; None when numba is missing."""
    try:
        from .kernels import cross_entropy as kernel
    except ImportError:
        return None
    R, n = out.shape[:2]
    errors = np.empty((R, n), out.dtype)
    target = np.ascontiguousarray(target)
    out = np.ascontiguousarray(out)
    eps = _eps(out.dtype)

    in_parallel(lambda a, b: kernel(out, target, float(target_radius), float(zero_error_radius), eps, softmax,
                                    errors, a, b), n, out.size // 50)
    return errors


def _nonzero(X, sizes):
    """Each row's nonzero columns, by group of columns: ``active`` (rows, columns), and
    ``where`` (rows, groups + 1), the positions in ``active`` where each group's begin."""
    nonzero = X != 0
    active = np.zeros(X.shape, dtype=np.int64)
    where = np.zeros((X.shape[0], len(sizes) + 1), dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    for row in range(X.shape[0]):
        cols = np.flatnonzero(nonzero[row])
        active[row, :len(cols)] = cols
        where[row] = np.searchsorted(cols, bounds)
    return active, where


def in_parallel(work, n, cost):
    """Run ``work(first, last)`` over ranges that split ``0 … n − 1`` between the cores (on one
    thread when ``cost``, the number of values computed, is small).  Each index is computed
    whole by one thread, so the split never changes a number."""
    threads = min(_threads(cost), n)
    bounds = np.linspace(0, n, threads + 1).astype(int)
    futures = [_pool().submit(work, a, b) for a, b in zip(bounds[1:-1], bounds[2:])]
    work(bounds[0], bounds[1])
    for f in futures:
        f.result()


def _threads(cost):
    if cost < _THREADED:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    limit = os.environ.get("PDPLAB_THREADS")
    if limit is not None:
        try:
            cores = max(1, int(limit))
        except ValueError:
            raise PdplabError(f"the environment variable PDPLAB_THREADS must be a whole number of threads, "
                              f"not {limit!r}") from None
    return cores


_POOL = None


def _pool():
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1), thread_name_prefix="pdplab")
    return _POOL
