#!/usr/bin/python3
"""scikit-learn oracle for core/models k-means and k selection on UCI Online Retail.

Usage (from the repository root):

    /usr/bin/python3 test/oracles/online_retail_kmeans.py

Input:  test/fixtures/online-retail/rfm-customers.csv (4,338 customers)
Output: test/fixtures/online-retail/kmeans-oracle.json (overwritten, byte-identical on rerun)

Model input, as issue 4 states it: log1p of recency_days, frequency, monetary,
then StandardScaler (population standard deviation).

For k = 2..10: KMeans(n_clusters=k, n_init=10, random_state=0) (Lloyd), its
inertia_ and n_iter_, and for its labels silhouette_score on the full data (no
sampling: n is small), calinski_harabasz_score and davies_bouldin_score.
k-means has near-equal local optima: at k = 9 sklearn itself lands on
inertia 2185.2 (silhouette 0.294) for random_state 0, 1, 6 and on 2177.7
(silhouette 0.280) for 2..5. So every k also has `runs`: the same fit for
random_state 0..7, and the tests compare a TypeScript result's silhouette,
CH and DB with the sklearn run whose inertia is closest to it (the same
local optimum), while inertia is compared with random_state 0.
For k = 4 the labels themselves are exported, so the TypeScript metrics can be
checked on the *same* labels (to 1e-9), independently of k-means.
`empty_cluster_case` pins the relocation of an empty cluster (a start centre
no row is nearest to), `small_cases` the edge cases of the metrics (a singleton cluster scores 0
in the silhouette; duplicate points).

OMP_NUM_THREADS=1 keeps sklearn's parallel reductions in one order, so the
numbers are byte-identical on every run.
"""
import os

os.environ["OMP_NUM_THREADS"] = "1"

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_samples,
    silhouette_score,
)
from sklearn.preprocessing import StandardScaler  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
INPUT = ROOT / "test/fixtures/online-retail/rfm-customers.csv"
OUTPUT = ROOT / "test/fixtures/online-retail/kmeans-oracle.json"
K_RANGE = range(2, 11)
RANDOM_STATES = range(8)


def model_input() -> np.ndarray:
    customers = pd.read_csv(INPUT, dtype={"customer_id": str})
    raw = customers[["recency_days", "frequency", "monetary"]].to_numpy(dtype=np.float64)
    return StandardScaler().fit_transform(np.log1p(raw))


def metrics(x: np.ndarray, labels: np.ndarray) -> dict:
    return {
        "silhouette": float(silhouette_score(x, labels)),
        "calinski_harabasz": float(calinski_harabasz_score(x, labels)),
        "davies_bouldin": float(davies_bouldin_score(x, labels)),
    }


def small_cases() -> list:
    cases = []
    # A singleton cluster (label 2): sklearn scores that row 0, not -1 or 1.
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [5.0, 5.0], [5.0, 6.0], [20.0, 20.0]])
    labels = np.array([0, 0, 0, 1, 1, 2])
    cases.append({"name": "singleton cluster", "x": x.tolist(), "labels": labels.tolist(),
                  "silhouette_samples": silhouette_samples(x, labels).tolist(), **metrics(x, labels)})
    # Duplicate rows: a(i) = b(i) = 0 gives 0/0, which sklearn turns into 0.
    x = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    labels = np.array([0, 0, 1, 1])
    cases.append({"name": "identical rows", "x": x.tolist(), "labels": labels.tolist(),
                  "silhouette_samples": silhouette_samples(x, labels).tolist(),
                  "silhouette": float(silhouette_score(x, labels)),
                  "calinski_harabasz": float(calinski_harabasz_score(x, labels)),
                  "davies_bouldin": float(davies_bouldin_score(x, labels))})
    # Labels that are not 0..K-1 (sklearn re-encodes them).
    x = np.array([[0.0, 0.5], [0.2, 0.1], [3.0, 3.5], [3.1, 2.9], [3.3, 3.0], [9.0, 0.0], [8.5, 0.4]])
    labels = np.array([7, 7, 3, 3, 3, 9, 9])
    cases.append({"name": "sparse label values", "x": x.tolist(), "labels": labels.tolist(),
                  "silhouette_samples": silhouette_samples(x, labels).tolist(), **metrics(x, labels)})
    return cases


def empty_cluster_case() -> dict:
    """A start centre no row is nearest to: sklearn moves it to the row farthest from its centre."""
    x = np.array([[0.0, 0.0], [0.5, 0.2], [-0.3, 0.4], [0.1, -0.6], [2.5, 1.0],
                  [10.0, 0.0], [10.4, 0.3], [9.7, -0.2], [10.2, 0.5], [6.0, -3.0]])
    init = np.array([[0.0, 0.0], [10.0, 0.0], [100.0, 100.0]])
    model = KMeans(n_clusters=3, init=init, n_init=1, algorithm="lloyd").fit(x)
    return {"x": x.tolist(), "init": init.tolist(), "centroids": model.cluster_centers_.tolist(),
            "labels": model.labels_.tolist(), "inertia": float(model.inertia_), "n_iter": int(model.n_iter_)}


def main() -> None:
    x = model_input()
    by_k = []
    k4_labels = None
    for k in K_RANGE:
        model = KMeans(n_clusters=k, n_init=10, random_state=0, algorithm="lloyd").fit(x)
        runs = []
        for random_state in RANDOM_STATES:
            run = model if random_state == 0 else KMeans(
                n_clusters=k, n_init=10, random_state=random_state, algorithm="lloyd").fit(x)
            runs.append({"random_state": random_state, "inertia": float(run.inertia_), **metrics(x, run.labels_)})
        by_k.append({"k": k, "inertia": float(model.inertia_), "n_iter": int(model.n_iter_),
                     "cluster_sizes": sorted(np.bincount(model.labels_).tolist(), reverse=True),
                     **metrics(x, model.labels_), "runs": runs})
        if k == 4:
            k4_labels = model.labels_
    out = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "input": "log1p(recency_days, frequency, monetary) of rfm-customers.csv, StandardScaler (ddof=0)",
        "kmeans": "KMeans(n_clusters=k, n_init=10, random_state=0, algorithm='lloyd')",
        "rows": int(x.shape[0]),
        "first_rows_scaled": x[:3].tolist(),
        "by_k": by_k,
        "k4": {"labels": k4_labels.tolist(), **metrics(x, k4_labels)},
        "small_cases": small_cases(),
        "empty_cluster_case": empty_cluster_case(),
    }
    OUTPUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
