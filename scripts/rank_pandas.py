#!/usr/bin/env python3
"""The pandas side of scripts/bench-vs-pandas.sh.

Ranks the files of `go run ./internal/synth/gen` as
`afkar rank --scores SCORES --projects projects.csv --format csv rubric.json`
does, in float64, and writes the same CSV columns:

    rank_pandas.py rubric.json projects.csv wide.csv|long.csv out.csv

With "-" for projects.csv, the projects are those of the scores, in order
of first appearance, with no region (as afkar rank without --projects).

It follows the rubric's mean aggregation, relative weights, quorum
(min_judges), rounding to its places, and the ranking's tie-break chain
criterion:<c>, submitted_at (the generated projects have none) and id,
competition ranks, group_by and top. It is a yardstick for speed and memory,
not an exact engine: float64 means, sums and round() can split or merge ties
that the exact engine decides otherwise.
"""
import json
import sys

import numpy as np
import pandas as pd


def main(rubric_path, projects_path, scores_path, out_path):
    with open(rubric_path) as f:
        ds = json.load(f)
    rubric, ranking = ds["rubric"], ds["ranking"]
    crit = [c["id"] for c in rubric["criteria"]]
    scale = rubric.get("scale", {})
    lo = np.array([float(c.get("min", scale.get("min", 0))) for c in rubric["criteria"]])
    hi = np.array([float(c.get("max", scale.get("max", 20))) for c in rubric["criteria"]])
    w = np.array([float(c["weight"]) for c in rubric["criteria"]])
    if rubric.get("weights") == "relative":
        w = w / w.sum()
    total_max = float(rubric.get("total_max", 100))
    places = rubric.get("rounding", {}).get("places", 2)
    min_judges = rubric.get("min_judges", 1)
    top = ranking.get("top", 0)
    by = [r.split(":", 1)[1] for r in ranking["tie_break"] if r.startswith("criterion:")]

    scores = pd.read_csv(scores_path, dtype={"project": str, "judge": str})
    if projects_path == "-":
        projects = pd.DataFrame({"id": scores["project"].unique(), "region": ""})
    else:
        projects = pd.read_csv(projects_path, dtype=str, keep_default_na=False)
    if "criterion" in scores.columns:  # long form
        g = scores.groupby(["project", "criterion"], sort=False)["score"]
        means = g.mean().unstack()[crit]
        counts = g.count().unstack()[crit].fillna(0)
    else:  # wide form
        g = scores.groupby("project", sort=False)
        means, counts = g[crit].mean(), g[crit].count()
    judges = scores.groupby("project", sort=False)["judge"].nunique()

    total = ((means - lo) / (hi - lo) * (w * total_max)).sum(axis=1)
    df = pd.DataFrame({"total": total.round(places)})
    for c in crit:
        df[c] = means[c].round(places)
    df["judges"] = judges
    df["eligible"] = (counts >= min_judges).all(axis=1)
    df = projects.set_index("id").join(df, how="left")
    df.index.name = "id"
    df = df.reset_index()

    ranked = df[df["eligible"]].sort_values(
        ["total"] + by + ["id"], ascending=[False] + [False] * len(by) + [True], kind="stable")
    n = len(ranked)
    ranked.insert(0, "rank", np.arange(1, n + 1))
    ranked["group_rank"] = ranked.groupby("region", sort=False).cumcount() + 1
    ranked["selected"] = ranked["group_rank"] <= top
    # What put each project ahead of the next: the total, a criterion, or
    # the id (unique, so the chain always decides).
    nxt = ranked.shift(-1)
    decided = np.where(ranked["total"] != nxt["total"], "total", "id")
    for c in reversed(by):
        decided = np.where((ranked["total"] == nxt["total"]) & (ranked[c] != nxt[c]), "criterion:" + c, decided)
    decided[-1:] = ""
    ranked["decided_by"] = decided

    rest = df[~df["eligible"]].copy()
    rest["selected"] = False
    out = pd.concat([ranked, rest])
    out["title"] = ""
    out["reasons"] = ""
    out = out.rename(columns={"region": "group"})
    cols = ["rank", "id", "title", "group", "group_rank", "total"] + crit + ["judges", "eligible", "selected", "decided_by", "reasons"]
    for c in ("rank", "group_rank", "judges"):
        out[c] = out[c].astype("Int64")
    out["eligible"] = out["eligible"].map({True: "true", False: "false"})
    out["selected"] = out["selected"].map({True: "true", False: "false"})
    out[cols].to_csv(out_path, index=False, float_format="%.{}f".format(places))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
