#!/usr/bin/env python3
"""Golden vectors for the masked categorical, MultiDiscrete and Gaussian (tanh-squashed and clipped) policy heads.

An implementation independent of the Java heads: Python's standard library only (``decimal`` at 100 significant
digits), the distributions written from their definitions, and every gradient taken by central finite differences
in that precision (h = 1e-30), not from the analytic formulas the Java code uses. See README.md for the derivation.

    python3 generate.py            # rewrites the three JSON files next to this script
"""

import json
import math
import os
import struct
from decimal import Decimal, getcontext

getcontext().prec = 100
H = Decimal("1e-30")
HERE = os.path.dirname(os.path.abspath(__file__))


def atan_inv(x):
    """atan(1/x) for an integer x > 1 by its Taylor series."""
    x = Decimal(x)
    x2 = x * x
    term = 1 / x
    total = term
    k = 1
    while True:
        term /= -x2
        nxt = total + term / (2 * k + 1)
        if nxt == total:
            return total
        total = nxt
        k += 1


PI = 16 * atan_inv(5) - 4 * atan_inv(239)  # Machin's formula
HALF_LOG_2PI = (2 * PI).ln() / 2
LN4 = Decimal(4).ln()


def D(x):
    """The exact binary value of a float (or int) as a Decimal."""
    return Decimal(x)


def f32(x):
    """Round a float to float32 (round half to even), returned as a float."""
    return struct.unpack("f", struct.pack("f", float(x)))[0]


def round_f32(x):
    """A Decimal rounded to float32, asserting it is not so close to a rounding midpoint that float64 arithmetic
    (error ~1e-16 relative) could round the other way."""
    r = f32(float(x))
    bits = struct.unpack("I", struct.pack("f", r))[0]
    ulp = abs(struct.unpack("f", struct.pack("I", bits + 1))[0] - r)  # float32 spacing at r (away from zero)
    dist = abs(x - D(r)) / D(ulp)
    assert abs(dist - Decimal("0.5")) > Decimal("1e-6"), f"{x} is too close to a float32 rounding midpoint"
    return r


def is_f32(x):
    return f32(x) == x


def out(x):
    """A Decimal rounded to the nearest float64 for the JSON file."""
    return float(x)


def finite(x):
    return isinstance(x, float) and math.isfinite(x)


# ----------------------------------------------------------------------------------------------- categorical


def categorical(logits, mask, a):
    """log pi(a) and H of softmax over the valid set V = {k : mask[k]} (all k when mask is None).

    Invalid logits are not read. A valid logit of -inf has probability 0.
    """
    valid = [k for k in range(len(logits)) if mask is None or mask[k]]
    assert valid, "no valid action"
    assert a in valid, "action must be valid"
    weights = {k: (Decimal(0) if logits[k] == -math.inf else D(logits[k]).exp()) for k in valid}
    z = sum(weights.values())
    p = {k: weights[k] / z for k in valid}
    logp_a = D(logits[a]) - z.ln()
    entropy = -sum(p[k] * p[k].ln() for k in valid if p[k] > 0)
    return logp_a, entropy, p


def categorical_grad(logits, mask, a, wl, we):
    """d(wl*log pi(a) + we*H)/d logits by central differences; 0 for invalid and for -inf logits."""
    grad = []
    for k in range(len(logits)):
        if (mask is not None and not mask[k]) or not finite(logits[k]):
            grad.append(Decimal(0))
            continue

        def j(x):
            ls = [D(v) if finite(v) else v for v in logits]
            ls[k] = x
            return objective(ls, mask, a, wl, we)

        grad.append((j(D(logits[k]) + H) - j(D(logits[k]) - H)) / (2 * H))
    return grad


