# shellcheck shell=bash
# Database server for dev and tests: FerretDB v1.24.2 (SQLite backend), or a mongod on PATH.
# Nothing is started when MONGODB_URI is set: that server is used as it is.

FERRETDB_VERSION=v1.24.2
FERRETDB_MODULE=github.com/FerretDB/FerretDB
# Applied in order to the module source before every build (see each file's header).
FERRETDB_PATCHES=("$ROOT"/deploy/ferretdb/*.patch)

# Prints the server binary to use: a mongod on PATH, else our patched FerretDB, built into
# $TOOLS on first use. A ferretdb on PATH is not used: nothing says it carries our patches.
db_binary() {
  local cached
  if command -v mongod >/dev/null; then command -v mongod; return; fi
  cached=$TOOLS/ferretdb-$FERRETDB_VERSION-$(ferretdb_patch_hash)
  if [[ -x $cached ]] && "$cached" --version >/dev/null 2>&1; then echo "$cached"
  else build_ferretdb "$cached" && echo "$cached"
  fi
}

# Prints 12 hex digits naming the patch set, so that a changed patch gives a new binary.
ferretdb_patch_hash() { cat "${FERRETDB_PATCHES[@]}" | sha256sum | cut -c1-12; }

# build_ferretdb OUT: builds the pinned module source with our patches, with the machine's Go,
# then with GOTOOLCHAIN=go1.24.3, then with -checklinkname=0 (newer Go refuses a linkname in a
# dependency). `go install pkg@version` cannot patch, so the downloaded module is copied.
build_ferretdb() {
  local out=$1 tmp
  command -v go >/dev/null || die "FerretDB is not installed and cannot be built: install Go >= 1.24 (/usr/local/go/bin), or put mongod on PATH, or set MONGODB_URI"
  mkdir -p "$TOOLS"
  tmp=$(mktemp -d)
  log "building FerretDB $FERRETDB_VERSION with deploy/ferretdb/*.patch into $out (about a minute, once)"
  if ferretdb_source "$tmp/src" &&
    { go_build_ferretdb "$out" "$tmp/src" ||
      GOTOOLCHAIN=go1.24.3 go_build_ferretdb "$out" "$tmp/src" ||
      go_build_ferretdb "$out" "$tmp/src" -ldflags=-checklinkname=0; }; then
    rm -rf "$tmp"
  else
    rm -rf "$tmp"
    die "could not build FerretDB $FERRETDB_VERSION with $(go version): install Go 1.24, or put mongod on PATH, or set MONGODB_URI"
  fi
}

# ferretdb_source DIR: the pinned module's source, writable, patched, with the generated
# build/version/version.txt that the module archive lacks (without it the binary panics).
ferretdb_source() {
  local dir=$1 mod patch
  mod=$(GOFLAGS=-mod=mod go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || return 1
  cp -r "$mod" "$dir" && chmod -R u+w "$dir" || return 1
  for patch in "${FERRETDB_PATCHES[@]}"; do
    log "applying ${patch#"$ROOT"/}"
    patch -d "$dir" -p1 --forward --batch --quiet <"$patch" >&2 || return 1
  done
  echo "$FERRETDB_VERSION" >"$dir/build/version/version.txt"
}

# go_build_ferretdb OUT SRC [GO BUILD FLAGS...]: OUT only appears once the binary starts.
go_build_ferretdb() {
  local out=$1 src=$2; shift 2
  log "go build${GOTOOLCHAIN:+ with $GOTOOLCHAIN}${1:+ with $*}"
  if (cd "$src" && go build "$@" -o "$out.tmp" ./cmd/ferretdb) >&2 &&
    "$out.tmp" --version >/dev/null; then
    mv "$out.tmp" "$out"
  else
    rm -f "$out.tmp"
    return 1
  fi
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
