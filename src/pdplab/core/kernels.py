"""Compiled whole-epoch training loops (numba), for pattern-wise and small-batch training.

The numpy passes of :mod:`pdplab.core.propagate` are the readable reference;
on small networks trained pattern by pattern they spend most of their time in
Python.  The kernel here runs many epochs of the same arithmetic per call, for
any feedforward network the engine accepts; it is compiled once per dtype
and kept in numba's on-disk cache.

A network is laid out in flat arrays (built by :mod:`pdplab.core.compiled`):

- ``par`` (replicas, rows, P): row ``THETA`` holds every parameter, each
  weight matrix row-major (source units × target units, a fused bias as one
  more row) and then the biases, the trainable ones first in the optimizer's
  order; row ``FEEDBACK`` the matrices feedback alignment carries deltas back
  through; row ``GRAD`` the gradient; rows ``STATE`` … the optimizer's state;
- ``work`` (rows, units), per replica: net inputs, activations, deltas and
  the output groups' own error gradients of every unit, input groups first;
- ``steps`` (non-input groups in topological order): unit offset, size,
  activation, bias offset (−1: none, or fused), output index (−1: hidden),
  first and last incoming projection;
- ``projections``: source unit offset, source size, parameter offset,
  whether a row of ones (a fused bias) follows, the source's index among the
  input groups (−1: not an input group), whether the weights are trained;
- ``outputs``: unit offset, size, error function, offset of its targets.

Keeping a replica's numbers in two arrays, not one per quantity, matters:
with many arrays the compiler guards every inner loop against their
overlapping, which on these short loops costs more than the arithmetic.
Offsets are unsigned for the same reason (numba checks signed indices for
negative values).

One replica's numbers depend on its own data alone: the replica loop is the
outer loop and nothing is shared across replicas, so a replica gives the same
numbers alone or among others, and ranges of replicas may run on separate
threads (the kernel releases the GIL).
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Activation codes.
LOGISTIC, TANH, LINEAR, RELU, SOFTMAX = range(5)
#: Error codes.
SSE, CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY = range(3)
#: Optimizer codes.
STEEPEST, MOMENTUM, DOUGS_MOMENTUM, DELTA_BAR_DELTA, LENS_DELTA_BAR_DELTA, ADAM = range(6)
#: Columns of the settings array (one row per replica).
SETTINGS = ("lr", "momentum", "decay", "increment", "decrement", "averaging", "beta1", "beta2", "epsilon")
#: Columns of the step, projection and output tables.
S_OFF, S_SIZE, S_ACT, S_BIAS, S_OUT, S_IN0, S_IN1 = range(7)
P_SRC, P_SIZE, P_PARAM, P_ONES, P_INPUT, P_TRAIN = range(6)
O_OFF, O_SIZE, O_ERR, O_TGT = range(4)
#: Rows of ``par`` and of ``work``.
THETA, FEEDBACK, GRAD, STATE = 0, 1, 2, 3
PAR_ROWS = STATE + 3
NET, ACT, DELTA, OWN, MASK = range(5)
WORK_ROWS = 5

# Reassociation (vectorized sums) and fused multiply-adds; no assumptions about
# NaN, infinities or signed zeros, which divergence checks and Lens's
# delta-bar-delta (a sign-bit test) rely on.
_JIT = dict(nogil=True, cache=True, fastmath={"reassoc", "contract"}, error_model="numpy")
U = np.uint64

# exp(x) = 2^k e^r with k = round(x / ln 2) and |r| ≤ ln(2) / 2: ln 2 in two parts (the
# first with zeros in its low bits, so that k times it is exact; Cody & Waite 1980), and
# e^r by its Taylor series to r^13 / 13!, whose remainder is below 1e-17 of e^r.
_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_EXP_LIMIT = 700.0
_POW2 = np.ldexp(1.0, np.arange(-1022, 1024))  # 2^k, read by k + 1022


@njit(**_JIT)
def _taylor(r):
    return 1.0 + r * (1.0 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (
        1 / 5040 + r * (1 / 40320 + r * (1 / 362880 + r * (1 / 3628800 + r * (1 / 39916800 + r * (
            1 / 479001600 + r * (1 / 6227020800)))))))))))))


@njit(**_JIT)
def _clip(x, low, high):
    """x clipped to [low, high]; NaN stays NaN (numba's min and max would drop it)."""
    return low if x < low else (high if x > high else x)


@njit(**_JIT)
def _exp(x):
    """exp(x), x clipped to ±700, in arithmetic the compiler vectorizes (calls to libm's exp
    it cannot); within an ulp or two of libm; NaN for NaN."""
    if x != x:
        return x
    y = _clip(x, -_EXP_LIMIT, _EXP_LIMIT)
    k = np.floor(y * _LOG2E + 0.5)
    return _taylor((y - k * _LN2_HI) - k * _LN2_LO) * _POW2[np.int64(k) + 1022]


_SQRT2 = 1.4142135623730951


@njit(**_JIT)
def _log(x):
    """ln(x) for positive, normal x, in arithmetic the compiler vectorizes; within an ulp or two
    of libm.  x = m 2^k with m in [√½, √2), and ln m = 2 atanh(s), s = (m − 1)/(m + 1),
    by its series to s^21 (|s| ≤ 0.172: the remainder is below 1e-19).  NaN for NaN."""
    if x != x:
        return x
    bits = np.float64(x).view(np.int64)
    k = (bits >> 52) - 1023
    m = np.int64((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000).view(np.float64)
    big = m > _SQRT2
    m = m * 0.5 if big else m
    k = k + 1 if big else k
    s = (m - 1.0) / (m + 1.0)
    z = s * s
    series = 1.0 + z * (1 / 3 + z * (1 / 5 + z * (1 / 7 + z * (1 / 9 + z * (1 / 11 + z * (1 / 13 + z * (
        1 / 15 + z * (1 / 17 + z * (1 / 19 + z * (1 / 21))))))))))
    return k * _LN2_HI + (k * _LN2_LO + 2.0 * s * series)


@njit(**_JIT)
def _log1m(c):
    """ln(1 − c), accurate for small c too: ln(u) · (−c)/(u − 1) with u = 1 − c rounded
    corrects the rounding of u (Goldberg 1991)."""
    u = 1.0 - c
    return -c if u == 1.0 else _log(u) * (-c) / (u - 1.0)


@njit(**_JIT)
def _xlogx(x):
    """x ln x, 0 for x = 0 (and below 1e-300, where it is below 1e-297)."""
    return x * _log(x) if x > 1e-300 else 0.0


@njit(**_JIT)
def _activate(code, work, off, size):
    """Activations from net inputs over units ``off … off + size − 1``."""
    if code == LOGISTIC:
        for j in range(off, off + size):
            work[ACT, j] = 1.0 / (1.0 + _exp(-work[NET, j]))
    elif code == TANH:
        for j in range(off, off + size):
            work[ACT, j] = np.tanh(work[NET, j])
    elif code == LINEAR:
        for j in range(off, off + size):
            work[ACT, j] = work[NET, j]
    elif code == RELU:
        for j in range(off, off + size):
            work[ACT, j] = max(work[NET, j], 0.0)
    else:
        top = work[NET, off]
        for j in range(off, off + size):
            top = max(top, work[NET, j])
        total = 0.0
        for j in range(off, off + size):
            work[ACT, j] = _exp(work[NET, j] - top)
            total += work[ACT, j]
        for j in range(off, off + size):
            work[ACT, j] /= total


@njit(**_JIT)
def _derivative(code, work, row, off, size):
    """Turn ∂E/∂act in ``work[row]`` into ∂E/∂net over units ``off … off + size − 1``."""
    if code == LOGISTIC:
        for j in range(off, off + size):
            work[row, j] *= (1.0 - work[ACT, j]) * work[ACT, j]
    elif code == TANH:
        for j in range(off, off + size):
            work[row, j] *= 1.0 - work[ACT, j] * work[ACT, j]
    elif code == RELU:
        for j in range(off, off + size):
            work[row, j] = work[row, j] if work[NET, j] > 0.0 else 0.0
    elif code == SOFTMAX:
        dot = 0.0
        for j in range(off, off + size):
            dot += work[row, j] * work[ACT, j]
        for j in range(off, off + size):
            work[row, j] = (work[row, j] - dot) * work[ACT, j]


@njit(**_JIT)
def _forward(par, X, item, active, where, work, steps, projections):
    """Propagate item ``item`` of ``X``; ``active[item, where[item, g]: where[item, g + 1]]``
    are input group ``g``'s nonzero units."""
    for u in range(U(X.shape[1])):
        work[ACT, u] = X[item, u]
    for s in range(steps.shape[0]):
        off, size, bias = U(steps[s, S_OFF]), U(steps[s, S_SIZE]), steps[s, S_BIAS]
        for j in range(off, off + size):
            work[NET, j] = 0.0
        for p in range(steps[s, S_IN0], steps[s, S_IN1]):
            n_src, src, w = U(projections[p, P_SIZE]), U(projections[p, P_SRC]), U(projections[p, P_PARAM])
            g = projections[p, P_INPUT]
            if g >= 0:  # input patterns are often sparse (localist codes): their nonzero units only
                for q in range(U(where[item, g]), U(where[item, g + 1])):
                    u = U(active[item, q])
                    a = work[ACT, u]
                    row = w + (u - src) * size
                    for j in range(size):
                        work[NET, off + j] += a * par[THETA, row + j]
            else:
                quads = n_src // U(4) * U(4)  # four source units at a time: fewer passes over the net inputs
                for i in range(U(0), quads, U(4)):
                    a0, a1 = work[ACT, src + i], work[ACT, src + i + U(1)]
                    a2, a3 = work[ACT, src + i + U(2)], work[ACT, src + i + U(3)]
                    r0 = w + i * size
                    r1, r2, r3 = r0 + size, r0 + U(2) * size, r0 + U(3) * size
                    for j in range(size):
                        work[NET, off + j] += (a0 * par[THETA, r0 + j] + a1 * par[THETA, r1 + j]
                                               + a2 * par[THETA, r2 + j] + a3 * par[THETA, r3 + j])
                for i in range(quads, n_src):
                    a = work[ACT, src + i]
                    row = w + i * size
                    for j in range(size):
                        work[NET, off + j] += a * par[THETA, row + j]
            if projections[p, P_ONES]:
                row = w + n_src * size
                for j in range(size):
                    work[NET, off + j] += par[THETA, row + j]
        if bias >= 0:
            b = U(bias)
            for j in range(size):
                work[NET, off + j] += par[THETA, b + j]
        _activate(steps[s, S_ACT], work, off, size)


@njit(**_JIT)
def _output_error(outputs, radii, work, T, item, eps, weight):
    """The error of item ``item`` (after the tolerance radii), and in ``work[OWN]`` ∂E/∂act
    (∂E/∂net for cross-entropy) of every output unit, times ``weight``."""
    total = 0.0
    for k in range(outputs.shape[0]):
        off, size, code, tg = U(outputs[k, O_OFF]), U(outputs[k, O_SIZE]), outputs[k, O_ERR], U(outputs[k, O_TGT])
        tr, zr = radii[k, 0], radii[k, 1]
        if code == SSE and tr == 0.0 and zr == 0.0:
            for j in range(size):
                diff = work[ACT, off + j] - T[item, tg + j]
                total += 0.5 * diff * diff
                work[OWN, off + j] = diff * weight
            continue
        tsum = 0.0  # of the targets moved by the target radius, as softmax cross-entropy's gradient needs
        if code == SOFTMAX_CROSS_ENTROPY:
            for j in range(size):
                o, t = work[ACT, off + j], T[item, tg + j]
                tsum += _clip(o, t - tr, t + tr) if tr > 0.0 else t
        for j in range(size):
            o, t = work[ACT, off + j], T[item, tg + j]
            counts = not (zr > 0.0 and abs(o - t) < zr)
            if tr > 0.0:
                t = _clip(o, t - tr, t + tr)
            if code == SSE:
                e = 0.5 * (o - t) * (o - t)
                g = o - t
            elif code == CROSS_ENTROPY:
                c = _clip(o, eps, 1.0 - eps)
                e = max(_xlogx(t) + _xlogx(1.0 - t) - (t * _log(c) + (1.0 - t) * _log1m(c)), 0.0)
                g = o - t
            else:
                e = _xlogx(t) - t * _log(_clip(o, eps, 1.0)) if t != 0.0 else 0.0
                g = o * tsum - t
            total += o if o != o else (e if counts else 0.0)  # a NaN output makes the error NaN
            work[MASK, off + j] = 1.0 if counts else 0.0
            # ∂E/∂act (sse: masked after the activation's derivative, which for softmax mixes units)
            work[OWN, off + j] = g * weight if counts or code == SSE else 0.0
    return total


@njit(**_JIT)
def _backward(par, fb, item, active, where, work, steps, projections, outputs, radii, n_train, first, direct,
              lr):
    """∂E/∂net of every non-input group into ``work[DELTA]`` (zero on entry), from the output
    groups' own gradients in ``work[OWN]``, carried back through ``par[fb]``; ∂E/∂w added to
    (``first``: written into) ``par[GRAD]``, or, ``direct``, a steepest-descent step of rate
    ``lr`` taken at once (a projection's after its deltas have been carried back through it)."""
    for s in range(steps.shape[0] - 1, -1, -1):
        off, size, bias = U(steps[s, S_OFF]), U(steps[s, S_SIZE]), steps[s, S_BIAS]
        out, code = steps[s, S_OUT], steps[s, S_ACT]
        _derivative(code, work, DELTA, off, size)  # what came back to this group
        if out >= 0:
            if outputs[out, O_ERR] == SSE:
                _derivative(code, work, OWN, off, size)
                if radii[out, 1] > 0.0:
                    for j in range(off, off + size):
                        work[OWN, j] *= work[MASK, j]
            for j in range(off, off + size):
                work[DELTA, j] += work[OWN, j]
        for p in range(steps[s, S_IN0], steps[s, S_IN1]):
            n_src, src, w = U(projections[p, P_SIZE]), U(projections[p, P_SRC]), U(projections[p, P_PARAM])
            g = projections[p, P_INPUT]
            if g < 0:
                quads = n_src // U(4) * U(4)
                for i in range(U(0), quads, U(4)):
                    r0 = w + i * size
                    r1, r2, r3 = r0 + size, r0 + U(2) * size, r0 + U(3) * size
                    t0 = t1 = t2 = t3 = 0.0
                    for j in range(size):
                        dj = work[DELTA, off + j]
                        t0 += par[fb, r0 + j] * dj
                        t1 += par[fb, r1 + j] * dj
                        t2 += par[fb, r2 + j] * dj
                        t3 += par[fb, r3 + j] * dj
                    work[DELTA, src + i] += t0
                    work[DELTA, src + i + U(1)] += t1
                    work[DELTA, src + i + U(2)] += t2
                    work[DELTA, src + i + U(3)] += t3
                for i in range(quads, n_src):
                    row = w + i * size
                    total = 0.0
                    for j in range(size):
                        total += par[fb, row + j] * work[DELTA, off + j]
                    work[DELTA, src + i] += total
            if not projections[p, P_TRAIN]:
                continue
            if direct:
                if g >= 0:
                    for q in range(U(where[item, g]), U(where[item, g + 1])):
                        u = U(active[item, q])
                        step = -lr * work[ACT, u]
                        row = w + (u - src) * size
                        for j in range(size):
                            par[THETA, row + j] += step * work[DELTA, off + j]
                else:
                    for i in range(n_src):
                        step = -lr * work[ACT, src + i]
                        row = w + i * size
                        for j in range(size):
                            par[THETA, row + j] += step * work[DELTA, off + j]
                if projections[p, P_ONES]:
                    row = w + n_src * size
                    for j in range(size):
                        par[THETA, row + j] -= lr * work[DELTA, off + j]
                continue
            for i in range(n_src):
                a = work[ACT, src + i]
                row = w + i * size
                if first:
                    for j in range(size):
                        par[GRAD, row + j] = a * work[DELTA, off + j]
                elif a != 0.0:
                    for j in range(size):
                        par[GRAD, row + j] += a * work[DELTA, off + j]
            if projections[p, P_ONES]:
                row = w + n_src * size
                if first:
                    for j in range(size):
                        par[GRAD, row + j] = work[DELTA, off + j]
                else:
                    for j in range(size):
                        par[GRAD, row + j] += work[DELTA, off + j]
        if 0 <= bias < n_train:
            b = U(bias)
            if direct:
                for j in range(size):
                    par[THETA, b + j] -= lr * work[DELTA, off + j]
            elif first:
                for j in range(size):
                    par[GRAD, b + j] = work[DELTA, off + j]
            else:
                for j in range(size):
                    par[GRAD, b + j] += work[DELTA, off + j]


@njit(**_JIT)
def _update(code, par, n_train, settings, scale, t):
    """One optimizer step on the trainable parameters from ``par[GRAD]`` (see
    :mod:`pdplab.core.optim`; ``scale`` holds each parameter's learning-rate scale in
    row 0 and whether it decays in row 1)."""
    lr, mom, lam = settings[0], settings[1], settings[2]
    W, G, S1, S2, S3 = THETA, GRAD, STATE, STATE + 1, STATE + 2
    if code == STEEPEST:
        for p in range(n_train):
            par[W, p] -= lr * scale[0, p] * (par[G, p] + lam * scale[1, p] * par[W, p])
    elif code == MOMENTUM:
        for p in range(n_train):
            par[S1, p] = mom * par[S1, p] - lr * scale[0, p] * (par[G, p] + lam * scale[1, p] * par[W, p])
            par[W, p] += par[S1, p]
    elif code == DOUGS_MOMENTUM:
        sq = 0.0
        for p in range(n_train):
            par[G, p] += lam * scale[1, p] * par[W, p]
            sq += par[G, p] * par[G, p]
        bound = 1.0 / max(1.0, np.sqrt(sq))
        for p in range(n_train):
            par[S1, p] = mom * par[S1, p] - lr * scale[0, p] * (par[G, p] * bound)
            par[W, p] += par[S1, p]
    elif code == DELTA_BAR_DELTA:
        inc, dec, avg = settings[3], settings[4], settings[5]
        for p in range(n_train):  # S1: rates, S2: averaged gradients, S3: velocity
            g = par[G, p] + lam * scale[1, p] * par[W, p]
            agree = par[S2, p] * g
            rate = par[S1, p]
            par[S1, p] = rate + inc if agree > 0.0 else (rate * (1.0 - dec) if agree < 0.0 else rate)
            par[S2, p] = avg * par[S2, p] + (1.0 - avg) * g
            par[S3, p] = mom * par[S3, p] - par[S1, p] * g
            par[W, p] += par[S3, p]
    elif code == LENS_DELTA_BAR_DELTA:
        inc, dec = settings[3], settings[4]
        for p in range(n_train):  # S1: gains, S2: last weight changes
            g = par[G, p]
            gain = par[S1, p]
            gain = gain + inc if np.signbit(g) != np.signbit(par[S2, p]) else gain * dec
            par[S1, p] = gain
            change = mom * par[S2, p] + (g * gain) * (-lr * scale[0, p]) - lam * scale[1, p] * par[W, p]
            before = par[W, p]
            par[W, p] = before + change
            par[S2, p] = par[W, p] - before
    else:
        b1, b2, eps = settings[6], settings[7], settings[8]
        c1, c2 = 1.0 - b1 ** t, 1.0 - b2 ** t
        for p in range(n_train):  # S1, S2: the moments
            g = par[G, p] + lam * scale[1, p] * par[W, p]
            par[S1, p] = b1 * par[S1, p] + (1.0 - b1) * g
            par[S2, p] = b2 * par[S2, p] + (1.0 - b2) * (g * g)
            par[W, p] -= lr * scale[0, p] * (par[S1, p] / c1) / (np.sqrt(par[S2, p] / c2) + eps)


@njit(**_JIT)
def _meets(par, X, active, where, T, work, steps, projections, outputs, criterion):
    """Whether every output of every training item is within ``criterion`` of its target."""
    for item in range(U(X.shape[0])):
        _forward(par, X, item, active, where, work, steps, projections)
        for k in range(outputs.shape[0]):
            off, size, tg = U(outputs[k, O_OFF]), U(outputs[k, O_SIZE]), U(outputs[k, O_TGT])
            for j in range(size):
                if not abs(work[ACT, off + j] - T[item, tg + j]) < criterion:
                    return False
    return True


@njit(**_JIT)
def train_epochs(par, fb, n_train, settings, t0, optimizer, scale,
                 X, active, where, T, weights, orders, batch,
                 steps, projections, outputs, radii, n_units, eps,
                 criterion, first_epoch, stopped, diverged, errors):
    """Train replicas ``0 … R−1`` of ``par`` for ``orders.shape[1]`` epochs.

    Parameters
    ----------
    par : (R, PAR_ROWS, P)
        Parameters, feedback matrices, gradients and optimizer state (updated in place).
    fb : int
        The row of ``par`` deltas are carried back through: ``THETA`` under
        backpropagation, ``FEEDBACK`` under feedback alignment.
    n_train : int
        The trainable parameters are the first ``n_train``.
    settings : (R, len(SETTINGS))
        Each replica's optimizer settings.
    t0 : int
        Optimizer steps taken before this call (Adam's bias correction).
    optimizer : int
        The optimizer's code.
    scale : (2, n_train)
        Each trainable parameter's learning-rate scale, and 1 where weight decay applies.
    X, T : (items, inputs), (items, targets)
        Patterns, every input group and every output group side by side.
    active, where : (items, inputs), (items, input groups + 1) int
        Each item's nonzero input units, by group: group ``g``'s are
        ``active[item, where[item, g]: where[item, g + 1]]``.
    weights : (items,)
        Multiplies each item's error gradient (frequency scaling; ones).
    orders : (R, epochs, presentations) int
        The item presented at each position of each epoch.
    batch : int
        Presentations per update.
    n_units : int
    eps : float
        How near 0 and 1 outputs are clipped before a logarithm.
    criterion : float
        Stop a replica once every output is within this of its target (≤ 0: never).
    first_epoch : int
        The number of the first epoch trained.
    stopped, diverged : (R,) float
        The epoch each replica met the criterion (NaN: not yet; a replica that
        already has stops learning) or diverged (NaN: it did not); updated.
    errors : (R, epochs, presentations)
        The error of each presentation, met before its update (filled).
    """
    R, E, L = orders.shape
    n_inputs, n_units, n_train = U(X.shape[1]), U(n_units), U(n_train)
    unscaled = True
    for p in range(n_train):
        unscaled = unscaled and scale[0, p] == 1.0
    for r in range(R):
        # One pattern, plain steepest descent: each weight takes its step as its gradient is formed.
        direct = optimizer == STEEPEST and batch == 1 and settings[r, 2] == 0.0 and unscaled
        work = np.zeros((WORK_ROWS, n_units), par.dtype)
        pr = par[r]
        steps_done = t0
        for e in range(E):
            if not np.isnan(diverged[r]):
                for k in range(L):
                    errors[r, e, k] = np.nan
                continue
            learning = np.isnan(stopped[r])
            for start in range(0, L, batch):
                for k in range(start, min(start + batch, L)):
                    item = U(orders[r, e, k])
                    _forward(pr, X, item, active, where, work, steps, projections)
                    errors[r, e, k] = _output_error(outputs, radii, work, T, item, eps, weights[item])
                    if learning:
                        for u in range(n_inputs, n_units):
                            work[DELTA, u] = 0.0
                        _backward(pr, fb, item, active, where, work, steps, projections, outputs, radii, n_train,
                                  k == start, direct, settings[r, 0])
                steps_done += 1
                if learning and not direct:
                    _update(optimizer, pr, n_train, settings[r], scale, steps_done)
            if learning:
                total = 0.0
                for p in range(n_train):
                    total += pr[THETA, p]
                if not np.isfinite(total):
                    diverged[r] = first_epoch + e
                elif criterion > 0.0 and _meets(pr, X, active, where, T, work, steps, projections, outputs,
                                                criterion):
                    stopped[r] = first_epoch + e


@njit(cache=True, nogil=True)
def permutations(rng, out):
    """Fill each row of ``out`` with ``rng.permutation(out.shape[1])``: the same numbers
    numpy's Generator draws, without a call from Python per epoch."""
    for e in range(out.shape[0]):
        out[e] = rng.permutation(out.shape[1])


@njit(**_JIT)
def logistic(net, out):
    """``out = 1 / (1 + exp(−net))`` over flat arrays (the numpy path's large arrays)."""
    for i in range(net.shape[0]):
        out[i] = 1.0 / (1.0 + _exp(-net[i]))


@njit(**_JIT)
def sparse_matmul(indptr, indices, values, W, out, first, last):
    """``out[r, p] = Σ_k values[k] · W[r, indices[k]]`` over row ``p``'s entries, for rows
    ``first … last − 1`` of a sparse pattern matrix in compressed-row form."""
    m = U(W.shape[2])
    for r in range(W.shape[0]):
        Wr, o = W[r], out[r]
        for p in range(U(first), U(last)):
            for j in range(m):
                o[p, j] = 0.0
            for k in range(U(indptr[p]), U(indptr[p + U(1)])):
                v, i = values[k], U(indices[k])
                for j in range(m):
                    o[p, j] += v * Wr[i, j]


@njit(**_JIT)
def sparse_tmatmul(indptr, indices, values, G, out, first, last):
    """``out[r] = Xᵀ G[r]`` for the sparse pattern matrix X in compressed-row form, for the
    rows ``first … last − 1`` of ``out`` (the pattern units); patterns are summed in order."""
    m = U(G.shape[2])
    for r in range(G.shape[0]):
        Gr, o = G[r], out[r]
        for i in range(U(first), U(last)):
            for j in range(m):
                o[i, j] = 0.0
        for p in range(U(indptr.shape[0] - 1)):
            for k in range(U(indptr[p]), U(indptr[p + U(1)])):
                i = U(indices[k])
                if U(first) <= i < U(last):
                    v = values[k]
                    for j in range(m):
                        o[i, j] += v * Gr[p, j]



@njit(**_JIT)
def cross_entropy(out, target, target_radius, zero_error_radius, eps, softmax, errors, first, last):
    """Per replica and pattern ``first … last − 1``, the cross-entropy of ``out`` (R, n, units)
    against ``target`` ((1 or R), n, units) after the tolerance radii, measured from the
    target's entropy (:class:`pdplab.core.errors.CrossEntropy`), into ``errors`` (R, n)."""
    R, size = out.shape[0], U(out.shape[2])
    shared = target.shape[0] == 1
    for r in range(R):
        o_r, t_r = out[r], target[0 if shared else r]
        for p in range(U(first), U(last)):
            total = 0.0
            for j in range(size):
                o, t = o_r[p, j], t_r[p, j]
                if o != o:  # a NaN output makes the error NaN, on any unit
                    total += o
                    continue
                if zero_error_radius > 0.0 and abs(o - t) < zero_error_radius:
                    continue
                if target_radius > 0.0:
                    if t - target_radius <= o <= t + target_radius:
                        continue  # the target moves onto the output: no error (numpy's measure leaves ~1e-16)
                    t = _clip(o, t - target_radius, t + target_radius)
                if softmax:
                    total += _xlogx(t) - t * _log(_clip(o, eps, 1.0)) if t != 0.0 else 0.0
                else:
                    c = _clip(o, eps, 1.0 - eps)
                    total += max(_xlogx(t) + _xlogx(1.0 - t) - (t * _log(c) + (1.0 - t) * _log1m(c)), 0.0)
            errors[r, p] = total
