#!/usr/bin/python3
"""scikit-learn's side of bench/kmeans, run as its own process by run.ts.

Argument: the same JSON request as segflow-side.ts. Reads the points with
numpy.fromfile (raw little-endian float64, rows x columns) and prints one JSON line.

fit:         KMeans(n_clusters=k, init='k-means++', n_init=1, algorithm='lloyd',
             random_state=seed).fit(X), once per seed. Default tol (1e-4, relative)
             and max_iter (300), as segflow's defaults. k-means++ is sklearn's greedy
             variant with 2 + floor(ln k) local trials per centre on all rows.
k-selection: for k in kMin..kMax: the same KMeans with n_init = kSelectionNInit
             (random_state = first seed), then
             silhouette_score(X, labels, sample_size, random_state=0),
             calinski_harabasz_score and davies_bouldin_score on all rows.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score


def threads() -> int:
    try:
        from threadpoolctl import threadpool_info
        return max((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "openmp"), default=0)
    except Exception:  # threadpoolctl is optional
        return 0


def main() -> None:
    request = json.loads(sys.argv[1])
    x = np.fromfile(request["path"], dtype="<f8").reshape(request["rows"], request["columns"])
    seeds = request["seeds"]
    if request["mode"] == "fit":
        fits = []
        for seed in seeds:
            started = time.perf_counter()
            model = KMeans(n_clusters=request["k"], init="k-means++", n_init=1, algorithm="lloyd",
                           random_state=seed).fit(x)
            fits.append({"seed": seed, "ms": (time.perf_counter() - started) * 1000,
                         "inertia": float(model.inertia_), "iterations": int(model.n_iter_),
                         "threads": threads()})
        print(json.dumps({"fits": fits, "sklearn": sklearn.__version__}))
        return

    started = time.perf_counter()
    rows = []
    for k in range(request["kMin"], request["kMax"] + 1):
        model = KMeans(n_clusters=k, init="k-means++", n_init=request["kSelectionNInit"], algorithm="lloyd",
                       random_state=seeds[0]).fit(x)
        rows.append({
            "k": k,
            "inertia": float(model.inertia_),
            "silhouette": float(silhouette_score(x, model.labels_, sample_size=request["silhouetteSampleSize"],
                                                 random_state=0)),
            "calinskiHarabasz": float(calinski_harabasz_score(x, model.labels_)),
            "daviesBouldin": float(davies_bouldin_score(x, model.labels_)),
        })
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "threads": threads(), "rows": rows,
                      "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
