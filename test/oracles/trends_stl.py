#!/usr/bin/python3
"""Trusted statsmodels oracle for STL, trend/seasonal strength and Holt-Winters
on the daily revenue of UCI Online Retail.

Usage (from the repository root):

    /usr/bin/python3 test/oracles/trends_stl.py [path/to/online_retail.csv.gz]

Default input: ../shared/datasets/online-retail/online_retail.csv.gz
Output (overwritten, byte-identical on rerun):
    test/fixtures/trends/online_retail_stl.json

Series
------
* Every column is read as text; Quantity -> int64, UnitPrice -> float64.
* Rows whose InvoiceNo starts with 'C' (cancellations) are dropped; nothing else.
* revenue = Quantity * UnitPrice, summed per calendar date of InvoiceDate
  ('YYYY-MM-DD HH:MM:SS', naive, treated as UTC).
* Every calendar day from the first to the last date is present; days without
  invoices are 0. The series is written to the fixture ("series.values") so the
  TypeScript test needs no CSV parsing.

Models (statsmodels 0.13.5, Debian)
-----------------------------------
* STL(series, period=7, robust=True).fit() and STL(series, period=7).fit():
  seasonal, trend, resid, weights. Three more configurations (STL_VARIANTS)
  cover degree 0, jumps, long seasonal windows and explicit iteration counts.
* Strengths (Hyndman & Athanasopoulos, FPP3 4.3), variances with ddof=0:
    F_S = max(0, 1 - Var(R) / Var(S + R)),  F_T = max(0, 1 - Var(R) / Var(T + R)).
* Holt-Winters, ExponentialSmoothing(...).fit(optimized=False) with fixed
  smoothing parameters, for 'known' and 'heuristic' initialization, forecasts
  of HORIZON days; additive trend + additive weekly season, and Holt's linear.
* ETSModel(error='add', trend='add', seasonal='add') with the same fixed
  parameters (ETS beta = alpha * Holt-Winters beta) and known initial states:
  point forecasts and 95% prediction intervals from summary_frame().
* An SSE-optimal Holt-Winters fit (statsmodels' own optimizer), recorded only
  as a reference: the TypeScript Nelder-Mead need not land on the same point.
"""
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.seasonal import STL

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT.parent / 'shared' / 'datasets' / 'online-retail' / 'online_retail.csv.gz'
OUT = ROOT / 'test' / 'fixtures' / 'trends' / 'online_retail_stl.json'
PERIOD = 7
HORIZON = 28
HW_FIXED = {'smoothing_level': 0.3, 'smoothing_trend': 0.05, 'smoothing_seasonal': 0.2}
HOLT_FIXED = {'smoothing_level': 0.5, 'smoothing_trend': 0.1}


