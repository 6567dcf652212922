# shellcheck shell=bash
# `./deploy/dev bench-upload`: tests/bench/upload_rss.sh, the app's memory while it takes a
# 500 Mo Grand Prix video through nginx, on a throwaway stack (bench ports, the demo data, under
# $COUSILAB_BENCH_VAR, default var/bench-upload), stopped and removed after: the video is stored
# in its database.

bench_upload() {
  export COUSILAB_VAR=${COUSILAB_BENCH_VAR:-$ROOT/var/bench-upload}
  export COUSILAB_HTTP_PORT=${COUSILAB_BENCH_HTTP_PORT:-18180}
  export COUSILAB_DB_PORT=${COUSILAB_BENCH_DB_PORT:-27039}
  export COUSILAB_SMTP_PORT=${COUSILAB_BENCH_SMTP_PORT:-12590} COUSILAB_BUILD=$BUILD
  unset COUSILAB_SMTP_URL MONGODB_URI
  local media_make=$BUILD/tests/media_make uri=mongodb://127.0.0.1:$COUSILAB_DB_PORT/cousilab
  [[ -x $media_make ]] || die "no $media_make (built with the tests: ./deploy/dev up)"
  "$0" stop
  rm -rf "$COUSILAB_VAR"
  trap '"$0" stop; rm -rf "$COUSILAB_VAR"' EXIT
  "$0" db-start
  MONGODB_URI=$uri "$BUILD/cousilab" migrate
  MONGODB_URI=$uri "$BUILD/cousilab" seed --demo
  "$0" start
  local token
  token=$(MONGODB_URI=$uri "$BUILD/cousilab" token create --email camille.martin@example.org \
    --name banc-televersement)
  env COUSILAB_BENCH_URL="http://127.0.0.1:$COUSILAB_HTTP_PORT" \
    COUSILAB_BENCH_PID="$(<"$COUSILAB_VAR/run/app.pid")" \
    COUSILAB_BENCH_TOKEN="$token" MEDIA_MAKE="$media_make" "$ROOT/tests/bench/upload_rss.sh"
}
