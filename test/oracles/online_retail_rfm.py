#!/usr/bin/python3
"""Trusted pandas oracle for RFM (Recency / Frequency / Monetary) on UCI Online Retail.

Usage (from the repository root):

    /usr/bin/python3 test/oracles/online_retail_rfm.py [path/to/online_retail.csv.gz]

Default input: /work/shared/datasets/online-retail/online_retail.csv.gz
Outputs (overwritten, byte-identical on rerun):
    test/fixtures/online-retail/rfm-oracle.json
    test/fixtures/online-retail/rfm-customers.csv

The TypeScript/DuckDB implementation must reproduce these rules exactly.

Parsing
-------
* Every column is read as text (no NA inference). "Empty" means the empty string
  (DuckDB: NULL or ''). Quantity -> int64, UnitPrice -> float64 (correctly rounded
  decimal -> double), InvoiceDate 'YYYY-MM-DD HH:MM:SS' -> naive timestamp (UTC).
* CustomerID is written as a float, e.g. '17850.0'.

1. Row accounting (raw file), filters applied IN THIS ORDER, each counting only rows
   still present:
     a. CustomerID empty                  -> rows.no_customer
     b. InvoiceNo starts with 'C'         -> rows.cancellation
     c. Quantity <= 0                     -> rows.non_positive_quantity
     d. UnitPrice <= 0                    -> rows.non_positive_price
   rows.kept = rows.raw - (a + b + c + d).
   Separately (on the raw file): cancellations_with_customer.rows = #rows with
   CustomerID non-empty AND InvoiceNo starting with 'C'; .invoices = #distinct such
   InvoiceNo.
   No de-duplication of identical rows is performed.

2. Kept rows: customer_id = str(int(CustomerID)) (e.g. '17850');
   line revenue = Quantity * UnitPrice (double).

3. snapshot = date_trunc('day', max(InvoiceDate) over kept rows) + 1 day, i.e. midnight
   of the day after the last kept invoice line.

4. Per customer:
     recency_days = floor((snapshot - max(InvoiceDate)) / 1 day)   (pandas Timedelta.days;
                    == floor(epoch_seconds_diff / 86400); since no kept line is at exactly
                    00:00:00 this equals date_diff('day', last_date, snapshot_date) - 1)
     frequency    = count(DISTINCT InvoiceNo)
     monetary     = sum(line revenue)

5. Scores 1..5. Customers are first sorted by customer_id as a STRING ascending (this
   is the tie-breaker). n = number of customers.
     R: rank = row_number() over (order by recency_days DESC, customer_id ASC)
     F: rank = row_number() over (order by frequency ASC,     customer_id ASC)
     M: rank = row_number() over (order by round(monetary, 4) ASC, customer_id ASC)
   (pandas: Series.rank(method='first', ascending=...) on the customer_id-sorted frame.)
   score = pd.qcut(rank, 5, labels=[1, 2, 3, 4, 5]), which is asserted here to equal
   the integer closed form
       score = max(1, ceil(5 * (rank - 1) / (n - 1)))
             = max(1, (5 * (rank - 1) + (n - 1) - 1) // (n - 1))
   So the most recent customers get r_score 5, the most frequent f_score 5, the
   highest spenders m_score 5.

6. Segment from (r_score, f_score) via regex full-match on f"{r}{f}":
     [1-2][1-2] Hibernating        | [1-2][3-4] At Risk       | [1-2]5 Can't Lose Them
     3[1-2]     About to Sleep     | 33         Need Attention | [3-4][4-5] Loyal Customers
     41         Promising          | 51         New Customers  | [4-5][2-3] Potential Loyalists
     5[4-5]     Champions
   (The 10 patterns partition all 25 (r, f) pairs; asserted.)

7. Outputs
   rfm-oracle.json (sorted keys, 2-space indent):
     generated_by, pandas_version, dataset_sha256_gz,
     rows{raw,no_customer,cancellation,non_positive_quantity,non_positive_price,kept},
     cancellations_with_customer{rows,invoices}, customers, invoices (distinct kept
     InvoiceNo), revenue (float sum of all kept line revenues, pandas summation order),
     revenue_2dp (round(revenue, 2)), revenue_exact (exact decimal string, computed in
     integer thousandths of a pound; every UnitPrice has <= 3 decimals),
     snapshot (ISO 'YYYY-MM-DDTHH:MM:SS'),
     medians{recency_days,frequency,monetary}, means{recency_days,frequency,monetary}
       (medians: pandas median over customers, monetary median rounded to 4 dp;
        means rounded to 6 dp; compare floats with a tolerance, not bitwise),
     rfm_cells{"<r><f><m>": count} (non-empty cells only), segments{name: count}.
   rfm-customers.csv: customer_id,recency_days,frequency,monetary,r_score,f_score,
     m_score,segment; monetary = round(monetary, 4) printed with '%.4f'; sorted by
     customer_id (string ascending); '\n' line endings; segment quoted only when needed.
"""
import hashlib
import json
import os
import re
import sys
import time
from decimal import Decimal

