#!/usr/bin/env bash
# Creates bench-env-network/ at the repo root (git-ignored) with Python 3.13, Brian2 2.11,
# NEST 3.10 (PyPI wheel nest-simulator), numpy, PyYAML and lut4brian, for the network comparison.
# Idempotent: re-running it only fills in what is missing. Not part of CI.
#
#   bash benches/compare/network/setup.sh
#
# Needs a C++ compiler (Brian2's C++ standalone mode). Override the interpreter with
# PYTHON=/path/to/python3.13.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
ENV_DIR="bench-env-network"

command -v c++ >/dev/null || command -v g++ >/dev/null || {
    echo "setup.sh: no C++ compiler found (Brian2's standalone mode needs one)" >&2
    exit 1
}

. benches/compare/venv.sh
make_venv "$ENV_DIR" 3.13

if ! "$ENV_DIR/bin/python" -c 'import brian2, nest, numpy, Cython' 2>/dev/null; then
    "$ENV_DIR/bin/python" -m pip install --quiet --upgrade pip
    "$ENV_DIR/bin/python" -m pip install --quiet numpy cython "brian2==2.11.*"
    "$ENV_DIR/bin/python" -m pip install --quiet "nest-simulator==3.10.*"
fi
if ! "$ENV_DIR/bin/python" -c 'import yaml' 2>/dev/null; then
    "$ENV_DIR/bin/python" -m pip install --quiet pyyaml
fi
if ! "$ENV_DIR/bin/python" -c 'import lut4brian' 2>/dev/null; then
    "$ENV_DIR/bin/python" -m pip install --quiet lut4brian ||
        echo "setup.sh: lut4brian did not install (optional)" >&2
fi
PYNEST_QUIET=1 "$ENV_DIR/bin/python" -c '
import brian2, nest, numpy, importlib.metadata as m
print("setup.sh: brian2", brian2.__version__, "nest", nest.__version__, "numpy", numpy.__version__,
      "lut4brian", m.version("lut4brian") if m.packages_distributions().get("lut4brian") else "missing")'
