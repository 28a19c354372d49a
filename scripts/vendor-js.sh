#!/usr/bin/env bash
# vendor-js.sh: re-fetch the browser page's vendored JavaScript libraries
# from the npm registry at their pinned versions, so that the files under
# wasm/widget/static/vendor/ are reproducible.
#
#   scripts/vendor-js.sh           # rewrite the vendored files
#   scripts/vendor-js.sh --check   # fetch, compare, exit 1 on a difference
#
# For each pin it runs `npm pack NAME@VERSION` into a temporary folder,
# checks the tarball's SHA-512 against the pinned npm integrity (computed
# here, not taken from npm's word), and copies the listed files verbatim
# into vendor/<dir>/, with a README.md naming the package, version,
# integrity, licence and the SHA-256 of every copied file. Nothing is
# built or minified: the files are the package's own.
#
# Needs node and npm (Debian: apt-get install nodejs npm).
set -euo pipefail
cd "$(dirname "$0")/.."

vendor=wasm/widget/static/vendor

# One pin a line: name, version, integrity, folder under vendor/, licence,
# then the files to copy as FROM:TO (paths inside the package tarball).
pins=(
  "@paulmillr/qr 0.3.0 sha512-3s/cagXuoXTA2gWSfSfJNanNgm2ifmqgoX8WLOs5//3qrIJ3WWHFjqFqCxvYGf46Afwv6PctT9eAOXLDGwp96Q== paulmillr-qr-0.3.0 (MIT_OR_Apache-2.0) esm/index.js:index.js esm/decode.js:decode.js LICENSE:LICENSE LICENSE-MIT:LICENSE-MIT"
)

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sha512() { node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"; }
sha256() { node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).digest("hex"))' "$1"; }

status=0
for pin in "${pins[@]}"; do
  read -r name version integrity dir licence files <<<"$pin"
  licence=${licence//_/ }
  work="$tmp/$dir"
  mkdir -p "$work/pack" "$work/out"
  tgz=$(cd "$work/pack" && npm pack --silent --ignore-scripts "$name@$version")
  got=$(sha512 "$work/pack/$tgz")
  if [ "$got" != "$integrity" ]; then
    echo "vendor-js: $name@$version: integrity $got, pinned $integrity" >&2
    exit 1
  fi
  tar -xzf "$work/pack/$tgz" -C "$work/pack"
  {
    echo "# $name $version"
    echo
    echo "Vendored verbatim from the npm package by scripts/vendor-js.sh; do not edit."
    echo
    echo "- package: \`$name\`"
    echo "- version: $version"
    echo "- npm integrity of the tarball: \`$integrity\`"
    echo "- licence: $licence (the texts are the LICENSE files here)"
    echo
    echo "| file | from the package | SHA-256 |"
    echo "|---|---|---|"
  } >"$work/out/README.md"
  for pair in $files; do
    from=${pair%%:*} to=${pair#*:}
    cp "$work/pack/package/$from" "$work/out/$to"
    echo "| $to | $from | \`$(sha256 "$work/out/$to")\` |" >>"$work/out/README.md"
  done
  if $check; then
    if diff -r "$work/out" "$vendor/$dir" >/dev/null; then
      echo "vendor-js: $name@$version: $vendor/$dir matches"
    else
      echo "vendor-js: $name@$version: $vendor/$dir differs from the package:" >&2
      diff -r "$work/out" "$vendor/$dir" | head -20 >&2 || true
      status=1
    fi
  else
    rm -rf "${vendor:?}/$dir"
    mkdir -p "$vendor/$dir"
    cp "$work/out/"* "$vendor/$dir/"
    echo "vendor-js: $name@$version -> $vendor/$dir ($(cat "$vendor/$dir"/*.js | wc -c) bytes of JavaScript)"
  fi
done
exit $status
