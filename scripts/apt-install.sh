# Sourced by the install-*.sh scripts: installs the Debian packages given
# that are not installed yet, with sudo when not root. Does nothing (and
# runs no apt-get) when all are present.
evm_apt_install() {
  local what=$1; shift
  local missing=() p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "evmap: installing $what: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "evmap: need root or sudo to install: ${missing[*]}" >&2; return 1; }
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
