#!/usr/bin/env bash
# The whole work-precision comparison with spyks 0.7 in one go (not part of CI):
#   1. setup.sh: spyks 0.7.0 in bench-env/ (idempotent);
#   2. spyks_bench.py: compiles the models with spyks' spykscc, writes the reference solutions
#      and ${CARGO_TARGET_DIR:-target}/bench-compare/spyks.csv;
#   3. cargo bench --bench work_precision: our methods, writes .../spyks-rs.csv;
#   4. steps 2 and 3 again, ROUNDS times in all (default 2), alternating, so that a busy spell
#      of the machine does not favour one side; each time kept is the least over the rounds;
#   5. plot.py: docs/work-precision.png and docs/work-precision.md.
#
#   bash benches/compare/run.sh              # full sweep (about 5 minutes per round)
#   bash benches/compare/run.sh --quick      # one setting per method, one round; output in target/
#   ROUNDS=3 bash benches/compare/run.sh --models hh
#
# Run it on a quiet machine: both sides are timed in the same run and reported as ratios.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

OUT_DIR=docs
ROUNDS="${ROUNDS:-2}"
for a in "$@"; do
    if [ "$a" = "--quick" ]; then OUT_DIR="${CARGO_TARGET_DIR:-target}/bench-compare"; ROUNDS=1; fi
done
DATA="${CARGO_TARGET_DIR:-target}/bench-compare"

bash benches/compare/setup.sh
PY=bench-env/bin/python
mkdir -p "$DATA"
rm -f "$DATA"/spyks.round*.csv "$DATA"/spyks-rs.round*.csv
for ((i = 1; i <= ROUNDS; i++)); do
    echo "run.sh: round $i of $ROUNDS"
    "$PY" benches/compare/spyks_bench.py "$@"
    mv "$DATA/spyks.csv" "$DATA/spyks.round$i.csv"
    cargo bench --bench work_precision -- "$@"
    mv "$DATA/spyks-rs.csv" "$DATA/spyks-rs.round$i.csv"
done
"$PY" benches/compare/plot.py --merge-rounds --out-dir "$OUT_DIR"
