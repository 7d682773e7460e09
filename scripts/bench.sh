#!/usr/bin/env bash
# Builds a Release tree in build-release/ and runs the benchmarks: the loader
# and the planner always; with --lab (as root) also those that need real
# hosts, on a 3-host lab that this script brings up and removes again.
set -euo pipefail
cd "$(dirname "$0")/.."
BATON_BUILD_DIR=build-release BATON_BUILD_TYPE=Release bash scripts/build.sh -DBATON_TESTS=OFF
./build-release/bench/load_bench 1000 20
./build-release/bench/planner_bench
if [[ "${1:-}" == "--lab" ]]; then
  baton=./build-release/cli/baton
  lab_dir=$(mktemp -d /var/tmp/baton-bench-lab.XXXXXX)
  trap '"$baton" lab down --dir "$lab_dir" >/dev/null; rm -rf "$lab_dir"' EXIT
  "$baton" lab up 3 --dir "$lab_dir" >/dev/null
  export BATON_HOSTS="$lab_dir/baton.hosts.yaml"
  ./build-release/bench/hosts_check_bench
  ./build-release/bench/docker_ping_bench "$lab_dir/hosts/lab1/run/docker.sock"
  ./build-release/bench/up_bench --baton "$baton"
  ./build-release/bench/watch_bench --lab-dir "$lab_dir" --baton "$baton"
  ./build-release/bench/update_bench --baton "$baton"
  for overlay in auto vxlan; do
    ./build-release/bench/net_bench --lab-dir "$lab_dir" --baton "$baton" \
      --probe ./build-release/bench/net_probe --overlay "$overlay"
  done
fi
