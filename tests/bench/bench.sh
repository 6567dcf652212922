#!/usr/bin/env bash
# Throughput and latency of Cousilab routes through nginx, measured with wrk.
#   ./deploy/dev bench                       (against the stack started by ./deploy/dev up)
#   COUSILAB_BENCH_PRACTICES=10000 ./deploy/dev bench   (a throwaway stack seeded with N practices)
#   COUSILAB_BENCH_URL=http://127.0.0.1:18080 DURATION=5 tests/bench/bench.sh
# Prints per route: req/s, p50 and p99 through nginx and ratio (req/s over /ping's, the nginx +
# FastCGI floor). With COUSILAB_BENCH_LOG (the app's log), from the route's request lines: app_p95
# (in-app time), search_p95 (time in the catalogue search, "search=<n>us") and hit% (share served
# by the response cache, "cache=hit"); with COUSILAB_BENCH_PID (the app), its peak VmRSS.
# BENCH_WORD (a common word) and BENCH_THEME choose the search routes; "/recherche (varied
# queries)" runs varied.lua: distinct searches, which the cache cannot answer.
set -euo pipefail

BASE=${COUSILAB_BENCH_URL:-http://127.0.0.1:8080}
BASE=${BASE%/}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=$((CONNECTIONS < 2 ? 1 : 2))
WORD=${BENCH_WORD:-agents}
THEME=${BENCH_THEME:-relation-usagers}
APP_LOG=${COUSILAB_BENCH_LOG:-}
APP_PID=${COUSILAB_BENCH_PID:-}
VARIED='/recherche (varied queries)'
VARIED_LUA=$(dirname "${BASH_SOURCE[0]}")/varied.lua

# Load is only ever sent to this machine.
[[ $BASE =~ ^http://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?$ ]] ||
  { echo "bench: refusing non-loopback base URL $BASE" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench: wrk is not installed (./deploy/dev up installs it)" >&2; exit 1; }

# The first request waits for the catalogue to load: a minute or more at 50,000 practices.
sheet=$(curl -fsS --max-time 300 "$BASE/api/v1/practices?sort=most_reused" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["slug"])') ||
  { echo "bench: no published practice at $BASE/api/v1/practices; is the stack up and seeded?" >&2; exit 1; }
# Routes to measure; /ping must stay first: it is the reference for ratio.
ROUTES=(/ping / /pratiques "/pratiques/$sheet" "/recherche?q=$WORD" "$VARIED"
  "/api/v1/practices?q=$WORD&theme=$THEME")

# wrk_route ROUTE WRK_OPTION...: wrk on ROUTE ($VARIED: varied.lua on /recherche).
wrk_route() {
  local route=$1
  shift
  if [[ $route == "$VARIED" ]]; then
    wrk "$@" -s "$VARIED_LUA" "$BASE/recherche"
  else
    wrk "$@" "$BASE$route"
  fi
}

for route in "${ROUTES[@]}"; do
  # For $VARIED, one of its URLs: an encoded accent, a page past the last result.
  [[ $route != "$VARIED" ]] ||
    route='/recherche?q=t%C3%A9l%C3%A9travail&page=50&tri=reutilise&theme=rse'
  curl -fsS -o /dev/null --max-time 5 "$BASE$route" ||
    { echo "bench: $BASE$route does not answer 2xx; is the stack up (./deploy/dev up)?" >&2; exit 1; }
done
total=$(curl -fsS "$BASE/api/v1/practices?q=$WORD" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
echo "catalogue: $(curl -fsS "$BASE/api/v1/practices" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])') published practices; \"$WORD\" matches $total" >&2

echo "warming up (${WARMUP}s per route)..." >&2
for route in "${ROUTES[@]}"; do wrk_route "$route" -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" >/dev/null; done

# to_ms VALUE: wrk latency (e.g. 812.00us, 1.20ms, 1.01s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# rss_peak PID SECONDS: the highest VmRSS (kB) of PID sampled every 0.1 s for SECONDS.
rss_peak() {
  local peak=0 kb i
  for ((i = 0; i < $2 * 10; i++)); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null) || break
    ((kb > peak)) && peak=$kb
    sleep 0.1
  done
  echo "$peak"
}

# log_stats OFFSET PATH: "app_p95 search_p95 hit%" over the request lines the app logged for
# PATH (any query string) after byte OFFSET: "<time> info rid=<id> GET <path> <status> <n>us"
# then optional tokens "cache=hit" and "search=<n>us". p95s in ms; "-" when there is none.
log_stats() {
  tail -c +"$(($1 + 1))" "$APP_LOG" |
    awk -v path="$2" '$4 == "GET" && $7 ~ /^[0-9]+us$/ {
        p = $5; sub(/\?.*/, "", p)
        if (p != path) next
        print "t", $7 + 0
        for (i = 8; i <= NF; i++)
          if ($i == "cache=hit") print "h", 0
          else if ($i ~ /^search=[0-9]+us$/) { v = $i; sub(/^search=/, "", v); print "s", v + 0 }
      }' | sort -k1,1 -k2,2n |
    awk 'function p95(a, n,  i) {
        if (!n) return "-"
        i = int(n * 0.95); if (i < 1) i = 1
        return sprintf("%.2f", a[i] / 1000)
      }
      $1 == "t" { t[++nt] = $2 }
      $1 == "s" { s[++ns] = $2 }
      $1 == "h" { nh++ }
      END { print p95(t, nt), p95(s, ns), (nt ? sprintf("%.1f", 100 * nh / nt) : "-") }'
}

width=5
for route in "${ROUTES[@]}"; do ((${#route} <= width)) || width=${#route}; done
printf '%-*s %9s %8s %8s %7s %8s %10s %6s %8s\n' \
  "$width" route req/s p50_ms p99_ms ratio app_p95 search_p95 hit% rss_mb
ping_rps='' rss_max=0
for route in "${ROUTES[@]}"; do
  offset=$([[ -n $APP_LOG ]] && stat -c %s "$APP_LOG" || echo 0)
  rss_file=$(mktemp)
  if [[ -n $APP_PID ]]; then rss_peak "$APP_PID" "$DURATION" >"$rss_file" & fi
  out=$(wrk_route "$route" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency)
  wait
  rss=$(cat "$rss_file"); rm -f "$rss_file"
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errors=$(awk '/Non-2xx or 3xx responses:|Socket errors:/' <<<"$out")
  ping_rps=${ping_rps:-$rps}
  ratio=$(awk -v a="$rps" -v b="$ping_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  path=${route%%\?*}
  [[ $route != "$VARIED" ]] || path=/recherche
  read -r app search hit < <([[ -n $APP_LOG ]] && log_stats "$offset" "$path" || echo - - -)
  rss_mb=$([[ -n $rss ]] && awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }' || echo -)
  ((${rss:-0} > rss_max)) && rss_max=$rss
  printf '%-*s %9.0f %8s %8s %7s %8s %10s %6s %8s\n' "$width" "$route" "$rps" "$p50" "$p99" \
    "$ratio" "$app" "$search" "$hit" "$rss_mb"
  [[ -z $errors ]] || echo "  warning for $route: ${errors//$'\n'/; }" >&2
done
[[ -z $APP_PID ]] || echo "app peak VmRSS under load: $(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }') MB"
