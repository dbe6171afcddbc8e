#!/usr/bin/python3
"""scikit-learn's side of bench/ward, run as its own process by run.ts.

Argument: the JSON request of sides.ts. Reads the points with numpy.fromfile (raw
little-endian float64) and builds the exact Ward tree once with
AgglomerativeClustering(n_clusters=2, linkage='ward', compute_full_tree=True) (scipy's
nn_chain on the condensed distance matrix: n(n-1)/2 doubles), then cuts that tree at
every k with sklearn's own _hc_cut, the cut fit_predict would make. Prints one JSON line.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.cluster._agglomerative import _hc_cut


def main() -> None:
    request = json.loads(sys.argv[1])
    x = np.fromfile(request["path"], dtype="<f8").reshape(request["rows"], request["columns"])
    started = time.perf_counter()
    cpu_started = time.process_time()
    model = AgglomerativeClustering(n_clusters=2, linkage="ward", compute_full_tree=True).fit(x)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    sizes = {}
    for k in request["ks"]:
        labels = _hc_cut(k, model.children_, request["rows"])
        sizes[str(k)] = sorted(int(c) for c in np.bincount(labels))
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "sizesByK": sizes}))


if __name__ == "__main__":
    main()
