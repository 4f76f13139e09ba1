#!/usr/bin/env bash
# Runs every Khlang test, starting the servers they need. Called by `make test`.
#  0. ruff, the linter (ruff.toml);
#  1. the whole suite on SQLite, with the real search engine and headless Chromium;
#  2. the whole suite again on PostgreSQL (browser tests excluded: they test pages, not the database).
# Arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output

echo "== ruff"
.venv/bin/ruff check .

# fonts-thai-tlwg: a Thai TrueType font for the tests that make Thai PDFs
bash scripts/system-packages.sh chromium chromium-driver postgresql maven curl fonts-thai-tlwg nginx libpango-1.0-0 libpangoft2-1.0-0

ENGINE_PORT="${KHLANG_TEST_ENGINE_PORT:-9250}"
cleanup() {
  KHLANG_ENGINE_PORT="$ENGINE_PORT" search/engine/stop.sh >/dev/null 2>&1 || true
  scripts/postgres.sh stop
}
trap cleanup EXIT

DATABASE_URL_POSTGRES="$(scripts/postgres.sh start | tail -n 1)"
# The engine: OpenSearch 2.19 unless KHLANG_SEARCH_ENGINE=elasticsearch7 (Elasticsearch 7.10);
# start.sh and the tests read the same variable. It keeps its data here across the restart
# that tests/search/test_search.py makes.
export KHLANG_SEARCH_ENGINE="${KHLANG_SEARCH_ENGINE:-opensearch2}"
export KHLANG_ENGINE_DATA="$PWD/test-output/engine-data-$KHLANG_SEARCH_ENGINE"
KHLANG_TEST_SEARCH_URL="$(KHLANG_ENGINE_PORT="$ENGINE_PORT" search/engine/start.sh | tail -n 1)"
export KHLANG_TEST_SEARCH_URL

echo "== SQLite, search engine at $KHLANG_TEST_SEARCH_URL, browser"
.venv/bin/pytest "$@"

echo "== PostgreSQL at $DATABASE_URL_POSTGRES"
DATABASE_URL="$DATABASE_URL_POSTGRES" .venv/bin/pytest -m "not browser" "$@"
