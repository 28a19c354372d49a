#!/usr/bin/env bash
# bench-vs-duckdb.sh: `afkar rank` on CSV against DuckDB and pandas on the
# same files, side by side (issue 13).
#
#   scripts/bench-vs-duckdb.sh [PROJECTS] [RUNS] [FORMS]
#
# PROJECTS (default 1000000) projects × 5 criteria × 5 judges are generated
# once into $AFKAR_BENCH_DIR (default /tmp/afkar-duckdb-PROJECTS) by
# `go run ./internal/synth/gen -criteria 5`: the wide form has PROJECTS × 5
# rows, the long form PROJECTS × 25. FORMS (default "wide long") says which
# to rank. Each tool ranks each form RUNS times (default 3), in turn, as
#
#   afkar rank --scores FORM.csv --format csv -o out.csv rubric.json
#
# (no projects file), and the script prints the median wall time and peak
# RSS of each, afkar's ratios to each peer, and the number of output rows
# where each float64 tool's CSV differs from afkar's exact one.
#
# DuckDB is npm's @duckdb/node-api, pinned below, installed into a scratch
# folder ($DUCKDB_DIR, default /tmp/afkar-duckdb-npm) by npm and run by
# scripts/rank_duckdb.js; without node and npm, or when the registry cannot
# be reached, DuckDB is skipped with a message. pandas is Debian's
# python3-pandas run by scripts/rank_pandas.py (skipped when missing). Peak
# RSS comes from GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

projects=${1:-1000000}
runs=${2:-3}
forms=${3:-wide long}
dir=${AFKAR_BENCH_DIR:-/tmp/afkar-duckdb-$projects}
duckdir=${DUCKDB_DIR:-/tmp/afkar-duckdb-npm}
duckdb_version=1.5.6-r.1
py=${PYTHON:-/usr/bin/python3}

if ! /usr/bin/time -f %e true 2>/dev/null; then
  echo "bench-vs-duckdb: skipped: GNU time is missing (apt-get install time)"
  exit 0
fi
tools=(afkar)
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -d "$duckdir/node_modules/@duckdb/node-api" ]; then
    mkdir -p "$duckdir"
    (cd "$duckdir" && [ -f package.json ] || (cd "$duckdir" && npm init -y >/dev/null))
    if ! (cd "$duckdir" && npm install --no-audit --no-fund "@duckdb/node-api@$duckdb_version" >/dev/null 2>&1); then
      echo "bench-vs-duckdb: DuckDB skipped: npm could not install @duckdb/node-api@$duckdb_version (registry unreachable?)"
    fi
  fi
  if [ -d "$duckdir/node_modules/@duckdb/node-api" ]; then
    cp scripts/rank_duckdb.js "$duckdir/"
    tools+=(duckdb)
  fi
else
  echo "bench-vs-duckdb: DuckDB skipped: no node and npm"
fi
if "$py" -c 'import pandas' 2>/dev/null; then
  tools+=(pandas)
else
  echo "bench-vs-duckdb: pandas skipped: no pandas for $py (apt-get install python3-pandas, or set PYTHON)"
fi

if [ ! -f "$dir/long.csv" ]; then
  echo "generating $projects projects into $dir"
  go run ./internal/synth/gen -projects "$projects" -criteria 5 -dir "$dir"
fi
go build -o "$dir/afkar" ./cmd/afkar

# measure NAME CMD...: one run, appending "seconds kilobytes" to $dir/NAME.times
measure() {
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$dir/$name.one" "$@" >/dev/null
  cat "$dir/$name.one" >>"$dir/$name.times"
}

median() { # column of $dir/NAME.times
  sort -n -k"$2" "$dir/$1.times" | awk -v c="$2" '{v[NR]=$c} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
}

run() { # TOOL FORM
  local out="$dir/$1-$2.csv"
  case $1 in
  afkar) measure "$1-$2" "$dir/afkar" rank --scores "$dir/$2.csv" --format csv -o "$out" "$dir/rubric.json" ;;
  duckdb) measure "$1-$2" node "$duckdir/rank_duckdb.js" "$dir/rubric.json" "$dir/$2.csv" "$out" ;;
  pandas) measure "$1-$2" "$py" scripts/rank_pandas.py "$dir/rubric.json" - "$dir/$2.csv" "$out" ;;
  esac
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg); $(go version)"
echo "tools: ${tools[*]}; data: $dir ($projects projects × 5 criteria × 5 judges)"
printf '%-6s %-7s %10s %12s\n' form tool "median s" "median MB"
for form in $forms; do
  for tool in "${tools[@]}"; do rm -f "$dir/$tool-$form.times"; done
  for _ in $(seq "$runs"); do
    for tool in "${tools[@]}"; do run "$tool" "$form"; done
  done
  for tool in "${tools[@]}"; do
    printf '%-6s %-7s %10s %12s\n' "$form" "$tool" "$(median "$tool-$form" 1)" "$(awk "BEGIN {printf \"%.0f\", $(median "$tool-$form" 2)/1024}")"
  done
  for tool in "${tools[@]:1}"; do
    awk -v a="$(median "afkar-$form" 1)" -v p="$(median "$tool-$form" 1)" -v ra="$(median "afkar-$form" 2)" -v rp="$(median "$tool-$form" 2)" -v f="$form" -v t="$tool" \
      'BEGIN {printf "%-6s afkar takes %.2fx the time of %s (%.2fx its speed), with %.2fx its peak RSS\n", f, a/p, t, p/a, ra/rp}'
    differ=$(diff "$dir/afkar-$form.csv" "$dir/$tool-$form.csv" | grep -c '^>' || true)
    echo "$form: rows where $tool (float64) differs from afkar's exact CSV: $differ of $(($(wc -l <"$dir/afkar-$form.csv") - 1))"
  done
done
