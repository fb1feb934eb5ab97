#!/usr/bin/env bash
# The network comparison, Brian2 (C++ standalone, one thread) against NEST (one thread), on
# every workload and size of workloads.json (pospischil and biocm: Brian2 only). Writes results.json (one record per
# tool/workload/N; the least simulation time over REPEATS runs) and results.md.
# Not part of CI; run it on a quiet machine.
#
#   bash benches/compare/network/run.sh                 # everything (about 10 minutes)
#   REPEATS=3 bash benches/compare/network/run.sh       # best of three
#   bash benches/compare/network/run.sh cuba hh         # some workloads only
#   TOOLS=brian2 bash benches/compare/network/run.sh
#
# Reference rates for the tests are made separately by reference_rates.py.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

bash benches/compare/network/setup.sh
PY=bench-env-network/bin/python
HERE=benches/compare/network
REPEATS="${REPEATS:-1}"
TOOLS="${TOOLS:-brian2 nest}"
WORKLOADS="${*:-cuba coba izhikevich hh}"
RAW="$HERE/results.raw.jsonl"
: > "$RAW"
for wl in $WORKLOADS; do
    for n in $("$PY" -c "import json; print(*json.load(open('$HERE/workloads.json'))['$wl']['sizes'])"); do
        for ((r = 1; r <= REPEATS; r++)); do
            for tool in $TOOLS; do
                # pospischil and biocm have no NEST model: Brian2 only.
                [ -f "$HERE/${tool}_${wl}.py" ] || continue
                echo "run.sh: $tool $wl N=$n (run $r of $REPEATS)" >&2
                PYNEST_QUIET=1 "$PY" "$HERE/${tool}_${wl}.py" --n "$n" | tail -n1 >> "$RAW"
            done
        done
    done
done
"$PY" "$HERE/summarize.py" "$RAW"
rm -f "$RAW"
