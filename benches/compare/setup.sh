#!/usr/bin/env bash
# Sets up spyks 0.7.0 (the Python original) in bench-env/ at the repo root, for the
# work-precision comparison. Idempotent: re-running it only fills in what is missing.
# Not part of CI.
#
#   bash benches/compare/setup.sh
#
# Needs: a C++ compiler, Boost headers (installed with apt-get when missing and run as root),
# and a Python 3.11 (spyks 0.7 is old; 3.11 is what our reference data was made with).
# Override the interpreter with PYTHON=/path/to/python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ENV_DIR="bench-env"

# Boost headers (odeint) for spyks' generated C++.
if [ ! -f /usr/include/boost/numeric/odeint.hpp ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y libboost-dev
    else
        echo "setup.sh: Boost headers missing (boost/numeric/odeint.hpp); install libboost-dev" >&2
        exit 1
    fi
fi
command -v c++ >/dev/null || { echo "setup.sh: no C++ compiler (c++) found" >&2; exit 1; }

# Python 3.11 preferred; any python3 as a last resort.
. benches/compare/venv.sh
FALLBACK_PYTHON="$(command -v python3 || true)" make_venv "$ENV_DIR" 3.11 3.12 3.13

if ! "$ENV_DIR/bin/python" -c 'import spyks, scipy, matplotlib, pybind11' 2>/dev/null; then
    "$ENV_DIR/bin/python" -m pip install --quiet --upgrade pip
    # pybind11 and setuptools are needed at run time by spykscc, which builds extension modules.
    "$ENV_DIR/bin/python" -m pip install --quiet pybind11 setuptools numpy scipy matplotlib
    "$ENV_DIR/bin/python" -m pip install --quiet "spyks==0.7.0"
fi
"$ENV_DIR/bin/python" -c 'import spyks, scipy, matplotlib; print("setup.sh: spyks", getattr(spyks, "__version__", "0.7.0"), "scipy", scipy.__version__, "matplotlib", matplotlib.__version__)'