import pandas as pd

DEFAULT_PATH = "/work/shared/datasets/online-retail/online_retail.csv.gz"
OUT_DIR = os.path.join("test", "fixtures", "online-retail")

SEGMENT_MAP = {
    r"[1-2][1-2]": "Hibernating",
    r"[1-2][3-4]": "At Risk",
    r"[1-2]5": "Can't Lose Them",
    r"3[1-2]": "About to Sleep",
    r"33": "Need Attention",
    r"[3-4][4-5]": "Loyal Customers",
    r"41": "Promising",
    r"51": "New Customers",
    r"[4-5][2-3]": "Potential Loyalists",
    r"5[4-5]": "Champions",
}


def segment_of(rf: str) -> str:
    hits = [name for pat, name in SEGMENT_MAP.items() if re.fullmatch(pat, rf)]
    assert len(hits) == 1, (rf, hits)
    return hits[0]


def closed_form_score(rank: pd.Series, n: int) -> pd.Series:
    r = rank.astype("int64")
    return ((5 * (r - 1) + (n - 1) - 1) // (n - 1)).clip(lower=1).astype("int64")


def score(rank: pd.Series, n: int, name: str) -> pd.Series:
    q = pd.qcut(rank, 5, labels=[1, 2, 3, 4, 5]).astype("int64")
    cf = closed_form_score(rank, n)
    mismatch = int((q != cf).sum())
    assert mismatch == 0, f"{name}: qcut and closed form disagree on {mismatch} customers"
    return q


def main() -> None:
    t0 = time.time()
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PATH

    with open(path, "rb") as fh:
        sha_gz = hashlib.sha256(fh.read()).hexdigest()

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected_cols = ["InvoiceNo", "StockCode", "Description", "Quantity",
                     "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
    assert list(raw.columns) == expected_cols, list(raw.columns)

    qty = raw["Quantity"].astype("int64")
    price = raw["UnitPrice"].astype("float64")
    is_c = raw["InvoiceNo"].str.startswith("C")
    has_cust = raw["CustomerID"] != ""

    # ---- 1. row accounting, ordered filters ----
    n_raw = len(raw)
    alive = pd.Series(True, index=raw.index)
    counts = {}
    for key, drop in [
        ("no_customer", ~has_cust),
        ("cancellation", is_c),
        ("non_positive_quantity", qty <= 0),
        ("non_positive_price", price <= 0),
    ]:
        d = alive & drop
        counts[key] = int(d.sum())
        alive &= ~d
    counts["raw"] = n_raw
    counts["kept"] = int(alive.sum())
    assert counts["kept"] == n_raw - sum(
        counts[k] for k in ("no_customer", "cancellation", "non_positive_quantity", "non_positive_price"))

    cwc = has_cust & is_c
    cancellations_with_customer = {
        "rows": int(cwc.sum()),
        "invoices": int(raw.loc[cwc, "InvoiceNo"].nunique()),
    }

    # ---- 2. kept rows ----
    k = raw.loc[alive].copy()
    assert k["CustomerID"].str.fullmatch(r"\d+\.0").all(), "unexpected CustomerID format"
    assert k["InvoiceDate"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    k["customer_id"] = k["CustomerID"].astype("float64").astype("int64").astype(str)
    k["qty"] = qty[alive]
    k["price"] = price[alive]
    k["revenue"] = k["qty"] * k["price"]
    k["ts"] = pd.to_datetime(k["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
    # exact revenue in thousandths of a pound (all prices have <= 3 decimals)
    assert k["UnitPrice"].str.fullmatch(r"\d+(\.\d{1,3})?").all()
    k["price_milli"] = k["UnitPrice"].map(lambda s: int(Decimal(s) * 1000))
    k["rev_milli"] = k["qty"] * k["price_milli"]

    # ---- 3. snapshot ----
    snapshot = k["ts"].max().normalize() + pd.Timedelta(days=1)

    # ---- 4. per customer ----
    g = k.groupby("customer_id", sort=False)
    cust = pd.DataFrame({
        "last_ts": g["ts"].max(),
        "frequency": g["InvoiceNo"].nunique(),
        "monetary": g["revenue"].sum(),
        "monetary_milli": g["rev_milli"].sum(),
    })
    cust.index.name = "customer_id"
    cust = cust.reset_index()
    cust["recency_days"] = (snapshot - cust["last_ts"]).dt.days.astype("int64")
    # float monetary, rounded to 4 dp, must equal the exact value
    exact = cust["monetary_milli"] / 1000.0
    assert ((cust["monetary"].round(4) - exact).abs() < 1e-6).all()

    # ---- 5. scores (customer_id string ascending is the tie-breaker) ----
    cust = cust.sort_values("customer_id", kind="mergesort").reset_index(drop=True)
    n = len(cust)
    cust["monetary_r4"] = cust["monetary"].round(4)
    r_rank = cust["recency_days"].rank(method="first", ascending=False)
    f_rank = cust["frequency"].rank(method="first")
    m_rank = cust["monetary_r4"].rank(method="first")
    cust["r_score"] = score(r_rank, n, "R")
    cust["f_score"] = score(f_rank, n, "F")
    cust["m_score"] = score(m_rank, n, "M")

    # ---- 6. segments ----
    for r in range(1, 6):
        for f in range(1, 6):
            segment_of(f"{r}{f}")  # asserts the map is a partition
    rf = cust["r_score"].astype(str) + cust["f_score"].astype(str)
    cust["segment"] = rf.map(segment_of)
    rfm = rf + cust["m_score"].astype(str)

    # ---- 7. outputs ----
    os.makedirs(OUT_DIR, exist_ok=True)
    revenue = float(k["revenue"].sum())
    total_milli = int(k["rev_milli"].sum())
    revenue_exact = str(Decimal(total_milli) / Decimal(1000))
    assert abs(revenue - total_milli / 1000.0) < 1e-3

    def num(x, nd=None):
        x = float(x)
        if nd is not None:
            x = round(x, nd)
        return int(x) if x.is_integer() else x

    oracle = {
        "generated_by": "test/oracles/online_retail_rfm.py",
        "pandas_version": pd.__version__,
        "dataset_sha256_gz": sha_gz,
        "rows": counts,
        "cancellations_with_customer": cancellations_with_customer,
        "customers": int(n),
        "invoices": int(k["InvoiceNo"].nunique()),
        "revenue": revenue,
        "revenue_2dp": round(revenue, 2),
        "revenue_exact": revenue_exact,
        "snapshot": snapshot.isoformat(),
        "medians": {
            "recency_days": num(cust["recency_days"].median()),
            "frequency": num(cust["frequency"].median()),
            "monetary": num(cust["monetary"].median(), 4),
        },
        "means": {
            "recency_days": num(cust["recency_days"].mean(), 6),
            "frequency": num(cust["frequency"].mean(), 6),
            "monetary": num(cust["monetary"].mean(), 6),
        },
        "rfm_cells": {key: int(v) for key, v in sorted(rfm.value_counts().items())},
        "segments": {key: int(v) for key, v in sorted(cust["segment"].value_counts().items())},
    }
    assert sum(oracle["rfm_cells"].values()) == n
    assert sum(oracle["segments"].values()) == n

    json_path = os.path.join(OUT_DIR, "rfm-oracle.json")
    with open(json_path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(oracle, fh, sort_keys=True, indent=2, ensure_ascii=False)
        fh.write("\n")

    out = pd.DataFrame({
        "customer_id": cust["customer_id"],
        "recency_days": cust["recency_days"],
        "frequency": cust["frequency"],
        "monetary": cust["monetary_r4"],
        "r_score": cust["r_score"],
        "f_score": cust["f_score"],
        "m_score": cust["m_score"],
        "segment": cust["segment"],
    })
    csv_path = os.path.join(OUT_DIR, "rfm-customers.csv")
    out.to_csv(csv_path, index=False, float_format="%.4f", lineterminator="\n")

    print(f"rows: {counts}")
    print(f"cancellations_with_customer: {cancellations_with_customer}")
    print(f"customers={n} invoices={oracle['invoices']} revenue={revenue_exact}")
    print(f"snapshot={snapshot.isoformat()}")
    print(f"medians={oracle['medians']} means={oracle['means']}")
    top = sorted(oracle["segments"].items(), key=lambda kv: (-kv[1], kv[0]))
    print("segments: " + ", ".join(f"{a}={b}" for a, b in top))
    print(f"wrote {json_path}, {csv_path} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
