# shellcheck shell=bash
# Database server for dev and tests: FerretDB v1.24.2 (SQLite backend), or a mongod on PATH.
# Nothing is started when MONGODB_URI is set: that server is used as it is.

FERRETDB_VERSION=v1.24.2
FERRETDB_MODULE=github.com/FerretDB/FerretDB

# Prints the server binary to use, building FerretDB into $TOOLS on first use.
db_binary() {
  local cached=$TOOLS/ferretdb-$FERRETDB_VERSION
  if command -v ferretdb >/dev/null; then command -v ferretdb
  elif command -v mongod >/dev/null; then command -v mongod
  elif [[ -x $cached ]] && "$cached" --version >/dev/null 2>&1; then echo "$cached"
  else build_ferretdb "$cached" && echo "$cached"
  fi
}

# build_ferretdb OUT: `go install` is tried first; its binary panics when the module zip lacks
# build/version/version.txt, so we fall back to building the downloaded module with that file added.
build_ferretdb() {
  local out=$1 tmp
  command -v go >/dev/null || die "FerretDB is not installed and cannot be built: install Go >= 1.24 (/usr/local/go/bin), or put ferretdb or mongod on PATH, or set MONGODB_URI"
  mkdir -p "$TOOLS"
  tmp=$(mktemp -d)
  log "building FerretDB $FERRETDB_VERSION into $out (about a minute, once)"
  if GOBIN=$tmp go install "$FERRETDB_MODULE/cmd/ferretdb@$FERRETDB_VERSION" >&2 &&
    "$tmp/ferretdb" --version >/dev/null 2>&1; then
    mv "$tmp/ferretdb" "$out"
  elif build_ferretdb_from_module "$out" "$tmp" ||
    GOTOOLCHAIN=go1.24.3 build_ferretdb_from_module "$out" "$tmp" ||
    build_ferretdb_from_module "$out" "$tmp" -ldflags=-checklinkname=0; then
    :
  else
    rm -rf "$tmp"
    die "could not build FerretDB $FERRETDB_VERSION with $(go version): install Go 1.24, or put ferretdb or mongod on PATH, or set MONGODB_URI"
  fi
  rm -rf "$tmp"
}

build_ferretdb_from_module() {
  local out=$1 src=$2/src dir; shift 2
  log "building FerretDB from the module source${GOTOOLCHAIN:+ with $GOTOOLCHAIN}${1:+ with $*}"
  dir=$(GOFLAGS=-mod=mod go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || return 1
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src" || return 1
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  (cd "$src" && go build "$@" -o "$out.tmp" ./cmd/ferretdb) >&2 &&
    "$out.tmp" --version >/dev/null && mv "$out.tmp" "$out"
}

db_start() {
  if [[ -n $EXTERNAL_DB ]]; then log "using MONGODB_URI, no local database started"; return; fi
  if pid_of db >/dev/null; then return; fi
  port_open "$DB_PORT" && die "port $DB_PORT is in use by something else (set COUSILAB_DB_PORT)"
  local bin; bin=$(db_binary)
  mkdir -p "$VAR/db"
  log "starting $(basename "$bin") on 127.0.0.1:$DB_PORT, data in $VAR/db"
  if [[ $(basename "$bin") = mongod ]]; then
    spawn db "$bin" --dbpath "$VAR/db" --bind_ip 127.0.0.1 --port "$DB_PORT"
  else
    spawn db "$bin" --handler=sqlite --sqlite-url="file:$VAR/db/" --state-dir="$VAR/db" \
      --listen-addr="127.0.0.1:$DB_PORT" --debug-addr=- --telemetry=disable --log-level=warn
  fi
  wait_until 30 "the database on port $DB_PORT (see $LOG/db.log)" db_ready
}

db_ready() { pid_of db >/dev/null || die "the database exited (see $LOG/db.log)"; port_open "$DB_PORT"; }

db_stop() { stop db; }

# Builds or finds the database binary ahead of db_start (no-op with MONGODB_URI).
ensure_db() { [[ -n $EXTERNAL_DB ]] || db_binary >/dev/null; }
