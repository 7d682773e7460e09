#!/usr/bin/env bash
# The main job: install, build, and show what baton does with a real compose
# project. Grows with baton; today it loads the demo web shop
# (testdata/demo: compose.yaml, its development override and .env) the way
# docker compose does and prints the merged, interpolated, normalised result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
demo=testdata/demo
echo "== baton config: the demo project as docker compose would run it" >&2
./build/cli/baton --project-directory "$demo" \
  -f "$demo/compose.yaml" -f "$demo/compose.override.yaml" config
echo "== baton config --services / --profiles / --images" >&2
./build/cli/baton --project-directory "$demo" -f "$demo/compose.yaml" config --services
./build/cli/baton --project-directory "$demo" -f "$demo/compose.yaml" config --profiles
./build/cli/baton --project-directory "$demo" -f "$demo/compose.yaml" --profile debug config --images
