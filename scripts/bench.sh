#!/usr/bin/env bash
# Builds a Release tree in build-release/ and runs the benchmarks that need
# no lab (the loader). Lab benchmarks take a running lab; see bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
BATON_BUILD_DIR=build-release BATON_BUILD_TYPE=Release bash scripts/build.sh -DBATON_TESTS=OFF
./build-release/bench/load_bench 1000 20
