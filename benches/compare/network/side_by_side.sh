#!/usr/bin/env bash
# spyks, Brian2 and NEST on the same workloads in one run, alternating tool by tool so that
# all see the same machine load; prints a table of simulation times and ratios (the least
# of REPEATS runs each) and keeps the records in side_by_side.jsonl. Not part of CI.
#
#   bash benches/compare/network/side_by_side.sh hh pospischil biocm hh_lut pospischil_lut biocm_lut
#   REPEATS=3 N=4000 bash benches/compare/network/side_by_side.sh cuba coba
#   TOOLS="spyks brian2" bash benches/compare/network/side_by_side.sh hh
#
# N overrides the size (default: every size of workloads.json); a tool without a script for
# a workload (NEST has no pospischil, biocm, hh_lut; Brian2 no pospischil_lut, biocm_lut) is
# skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

bash benches/compare/network/setup.sh >&2
cargo build --release --example network_bench >&2
PY=bench-env-network/bin/python
HERE=benches/compare/network
REPEATS="${REPEATS:-1}"
TOOLS="${TOOLS:-spyks brian2 nest}"
OUT="$HERE/side_by_side.jsonl"
: > "$OUT"
for wl in "$@"; do
    sizes="${N:-$("$PY" -c "import json; print(*json.load(open('$HERE/workloads.json'))['$wl']['sizes'])")}"
    for n in $sizes; do
        for ((r = 1; r <= REPEATS; r++)); do
            for tool in $TOOLS; do
                echo "side_by_side.sh: $tool $wl N=$n (run $r of $REPEATS)" >&2
                if [ "$tool" = spyks ]; then
                    "${CARGO_TARGET_DIR:-target}/release/examples/network_bench" "$wl" "$n" >> "$OUT"
                elif [ -f "$HERE/${tool}_${wl}.py" ]; then
                    PYNEST_QUIET=1 "$PY" "$HERE/${tool}_${wl}.py" --n "$n" | tail -n1 >> "$OUT"
                fi
            done
        done
    done
done
"$PY" "$HERE/ratios.py" "$OUT"
