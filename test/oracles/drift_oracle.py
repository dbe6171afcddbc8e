"""Oracle for core/analysis/drift: PSI with baseline-quantile bins,
scipy.stats.ks_2samp (statistic and p-values, 'exact' and 'asymp'),
scipy.stats.kstwo.sf (the law behind 'asymp') and EWMA/CUSUM charts.
Run: /usr/bin/python3 test/oracles/drift_oracle.py
Writes test/fixtures/drift/{psi,ks,kstwo,charts}.json (committed; CI runs no Python).

PSI binning, mirrored in core/analysis/drift/psi.ts: interior edges are
np.quantile(baseline, i/bins) (method 'linear'), duplicates merged with
np.unique, values assigned with np.searchsorted(edges, x, side='right'),
so bins are [edge_{i-1}, edge_i) and a value equal to an edge joins the
bin above. Shares are raised to `floor` before the log (no renormalizing).
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "drift"


def psi(baseline, current, bins=10, floor=1e-4):
    edges = np.unique(np.quantile(baseline, np.arange(1, bins) / bins))
    e = np.bincount(np.searchsorted(edges, baseline, side="right"), minlength=len(edges) + 1) / len(baseline)
    a = np.bincount(np.searchsorted(edges, current, side="right"), minlength=len(edges) + 1) / len(current)
    e_c, a_c = np.maximum(e, floor), np.maximum(a, floor)
    value = 0.0
    for x, y in zip(a_c, e_c):  # sequential, as the TypeScript loop sums
        value += (x - y) * np.log(x / y)
    return {"psi": float(value), "edges": edges.tolist(), "expected": e.tolist(), "actual": a.tolist()}


def rounded(values, digits=6):
    return [round(float(v), digits) for v in values]


def psi_cases(rng):
    normal = rounded(rng.normal(0, 1, 800))
    cases = [
        ("normal_vs_resample", normal, rounded(rng.normal(0, 1, 600)), 10, 1e-4),
        ("normal_vs_shift_half_sigma", normal, rounded(rng.normal(0.5, 1, 600)), 10, 1e-4),
        ("lognormal_vs_wider", rounded(rng.lognormal(0, 1, 500)), rounded(rng.lognormal(0, 1.4, 700)), 10, 1e-4),
        ("poisson_ties_merge_edges", rng.poisson(1.5, 700).astype(float).tolist(), rng.poisson(2.0, 400).astype(float).tolist(), 10, 1e-4),
        ("empty_bins_hit_floor", normal, rounded(rng.normal(4, 0.2, 300)), 10, 1e-4),
        ("twenty_bins_floor_1e-3", normal, rounded(rng.normal(0.1, 1.2, 900)), 20, 1e-3),
        ("five_bins_uniform", rounded(rng.uniform(0, 1, 97)), rounded(rng.uniform(0.05, 1, 131)), 5, 1e-4),
    ]
    out = []
    for name, base, cur, bins, floor in cases:
        out.append({"name": name, "baseline": base, "current": cur, "bins": bins, "floor": floor, **psi(np.array(base), np.array(cur), bins, floor)})
    return out


def ks_cases(rng):
    pairs = [
        ("equal_small_integer_ties", rng.integers(0, 6, 20).astype(float).tolist(), rng.integers(1, 7, 20).astype(float).tolist(), ["exact", "asymp"]),
        ("unequal_small", rounded(rng.normal(0, 1, 30)), rounded(rng.normal(0.6, 1, 45)), ["exact", "asymp"]),
        ("unequal_ties_across_samples", rng.integers(0, 12, 57).astype(float).tolist(), rng.integers(0, 10, 83).astype(float).tolist(), ["exact", "asymp"]),
        ("identical_samples", [1.0, 2.0, 2.0, 3.0], [1.0, 2.0, 2.0, 3.0], ["exact", "asymp"]),
        ("n40_vs_n60", rounded(rng.normal(0, 1, 40)), rounded(rng.normal(0.3, 1, 60)), ["exact", "asymp"]),
        ("n300_vs_n500_same", rounded(rng.normal(0, 1, 300)), rounded(rng.normal(0, 1, 500)), ["exact", "asymp"]),
        ("n300_vs_n500_shift", rounded(rng.normal(0, 1, 300)), rounded(rng.normal(0.25, 1, 500)), ["exact", "asymp"]),
        ("n1200_vs_n1500_small_shift", rounded(rng.normal(0, 1, 1200), 4), rounded(rng.normal(0.08, 1, 1500), 4), ["asymp"]),
        ("n2000_vs_n2500_same", rounded(rng.normal(0, 1, 2000), 4), rounded(rng.normal(0, 1, 2500), 4), ["asymp"]),
    ]
    out = []
    for name, x, y, methods in pairs:
        for method in methods:
            r = stats.ks_2samp(x, y, method=method)
            out.append({"name": name, "method": method, "first": x, "second": y,
                        "statistic": float(r.statistic), "pvalue": float(r.pvalue),
                        "location": float(r.statistic_location), "sign": int(r.statistic_sign)})
    return out


def kstwo_cases():
    out = []
    for n in [3, 10, 24, 100, 140, 141, 500, 3000, 20000]:
        for z in [0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.6, 2.0, 2.5, 3.2]:
            x = z / np.sqrt(n)
            if x >= 1:
                continue
            out.append({"n": n, "x": float(x), "sf": float(stats.kstwo.sf(x, n))})
        for x in [0.6 / n, 0.9 / n, 0.55, 0.8]:
            out.append({"n": n, "x": float(x), "sf": float(stats.kstwo.sf(x, n))})
    return out


def chart_cases(rng):
    series = rounded(np.concatenate([rng.normal(10, 2, 15), rng.normal(12, 2, 10)]))
    x = np.array(series)
    out = []
    for lam, width in [(0.2, 3.0), (0.1, 2.7)]:
        z, prev = [], 10.0
        for v in x:
            prev = lam * v + (1 - lam) * prev
            z.append(prev)
        t = np.arange(1, len(x) + 1)
        half = width * 2.0 * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        out.append({"chart": "ewma", "lambda": lam, "limitWidth": width, "mean": 10.0, "sigma": 2.0, "series": series,
                    "statistic": z, "lower": (10.0 - half).tolist(), "upper": (10.0 + half).tolist()})
    for k, h in [(0.5, 4.0), (0.5, 5.0)]:
        plus, minus, up, down = 0.0, 0.0, [], []
        for v in x:
            plus = max(0.0, v - (10.0 + k * 2.0) + plus)
            minus = max(0.0, (10.0 - k * 2.0) - v + minus)
            up.append(plus)
            down.append(minus)
        out.append({"chart": "cusum", "k": k, "h": h, "mean": 10.0, "sigma": 2.0, "series": series, "upper": up, "lower": down})
    return out


def main():
    rng = np.random.default_rng(20261203)
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"scipy_version": scipy.__version__, "numpy_version": np.__version__}
    for name, cases in [("psi", psi_cases(rng)), ("ks", ks_cases(rng)), ("kstwo", kstwo_cases()), ("charts", chart_cases(rng))]:
        (OUT / f"{name}.json").write_text(json.dumps({**meta, "cases": cases}, separators=(",", ":")) + "\n")


main()
