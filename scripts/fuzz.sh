#!/usr/bin/env bash
# Runs every fuzz target of the module, one after the other, for FUZZTIME
# each (default 30s), and prints a summary: executions per target and any
# failure. A failing input is written by Go under the package's
# testdata/fuzz/<FuzzName>/; keep it (it then runs with every `go test`)
# and add a named regression test next to the fix.
#
#   bash scripts/fuzz.sh                        # every target, 30 s each
#   FUZZTIME=2m bash scripts/fuzz.sh            # longer
#   FUZZ_MATCH=Proposal bash scripts/fuzz.sh    # targets whose name matches
#   FUZZ_PKGS="./cycle ./api" bash scripts/fuzz.sh
#
# Other knobs: FUZZ_PARALLEL (fuzzing workers per target, default 1: the
# machine is shared), FUZZMINIMIZETIME (time spent minimising each new
# input, default 5s: Go's 60 s default stalls targets with large seeds).
# The seed corpora alone run with the ordinary tests (`go test ./...`).
# Packages with targets are found by their `func Fuzz` (e2e excluded); the
# targets by `go test -list '^Fuzz'`. The first run compiles each package
# with coverage instrumentation (the starter's embeds the Temporal server:
# several minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:--buildvcs=false}"
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

FUZZTIME="${FUZZTIME:-30s}"
FUZZ_PARALLEL="${FUZZ_PARALLEL:-1}"
FUZZMINIMIZETIME="${FUZZMINIMIZETIME:-5s}"
FUZZ_MATCH="${FUZZ_MATCH:-.}"

if [[ -z "${FUZZ_PKGS:-}" ]]; then
	FUZZ_PKGS=$(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '^./e2e/' | xargs -n1 dirname | sort -u | tr '\n' ' ')
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=()
failed=0
for pkg in $FUZZ_PKGS; do
	targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' | grep -E -- "$FUZZ_MATCH" || true)
	for t in $targets; do
		echo "== $pkg $t ($FUZZTIME)"
		status=ok
		if ! go test "$pkg" -run '^$' -fuzz "^${t}\$" -fuzztime "$FUZZTIME" \
			-fuzzminimizetime "$FUZZMINIMIZETIME" -parallel "$FUZZ_PARALLEL" >"$log" 2>&1; then
			status=FAIL
			failed=$((failed + 1))
		fi
		execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
		if [[ $status == FAIL ]]; then
			grep -v '^fuzz: elapsed' "$log" | sed 's/^/   /'
		fi
		summary+=("$(printf '%-4s %-12s %-34s %12s execs' "$status" "$pkg" "$t" "${execs:-0}")")
	done
done

echo
echo "fuzz summary ($FUZZTIME per target):"
printf '%s\n' "${summary[@]}"
if ((failed > 0)); then
	echo "$failed target(s) failed: the failing inputs are under <package>/testdata/fuzz/<target>/"
	exit 1
fi
