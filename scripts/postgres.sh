#!/usr/bin/env bash
# A throwaway PostgreSQL server for trying the app or the tests against a server database.
#   bash scripts/postgres.sh            installs Debian's postgresql if missing, starts a cluster in a
#                                       temporary folder on a free port, prints the DATABASE_URL to use
#   bash scripts/postgres.sh stop DIR   stops the cluster started in DIR and removes it
# The test suite does not need this script: tests/pg_fixtures.py starts its own server.
set -euo pipefail

as_server_user() {
  # PostgreSQL refuses to run as root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$found"
}

if [ "${1:-}" = "stop" ]; then
  dir="${2:?usage: scripts/postgres.sh stop DIR}"
  as_server_user "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop
  rm -rf "$dir"
  exit 0
fi

BIN=$(bindir)
DIR=$(mktemp -d /tmp/wijkbeeld-pg-XXXXXX)
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_server_user "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 >/dev/null
as_server_user "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" -w start >/dev/null
echo "PostgreSQL is running in $DIR (stop: bash scripts/postgres.sh stop $DIR)"
echo "export DATABASE_URL=postgresql://postgres@127.0.0.1:$PORT/postgres"
