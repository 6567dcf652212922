# shellcheck shell=bash
# shellcheck disable=SC2034  # settings used by the other deploy/lib files
# Shared helpers for deploy/dev: configuration, logging, background processes.

VAR=${COUSILAB_VAR:-$ROOT/var}
HTTP_PORT=${COUSILAB_HTTP_PORT:-8080}
DB_PORT=${COUSILAB_DB_PORT:-27018}
BUILD=${COUSILAB_BUILD:-$ROOT/build/release}
THREADS=${COUSILAB_THREADS:-8}
TOOLS=${COUSILAB_TOOLS:-$ROOT/var/tools}
# Relative paths (e.g. COUSILAB_VAR=build/test/var) are taken from the repo root.
[[ $VAR = /* ]] || VAR=$ROOT/$VAR
[[ $BUILD = /* ]] || BUILD=$ROOT/$BUILD
[[ $TOOLS = /* ]] || TOOLS=$ROOT/$TOOLS
RUN=$VAR/run
LOG=$VAR/log
export PATH=$PATH:/usr/local/go/bin:${HOME:-/root}/go/bin

log() { printf '[dev] %s\n' "$*" >&2; }
die() { printf '[dev] ERROR: %s\n' "$*" >&2; exit 1; }

# pid_of NAME: prints the PID from $RUN/NAME.pid if that process is alive (zombies count as dead).
pid_of() {
  local file=$RUN/$1.pid pid state
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  echo "$pid"
}

# spawn NAME CMD...: run CMD detached (own session, no inherited stdio), log to $LOG/NAME.log,
# PID in $RUN/NAME.pid. Detaching matters: ctest waits for its fixtures' stdout to close.
spawn() {
  local name=$1; shift
  mkdir -p "$RUN" "$LOG"
  (cd "$ROOT" && exec setsid "$@" </dev/null >>"$LOG/$name.log" 2>&1) &
  echo $! >"$RUN/$name.pid"
}

# stop NAME [SIGNAL]: signal the process in $RUN/NAME.pid, wait for it to exit, remove the file.
stop() {
  local name=$1 sig=${2:-TERM} pid i
  if pid=$(pid_of "$name"); then
    log "stopping $name (pid $pid)"
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do pid_of "$name" >/dev/null || break; sleep 0.1; done
    if pid_of "$name" >/dev/null; then
      log "$name did not exit in 15 s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$RUN/$name.pid"
}

# wait_until SECONDS DESCRIPTION CMD...: poll CMD every 0.1 s; fail with DESCRIPTION on timeout.
wait_until() {
  local secs=$1 what=$2 i; shift 2
  for ((i = 0; i < secs * 10; i++)); do "$@" && return 0; sleep 0.1; done
  die "timed out after ${secs}s waiting for $what"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The app's database: MONGODB_URI if set, else the local one started by db_start. Passed to
# the app only (not exported: ctest, run by `test`, must start its own database).
EXTERNAL_DB=${MONGODB_URI:+1}
DB_URI=${MONGODB_URI:-mongodb://127.0.0.1:$DB_PORT/cousilab}
