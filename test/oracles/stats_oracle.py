"""Oracle for core/analysis/{stats,validation,experiments}: scipy and
statsmodels reference values, including p-values far in the tail
(around 1e-25 and 1e-50), and hashlib holdout assignments that pin the
salted-hash bucketing across platforms.
Run: /usr/bin/python3 test/oracles/stats_oracle.py
(writes test/fixtures/stats/*.json; CI runs no Python, the JSON is committed)
"""
import hashlib
import json
import os

import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_confint,
                                          proportion_effectsize, proportions_ztest)

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "stats")
VERSIONS = {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}


def write(name, payload):
    payload = {"versions": VERSIONS, **payload}
    with open(os.path.join(OUT, name), "w") as handle:
        json.dump(payload, handle, indent=1, sort_keys=True)
        handle.write("\n")


def special_functions():
    chi2 = [(3.841458820694124, 1), (10.0, 3), (0.5, 10), (150.0, 2), (120.0, 4), (230.0, 1),
            (500.0, 100), (1000.0, 500), (260.0, 12), (35.0, 40), (0.001, 0.5), (90.0, 9)]
    norm = [0.0, 0.1, 1.959963984540054, -3.0, 5.0, 8.3, 10.4, 14.9, 20.0, 30.0, -1.5, 37.0]
    t = [(2.0, 10), (-2.0, 5), (3.0, 2.5), (15.0, 30), (50.0, 20), (100.0, 50), (1e6, 3),
         (12.0, 200), (25.0, 60), (0.3, 1), (40.0, 7.3), (1e3, 1)]
    f = [(3.0, 2, 20), (80.0, 3, 100), (300.0, 5, 200), (1e4, 2, 30), (0.7, 4, 12),
         (150.0, 1, 400), (45.0, 10, 300), (2.5, 7.5, 33.3)]
    lgamma = [0.1, 0.5, 1.0, 1.5, 2.5, 7.3, 10.0, 33.3, 171.5, 1e4, 1e6]
    gamma = [(0.5, 0.2), (3.0, 2.0), (3.0, 10.0), (50.0, 45.0), (50.0, 120.0), (500.0, 480.0), (2.0, 150.0)]
    beta = [(0.2, 2.0, 3.0), (0.9, 2.0, 3.0), (0.001, 5.0, 0.5), (0.5, 50.0, 60.0), (1e-6, 2.0, 0.5)]
    probabilities = [1e-50, 1e-25, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999]
    t_quantiles = [(0.025, 1), (0.025, 2), (0.025, 9), (0.005, 29), (0.05, 3.7), (1e-10, 15), (0.025, 500)]
    return {
        "chi2_sf": [{"x": x, "df": df, "p": stats.chi2.sf(x, df)} for x, df in chi2],
        "norm_sf": [{"z": z, "p": stats.norm.sf(z), "cdf": stats.norm.cdf(z)} for z in norm],
        "t_sf": [{"t": tt, "df": df, "p": stats.t.sf(tt, df), "two_sided": 2 * stats.t.sf(abs(tt), df)} for tt, df in t],
        "f_sf": [{"f": ff, "d1": d1, "d2": d2, "p": stats.f.sf(ff, d1, d2)} for ff, d1, d2 in f],
        "lgamma": [{"x": x, "value": special.gammaln(x)} for x in lgamma],
        "gamma_inc": [{"a": a, "x": x, "p": special.gammainc(a, x), "q": special.gammaincc(a, x)} for a, x in gamma],
        "beta_inc": [{"x": x, "a": a, "b": b, "value": special.betainc(a, b, x)} for x, a, b in beta],
        "erfc": [{"x": x, "value": special.erfc(x), "erf": special.erf(x)} for x in [0.01, 0.5, 1.2, 2.0, 5.0, 10.0, 15.0, 26.0, -1.0]],
        "norm_ppf": [{"p": p, "z": stats.norm.ppf(p)} for p in probabilities],
        "t_isf": [{"q": q, "df": df, "t": t_isf(q, df), "scipy_isf": stats.t.isf(q, df)} for q, df in t_quantiles],
    }


