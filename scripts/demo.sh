#!/usr/bin/env bash
# The main job: a demo yearly cycle on an embedded Temporal dev server (with
# the Web UI) and a throwaway PostgreSQL, unless TEMPORAL_ADDRESS /
# DATABASE_URL name real ones. Arguments go to the demo binary (see
# `go run ./demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="/usr/local/go/bin:$PATH" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
exec go run ./demo "$@"