def objective(logits_dec, mask, a, wl, we):
    """wl*log pi(a) + we*H for logits given as Decimals (or infinities for -inf / invalid entries)."""
    valid = [k for k in range(len(logits_dec)) if mask is None or mask[k]]
    w = {k: (Decimal(0) if logits_dec[k] == -math.inf else Decimal(logits_dec[k]).exp()) for k in valid}
    z = sum(w.values())
    logp = Decimal(logits_dec[a]) - z.ln()
    ent = Decimal(0)
    for k in valid:
        if w[k] > 0:
            pk = w[k] / z
            ent -= pk * pk.ln()
    return D(wl) * logp + D(we) * ent


def mode(logits, mask):
    valid = [k for k in range(len(logits)) if mask is None or mask[k]]
    best = valid[0]
    for k in valid:
        if logits[k] > logits[best]:
            best = k
    return best


def inverse_cdf(p, valid, u):
    """The smallest valid k with u < sum_{j valid, j <= k} p_j; u must not sit on a boundary."""
    cum = Decimal(0)
    for k in valid:
        cum += p[k]
        assert abs(D(u) - cum) > Decimal("1e-9"), "u too close to a boundary"
        if D(u) < cum:
            return k
    raise AssertionError("u >= 1")


def masked_categorical_case(name, n, logits, mask, actions, wl, we, u):
    rows = len(logits)
    res = {"log_prob": [], "entropy": [], "grad_logits": [], "mode": [], "sample": [], "sample_log_prob": []}
    for i in range(rows):
        m = None if mask is None else mask[i]
        logp, ent, p = categorical(logits[i], m, actions[i])
        res["log_prob"].append(out(logp))
        res["entropy"].append(out(ent))
        res["grad_logits"].append([out(g) for g in categorical_grad(logits[i], m, actions[i], wl[i], we[i])])
        res["mode"].append(mode(logits[i], m))
        valid = [k for k in range(n) if m is None or m[k]]
        s = inverse_cdf(p, valid, u[i])
        res["sample"].append(s)
        res["sample_log_prob"].append(out(categorical(logits[i], m, s)[0]))
    return {
        "name": name,
        "inputs": {"n": n, "logits": logits, "mask": mask, "actions": actions, "w_log_prob": wl, "w_entropy": we,
                   "u": u},
        "outputs": res,
    }


# ----------------------------------------------------------------------------------------------- MultiDiscrete


def blocks(nvec):
    offs, o = [], 0
    for n in nvec:
        offs.append(o)
        o += n
    return offs


def multi_discrete_case(name, nvec, logits, mask, actions, wl, we, u):
    offs = blocks(nvec)
    res = {"log_prob": [], "entropy": [], "grad_logits": [], "mode": [], "sample": [], "sample_log_prob": []}
    for i in range(len(logits)):
        logp_sum, ent_sum, grad, modes, samples, sample_logp = Decimal(0), Decimal(0), [], [], [], Decimal(0)
        for c, n in enumerate(nvec):
            seg = logits[i][offs[c]:offs[c] + n]
            m = None if mask is None else mask[i][offs[c]:offs[c] + n]
            a = actions[i][c]
            logp, ent, p = categorical(seg, m, a)
            logp_sum += logp
            ent_sum += ent
            # The row's objective is wl*sum_c log pi_c + we*sum_c H_c: its derivative w.r.t. a logit of block c is
            # that of block c's own terms (the other blocks do not depend on it).
            grad += categorical_grad(seg, m, a, wl[i], we[i])
            modes.append(mode(seg, m))
            valid = [k for k in range(n) if m is None or m[k]]
            s = inverse_cdf(p, valid, u[i][c])
            samples.append(s)
            sample_logp += categorical(seg, m, s)[0]
        res["log_prob"].append(out(logp_sum))
        res["entropy"].append(out(ent_sum))
        res["grad_logits"].append([out(g) for g in grad])
        res["mode"].append(modes)
        res["sample"].append(samples)
        res["sample_log_prob"].append(out(sample_logp))
    return {
        "name": name,
        "inputs": {"nvec": nvec, "logits": logits, "mask": mask, "actions": actions, "w_log_prob": wl,
                   "w_entropy": we, "u": u},
        "outputs": res,
    }


