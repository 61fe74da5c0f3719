# Shared by scripts/demo and scripts/test. Source it; it defines functions only.

# Installs the Debian packages named as arguments when any is missing.
ensure_packages() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Fails with a clear message when the Swift toolchain is missing.
require_swift() {
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    if ! command -v swift >/dev/null 2>&1; then
        echo "error: swift is not on PATH; install a Swift 6 toolchain (swift.org) first" >&2
        exit 1
    fi
}

# Copies nginx/ into DIR, listening on 127.0.0.1:PORT and forwarding to the unix SOCKET.
render_nginx_config() {
    local dir=$1 port=$2 socket=$3
    mkdir -p "$dir/logs"
    cp nginx/*.conf nginx/fastcgi_params "$dir/"
    sed -i "s|listen 127.0.0.1:8080;|listen 127.0.0.1:$port;|" "$dir/augur.conf"
    sed -i "s|server unix:/run/augur/augur.sock;|server unix:$socket;|" "$dir/augur.conf"
}

# Waits up to 20 s for CONDITION (a command) to succeed.
wait_for() {
    local what=$1
    shift
    local tries=0
    until "$@" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -gt 200 ]; then
            echo "error: timed out waiting for $what" >&2
            return 1
        fi
        sleep 0.1
    done
}

# The packages Augur needs to build, serve and be tested.
AUGUR_PACKAGES=(libfcgi-dev libbz2-dev liblzma-dev liblz4-dev zlib1g-dev nginx-light curl procps
    python3 python3-venv)

# Builds .venv-clients from Tests/Clients/requirements.txt unless an up-to-date one exists,
# and exports AUGUR_CLIENT_PYTHON for the integration tests that run Python clients
# (schemathesis, tritonclient, the examples/clients scripts) against the live stack.
ensure_client_venv() {
    local venv=.venv-clients requirements=Tests/Clients/requirements.txt
    local stamp="$venv/.requirements.sha256" want
    want="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if ! [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        echo "==> building $venv from $requirements"
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            --require-virtualenv -r "$requirements"
        echo "$want" >"$stamp"
    fi
    AUGUR_CLIENT_PYTHON="$(pwd)/$venv/bin/python"
    export AUGUR_CLIENT_PYTHON
}
