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

pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    if command -v pyenv >/dev/null; then
        for v in 3.11 3.12 3.13; do
            p="$(pyenv root)/versions/$(pyenv versions --bare | grep -E "^${v//./\\.}(\.[0-9]+)?$" | sort -V | tail -n1)/bin/python3"
            if [ -x "$p" ]; then echo "$p"; return; fi
        done
    fi
    for c in python3.11 python3.12 python3.13 python3; do
        if command -v "$c" >/dev/null; then command -v "$c"; return; fi
    done
    echo "setup.sh: no Python 3 found" >&2; exit 1
}

if [ ! -x "$ENV_DIR/bin/python" ]; then
    PY="$(pick_python)"
    echo "setup.sh: creating $ENV_DIR with $("$PY" --version)"
    "$PY" -m venv "$ENV_DIR"
fi

if ! "$ENV_DIR/bin/python" -c 'import spyks, scipy, matplotlib, pybind11' 2>/dev/null; then
    "$ENV_DIR/bin/python" -m pip install --quiet --upgrade pip
    # pybind11 and setuptools are needed at run time by spykscc, which builds extension modules.
    "$ENV_DIR/bin/python" -m pip install --quiet pybind11 setuptools numpy scipy matplotlib
    "$ENV_DIR/bin/python" -m pip install --quiet "spyks==0.7.0"
fi
"$ENV_DIR/bin/python" -c 'import spyks, scipy, matplotlib; print("setup.sh: spyks", getattr(spyks, "__version__", "0.7.0"), "scipy", scipy.__version__, "matplotlib", matplotlib.__version__)'
