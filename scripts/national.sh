#!/usr/bin/env bash
# The national-scale run: the yearly cycles of the 34 provinces of 2025
# (3,321 communes, synthetic figures) on an embedded Temporal dev server and a
# throwaway PostgreSQL (unless TEMPORAL_ADDRESS / DATABASE_URL name real ones),
# from the proposals to the decisions and, on a sped-up calendar, to the
# recognition decisions; it prints wall times, workflows, documents and peak
# memory. It builds bin/demo (scripts/build.sh) and runs `bin/demo national`;
# arguments go to it (see --help), e.g.
#   bash scripts/national.sh --provinces 3 --selection-only  # a quick try
#   bash scripts/national.sh --selection-only                # stop at the 34 decisions
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh demo
exec bin/demo national "$@"