# ----------------------------------------------------------------------------------------------- Gaussian


def dtanh(x):
    e = (2 * x).exp()
    return (e - 1) / (e + 1)


def bounded(raw, bound):
    kind = bound["kind"]
    if kind == "none":
        return raw
    lo, hi = D(bound["min"]), D(bound["max"])
    if kind == "clamp":
        return min(max(raw, lo), hi)
    return lo + (hi - lo) * (dtanh(raw) + 1) / 2


def gaussian_objective(head, low, high, bound, means, raw, u, wl, we):
    """sum_i wl_i log pi(a_i) + we_i H with Decimal means [rows][d] and raw log-stds [d]."""
    d = len(raw)
    ls = [bounded(r, bound) for r in raw]
    entropy = sum(Decimal(1) / 2 + HALF_LOG_2PI + ls[j] for j in range(d))
    total = Decimal(0)
    for i in range(len(means)):
        logp = Decimal(0)
        for j in range(d):
            uu = D(u[i][j])
            var = (2 * ls[j]).exp()
            logp += -(uu - means[i][j]) ** 2 / (2 * var) - ls[j] - HALF_LOG_2PI
            if head == "tanh":
                # log|da/du| = log((high-low)/2) + log(1 - tanh^2 u), 1 - tanh^2 u = 4 e^{2u} / (e^{2u} + 1)^2
                log_one_minus_tanh2 = LN4 + 2 * uu - 2 * ((2 * uu).exp() + 1).ln()
                logp -= ((D(high[j]) - D(low[j])) / 2).ln() + log_one_minus_tanh2
        total += D(wl[i]) * logp + D(we[i]) * entropy
    return total, entropy


def gaussian_case(name, head, low, high, bound, means, raw, u, wl, we, z):
    rows, d = len(means), len(raw)
    for v in [x for row in u for x in row] + low + high:
        assert is_f32(v), f"{v} is not a float32 value: stored actions and box bounds are float32 in Java"
    mdec = [[D(x) for x in row] for row in means]
    rdec = [D(x) for x in raw]
    log_probs = []
    for i in range(rows):
        one = [0.0] * rows
        one[i] = 1.0
        lp, _ = gaussian_objective(head, low, high, bound, mdec, rdec, u, one, [0.0] * rows)
        log_probs.append(out(lp))
    _, entropy = gaussian_objective(head, low, high, bound, mdec, rdec, u, wl, we)

    def j(m, r):
        return gaussian_objective(head, low, high, bound, m, r, u, wl, we)[0]

    grad_means = []
    for i in range(rows):
        row = []
        for k in range(d):
            up = [r[:] for r in mdec]
            dn = [r[:] for r in mdec]
            up[i][k] += H
            dn[i][k] -= H
            row.append(out((j(up, rdec) - j(dn, rdec)) / (2 * H)))
        grad_means.append(row)
    grad_raw = []
    for k in range(d):
        if bound["kind"] == "clamp":
            assert abs(rdec[k] - D(bound["min"])) > H * 10 and abs(rdec[k] - D(bound["max"])) > H * 10, "kink"
        up, dn = rdec[:], rdec[:]
        up[k] += H
        dn[k] -= H
        grad_raw.append(out((j(mdec, up) - j(mdec, dn)) / (2 * H)))
    env_actions = []
    for i in range(rows):
        if head == "tanh":
            env_actions.append([round_f32(D(low[k]) + (dtanh(D(u[i][k])) + 1) * (D(high[k]) - D(low[k])) / 2)
                                for k in range(d)])
        else:
            env_actions.append(u[i][:])
    # Sampling: u = float32(mu + sigma * z) with sigma = exp(bounded log-std); then log pi of the rounded u.
    ls = [bounded(r, bound) for r in rdec]
    sample_u = [[round_f32(mdec[i][k] + ls[k].exp() * D(z[i][k])) for k in range(d)] for i in range(rows)]
    sample_logp = []
    for i in range(rows):
        one = [0.0] * rows
        one[i] = 1.0
        lp, _ = gaussian_objective(head, low, high, bound, mdec, rdec, sample_u, one, [0.0] * rows)
        sample_logp.append(out(lp))
    return {
        "name": name,
        "inputs": {"head": head, "low": low, "high": high, "bound": bound, "means": means, "raw_log_std": raw,
                   "actions": u, "w_log_prob": wl, "w_entropy": we, "z": z},
        "outputs": {"log_prob": log_probs, "entropy": out(entropy), "grad_means": grad_means,
                    "grad_raw_log_std": grad_raw, "env_actions": env_actions, "sample": sample_u,
                    "sample_log_prob": sample_logp},
    }


