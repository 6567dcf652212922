#!/usr/bin/env bash
# Throughput and latency of Cousilab routes through nginx, measured with wrk.
#   ./deploy/dev bench                      (against the stack started by ./deploy/dev up)
#   COUSILAB_BENCH_URL=http://127.0.0.1:18080 DURATION=5 tests/bench/bench.sh
# Prints: route  req/s  p50  p99  ratio_to_ping (req/s relative to /ping, nginx + FastCGI floor).
set -euo pipefail

BASE=${COUSILAB_BENCH_URL:-http://127.0.0.1:8080}
BASE=${BASE%/}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
# Routes to measure; /ping must stay first: it is the reference for ratio_to_ping.
ROUTES=(/ping /)

# Load is only ever sent to this machine.
[[ $BASE =~ ^http://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?$ ]] ||
  { echo "bench: refusing non-loopback base URL $BASE" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench: wrk is not installed (./deploy/dev up installs it)" >&2; exit 1; }

for route in "${ROUTES[@]}"; do
  curl -fsS -o /dev/null --max-time 5 "$BASE$route" ||
    { echo "bench: $BASE$route does not answer 2xx; is the stack up (./deploy/dev up)?" >&2; exit 1; }
done

echo "warming up (${WARMUP}s per route)..." >&2
for route in "${ROUTES[@]}"; do wrk -t2 -c64 -d"${WARMUP}s" "$BASE$route" >/dev/null; done

# to_ms VALUE: wrk latency (e.g. 812.00us, 1.20ms, 1.01s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

printf '%-24s %10s %10s %10s %14s\n' route req/s p50_ms p99_ms ratio_to_ping
ping_rps=''
for route in "${ROUTES[@]}"; do
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "$BASE$route")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errors=$(awk '/Non-2xx or 3xx responses:|Socket errors:/' <<<"$out")
  ping_rps=${ping_rps:-$rps}
  ratio=$(awk -v a="$rps" -v b="$ping_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  printf '%-24s %10.0f %10s %10s %14s\n' "$route" "$rps" "$p50" "$p99" "$ratio"
  [[ -z $errors ]] || echo "  warning for $route: ${errors//$'\n'/; }" >&2
done
