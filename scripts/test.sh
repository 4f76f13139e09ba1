#!/usr/bin/env bash
# Runs every Khlang test, starting what the tests need. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh chromium chromium-driver

mkdir -p test-output
exec .venv/bin/pytest "$@"
