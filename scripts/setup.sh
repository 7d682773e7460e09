#!/usr/bin/env bash
# Installs every package baton needs to build and test, from Debian 12 (apt-get).
# Idempotent: packages already present are left alone, so re-running is cheap.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev                 # libFuzzer + sanitizers
  libyaml-cpp-dev libssh-dev libcurl4-openssl-dev nlohmann-json3-dev
  libcli11-dev catch2
  docker.io openssh-server openssh-client busybox-static iproute2 iptables
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