# ----------------------------------------------------------------------------------------------- cases

NAN = float("nan")
INF = float("inf")


def masked_categorical_cases():
    t, f = True, False
    return [
        masked_categorical_case(
            "unmasked (mask null), two rows", 4,
            [[0.5, -1.0, 2.0, 0.0], [1.25, 1.25, -0.75, 3.5]], None,
            [2, 1], [1.0, -0.5], [0.3, 2.0], [0.37, 0.9]),
        masked_categorical_case(
            "all-true mask equals the unmasked head", 4,
            [[0.5, -1.0, 2.0, 0.0], [1.25, 1.25, -0.75, 3.5]], [[t, t, t, t], [t, t, t, t]],
            [2, 1], [1.0, -0.5], [0.3, 2.0], [0.37, 0.9]),
        masked_categorical_case(
            "invalid logits are not read: NaN, +inf and 1e300 behind the mask", 5,
            [[0.2, NAN, -0.4, 1.1, INF], [1e300, 0.0, 0.75, -2.5, 0.1], [-0.3, 0.9, NAN, NAN, 0.4]],
            [[t, f, t, t, f], [f, t, t, t, t], [t, t, f, f, t]],
            [3, 2, 0], [0.7, -1.3, 2.2], [-0.4, 0.5, 1.5], [0.5, 0.05, 0.99]),
        masked_categorical_case(
            "one valid action: log pi = 0, H = 0, zero gradients", 3,
            [[4.0, -2.0, 7.5]], [[f, t, f]], [1], [1.5], [-0.8], [0.5]),
        masked_categorical_case(
            "large logits and the largest one masked", 4,
            [[1000.0, 998.5, 1002.0, 999.25]], [[t, t, f, t]], [3], [1.0], [1.0], [0.8]),
        masked_categorical_case(
            "a valid -inf logit has probability 0", 3,
            [[0.6, -INF, -0.2]], [[t, t, t]], [0], [0.9], [1.1], [0.6]),
    ]


def multi_discrete_cases():
    t, f = True, False
    logits = [[0.1, -0.6, 1.3, 0.4, -0.2, 0.9, 0.0, -1.7, 2.1],
              [-0.5, 0.25, 0.0, 1.5, 1.0, -0.3, 0.8, 0.2, -0.9],
              [2.0, NAN, 0.5, -1.0, 0.3, 1e300, 0.0, 0.6, -0.4]]
    return [
        multi_discrete_case(
            "nvec [3, 2, 4] unmasked", [3, 2, 4], logits[:2], None,
            [[2, 0, 3], [1, 1, 0]], [1.0, -0.7], [0.4, 1.2], [[0.3, 0.6, 0.95], [0.1, 0.45, 0.52]]),
        multi_discrete_case(
            "nvec [3, 2, 4] with per-component masks (invalid NaN and 1e300 not read)", [3, 2, 4], logits,
            [[t, f, t, t, t, f, t, t, f],
             [t, t, t, f, t, t, t, t, t],
             [t, f, t, t, t, f, t, t, t]],
            [[0, 1, 2], [2, 1, 3], [2, 1, 1]], [0.6, -1.1, 1.9], [-0.3, 0.8, 0.5],
            [[0.7, 0.2, 0.4], [0.15, 0.99, 0.6], [0.5, 0.5, 0.05]]),
        multi_discrete_case(
            "nvec [1, 5]: a one-choice component adds 0", [1, 5],
            [[3.3, 0.2, -0.1, 0.8, 1.6, -2.0]], [[t, t, f, t, t, f]], [[0, 3]], [1.0], [1.0], [[0.2, 0.75]]),
    ]


