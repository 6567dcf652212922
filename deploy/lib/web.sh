# shellcheck shell=bash
# The app (FastCGI on a unix socket) and nginx in front of it, both under $VAR.

SOCKET=$RUN/cousilab.sock
CACHE=$VAR/cache  # the app's COUSILAB_CACHE_DIR; nginx serves its files/

app() { (cd "$ROOT" && MONGODB_URI=$DB_URI "$BUILD/cousilab" "$@"); }

app_start() {
  [[ -x $BUILD/cousilab ]] || die "no app binary at $BUILD/cousilab (./deploy/dev up builds it)"
  ((${#SOCKET} < 108)) || die "socket path too long for a unix socket: $SOCKET (set COUSILAB_VAR)"
  stop app
  rm -f "$SOCKET"
  log "starting the app ($THREADS threads), log in $LOG/app.log"
  spawn app env MONGODB_URI="$DB_URI" COUSILAB_SMTP_URL="$SMTP_URL" COUSILAB_CACHE_DIR="$CACHE" "$BUILD/cousilab" serve --socket "$SOCKET" --socket-mode 0666 --threads "$THREADS"
  wait_until 15 "the app socket $SOCKET (see $LOG/app.log)" app_ready
}

app_ready() { pid_of app >/dev/null || die "the app exited (see $LOG/app.log)"; [[ -S $SOCKET ]]; }

app_stop() { stop app; rm -f "$SOCKET"; }

nginx_config() {
  local dir=$VAR/nginx
  mkdir -p "$dir/temp" "$RUN" "$LOG"
  # Copied so that the site's relative "include fastcgi_params" works as in production.
  cp /etc/nginx/fastcgi_params /etc/nginx/mime.types "$dir/"
  "$ROOT/deploy/nginx/render" --listen "127.0.0.1:$HTTP_PORT" --socket "$SOCKET" \
    --static "$BUILD/static" --cache "$CACHE" >"$dir/cousilab-site.conf"
  # Workers run as root when we are root: the checkout may be under /root.
  cat >"$dir/nginx.conf" <<CONF
$( ((EUID)) || echo 'user root;')
worker_processes 2;
pid $RUN/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path $dir/temp/client_body;
    fastcgi_temp_path $dir/temp/fastcgi;
    proxy_temp_path $dir/temp/proxy;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    include cousilab-site.conf;
}
CONF
}

nginx_start() {
  local nginx=(nginx -p "$VAR/nginx/" -c "$VAR/nginx/nginx.conf" -e "$LOG/nginx-error.log")
  stop nginx
  nginx_config
  port_open "$HTTP_PORT" && die "port $HTTP_PORT is in use by something else (set COUSILAB_HTTP_PORT)"
  "${nginx[@]}" -t -q || die "invalid nginx configuration in $VAR/nginx"
  log "starting nginx on 127.0.0.1:$HTTP_PORT"
  spawn nginx "${nginx[@]}" -g 'daemon off;'
  wait_until 10 "nginx on port $HTTP_PORT (see $LOG/nginx-error.log)" nginx_ready
}

nginx_ready() { pid_of nginx >/dev/null || die "nginx exited (see $LOG/nginx-error.log)"; port_open "$HTTP_PORT"; }

nginx_stop() { stop nginx; }

healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$HTTP_PORT/healthz" 2>/dev/null; }

wait_healthy() {
  wait_until 30 "http://127.0.0.1:$HTTP_PORT/healthz (see $LOG/app.log)" healthy
}
