#!/usr/bin/env bash
# bench-vs-pandas.sh: the CSV pipeline of `afkar rank` against pandas on the
# same files, side by side (issue 6).
#
#   scripts/bench-vs-pandas.sh [PROJECTS] [RUNS]
#
# PROJECTS (default 1000000) projects × 6 criteria × 5 judges are generated
# once into $AFKAR_BENCH_DIR (default /tmp/afkar-bench-PROJECTS) by
# `go run ./internal/synth/gen`: the wide form has PROJECTS × 5 rows, the
# long form PROJECTS × 30. Each tool then ranks each form RUNS times
# (default 3), alternating, and the script prints the median wall time and
# peak RSS of each, and the ratios. pandas is Debian's python3-pandas
# (apt-get install python3-pandas), run by /usr/bin/python3 unless $PYTHON
# says otherwise; without it the script says so and stops. Peak RSS comes
# from GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

projects=${1:-1000000}
runs=${2:-3}
dir=${AFKAR_BENCH_DIR:-/tmp/afkar-bench-$projects}
py=${PYTHON:-/usr/bin/python3}

if ! "$py" -c 'import pandas' 2>/dev/null; then
  echo "bench-vs-pandas: skipped: no pandas for $py (apt-get install python3-pandas, or set PYTHON)"
  exit 0
fi
if ! /usr/bin/time -f %e true 2>/dev/null; then
  echo "bench-vs-pandas: skipped: GNU time is missing (apt-get install time)"
  exit 0
fi

if [ ! -f "$dir/long.csv" ]; then
  echo "generating $projects projects into $dir"
  go run ./internal/synth/gen -projects "$projects" -dir "$dir"
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

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB; $(go version); pandas $("$py" -c 'import pandas; print(pandas.__version__)')"
echo "data: $dir ($projects projects)"
printf '%-6s %-7s %10s %12s\n' form tool "median s" "median MB"
for form in wide long; do
  rm -f "$dir"/afkar-$form.times "$dir"/pandas-$form.times
  for _ in $(seq "$runs"); do
    measure afkar-$form "$dir/afkar" rank --scores "$dir/$form.csv" --projects "$dir/projects.csv" --format csv -o "$dir/afkar-$form.csv" "$dir/rubric.json"
    measure pandas-$form "$py" scripts/rank_pandas.py "$dir/rubric.json" "$dir/projects.csv" "$dir/$form.csv" "$dir/pandas-$form.csv"
  done
  for tool in afkar pandas; do
    printf '%-6s %-7s %10s %12s\n' "$form" "$tool" "$(median $tool-$form 1)" "$(awk "BEGIN {printf \"%.0f\", $(median $tool-$form 2)/1024}")"
  done
  awk -v a="$(median afkar-$form 1)" -v p="$(median pandas-$form 1)" -v ra="$(median afkar-$form 2)" -v rp="$(median pandas-$form 2)" -v f="$form" \
    'BEGIN {printf "%-6s afkar is %.2fx faster than pandas, with %.2fx its peak RSS\n", f, p/a, ra/rp}'
  differ=$(diff "$dir/afkar-$form.csv" "$dir/pandas-$form.csv" | grep -c '^>' || true)
  echo "$form: rows where pandas (float64) differs from afkar's exact CSV: $differ"
done
