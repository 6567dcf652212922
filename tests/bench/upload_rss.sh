#!/usr/bin/env bash
# The app's memory while it takes a 500 Mo Grand Prix video through nginx: the upload must
# stream (nginx buffers the body to disk, the app copies it to a temp file through a fixed
# buffer, checks it by pread, stores it chunk by chunk), so the app's peak resident memory may
# grow by less than 10 Mo whatever the file's size.
#   ./deploy/dev bench-upload                (a throwaway stack with the demo data)
#   COUSILAB_BENCH_URL=http://127.0.0.1:18180 COUSILAB_BENCH_PID=1234 \
#     COUSILAB_BENCH_TOKEN=... MEDIA_MAKE=build/release/tests/media_make tests/bench/upload_rss.sh
# COUSILAB_BENCH_TOKEN: an API token of an agent whose organisation may file (the demo agent);
# COUSILAB_BENCH_PID: the app, whose VmRSS and VmHWM are read from /proc (its peak is reset
# first through clear_refs); BENCH_UPLOAD_BYTES: the video's size (default 524,288,000, the
# 500 Mo limit itself). The video is a 2:50 MP4 whose mdat is a hole: it costs no disk.
# Prints the RSS before, the peak during and the growth; exits 1 when the upload is refused or
# the growth reaches 10 Mo.
set -euo pipefail

BASE=${COUSILAB_BENCH_URL:-http://127.0.0.1:8080}
BASE=${BASE%/}
PID=${COUSILAB_BENCH_PID:?the app PID (COUSILAB_BENCH_PID)}
TOKEN=${COUSILAB_BENCH_TOKEN:?an API token (COUSILAB_BENCH_TOKEN)}
MEDIA_MAKE=${MEDIA_MAKE:?the media_make test tool (MEDIA_MAKE)}
BYTES=${BENCH_UPLOAD_BYTES:-524288000}
LIMIT_KB=$((10 * 1024))

[[ $BASE =~ ^http://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?$ ]] ||
  { echo "bench-upload: refusing non-loopback base URL $BASE" >&2; exit 2; }
[[ -r /proc/$PID/status ]] || { echo "bench-upload: no process $PID" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
api() { curl -fsS -H "Authorization: Bearer $TOKEN" "$@"; }
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

# The edition open for filing, its first category, and a new draft there.
read -r year category < <(api "$BASE/api/v1/gpi/editions" | json \
  '" ".join(next((str(e["year"]), e["categories"][0]["code"]) for e in (d["items"] if isinstance(d, dict) else d) if e["is_open"]))') ||
  { echo "bench-upload: no Grand Prix edition open for filing at $BASE" >&2; exit 1; }
id=$(api -H 'Content-Type: application/json' \
  --data "{\"category\": \"$category\", \"title\": \"Banc d’essai : vidéo de 500 Mo\"}" \
  "$BASE/api/v1/gpi/editions/$year/candidatures" | json 'd["id"]')

# The video, exactly BYTES long: the maker's overhead first, then the mdat that fills the rest.
"$MEDIA_MAKE" mp4 "$tmp/video.mp4" 170 end mdat=0
overhead=$(stat -c %s "$tmp/video.mp4")
"$MEDIA_MAKE" mp4 "$tmp/video.mp4" 170 end "mdat=$((BYTES - overhead))"

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }
echo 5 >"/proc/$PID/clear_refs" # VmHWM := VmRSS
before=$(kb VmRSS)
start=$EPOCHREALTIME
status=$(api -o "$tmp/reply" -w '%{http_code}' -F image_rights=on \
  -F "file=@$tmp/video.mp4;type=video/mp4;filename=banc.mp4" \
  "$BASE/api/v1/gpi/candidatures/$id/video" || true)
took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
peak=$(kb VmHWM) after=$(kb VmRSS)
growth=$((peak - before))
printf 'upload of %s bytes: HTTP %s in %.1f s\n' "$BYTES" "$status" "$took"
printf 'app RSS: %s kB before, %s kB peak during, %s kB after; peak growth %s kB (target < %s kB)\n' \
  "$before" "$peak" "$after" "$growth" "$LIMIT_KB"
[[ $status == 2?? ]] || { echo "bench-upload: the upload was refused:" >&2; cat "$tmp/reply" >&2; exit 1; }
((growth < LIMIT_KB)) || { echo "bench-upload: over the target" >&2; exit 1; }