def t_isf(q, df):
    """scipy 1.10's t.isf (cephes stdtrit) is only good to ~1e-8 relative
    (t.sf(t.isf(1e-10, 15), 15) = 1e-10 x (1 - 1.9e-8)); polish it with
    Newton steps on scipy's t.sf, which is accurate."""
    t = stats.t.isf(q, df)
    for _ in range(3):
        t += (stats.t.sf(t, df) - q) / stats.t.pdf(t, df)
    return float(t)


def sample(rng, kind, size, *args):
    return [round(float(v), 2) for v in getattr(rng, kind)(*args, size=size)]


def group_tests():
    rng = np.random.default_rng(20261203)
    ztests = [((120, 1000), (150, 1000)), ((5, 40), (20, 45)), ((1500, 10000), (1000, 10000)),
              ((3000, 20000), (1500, 20000)), ((48, 500), (47, 500))]
    welch = [
        (sample(rng, "lognormal", 60, 3.5, 0.8), sample(rng, "lognormal", 45, 3.7, 0.9)),
        (sample(rng, "normal", 12, 10, 2), sample(rng, "normal", 9, 12, 5)),
        (sample(rng, "normal", 400, 50, 5), sample(rng, "normal", 300, 47, 6)),
    ]
    tables = [
        [[120, 880], [150, 850], [90, 910]],
        [[30, 70], [25, 75], [40, 60], [10, 90]],
        [[800, 1200], [300, 1700], [500, 1500]],
        [[5, 12], [9, 3]],
    ]
    integer_groups = [[int(v) for v in rng.poisson(lam, n)] for lam, n in [(3, 40), (4, 35), (3.5, 50)]]
    separated = [[int(v) for v in rng.poisson(lam, n)] for lam, n in [(2, 200), (6, 200), (10, 200)]]
    anova_groups = [sample(rng, "normal", n, mu, 3) for mu, n in [(10, 30), (11, 25), (12.5, 40)]]
    anova_far = [sample(rng, "normal", 100, mu, 1) for mu in (0, 1.5, 3)]
    score = sample(rng, "normal", 80, 0, 1)
    kpi = [round(0.6 * s + float(e), 2) for s, e in zip(score, rng.normal(0, 1, 80))]
    strong_x = sample(rng, "normal", 200, 0, 1)
    strong_y = [round(2 * x + float(e), 2) for x, e in zip(strong_x, rng.normal(0, 0.3, 200))]
    tied_x = [int(v) for v in rng.integers(0, 5, 60)]
    tied_y = [int(v + w) for v, w in zip(tied_x, rng.integers(0, 3, 60))]

    def ztest(t, c):
        z, p = proportions_ztest([t[0], c[0]], [t[1], c[1]])
        return {"treatment": list(t), "control": list(c), "z": float(z), "p": float(p)}

    def welch_case(a, b):
        r = stats.ttest_ind(a, b, equal_var=False)
        va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
        return {"a": a, "b": b, "t": float(r.statistic), "p": float(r.pvalue), "df": float(df)}

    def chi2_case(table):
        c, p, dof, _ = stats.chi2_contingency(table, correction=False)
        n = np.sum(table)
        v = np.sqrt(c / (n * (min(len(table), len(table[0])) - 1)))
        return {"table": table, "statistic": float(c), "p": float(p), "df": int(dof), "cramers_v": float(v)}

    def kruskal_case(groups):
        h, p = stats.kruskal(*groups)
        n = sum(len(g) for g in groups)
        return {"groups": groups, "h": float(h), "p": float(p), "epsilon_squared": float(h * (n + 1) / (n * n - 1))}

    def anova_case(groups):
        f, p = stats.f_oneway(*groups)
        allv = np.concatenate(groups)
        ss_between = sum(len(g) * (np.mean(g) - allv.mean()) ** 2 for g in groups)
        ss_total = np.sum((allv - allv.mean()) ** 2)
        return {"groups": groups, "f": float(f), "p": float(p), "eta_squared": float(ss_between / ss_total)}

    def correlation_case(x, y):
        pr = stats.pearsonr(x, y)
        sr = stats.spearmanr(x, y)
        return {"x": x, "y": y, "pearson": {"r": float(pr[0]), "p": float(pr[1])},
                "spearman": {"rho": float(sr.correlation), "p": float(sr.pvalue)}}

    return {
        "proportions_ztest": [ztest(t, c) for t, c in ztests],
        "welch": [welch_case(a, b) for a, b in welch],
        "chi2_contingency": [chi2_case(t) for t in tables],
        "kruskal": [kruskal_case(integer_groups), kruskal_case(separated)],
        "f_oneway": [anova_case(anova_groups), anova_case(anova_far)],
        "correlation": [correlation_case(score, kpi), correlation_case(strong_x, strong_y), correlation_case(tied_x, tied_y)],
    }


