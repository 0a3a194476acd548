#!/usr/bin/env bash
# The main job: a demo yearly cycle on an embedded Temporal dev server (with
# the Web UI) and a throwaway PostgreSQL, unless TEMPORAL_ADDRESS /
# DATABASE_URL name real ones. It builds bin/demo (scripts/build.sh) and runs
# it; arguments go to the demo binary (see `bin/demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh demo
exec bin/demo "$@"
