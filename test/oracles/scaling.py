"""Oracle for core/features/scaling.ts: scikit-learn's StandardScaler,
MinMaxScaler and RobustScaler on fixed columns (NaN = missing).
Run: /usr/bin/python3 test/oracles/scaling.py > test/fixtures/scaling-oracle.json
"""
import json
import math

import numpy as np
import sklearn
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

columns = {
    "skewed": [0.0, 1.0, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 340.5],
    "with_missing": [4.0, float("nan"), 2.5, 7.25, float("nan"), 1.0, 9.0],
    "constant": [3.0, 3.0, 3.0, 3.0],
    "negative": [-5.0, -1.5, 0.0, 2.0, 2.0, 2.0, 10.0, -7.25],
}
scalers = {"zscore": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}
out = {"sklearn_version": sklearn.__version__, "cases": []}
for name, values in columns.items():
    x = np.array(values).reshape(-1, 1)
    for method, cls in scalers.items():
        y = cls().fit_transform(x).ravel().tolist()
        out["cases"].append({
            "column": name, "method": method,
            "input": [None if math.isnan(v) else v for v in values],
            "output": [None if math.isnan(v) else v for v in y],
        })
print(json.dumps(out, indent=1, sort_keys=True))
