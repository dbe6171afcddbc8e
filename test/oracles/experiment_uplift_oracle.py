"""Oracle for core/analysis/experiments/experiment-uplift.ts: the uplift of an
A/B holdout computed by statsmodels and scipy on members generated here
(numpy, fixed seeds), written with the members so the TypeScript reads the
very same numbers.

- conversion: statsmodels proportions_ztest and confint_proportions_2indep(method='newcomb')
- revenue: scipy ttest_ind(equal_var=False); its interval by statsmodels CompareMeans.tconfint_diff(usevar='unequal')
- CUPED: theta as the OLS slope of y on x (statsmodels OLS), then Welch on the adjusted values
- mSPRT over daily looks: Johari et al. (2017) written out here in numpy, with
  unequal arms (V = s2 (1/n_T + 1/n_C)); there is no library implementation to call
- sample size: NormalIndPower.solve_power, ratio 1 (per arm) and ratio h/(1-h) (members at the holdout share)

Run: /usr/bin/python3 test/oracles/experiment_uplift_oracle.py
(writes test/fixtures/stats/experiment-uplift.json; CI runs no Python, the JSON is committed)
"""
import json
import math
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "stats", "experiment-uplift.json")
VERSIONS = {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}
ALPHA = 0.05


def generate(seed, members, holdout_share, rate, lift, window_days):
    rng = np.random.default_rng(seed)
    holdout = rng.random(members) < holdout_share
    # Pre-period spend predicts both converting and spend after start: what CUPED exploits.
    pre = np.round(rng.gamma(1.5, 40.0, members) * (rng.random(members) < 0.6), 2)
    propensity = np.clip(rate * (0.5 + pre / 80.0) + np.where(holdout, 0.0, lift), 0, 0.95)
    converted = rng.random(members) < propensity
    day = np.where(converted, np.round(rng.random(members) * window_days, 3), -1.0)
    revenue = np.where(converted, np.round(20 + 0.8 * pre + rng.gamma(2.0, 25.0, members), 2), 0.0)
    return holdout, day, revenue, pre


def msprt(holdout, day, days, mixture_variance):
    n_t, n_c = int((~holdout).sum()), int(holdout.sum())
    p_value, first = 1.0, None
    for look in range(1, days + 1):
        c_t = int(((day >= 0) & (day < look) & ~holdout).sum())
        c_c = int(((day >= 0) & (day < look) & holdout).sum())
        pooled = (c_t + c_c + 1) / (n_t + n_c + 2)
        s2 = pooled * (1 - pooled)
        v = s2 * (1 / n_t + 1 / n_c)
        d = c_t / n_t - c_c / n_c
        ratio = math.sqrt(v / (v + mixture_variance)) * math.exp(mixture_variance * d * d / (2 * v * (v + mixture_variance)))
        p_value = min(p_value, 1 / ratio)
        if first is None and p_value <= ALPHA:
            first = look
    return {"p": p_value, "first_significant_look": first, "looks": days}


def case(name, seed, members, holdout_share, rate, lift, window_days, days_observed, mde):
    holdout, day, revenue, pre = generate(seed, members, holdout_share, rate, lift, window_days)
    converted = day >= 0
    t, c = ~holdout, holdout
    counts = np.array([converted[t].sum(), converted[c].sum()])
    sizes = np.array([t.sum(), c.sum()])
    z, p = proportions_ztest(counts, sizes)
    low, high = confint_proportions_2indep(counts[0], sizes[0], counts[1], sizes[1], method="newcomb", compare="diff", alpha=ALPHA)
    welch = stats.ttest_ind(revenue[t], revenue[c], equal_var=False)
    welch_low, welch_high = CompareMeans(DescrStatsW(revenue[t]), DescrStatsW(revenue[c])).tconfint_diff(alpha=ALPHA, usevar="unequal")

    def cuped(y):
        theta = sm.OLS(y, sm.add_constant(pre)).fit().params[1]
        adjusted = y - theta * (pre - pre.mean())
        test = stats.ttest_ind(adjusted[t], adjusted[c], equal_var=False)
        reduction = 1 - np.var(adjusted, ddof=1) / np.var(y, ddof=1)
        return {"theta": theta, "t": test.statistic, "p": test.pvalue, "difference": adjusted[t].mean() - adjusted[c].mean(), "variance_reduction": reduction}

    baseline = counts[1] / sizes[1]
    effect = proportion_effectsize(baseline + mde, baseline)
    per_arm = NormalIndPower().solve_power(effect_size=effect, alpha=ALPHA, power=0.8, ratio=1.0)
    treatment_arm = NormalIndPower().solve_power(effect_size=effect, alpha=ALPHA, power=0.8, ratio=holdout_share / (1 - holdout_share))
    return {
        "name": name,
        "holdout_share": holdout_share,
        "days_observed": days_observed,
        "minimum_detectable_effect": mde,
        "members": {"holdout": holdout.astype(int).tolist(), "day": day.tolist(), "revenue": revenue.tolist(), "pre": pre.tolist()},
        "expected": {
            "conversions": counts.tolist(), "sizes": sizes.tolist(),
            "z": z, "p": p, "newcombe": [low, high],
            "welch": {"t": welch.statistic, "p": welch.pvalue, "low": welch_low, "high": welch_high},
            "cuped_revenue": cuped(revenue), "cuped_conversion": cuped(converted.astype(float)),
            "msprt": msprt(holdout, day, days_observed, mde * mde),
            "sample_size": {"per_arm_exact": per_arm, "members_exact": treatment_arm / (1 - holdout_share)},
        },
    }


cases = [
    case("lift of 6 points, 20% holdout, 30 days", 12, 2500, 0.2, 0.15, 0.06, 30, 30, 0.02),
    case("no lift, 10% holdout, 21 days", 13, 2000, 0.1, 0.12, 0.0, 21, 21, 0.02),
]
with open(OUT, "w") as handle:
    json.dump({"versions": VERSIONS, "alpha": ALPHA, "cases": cases}, handle, separators=(",", ":"))
    handle.write("\n")
