# Shared by setup.sh and network/setup.sh: finds a Python of a wanted version and makes a
# virtual environment with it. Source it, then call `make_venv DIR VERSION...`.

# Prints the first interpreter found for VERSION... (in order of preference): $PYTHON if
# set, else `pythonX.Y` on PATH (checked to be that version), else pyenv's newest X.Y.z.
pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    local v p
    for v in "$@"; do
        if command -v "python$v" >/dev/null &&
            "python$v" -c "import sys; assert '%d.%d' % sys.version_info[:2] == '$v'" 2>/dev/null; then
            command -v "python$v"; return
        fi
        if command -v pyenv >/dev/null; then
            p="$(pyenv versions --bare | grep -E "^${v//./\\.}(\.[0-9]+)?$" | sort -V | tail -n1 || true)"
            if [ -n "$p" ] && [ -x "$(pyenv root)/versions/$p/bin/python3" ]; then
                echo "$(pyenv root)/versions/$p/bin/python3"; return
            fi
        fi
    done
    return 1
}

# Creates the virtual environment DIR unless it exists, with `pick_python VERSION...` or, when
# none is found, $FALLBACK_PYTHON if set (else fails).
make_venv() {
    local dir="$1" py
    shift
    [ -x "$dir/bin/python" ] && return
    py="$(pick_python "$@")" || py="${FALLBACK_PYTHON:-}"
    if [ -z "$py" ]; then
        echo "setup.sh: no Python $* found (set PYTHON=...)" >&2
        return 1
    fi
    echo "setup.sh: creating $dir with $("$py" --version)"
    "$py" -m venv "$dir"
}
