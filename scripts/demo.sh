#!/usr/bin/env bash
# The main job: install, build, and show what baton does with a real compose
# project. Grows with baton; today it prints the loaded, normalised project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/cli/baton --project-directory testdata/demo -f testdata/demo/compose.yaml config