def gaussian_cases():
    none = {"kind": "none"}
    clamp = {"kind": "clamp", "min": -1.5, "max": 0.5}
    tanh = {"kind": "tanh", "min": -5.0, "max": 2.0}
    z = [[0.3, -1.2], [2.5, 0.05], [-0.7, 1.9]]
    return [
        gaussian_case(
            "tanh, box [-2, 2] x [0, 1], unbounded log_std, saturated u = 8 and u = 25", "tanh",
            [-2.0, 0.0], [2.0, 1.0], none,
            [[0.3, -0.2], [1.1, 0.4], [-0.6, 2.0]], [-0.4, 0.25],
            [[0.5, -1.25], [8.0, 0.125], [-0.375, 25.0]], [1.0, -0.5, 2.0], [0.7, 0.7, -1.2], z),
        gaussian_case(
            "tanh, clamp(-1.5, 0.5): raw -2 below the floor (no gradient), raw 0.25 inside", "tanh",
            [-1.0, -3.0], [1.0, 5.0], clamp,
            [[0.1, 0.9], [-0.8, -0.05], [0.45, 1.3]], [-2.0, 0.25],
            [[0.25, 2.5], [-0.875, -19.5], [0.5, 0.0]], [0.8, 1.4, -0.6], [0.5, -0.25, 1.0], z),
        gaussian_case(
            "tanh, tanh(-5, 2) smooth bound", "tanh",
            [-0.5, 10.0], [0.5, 12.0], tanh,
            [[0.0, -0.3], [0.7, 0.2], [-1.4, 0.6]], [0.3, 0.6],
            [[-0.0625, 0.75], [1.5, -2.0], [-3.0, 0.6875]], [1.2, -0.9, 0.4], [0.3, 0.3, 0.3], z),
        gaussian_case(
            "clip (diagonal Gaussian), tanh(-5, 2) bound", "clip",
            [-1.0, -1.0], [1.0, 1.0], tanh,
            [[0.2, -0.1], [0.9, 0.5], [-0.3, 0.0]], [0.1, 0.6],
            [[0.5, -0.25], [1.75, 0.375], [-1.0, 0.125]], [1.0, 0.5, -1.5], [0.2, -0.4, 0.9], z),
        gaussian_case(
            "clip (diagonal Gaussian), clamp(-1.5, 0.5): raw 0.8 above the ceiling", "clip",
            [-1.0, -1.0], [1.0, 1.0], clamp,
            [[0.2, -0.1], [0.9, 0.5], [-0.3, 0.0]], [0.8, -0.7],
            [[0.5, -0.25], [1.75, 0.375], [-1.0, 0.125]], [1.0, 0.5, -1.5], [0.2, -0.4, 0.9], z),
    ]


def write(name, description, cases):
    path = os.path.join(HERE, name)
    with open(path, "w") as fh:
        json.dump({"description": description, "generator": "generate.py (Python decimal, 100 digits)",
                   "cases": cases}, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    write("masked_categorical.json", "CategoricalHead with and without action masks; see README.md",
          masked_categorical_cases())
    write("multi_discrete.json", "MultiDiscreteHead with and without per-component masks; see README.md",
          multi_discrete_cases())
    write("gaussian.json", "TanhGaussianHead and DiagGaussianHead with log_std bounds; see README.md",
          gaussian_cases())
