#!/usr/bin/env bash
# Fuzzes the compose loader with libFuzzer for N seconds (default 60): no
# crash, no leak, no hang (a single input taking over 10 s counts as a hang).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DBATON_FUZZ=ON -DBATON_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target loader_fuzz

# Seeds: our own fixtures, plus the shared corpus when it is beside the project.
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
i=0
while IFS= read -r -d '' f; do
  cp "$f" "$seeds/seed-$((i++))"
done < <(find testdata ../shared/corpus -type f \( -name '*.yaml' -o -name '*.yml' \) -size -64k -print0 2>/dev/null)
echo "fuzz: $i seed files, $seconds s"

./build-fuzz/tests/fuzz/loader_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$seeds" 2>&1 | tail -n 25
