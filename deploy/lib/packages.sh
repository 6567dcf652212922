# shellcheck shell=bash
# Debian packages needed to build, run and test Cousilab.

PACKAGES=(build-essential cmake pkg-config clang libclang-rt-14-dev libfcgi-dev libmongoc-dev
  libbson-dev libjansson-dev libsass-dev libcurl4-openssl-dev libsodium-dev libcmocka-dev
  libcmark-dev nginx-light wrk python3-aiosmtpd chromium curl ca-certificates john-data)

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) = 'install ok installed' ]]; }

ensure_packages() {
  local want=("${PACKAGES[@]}") missing=() p
  command -v node >/dev/null || want+=(nodejs)
  command -v npm >/dev/null || want+=(npm)
  command -v go >/dev/null || want+=(golang-go)
  for p in "${want[@]}"; do installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  log "installing: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}
