# Shared by the fixture generators: Python venvs pinned per scikit-learn environment.
# Source it; it defines functions only. Needs $root set to the repository root.

# Fails unless PYTHON is Python 3.11, the version every fixture environment is pinned for.
require_python311() {
    "$1" - <<'PY'
import sys
if sys.version_info[:2] != (3, 11):
    sys.exit(f"fixtures are pinned for Python 3.11, got {sys.version.split()[0]}")
PY
}

# Create the venv for one requirements file unless an up-to-date one exists.
ensure_venv() {
    local requirements="$1" venv="$2"
    local stamp="$venv/.requirements.sha256"
    local want
    want="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return
    fi
    echo "==> building ${venv#"$root"/} from ${requirements#"$root"/}"
    rm -rf "$venv"
    "${python:-python3.11}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --require-virtualenv -r "$requirements"
    "$venv/bin/python" -m pip check
    echo "$want" >"$stamp"
}

