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
# Signed-in columns: the same routes again with the session of COUSILAB_BENCH_EMAIL /
# COUSILAB_BENCH_PASSWORD (default: the demo agent), signed in through /connexion, plus /compte;
# their ratio is over the anonymous /ping's too. When the site has projects (cousilab seed
# --projects N), the project list (anonymous and signed in), a public project's page too, and
# the coordinators' board /projets/tableau and funnel /projets/entonnoir, signed in as
# COUSILAB_BENCH_COORDINATOR_EMAIL / _PASSWORD (default: the demo coordinator).
# BENCH_SIGNED_ONLY=1 measures /ping and the signed-in routes only. COUSILAB_BENCH_OUT=FILE
# appends "route signed_ratio" lines to FILE.
# When a Défi du Lab edition has its sign-ups open: /defi and its page (anonymous and signed in),
# /mon-defi and a team's page (signed in) and the coordinators' list of its teams and figures
# (as the coordinator);
# `cousilab seed --defi-teams 2000` gives it 2,000 teams.
# When the site has Grand Prix editions: /grand-prix and the page of the one open for filing (else
# the latest), anonymous and signed in; and, signed in, a candidature's page for its filer and
# their organisation's list when the bench agent's organisation filed one (the demo's do); and
# the secretariat's desk, signed in as COUSILAB_BENCH_SECRETARIAT_EMAIL / _PASSWORD (default: the
# demo secretariat); the laureates' archive, its feed, and the laureates page and API of the
# newest edition past its ceremony. `cousilab seed --gpi-candidatures 3000` gives the current
# edition 3,000 candidatures. When the juror COUSILAB_BENCH_JUROR_EMAIL / _PASSWORD (default: the demo juror)
# judges candidatures: their assignment page /grand-prix/{year}/jury, signed in as them; and,
# with COUSILAB_BENCH_LOG, the time the app took to compile their category's ranking ("gpi
# ranking ... ms" in its log) over 20 requests as the secretariat. `cousilab seed --gpi-grids 500
# 12` gives the current edition's first category 500 admissible candidatures and 12 jurors'
# grids of each.
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
EMAIL=${COUSILAB_BENCH_EMAIL:-camille.martin@example.org}
PASSWORD=${COUSILAB_BENCH_PASSWORD:-cousilab-demo-2026}
COORDINATOR_EMAIL=${COUSILAB_BENCH_COORDINATOR_EMAIL:-julien.moreau@example.org}
COORDINATOR_PASSWORD=${COUSILAB_BENCH_COORDINATOR_PASSWORD:-$PASSWORD}
SECRETARIAT_EMAIL=${COUSILAB_BENCH_SECRETARIAT_EMAIL:-sophie.bernard@example.org}
SECRETARIAT_PASSWORD=${COUSILAB_BENCH_SECRETARIAT_PASSWORD:-$PASSWORD}
JUROR_EMAIL=${COUSILAB_BENCH_JUROR_EMAIL:-nadia.lefevre@example.org}
JUROR_PASSWORD=${COUSILAB_BENCH_JUROR_PASSWORD:-$PASSWORD}
SIGNED_ONLY=${BENCH_SIGNED_ONLY:-}
OUT=${COUSILAB_BENCH_OUT:-}
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
# Routes to measure; /ping must stay first: it is the reference for ratio. SIGNED: those measured
# signed in as well (/compte signed in only).
ROUTES=(/ping / /pratiques "/pratiques/$sheet" "/recherche?q=$WORD" "$VARIED"
  "/api/v1/practices?q=$WORD&theme=$THEME" "/api/v1/organisations?q=cpam&limit=10" /compte)
