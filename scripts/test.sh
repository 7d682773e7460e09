#!/usr/bin/env bash
# Every test: install, build, run all tests through ctest (unit, conformance,
# lab integration), then the unit tests again under AddressSanitizer+UBSan,
# then the loader fuzzer and the DNS fuzzer for 60 s each.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== build"
bash scripts/build.sh
echo "== tests"
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 600)

echo "== sanitizers (ASan+UBSan)"
# Only what the unit and conformance tests run: the lab tests ran above, and
# compiling them again with sanitizers would cost minutes of the CI budget.
unit_targets="baton baton-netd lab_tests conformance_tests"
for module in base compose planner transport runtime dns netd content cli; do
  unit_targets+=" ${module}_tests"
done
BATON_TARGETS=$unit_targets BATON_BUILD_DIR=build-asan BATON_BUILD_TYPE=Debug \
  bash scripts/build.sh -DBATON_SANITIZE=ON -DBATON_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$(nproc)" -L "unit|conformance" --timeout 600)

if [[ -x scripts/fuzz.sh ]]; then
  echo "== fuzz"
  bash scripts/fuzz.sh 60 loader_fuzz
  bash scripts/fuzz.sh 60 dns_fuzz
fi
