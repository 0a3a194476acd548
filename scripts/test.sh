#!/usr/bin/env bash
# The whole test suite: set-up, formatting, vet, workflowcheck (workflow
# determinism), then every package's tests, including the end-to-end tests
# on the embedded Temporal server and real PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-db
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "not gofmt-ed:"; echo "$unformatted"; exit 1; fi

echo "== go vet"
go vet ./...

echo "== workflowcheck"
if ! command -v workflowcheck >/dev/null; then
  GOBIN="$HOME/go/bin" go install go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0
fi
workflowcheck ./workflows/...

echo "== go test"
go test -count=1 -timeout 20m ./... 2>&1 | tee /tmp/chuyenhoa-test.log

echo "== docs/by-hand.md run as written (scripts/by-hand.sh)"
bash scripts/by-hand.sh
