#!/usr/bin/env bash
# Configures and builds baton into build/ (or $BATON_BUILD_DIR). Extra
# arguments go to cmake's configure step. $BATON_TARGETS (space-separated)
# builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BATON_BUILD_DIR:-build}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=${BATON_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
read -r -a targets <<<"${BATON_TARGETS:-}"
cmake --build "$dir" -j "$(nproc)" ${targets[@]:+--target "${targets[@]}"}