SIGNED=" /ping / /pratiques /pratiques/$sheet /recherche?q=$WORD /api/v1/organisations?q=cpam&limit=10 /compte "
[[ -z $SIGNED_ONLY ]] || ROUTES=(/ping /pratiques "/pratiques/$sheet" /compte)
# A public project's page (anonymous and signed in as the coordinator) and the board (the
# coordinator only), when the site has projects. COORDINATED: the routes measured so.
project=$(curl -fsS "$BASE/api/v1/projects" | python3 -c '
import json, sys
items = [p for p in json.load(sys.stdin)["items"] if p.get("visibility") == "public"]
print(items[0]["slug"] if items else "")')
COORDINATED=" "
if [[ -n $project ]]; then
  ROUTES+=(/projets "/projets/$project" /projets/tableau /projets/entonnoir)
  SIGNED+="/projets "
  COORDINATED=" /projets/$project /projets/tableau /projets/entonnoir "
fi

# sign_in EMAIL PASSWORD: signs in through the login form; prints the Cookie header value (sid
# and csrf).
sign_in() {
  local jar form csrf
  jar=$(mktemp)
  form=$(curl -fsS -c "$jar" "$BASE/connexion")
  csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' <<<"$form" | head -n 1)
  curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "email=$1" \
    --data-urlencode "password=$2" --data-urlencode "csrf=$csrf" "$BASE/connexion"
  awk '$6 ~ /(^|-)(sid|csrf)$/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar"
  rm -f "$jar"
}
cookie=$(sign_in "$EMAIL" "$PASSWORD")
[[ $cookie == *sid=* ]] || { echo "bench: could not sign in as $EMAIL at $BASE/connexion" >&2; exit 1; }
if [[ $COORDINATED != " " ]]; then
  coordinator_cookie=$(sign_in "$COORDINATOR_EMAIL" "$COORDINATOR_PASSWORD")
  [[ $coordinator_cookie == *sid=* ]] ||
    { echo "bench: could not sign in as $COORDINATOR_EMAIL at $BASE/connexion" >&2; exit 1; }
fi

# The Défi's routes, when an edition has its sign-ups open: its page (anonymous and signed in),
# a team's page (signed in) and the coordinators' list of its teams (the coordinator only).
# AGENT_ONLY: the routes never measured anonymously.
AGENT_ONLY=" "
defi_year=$(curl -fsS "$BASE/api/v1/defi/editions" | python3 -c 'import json, sys
print(next((e["year"] for e in json.load(sys.stdin)["items"] if e["is_open"]), ""))')
if [[ -n $defi_year && -z $SIGNED_ONLY ]]; then
  [[ -n ${coordinator_cookie:-} ]] ||
    coordinator_cookie=$(sign_in "$COORDINATOR_EMAIL" "$COORDINATOR_PASSWORD")
  [[ $coordinator_cookie == *sid=* ]] ||
    { echo "bench: could not sign in as $COORDINATOR_EMAIL at $BASE/connexion" >&2; exit 1; }
  read -r team teams < <(curl -fsS -H "Cookie: $coordinator_cookie" \
    "$BASE/api/v1/defi/editions/$defi_year/teams?page_size=1" |
    python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["items"][0]["id"], d["total"])')
  echo "Défi $defi_year: $teams teams" >&2
  ROUTES+=(/defi "/defi/$defi_year" /mon-defi "/defi/$defi_year/equipes/$team"
    "/defi/$defi_year/equipes" "/defi/$defi_year/pilotage")
  SIGNED+="/defi /defi/$defi_year /mon-defi /defi/$defi_year/equipes/$team "
  COORDINATED+="/defi/$defi_year/equipes /defi/$defi_year/pilotage "
  AGENT_ONLY+="/mon-defi /defi/$defi_year/equipes/$team /defi/$defi_year/equipes /defi/$defi_year/pilotage "
fi

# The Grand Prix's editions, anonymous and signed in: /grand-prix and the page of the edition
# open for filing (else the latest).
gpi_year=$(curl -fsS "$BASE/api/v1/gpi/editions" | python3 -c 'import json, sys
items = json.load(sys.stdin)["items"]
print(next((e["year"] for e in items if e["is_open"]), items[0]["year"] if items else ""))')
if [[ -n $gpi_year ]]; then
  ROUTES+=(/grand-prix "/grand-prix/$gpi_year")
  SIGNED+="/grand-prix /grand-prix/$gpi_year "
fi

# The Grand Prix's results (issue 13), anonymous and signed in: the archive of laureates, its
# Atom feed, and the laureates page and API of the newest edition whose ceremony has passed (the
# demo's 2022): built per request (never from the page cache, for the embargo's instant) from
# the cached category states and results, the in-process index and one read by _id per laureate.
gpi_past=$(curl -fsS "$BASE/api/v1/gpi/editions" | python3 -c 'import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
items = json.load(sys.stdin)["items"]
print(next((e["year"] for e in items if e["phases"]["ceremony"]["start"] <= now), ""))')
if [[ -n $gpi_year ]]; then
  ROUTES+=(/grand-prix/palmares /grand-prix/palmares.atom)
  SIGNED+="/grand-prix/palmares "
fi
if [[ -n $gpi_past ]]; then
  ROUTES+=("/grand-prix/$gpi_past/palmares" "/api/v1/gpi/editions/$gpi_past/laureates")
  SIGNED+="/grand-prix/$gpi_past/palmares "
fi

# A Grand Prix candidature's page for its filer (the bench agent, signed in only), and their
# organisation's list, when the agent's organisation has one in that edition (the demo's).
if [[ -n $gpi_year && -z $SIGNED_ONLY ]]; then
  candidature=$(curl -fsS -H "Cookie: $cookie" "$BASE/grand-prix/$gpi_year/candidatures" |
    sed -n 's|.*href="\(/grand-prix/[0-9]*/candidatures/[0-9a-f]\{32\}\)".*|\1|p' | head -n 1)
  if [[ -n $candidature ]]; then
    ROUTES+=("$candidature" "/grand-prix/$gpi_year/candidatures")
    SIGNED+="$candidature /grand-prix/$gpi_year/candidatures "
    AGENT_ONLY+="$candidature /grand-prix/$gpi_year/candidatures "
  fi
fi

# The secretariat's desk (SECRETARIED: measured as the secretariat only), with the count of the
# edition's candidatures.
SECRETARIED=" "
if [[ -n $gpi_year && -z $SIGNED_ONLY ]]; then
  secretariat_cookie=$(sign_in "$SECRETARIAT_EMAIL" "$SECRETARIAT_PASSWORD")
  [[ $secretariat_cookie == *sid=* ]] ||
    { echo "bench: could not sign in as $SECRETARIAT_EMAIL at $BASE/connexion" >&2; exit 1; }
  candidatures=$(curl -fsS -H "Cookie: $secretariat_cookie" \
    "$BASE/api/v1/gpi/editions/$gpi_year/candidatures?page_size=1" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["counts"]["total"])')
  echo "Grand Prix $gpi_year: $candidatures candidatures" >&2
  ROUTES+=("/grand-prix/$gpi_year/secretariat")
  SECRETARIED+="/grand-prix/$gpi_year/secretariat "
  AGENT_ONLY+="/grand-prix/$gpi_year/secretariat "
fi

# The finalists' page and the grand jury's page (issue 13), measured as the secretariat, who
# may see both: built from the in-process index and the cached category states.
if [[ -n $gpi_year && -z $SIGNED_ONLY ]]; then
  ROUTES+=("/grand-prix/$gpi_year/finalistes" "/grand-prix/$gpi_year/grand-jury")
  SECRETARIED+="/grand-prix/$gpi_year/finalistes /grand-prix/$gpi_year/grand-jury "
  AGENT_ONLY+="/grand-prix/$gpi_year/finalistes /grand-prix/$gpi_year/grand-jury "
fi

# The juries page (issue 13), measured as the secretariat: each category's jurors with the
# admissible candidatures each is recused from, from the jury lookups, the account cache, the
# candidatures' index and the conflicts' cache.
if [[ -n $gpi_year && -z $SIGNED_ONLY ]]; then
  ROUTES+=("/grand-prix/$gpi_year/jurys")
  SECRETARIED+="/grand-prix/$gpi_year/jurys "
  AGENT_ONLY+="/grand-prix/$gpi_year/jurys "
fi

# A juror's assignment page (JURIED: measured as the juror only), when the juror judges
# candidatures of the edition; JUROR_CATEGORY: the category where they judge the most.
JURIED=" " JUROR_CATEGORY=
if [[ -n $gpi_year && -z $SIGNED_ONLY ]]; then
  juror_cookie=$(sign_in "$JUROR_EMAIL" "$JUROR_PASSWORD")
  if [[ $juror_cookie == *sid=* ]]; then
    # Their assignments come a page at a time: every page is read.
    read -r JUROR_CATEGORY assigned < <(python3 -c 'import json, sys, urllib.request
from collections import Counter
base, cookie, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
items, page = [], 1
while True:
    ask = urllib.request.Request(f"{base}/api/v1/gpi/me/assignments?page_size=500&page={page}",
                                 headers={"Cookie": cookie})
    body = json.load(urllib.request.urlopen(ask))
    items += body["items"]
    if page * body["page_size"] >= body["total"]:
        break
    page += 1
items = [i for i in items if i["year"] == year]
most = Counter(i["category"] for i in items).most_common(1)
print(most[0][0] if most else "-", len(items))' "$BASE" "$juror_cookie" "$gpi_year") || JUROR_CATEGORY=
    if [[ -n $JUROR_CATEGORY && $JUROR_CATEGORY != - ]]; then
      echo "Grand Prix $gpi_year: $JUROR_EMAIL judges $assigned candidatures" >&2
      ROUTES+=("/grand-prix/$gpi_year/jury")
      JURIED+="/grand-prix/$gpi_year/jury "
      AGENT_ONLY+="/grand-prix/$gpi_year/jury "
    else
      JUROR_CATEGORY=
    fi
  fi
fi

# The Grand Prix's other pages, each measured as the one who uses it: the edition forms, a
# candidature's desk page and its grids, and the ranking of the juror's category, as the
# secretariat; the grid of the juror's first assignment, as the juror; the filing form, as the
# bench agent.
if [[ -n $gpi_year && -z $SIGNED_ONLY ]]; then
  desk_id=$(curl -fsS -H "Cookie: $secretariat_cookie" \
    "$BASE/api/v1/gpi/editions/$gpi_year/candidatures?page_size=1" |
    python3 -c 'import json, sys; items = json.load(sys.stdin)["items"]; print(items[0]["id"] if items else "")')
  gpi_forms="/grand-prix/nouvelle /grand-prix/$gpi_year/modifier"
  if [[ -n $desk_id ]]; then
    gpi_forms+=" /grand-prix/$gpi_year/candidatures/$desk_id/secretariat"
    gpi_forms+=" /grand-prix/$gpi_year/candidatures/$desk_id/grilles"
  fi
  [[ -n $JUROR_CATEGORY ]] && gpi_forms+=" /grand-prix/$gpi_year/classement?categorie=$JUROR_CATEGORY"
  for route in $gpi_forms; do
    ROUTES+=("$route")
    SECRETARIED+="$route "
    AGENT_ONLY+="$route "
  done
  if [[ -n $JUROR_CATEGORY ]]; then
    grid=$(curl -fsS -H "Cookie: $juror_cookie" "$BASE/api/v1/gpi/me/assignments" |
      python3 -c 'import json, sys; items = json.load(sys.stdin)["items"]; print(items[0]["grid_url"] if items else "")')
    if [[ -n $grid ]]; then
      ROUTES+=("$grid")
      JURIED+="$grid "
      AGENT_ONLY+="$grid "
    fi
  fi
  ROUTES+=("/grand-prix/$gpi_year/candidatures/nouvelle")
  SIGNED+="/grand-prix/$gpi_year/candidatures/nouvelle "
  AGENT_ONLY+="/grand-prix/$gpi_year/candidatures/nouvelle "
fi

# coordinated ROUTE: true when ROUTE is measured signed in as the coordinator.
coordinated() { [[ $COORDINATED == *" $1 "* ]]; }

# secretaried ROUTE: true when ROUTE is measured signed in as the secretariat.
secretaried() { [[ $SECRETARIED == *" $1 "* ]]; }

# juried ROUTE: true when ROUTE is measured signed in as the juror.
juried() { [[ $JURIED == *" $1 "* ]]; }

# signed ROUTE: true when ROUTE is measured signed in (as the coordinator when coordinated, the
# secretariat when secretaried, the juror when juried).
signed() { [[ $SIGNED == *" $1 "* ]] || coordinated "$1" || secretaried "$1" || juried "$1"; }

# cookie_of ROUTE: the Cookie header value ROUTE is measured signed in with.
cookie_of() {
  if coordinated "$1"; then echo "$coordinator_cookie"
  elif secretaried "$1"; then echo "$secretariat_cookie"
  elif juried "$1"; then echo "$juror_cookie"
  else echo "$cookie"; fi
}

# anonymous ROUTE: true when ROUTE is measured anonymously.
anonymous() {
  [[ $1 != /compte && $1 != /projets/tableau && $1 != /projets/entonnoir && $AGENT_ONLY != *" $1 "* &&
    ( -z $SIGNED_ONLY || $1 == /ping ) ]]
}

# wrk_route ROUTE WRK_OPTION...: wrk on ROUTE ($VARIED: varied.lua on /recherche); signed in
# when the options include the Cookie header.
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
  if anonymous "$route"; then
    curl -fsS -o /dev/null --max-time 5 "$BASE$route" ||
      { echo "bench: $BASE$route does not answer 2xx; is the stack up (./deploy/dev up)?" >&2; exit 1; }
  fi
  if signed "$route"; then
    curl -fsS -o /dev/null --max-time 5 -H "Cookie: $(cookie_of "$route")" "$BASE$route" ||
      { echo "bench: $BASE$route does not answer 2xx signed in" >&2; exit 1; }
  fi
done
total=$(curl -fsS "$BASE/api/v1/practices?q=$WORD" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
echo "catalogue: $(curl -fsS "$BASE/api/v1/practices" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])') published practices; \"$WORD\" matches $total" >&2

echo "warming up (${WARMUP}s per route)..." >&2
for route in "${ROUTES[@]}"; do
  ! anonymous "$route" || wrk_route "$route" -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" >/dev/null
  ! signed "$route" ||
    wrk_route "$route" -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "Cookie: $(cookie_of "$route")" >/dev/null
done

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
# then optional tokens "cache=hit" (or "cache=member": a signed-in page sharing a cached body)
# and "search=<n>us". p95s in ms; "-" when there is none.
log_stats() {
  tail -c +"$(($1 + 1))" "$APP_LOG" |
    awk -v path="$2" '$4 == "GET" && $7 ~ /^[0-9]+us$/ {
        p = $5; sub(/\?.*/, "", p)
        if (p != path) next
        print "t", $7 + 0
        for (i = 8; i <= NF; i++)
          if ($i == "cache=hit" || $i == "cache=member") print "h", 0
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

# measure ROUTE [WRK_OPTION...]: runs wrk on ROUTE; prints "req/s p50 p99 app_p95 search_p95 hit%
# rss_kB" (app figures from the log, "-" without it).
measure() {
  local route=$1 offset rss_file out rss rps p50 p99 errors path app search hit
  shift
  offset=$([[ -n $APP_LOG ]] && stat -c %s "$APP_LOG" || echo 0)
  rss_file=$(mktemp)
  if [[ -n $APP_PID ]]; then rss_peak "$APP_PID" "$DURATION" >"$rss_file" & fi
  out=$(wrk_route "$route" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
  wait
  rss=$(cat "$rss_file"); rm -f "$rss_file"
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errors=$(awk '/Non-2xx or 3xx responses:|Socket errors:/' <<<"$out")
  path=${route%%\?*}
  [[ $route != "$VARIED" ]] || path=/recherche
  read -r app search hit < <([[ -n $APP_LOG ]] && log_stats "$offset" "$path" || echo - - -)
  [[ -z $errors ]] || echo "  warning for $route${1:+ (signed in)}: ${errors//$'\n'/; }" >&2
  echo "$rps $p50 $p99 $app $search $hit ${rss:-0}"
}

# ratio RPS: RPS over the anonymous /ping's, 3 decimals.
ratio() { awk -v a="$1" -v b="$ping_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

width=5
for route in "${ROUTES[@]}"; do ((${#route} <= width)) || width=${#route}; done
printf '%-*s %9s %8s %8s %7s %8s %10s %6s | %9s %8s %8s %7s %8s %6s | %8s\n' \
  "$width" route req/s p50_ms p99_ms ratio app_p95 search_p95 hit% \
  in_req/s in_p50 in_p99 in_rat in_app95 in_hit rss_mb
ping_rps='' rss_max=0
for route in "${ROUTES[@]}"; do
  anon=(- - - - - - 0) in=(- - - - - - 0) ratio_anon=- ratio_in=-
  if anonymous "$route"; then
    read -ra anon < <(measure "$route")
    ping_rps=${ping_rps:-${anon[0]}}
    ratio_anon=$(ratio "${anon[0]}")
  fi
  if signed "$route"; then
    read -ra in < <(measure "$route" -H "Cookie: $(cookie_of "$route")")
    ratio_in=$(ratio "${in[0]}")
    [[ -z $OUT ]] || echo "$route $ratio_in" >>"$OUT"
  fi
  rss=$((anon[6] > in[6] ? anon[6] : in[6]))
  ((rss > rss_max)) && rss_max=$rss
  rss_mb=$( ((rss > 0)) && awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }' || echo -)
  printf '%-*s %9s %8s %8s %7s %8s %10s %6s | %9s %8s %8s %7s %8s %6s | %8s\n' "$width" "$route" \
    "${anon[0]}" "${anon[1]}" "${anon[2]}" "$ratio_anon" "${anon[3]}" "${anon[4]}" "${anon[5]}" \
    "${in[0]}" "${in[1]}" "${in[2]}" "$ratio_in" "${in[3]}" "${in[5]}" "$rss_mb"
done
[[ -z $APP_PID ]] || echo "app peak VmRSS under load: $(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }') MB"

# The ranking of the juror's category, compiled by the app: its own time from the log ("gpi
# ranking <year>/<category>: N candidatures, G grids in W ms (cpu C ms)": W the wall-clock time,
# C the compiling thread's CPU time), over 20 requests as the secretariat (p50 and max, in ms).
if [[ -n $JUROR_CATEGORY && -n $APP_LOG ]]; then
  offset=$(stat -c %s "$APP_LOG")
  for ((i = 0; i < 20; i++)); do
    curl -fsS -o /dev/null -H "Cookie: $secretariat_cookie" \
      "$BASE/api/v1/gpi/editions/$gpi_year/ranking?category=$JUROR_CATEGORY"
  done
  tail -c +"$((offset + 1))" "$APP_LOG" |
    awk '$4 == "gpi" && $5 == "ranking" && $14 == "(cpu" { print $12, $15, $7, $9 }' |
    python3 -c 'import sys
rows = [line.split() for line in sys.stdin]
if rows:
    wall = sorted(float(r[0]) for r in rows); cpu = sorted(float(r[1]) for r in rows)
    m = (len(rows) - 1) // 2
    print(f"gpi ranking of {rows[-1][2]} candidatures ({rows[-1][3]} grids) over {len(rows)} "
          f"requests: p50 {wall[m]:.1f} ms, max {wall[-1]:.1f} ms; "
          f"cpu p50 {cpu[m]:.1f} ms, max {cpu[-1]:.1f} ms")'
fi
