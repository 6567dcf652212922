# shellcheck shell=bash
# `./deploy/dev bench`: tests/bench/bench.sh against this stack, with the app's log and PID for
# its in-app times and memory. With COUSILAB_BENCH_PRACTICES=N, against a throwaway stack instead
# (bench ports, fresh database under $COUSILAB_BENCH_VAR, N synthetic practices, with
# COUSILAB_BENCH_PROJECTS=M also M synthetic public projects, a bench account and a bench
# coordinator), stopped after. Either way the signed-in routes are then measured again after
# `cousilab seed --accounts $COUSILAB_BENCH_ACCOUNTS` (default "50000 20000": other users and
# sessions; "0" skips it), and each route's signed-in ratio is compared between the two sizes.

BENCH_PASSWORD=phrase-de-passe-du-banc-d-essai

# bench_run [ENV=VALUE...]: tests/bench/bench.sh against this stack.
bench_run() {
  env COUSILAB_BENCH_URL="${COUSILAB_BENCH_URL:-http://127.0.0.1:$HTTP_PORT}" \
    COUSILAB_BENCH_LOG="$LOG/app.log" COUSILAB_BENCH_PID="$(pid_of app || true)" "$@" \
    "$ROOT/tests/bench/bench.sh"
}

# bench_sizes: the run as it is, then the signed-in routes again with the synthetic accounts
# loaded, and the change of each route's signed-in ratio (target: no loss over 25 %).
bench_sizes() {
  local accounts=${COUSILAB_BENCH_ACCOUNTS:-50000 20000} before after
  before=$(mktemp) after=$(mktemp)
  bench_run COUSILAB_BENCH_OUT="$before"
  if [[ $accounts != 0 ]]; then
    log "seeding synthetic accounts: $accounts (users sessions)"
    # shellcheck disable=SC2086 # two numbers
    app seed --accounts $accounts
    echo "with $accounts other users and sessions:"
    bench_run COUSILAB_BENCH_OUT="$after" BENCH_SIGNED_ONLY=1
    echo "signed-in ratio to /ping, as it is → with the accounts:"
    awk 'NR == FNR { r[$1] = $2; next } ($1 in r) {
        loss = r[$1] > 0 ? 100 * (r[$1] - $2) / r[$1] : 0
        printf "  %-40s %.3f → %.3f (%+.0f %%)%s\n", $1, r[$1], $2, -loss,
          (loss > 25 ? "  over the 25 % target" : "") }' "$before" "$after"
  fi
  rm -f "$before" "$after"
}

bench() {
  local n=${COUSILAB_BENCH_PRACTICES:-}
  if [[ -z $n ]]; then
    bench_sizes
    return
  fi
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "COUSILAB_BENCH_PRACTICES must be a positive number"
  # The nested runs of deploy/dev read these; the throwaway stack never uses MONGODB_URI.
  export COUSILAB_VAR=${COUSILAB_BENCH_VAR:-$ROOT/var/bench}
  export COUSILAB_HTTP_PORT=${COUSILAB_BENCH_HTTP_PORT:-18180}
  export COUSILAB_DB_PORT=${COUSILAB_BENCH_DB_PORT:-27039}
  export COUSILAB_SMTP_PORT=${COUSILAB_BENCH_SMTP_PORT:-12590} COUSILAB_BUILD=$BUILD
  export COUSILAB_BENCH_EMAIL=banc@example.org COUSILAB_BENCH_PASSWORD=$BENCH_PASSWORD
  export COUSILAB_BENCH_COORDINATOR_EMAIL=banc-coordination@example.org
  export COUSILAB_BENCH_COORDINATOR_PASSWORD=$BENCH_PASSWORD
  local projects=${COUSILAB_BENCH_PROJECTS:-}
  [[ -z $projects || $projects =~ ^[1-9][0-9]*$ ]] || die "COUSILAB_BENCH_PROJECTS must be a positive number"
  unset COUSILAB_BENCH_PRACTICES COUSILAB_BENCH_PROJECTS COUSILAB_BENCH_URL COUSILAB_SMTP_URL MONGODB_URI
  "$0" stop
  rm -rf "$COUSILAB_VAR/db"
  trap '"$0" stop' EXIT
  # Seeded before the app starts: it loads the whole catalogue at startup.
  "$0" db-start
  local uri=mongodb://127.0.0.1:$COUSILAB_DB_PORT/cousilab
  MONGODB_URI=$uri "$BUILD/cousilab" migrate
  log "seeding $n synthetic practices"
  MONGODB_URI=$uri "$BUILD/cousilab" seed --practices "$n"
  if [[ -n $projects ]]; then
    log "seeding $projects synthetic projects"
    MONGODB_URI=$uri "$BUILD/cousilab" seed --projects "$projects"
  fi
  printf '%s\n' "$BENCH_PASSWORD" | MONGODB_URI=$uri "$BUILD/cousilab" user add \
    --email "$COUSILAB_BENCH_EMAIL" --name "Banc d’essai" --organisation caf-31 >/dev/null
  printf '%s\n' "$BENCH_PASSWORD" | MONGODB_URI=$uri "$BUILD/cousilab" user add \
    --email "$COUSILAB_BENCH_COORDINATOR_EMAIL" --name "Coordination du banc d’essai" \
    --organisation ucanss --role coordinator >/dev/null
  "$0" start
  "$0" bench
}
