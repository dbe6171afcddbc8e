#!/usr/bin/python3
"""scikit-learn's side of bench/dbscan, run as its own process by run.ts.

Argument: the JSON request of sides.ts. Reads the points with numpy.fromfile (raw
little-endian float64) and runs DBSCAN(eps, min_samples, algorithm='kd_tree',
n_jobs=-1).fit(X): a KDTree radius query per point (on every core), which keeps every
neighbourhood in memory, then dbscan_inner. Prints one JSON line; the labels' sha256
(little-endian int32) is comparable with segflow's.
"""
import hashlib
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN


def main() -> None:
    request = json.loads(sys.argv[1])
    x = np.fromfile(request["path"], dtype="<f8").reshape(request["rows"], request["columns"])
    started = time.perf_counter()
    cpu_started = time.process_time()
    labels = DBSCAN(eps=request["eps"], min_samples=request["minSamples"], algorithm="kd_tree", n_jobs=-1).fit(x).labels_
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    clusters = int(labels.max()) + 1 if labels.size else 0
    print(json.dumps({
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "clusters": clusters,
        "noise": int((labels == -1).sum()),
        "labelsSha256": hashlib.sha256(labels.astype("<i4").tobytes()).hexdigest(),
    }))


if __name__ == "__main__":
    main()
