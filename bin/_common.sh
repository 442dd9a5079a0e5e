# Shared by bin/serve and bin/test: find Odoo 18, make sure PostgreSQL answers.
# Settings (environment variables):
#   ODOO_SRC     Odoo 18.0 source tree (default /opt/odoo/18.0)
#   ODOO_PYTHON  Python that has Odoo's requirements installed (default python3)
#   PGHOST/PGPORT/PGUSER  as libpq reads them; by default the local cluster over its socket
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
ODOO_PYTHON=${ODOO_PYTHON:-python3}
export ODOO_SRC ODOO_PYTHON REPO_ROOT

die() {
    echo "error: $*" >&2
    exit 1
}

require_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "Odoo 18.0 was not found at ODOO_SRC=$ODOO_SRC; install it from Odoo's sources as the README says, or set ODOO_SRC to its folder."
    fi
    if ! grep -q "^version_info = (18, 0," "$ODOO_SRC/odoo/release.py"; then
        die "ODOO_SRC=$ODOO_SRC holds an Odoo other than 18.0; crm_extended needs Odoo 18.0."
    fi
    if ! (cd "$ODOO_SRC" && "$ODOO_PYTHON" -c "import odoo, psycopg2, lxml, werkzeug" 2>/dev/null); then
        die "$ODOO_PYTHON cannot import Odoo 18.0's requirements; run: $ODOO_PYTHON -m pip install -r $ODOO_SRC/requirements.txt"
    fi
    ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO_ROOT"
    export ADDONS_PATH
}

require_postgres() {
    if pg_isready -q 2>/dev/null; then
        ensure_pg_role
        return 0
    fi
    # The local Debian cluster is down: start it, as a developer would.
    if command -v pg_lsclusters >/dev/null 2>&1; then
        local version cluster
        read -r version cluster _ < <(pg_lsclusters -h 2>/dev/null | head -n 1) || true
        if [ -n "${version:-}" ]; then
            pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
            for _ in $(seq 1 20); do
                pg_isready -q 2>/dev/null && break
                sleep 0.5
            done
        fi
    fi
    pg_isready -q 2>/dev/null || die "PostgreSQL is not running and could not be started; install PostgreSQL (Debian: apt-get install postgresql) or set PGHOST/PGPORT to a running server."
    ensure_pg_role
}

ensure_pg_role() {
    # Odoo refuses the 'postgres' superuser; a local developer gets a role named after them.
    local role=${PGUSER:-$(id -un)}
    if psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        su postgres -c "createuser --superuser '$role'" >/dev/null 2>&1 || true
    fi
    psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1 \
        || die "PostgreSQL answers but role '$role' cannot connect; create it with: sudo -u postgres createuser --createdb $role"
}

odoo_bin() {
    (cd "$REPO_ROOT" && "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" "$@")
}