def intervals():
    wilson = [(0, 20), (3, 20), (120, 1000), (999, 1000), (50, 50), (7, 300)]
    newcombe = [((150, 1000), (120, 1000)), ((20, 45), (5, 40)), ((0, 30), (2, 30)), ((480, 5000), (430, 5000))]
    sizes = [(0.10, 0.02, 0.05, 0.8), (0.05, 0.01, 0.05, 0.8), (0.30, 0.05, 0.01, 0.9), (0.02, 0.005, 0.05, 0.8), (0.5, 0.1, 0.1, 0.95)]

    def newcombe_case(t, c, alpha):
        low, high = confint_proportions_2indep(t[0], t[1], c[0], c[1], method="newcomb", compare="diff", alpha=alpha)
        return {"treatment": list(t), "control": list(c), "alpha": alpha, "low": float(low), "high": float(high)}

    def size_case(baseline, mde, alpha, power):
        h = proportion_effectsize(baseline + mde, baseline)
        n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0, alternative="two-sided")
        return {"baseline": baseline, "mde": mde, "alpha": alpha, "power": power, "cohens_h": float(h), "nobs1": float(n)}

    rng = np.random.default_rng(7)
    orders = [sample(rng, "lognormal", n, 3.5, 0.9) for n in (2, 8, 35, 400)]

    def mean_case(values, alpha):
        half = t_isf(alpha / 2, len(values) - 1) * stats.sem(values)
        return {"values": values, "alpha": alpha, "mean": float(np.mean(values)),
                "low": float(np.mean(values) - half), "high": float(np.mean(values) + half)}

    return {
        "mean_t_interval": [mean_case(v, a) for v in orders for a in (0.05, 0.1)],
        "wilson": [{"count": x, "n": n, "alpha": a, "low": float(l), "high": float(h)}
                   for x, n in wilson for a in (0.05, 0.1) for l, h in [proportion_confint(x, n, alpha=a, method="wilson")]],
        "newcombe": [newcombe_case(t, c, a) for t, c in newcombe for a in (0.05, 0.1)],
        "sample_size": [size_case(*s) for s in sizes],
    }


def holdout():
    salt = "spring-sale-2026"
    ids = ["u_0001", "u_0002", "customer-42", "alice@example.com", "\u00e9l\u00e8ve-7", "", "0", "u_99999"]
    cases = []
    for profile_id in ids:
        digest = hashlib.sha256(f"{salt}:{profile_id}".encode("utf-8")).digest()
        u = (int.from_bytes(digest[:7], "big") >> 3) / 2 ** 53
        cases.append({"id": profile_id, "u": u, "arm": "holdout" if u < 0.2 else "treatment"})
    return {"salt": salt, "holdout_share": 0.2, "cases": cases}


os.makedirs(OUT, exist_ok=True)
write("special-functions.json", special_functions())
write("group-tests.json", group_tests())
write("intervals.json", intervals())
write("holdout.json", holdout())
