# Shared by bin/serve, bin/test and bin/i18n-export: set up, on every start, what is
# missing (bin/crm_setup.py says where each thing comes from), then run Odoo.
# Settings (environment variables), all optional:
#   ODOO_SRC       an Odoo 18.0 source tree to use (default: /opt/odoo/18.0 when it holds
#                  one, else a shallow clone of ODOO_GIT_URL's branch 18.0 in the cache)
#   ODOO_GIT_URL   where to clone Odoo from (default https://github.com/odoo/odoo)
#   ODOO_PYTHON    a Python that runs Odoo 18.0 (default: python3 when it already does,
#                  else a virtual environment built in the cache)
#   CRM_CACHE_DIR  the cache (default ${XDG_CACHE_HOME:-~/.cache}/crm_extended)
#   CRM_SETUP_ONLY=1  set everything up, then stop instead of starting
#   PGHOST/PGPORT/PGUSER  as libpq reads them; by default the local cluster's socket
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT

die() {
    echo "error: $*" >&2
    exit 1
}

# setup serve|test: Debian packages, PostgreSQL, Odoo's sources, Python, in this order.
setup() {
    local mode=$1 exports
    command -v python3 >/dev/null 2>&1 \
        || die "python3 is not installed; install it (apt-get install python3 python3-venv) and start again."
    python3 "$REPO_ROOT/bin/crm_setup.py" packages "$mode" || exit 1
    require_postgres
    exports=$(python3 "$REPO_ROOT/bin/crm_setup.py" environment "$mode") || exit 1
    eval "$exports"
    ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO_ROOT"
    export ADDONS_PATH
    if [ "${CRM_SETUP_ONLY:-0}" = 1 ]; then
        echo "Set up: Odoo 18.0 at $ODOO_SRC, run by $ODOO_PYTHON."
        exit 0
    fi
}

# Kept for scripts that only need Odoo and PostgreSQL (bin/i18n-export).
require_odoo() {
    setup serve
}

as_postgres() {
    # The cluster's own account, for what only it may do; root and passwordless sudo only.
    if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        su postgres -s /bin/sh -c "$*"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n -u postgres sh -c "$*"
    else
        return 1
    fi
}

require_postgres() {
    if pg_isready -q 2>/dev/null; then
        ensure_pg_role
        return 0
    fi
    # The local Debian cluster is down: start it, as a developer would.
    if [ -z "${PGHOST:-}" ] && command -v pg_lsclusters >/dev/null 2>&1; then
        local version cluster
        read -r version cluster _ < <(pg_lsclusters -h 2>/dev/null | head -n 1) || true
        if [ -n "${version:-}" ]; then
            echo "Starting PostgreSQL $version/$cluster (a few seconds)."
            pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 \
                || as_postgres "pg_ctlcluster $version $cluster start" >/dev/null 2>&1 || true
            for _ in $(seq 1 20); do
                pg_isready -q 2>/dev/null && break
                sleep 0.5
            done
        fi
    fi
    pg_isready -q 2>/dev/null || die "PostgreSQL is not running and could not be started; start it (sudo pg_ctlcluster <version> main start) or set PGHOST/PGPORT to a running server."
    ensure_pg_role
}

ensure_pg_role() {
    # Odoo refuses the 'postgres' superuser; a local developer gets a role named after them.
    local role=${PGUSER:-$(id -un)}
    if psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
        return 0
    fi
    if [ -z "${PGHOST:-}" ]; then
        echo "Creating the PostgreSQL role $role (instant)."
        as_postgres "createuser --superuser '$role'" >/dev/null 2>&1 || true
    fi
    psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1 \
        || die "PostgreSQL answers but role '$role' cannot connect; create it with: sudo -u postgres createuser --createdb $role"
}

odoo_bin() {
    (cd "$REPO_ROOT" && "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" "$@")
}
