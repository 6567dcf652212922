# shellcheck shell=bash
# `./deploy/dev bench`: tests/bench/bench.sh against this stack, with the app's log and PID for
# its in-app times and memory. With COUSILAB_BENCH_PRACTICES=N, against a throwaway stack instead
# (bench ports, fresh database under $COUSILAB_BENCH_VAR, N synthetic practices), stopped after.

bench() {
  local n=${COUSILAB_BENCH_PRACTICES:-}
  if [[ -z $n ]]; then
    COUSILAB_BENCH_URL=${COUSILAB_BENCH_URL:-http://127.0.0.1:$HTTP_PORT} \
      COUSILAB_BENCH_LOG=$LOG/app.log COUSILAB_BENCH_PID=$(pid_of app || true) \
      "$ROOT/tests/bench/bench.sh"
    return
  fi
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "COUSILAB_BENCH_PRACTICES must be a positive number"
  # The nested runs of deploy/dev read these; the throwaway stack never uses MONGODB_URI.
  export COUSILAB_VAR=${COUSILAB_BENCH_VAR:-$ROOT/var/bench}
  export COUSILAB_HTTP_PORT=${COUSILAB_BENCH_HTTP_PORT:-18180}
  export COUSILAB_DB_PORT=${COUSILAB_BENCH_DB_PORT:-27039}
  export COUSILAB_SMTP_PORT=${COUSILAB_BENCH_SMTP_PORT:-12590} COUSILAB_BUILD=$BUILD
  unset COUSILAB_BENCH_PRACTICES COUSILAB_BENCH_URL COUSILAB_SMTP_URL MONGODB_URI
  "$0" stop
  rm -rf "$COUSILAB_VAR/db"
  trap '"$0" stop' EXIT
  # Seeded before the app starts: it loads the whole catalogue at startup.
  "$0" db-start
  local uri=mongodb://127.0.0.1:$COUSILAB_DB_PORT/cousilab
  MONGODB_URI=$uri "$BUILD/cousilab" migrate
  log "seeding $n synthetic practices"
  MONGODB_URI=$uri "$BUILD/cousilab" seed --practices "$n"
  "$0" start
  "$0" bench
}
