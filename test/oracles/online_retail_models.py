#!/usr/bin/python3
"""Trusted scikit-learn oracle for segflow's DBSCAN, isolation forest, PCA and Ward
clustering (issue 4) on UCI Online Retail customers.

Usage (from the repository root, Debian's python3-sklearn):

    /usr/bin/python3 test/oracles/online_retail_models.py

Input:  test/fixtures/online-retail/rfm-customers.csv (written by online_retail_rfm.py)
Output: test/fixtures/online-retail/models-oracle.json (overwritten; byte-identical on
        rerun: every estimator has a fixed random_state or none at all)

Model input (the issue's): X = StandardScaler().fit_transform(log1p([recency_days,
frequency, monetary])), population standard deviation, one row per customer in the
CSV's order (customer_id ascending as a string).

Sections of the JSON:
  ward        AgglomerativeClustering(linkage='ward') sizes for k = 2..6 (sorted
              ascending), plus a tiny example with scipy's full linkage matrix so the
              TypeScript side can check merge heights, not only sizes.
  dbscan      DBSCAN(eps, min_samples) for a few pairs: cluster count, noise count,
              sorted sizes, and the smallest |distance - eps| over all pairs
              (boundary_margin) so a reader can see that float rounding cannot move a
              point across the eps boundary.
  pca         PCA(): explained_variance_ratio_, explained_variance_ (ddof = 1),
              components_ (rows = components; sklearn's svd_flip fixes their sign).
  isolation_forest
              IsolationForest(n_estimators=100, random_state=0, contamination='auto'):
              flagged count (predict == -1) and score_samples summary at random_state=0;
              and over random_state 0..49 the flagged counts' mean, standard deviation,
              min and max and the mean score. Why: the flagged count moves by ~6% (one
              standard deviation) from one random_state to the next, so a single seed
              cannot be compared within 5%; the mean over seeds can.
"""
import json
import os

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy.cluster.hierarchy import linkage
from sklearn.cluster import DBSCAN, AgglomerativeClustering
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import pairwise_distances
from sklearn.preprocessing import StandardScaler

IN_CSV = os.path.join("test", "fixtures", "online-retail", "rfm-customers.csv")
OUT_JSON = os.path.join("test", "fixtures", "online-retail", "models-oracle.json")
FEATURES = ["recency_days", "frequency", "monetary"]
DBSCAN_PAIRS = [(0.3, 10), (0.35, 5), (0.25, 5)]
SEEDS = 50


def rounded(values, digits=12):
    return [round(float(v), digits) for v in np.ravel(values)]


def sorted_sizes(labels):
    kept = labels[labels >= 0]
    return sorted(int(c) for c in np.bincount(kept)) if kept.size else []


def main() -> None:
    customers = pd.read_csv(IN_CSV, dtype={"customer_id": str})
    X = StandardScaler().fit_transform(np.log1p(customers[FEATURES].to_numpy(dtype=np.float64)))
    n = X.shape[0]

    ward = {
        str(k): sorted_sizes(AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X))
        for k in range(2, 7)
    }
    tiny = np.array([[0.0, 0.0], [0.4, 0.1], [1.0, 0.2], [5.0, 5.0], [5.5, 4.5], [9.0, 1.0], [8.2, 1.6]])
    tiny_linkage = linkage(tiny, method="ward")
    tiny_labels = AgglomerativeClustering(n_clusters=3, linkage="ward").fit_predict(tiny)

    distances = pairwise_distances(X)
    dbscan = []
    for eps, min_samples in DBSCAN_PAIRS:
        labels = DBSCAN(eps=eps, min_samples=min_samples).fit_predict(X)
        sizes = sorted_sizes(labels)
        dbscan.append({
            "eps": eps,
            "min_samples": min_samples,
            "clusters": len(sizes),
            "noise": int((labels == -1).sum()),
            "sizes_sorted": sizes,
            "boundary_margin": float(np.abs(distances - eps).min()),
        })
    del distances

    pca = PCA().fit(X)

    def forest(seed):
        return IsolationForest(n_estimators=100, random_state=seed, contamination="auto").fit(X)

    model = forest(0)
    scores = model.score_samples(X)
    flagged = int((model.predict(X) == -1).sum())
    flagged_by_seed = []
    mean_score_by_seed = []
    for seed in range(SEEDS):
        seeded = forest(seed)
        flagged_by_seed.append(int((seeded.predict(X) == -1).sum()))
        mean_score_by_seed.append(float(seeded.score_samples(X).mean()))

    oracle = {
        "generated_by": "test/oracles/online_retail_models.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "input": IN_CSV,
        "features": FEATURES,
        "transform": "StandardScaler(log1p(x)), population std",
        "rows": int(n),
        "ward": {
            "sizes_sorted_by_k": ward,
            "tiny": {
                "points": tiny.tolist(),
                "linkage": [[int(a), int(b), round(float(h), 12), int(s)] for a, b, h, s in tiny_linkage],
                "labels_k3": [int(v) for v in tiny_labels],
            },
        },
        "dbscan": dbscan,
        "pca": {
            "explained_variance_ratio": rounded(pca.explained_variance_ratio_),
            "explained_variance": rounded(pca.explained_variance_),
            "components": [rounded(row) for row in pca.components_],
        },
        "isolation_forest": {
            "n_estimators": 100,
            "random_state": 0,
            "max_samples": int(model.max_samples_),
            "offset": float(model.offset_),
            "flagged": flagged,
            "over_seeds": {
                "seeds": SEEDS,
                "flagged_mean": round(float(np.mean(flagged_by_seed)), 3),
                "flagged_std": round(float(np.std(flagged_by_seed)), 3),
                "flagged_min": int(min(flagged_by_seed)),
                "flagged_max": int(max(flagged_by_seed)),
                "mean_score": round(float(np.mean(mean_score_by_seed)), 6),
            },
            "score_samples": {
                "min": round(float(scores.min()), 6),
                "max": round(float(scores.max()), 6),
                "mean": round(float(scores.mean()), 6),
                "p01": round(float(np.percentile(scores, 1)), 6),
                "p50": round(float(np.percentile(scores, 50)), 6),
                "p99": round(float(np.percentile(scores, 99)), 6),
            },
        },
    }
    with open(OUT_JSON, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(oracle, handle, sort_keys=True, indent=2)
        handle.write("\n")
    print(f"ward sizes {ward}")
    for row in dbscan:
        print(f"dbscan {row}")
    print(f"pca ratio {oracle['pca']['explained_variance_ratio']}")
    print(f"isolation forest flagged {flagged}; over seeds {oracle['isolation_forest']['over_seeds']}")
    print(f"wrote {OUT_JSON}")


if __name__ == "__main__":
    main()
