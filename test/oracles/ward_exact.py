#!/usr/bin/python3
"""Trusted scikit-learn oracle for segflow's exact Ward (NN-chain over centroids) beyond
the old 10,000-row cap.

Usage (from the repository root, Debian's python3-sklearn):

    /usr/bin/python3 test/oracles/ward_exact.py

Output: test/fixtures/ward/ward-exact-oracle.json (overwritten; byte-identical on rerun:
Ward has no randomness and both inputs are deterministic).

Cases, each AgglomerativeClustering(n_clusters=k, linkage='ward').fit_predict(X) for
k = 2..8 (one full tree, cut by sklearn's _hc_cut), cluster sizes sorted ascending:

  blobs      12,000 x 8 points from a 32-bit LCG that TypeScript reproduces bit for bit
             (x <- (1664525 x + 1013904223) mod 2^32, u = x / 2^32; each coordinate is a
             centre plus (u1 + u2 + u3 + u4 - 2), only + - * on exact doubles, so no libm
             difference between numpy and V8 can move a point). 6 centres, centre c has
             coordinate j equal to 3 * ((c * 7 + j * 3) mod 5).
  invoices   the UCI Online Retail purchase log (../shared/datasets), one row per
             purchase invoice (InvoiceNo not starting with C), over its lines with
             Quantity > 0 and UnitPrice > 0: lines, items (sum of Quantity), revenue
             (sum of Quantity * UnitPrice); X = StandardScaler(log1p of the three),
             population std, rows in InvoiceNo order (as strings). The TypeScript test
             rebuilds X from the same file. sklearn holds n(n-1)/2 doubles here (~1.6 GB).
"""
import gzip
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import AgglomerativeClustering
from sklearn.cluster._agglomerative import _hc_cut
from sklearn.preprocessing import StandardScaler

OUT_JSON = os.path.join("test", "fixtures", "ward", "ward-exact-oracle.json")
RETAIL = os.path.join("..", "shared", "datasets", "online-retail", "online_retail.csv.gz")
KS = range(2, 9)


def lcg_blobs(rows: int, columns: int, centres: int, seed: int) -> np.ndarray:
    state = seed & 0xFFFFFFFF

    def uniform() -> float:
        nonlocal state
        state = (1664525 * state + 1013904223) & 0xFFFFFFFF
        return state / 4294967296.0

    points = np.empty((rows, columns))
    for row in range(rows):
        centre = int(uniform() * centres)
        for column in range(columns):
            noise = ((uniform() + uniform()) + uniform()) + uniform() - 2.0
            points[row, column] = 3.0 * ((centre * 7 + column * 3) % 5) + noise
    return points


def invoice_matrix() -> np.ndarray:
    with gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as handle:
        lines = pd.read_csv(handle, dtype={"InvoiceNo": str, "StockCode": str})
    lines = lines[~lines["InvoiceNo"].str.startswith("C") & (lines["Quantity"] > 0) & (lines["UnitPrice"] > 0)]
    lines = lines.assign(revenue=lines["Quantity"] * lines["UnitPrice"])
    grouped = lines.groupby("InvoiceNo", sort=True).agg(lines=("Quantity", "size"), items=("Quantity", "sum"), revenue=("revenue", "sum"))
    return StandardScaler().fit_transform(np.log1p(grouped[["lines", "items", "revenue"]].to_numpy(dtype=np.float64)))


def sizes_by_k(x: np.ndarray) -> dict:
    # One full tree, cut at every k with sklearn's own _hc_cut: exactly what
    # fit_predict(n_clusters=k) returns, without rebuilding the tree per k.
    model = AgglomerativeClustering(n_clusters=2, linkage="ward", compute_full_tree=True).fit(x)
    out = {}
    for k in KS:
        labels = _hc_cut(k, model.children_, x.shape[0])
        out[str(k)] = sorted(int(c) for c in np.bincount(labels))
    return out


def main() -> None:
    blobs = lcg_blobs(12_000, 8, 6, 20261203)
    invoices = invoice_matrix()
    result = {
        "sklearn_version": sklearn.__version__,
        "blobs": {"rows": blobs.shape[0], "columns": 8, "centres": 6, "seed": 20261203,
                  "first_row": [float(v) for v in blobs[0]], "sizes_sorted_by_k": sizes_by_k(blobs)},
        "invoices": {"rows": invoices.shape[0], "first_row": [float(v) for v in invoices[0]],
                     "sizes_sorted_by_k": sizes_by_k(invoices)},
    }
    os.makedirs(os.path.dirname(OUT_JSON), exist_ok=True)
    with open(OUT_JSON, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