def daily_revenue(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame[~frame['InvoiceNo'].str.startswith('C')]
    revenue = frame['Quantity'].astype('int64') * frame['UnitPrice'].astype('float64')
    day = pd.to_datetime(frame['InvoiceDate'], format='%Y-%m-%d %H:%M:%S').dt.normalize()
    daily = revenue.groupby(day).sum()
    full = pd.date_range(daily.index.min(), daily.index.max(), freq='D')
    return daily.reindex(full, fill_value=0.0)


def decompose(values, robust):
    res = STL(values, period=PERIOD, robust=robust).fit()
    s, t, r = res.seasonal, res.trend, res.resid
    return {
        'seasonal': s.tolist(),
        'trend': t.tolist(),
        'resid': r.tolist(),
        'weights': res.weights.tolist(),
        'strength': {
            'seasonal': max(0.0, 1.0 - np.var(r) / np.var(s + r)),
            'trend': max(0.0, 1.0 - np.var(r) / np.var(t + r)),
        },
    }


# Other code paths of the port: degree 0, jumps with interpolation, a seasonal
# window longer than the cycle-subseries, fixed iteration counts.
STL_VARIANTS = [
    {'period': 7, 'seasonal': 13, 'trend': 21, 'low_pass': 9, 'seasonal_deg': 0, 'trend_deg': 0,
     'seasonal_jump': 2, 'trend_jump': 3, 'low_pass_jump': 2, 'robust': True},
    {'period': 30, 'seasonal': 101, 'robust': False},
    {'period': 7, 'seasonal': 9, 'low_pass_deg': 0, 'robust': True, 'inner_iter': 3, 'outer_iter': 2},
]


def stl_variants(values):
    out = []
    for config in STL_VARIANTS:
        kwargs = {k: v for k, v in config.items() if k not in ('inner_iter', 'outer_iter')}
        fit_kwargs = {k: v for k, v in config.items() if k in ('inner_iter', 'outer_iter')}
        res = STL(values, **kwargs).fit(**fit_kwargs)
        out.append({'config': config, 'seasonal': res.seasonal.tolist(), 'trend': res.trend.tolist(),
                    'resid': res.resid.tolist(), 'weights': res.weights.tolist()})
    return out


def holt_winters(values, known):
    out = {}
    for init in ('heuristic', 'known'):
        kwargs = {'initialization_method': init}
        if init == 'known':
            kwargs.update(known['seasonal'])
        model = ExponentialSmoothing(values, trend='add', seasonal='add', seasonal_periods=PERIOD, **kwargs)
        fit = model.fit(optimized=False, **HW_FIXED)
        holt_kwargs = {'initialization_method': init}
        if init == 'known':
            holt_kwargs.update(known['holt'])
        holt = ExponentialSmoothing(values, trend='add', **holt_kwargs).fit(optimized=False, **HOLT_FIXED)
        out[init] = {
            'additive': {
                'initial_level': float(fit.params['initial_level']),
                'initial_trend': float(fit.params['initial_trend']),
                'initial_seasonal': np.asarray(fit.params['initial_seasons']).tolist(),
                'fitted': fit.fittedvalues.tolist(),
                'forecast': fit.forecast(HORIZON).tolist(),
                'sse': float(fit.sse),
            },
            'holt': {
                'initial_level': float(holt.params['initial_level']),
                'initial_trend': float(holt.params['initial_trend']),
                'forecast': holt.forecast(HORIZON).tolist(),
                'sse': float(holt.sse),
            },
        }
    return out


def ets_intervals(daily, known):
    # A pandas Series: 0.13.5's PredictionResults needs an index (fails on ndarray).
    values = daily.asfreq('D')
    alpha = HW_FIXED['smoothing_level']
    params = {
        'smoothing_level': alpha,
        'smoothing_trend': alpha * HW_FIXED['smoothing_trend'],
        'smoothing_seasonal': HW_FIXED['smoothing_seasonal'],
    }
    init = known['seasonal']
    model = ETSModel(values, error='add', trend='add', seasonal='add', seasonal_periods=PERIOD,
                     initialization_method='known', initial_level=init['initial_level'],
                     initial_trend=init['initial_trend'], initial_seasonal=init['initial_seasonal'])
    with model.fix_params(params):
        res = model.fit(disp=False)
    frame = res.get_prediction(start=len(values), end=len(values) + HORIZON - 1).summary_frame(alpha=0.05)
    return {
        'params': params,
        'sigma2': float(res.mse),
        'mean': frame['mean'].tolist(),
        'pi_lower': frame['pi_lower'].tolist(),
        'pi_upper': frame['pi_upper'].tolist(),
    }


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    daily = daily_revenue(path)
    values = daily.to_numpy(dtype='float64')
    known = {
        'seasonal': {
            'initial_level': float(values[:PERIOD].mean()),
            'initial_trend': 0.0,
            'initial_seasonal': (values[:PERIOD] - values[:PERIOD].mean()).tolist(),
        },
        'holt': {'initial_level': float(values[0]), 'initial_trend': float(values[1] - values[0])},
    }
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        optimal = ExponentialSmoothing(values, trend='add', seasonal='add', seasonal_periods=PERIOD,
                                       initialization_method='heuristic').fit()
        fixture = {
            'source': 'test/oracles/trends_stl.py (statsmodels 0.13.5, pandas 1.5)',
            'period': PERIOD,
            'horizon': HORIZON,
            'series': {
                'start': daily.index[0].strftime('%Y-%m-%d'),
                'end': daily.index[-1].strftime('%Y-%m-%d'),
                'zero_days': int((values == 0).sum()),
                'values': values.tolist(),
            },
            'stl': {'robust': decompose(values, True), 'standard': decompose(values, False)},
            'stl_variants': stl_variants(values),
            'holt_winters': {
                'fixed': {'seasonal': HW_FIXED, 'holt': HOLT_FIXED},
                'known_initial': known,
                'by_initialization': holt_winters(values, known),
                'optimized_reference': {
                    'smoothing_level': float(optimal.params['smoothing_level']),
                    'smoothing_trend': float(optimal.params['smoothing_trend']),
                    'smoothing_seasonal': float(optimal.params['smoothing_seasonal']),
                    'sse': float(optimal.sse),
                },
            },
            'ets_intervals': ets_intervals(daily, known),
        }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + '\n')
    print(f'wrote {OUT} ({len(values)} days, {fixture["series"]["zero_days"]} zero days)')


if __name__ == '__main__':
    main()
