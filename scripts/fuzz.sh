#!/usr/bin/env bash
# Runs one libFuzzer target for N seconds (default 60): no crash, no leak, no
# hang (a single input taking over 10 s counts as a hang).
#   scripts/fuzz.sh [seconds] [target]
# Targets: loader_fuzz (the compose loader, the default), dns_fuzz (the DNS
# wire format and cluster name answers).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
target=${2:-loader_fuzz}

case "$target" in
  loader_fuzz)
    # Our own compose fixtures, plus the shared corpus when it is beside the project.
    seed_dirs=(testdata ../shared/corpus)
    seed_names=(-name '*.yaml' -o -name '*.yml')
    ;;
  dns_fuzz)
    seed_dirs=(testdata/dns)  # hand-made queries, written by testdata/dns/make_seeds.sh
    seed_names=(-name '*.bin')
    ;;
  *)
    echo "fuzz: unknown target $target (loader_fuzz, dns_fuzz)" >&2
    exit 2
    ;;
esac

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DBATON_FUZZ=ON -DBATON_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "$target"

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
i=0
while IFS= read -r -d '' f; do
  cp "$f" "$seeds/seed-$((i++))"
done < <(find "${seed_dirs[@]}" -type f \( "${seed_names[@]}" \) -size -64k -print0 2>/dev/null)
echo "fuzz: $target, $i seed files, $seconds s"

"./build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$seeds" 2>&1 | tail -n 25
