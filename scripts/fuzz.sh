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
#   FUZZ_PKGS=./intake FUZZTIME=2m bash scripts/fuzz.sh   # the readers of officers' files:
#       encodings (FuzzDetectEncoding), CSV dialects (FuzzReadCSVTable), strict JSON
#       (FuzzDecodeJSON), proposals in each form, the checker's input
#
# Other knobs: FUZZ_PARALLEL (fuzzing workers per target, default 1: the
# machine is shared), FUZZMINIMIZETIME (time spent minimising each new
# input, default 5s: Go's 60 s default stalls targets with large seeds).
# The seed corpora alone run with the ordinary tests (`go test ./...`).
# Packages with targets are found by their `func Fuzz` (e2e excluded); the
# targets by `go test -list '^Fuzz'`. The first run compiles each package
# with coverage instrumentation.
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

# files counts the failing inputs kept for a target.
files() {
	local n=0 f
	for f in "$1"/*; do
		[[ -e $f ]] && n=$((n + 1))
	done
	echo "$n"
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=()
failed=0
for pkg in $FUZZ_PKGS; do
	if ! go test -list '^Fuzz' "$pkg" >"$log" 2>&1; then
		echo "== $pkg: the tests do not build"
		sed 's/^/   /' "$log"
		summary+=("$(printf '%-5s %-12s %-32s' FAIL "$pkg" "(does not build)")")
		failed=$((failed + 1))
		continue
	fi
	targets=$(grep '^Fuzz' "$log" | grep -E -- "$FUZZ_MATCH" || true)
	for t in $targets; do
		echo "== $pkg $t ($FUZZTIME)"
		corpus="$pkg/testdata/fuzz/$t"
		before=$(files "$corpus")
		status=ok
		if ! go test "$pkg" -run '^$' -fuzz "^${t}\$" -fuzztime "$FUZZTIME" -timeout "${FUZZ_TIMEOUT:-1h}" \
			-fuzzminimizetime "$FUZZMINIMIZETIME" -parallel "$FUZZ_PARALLEL" >"$log" 2>&1; then
			status=FAIL
			# Go 1.26's coordinator can fail a run with a bare "context deadline
			# exceeded" as -fuzztime ends, with no failing input (golang/go#75804,
			# fixed in Go 1.27): not a finding.
			if [[ $(files "$corpus") == "$before" ]] && grep -q '^    context deadline exceeded$' "$log"; then
				status=flake
			else
				failed=$((failed + 1))
			fi
		fi
		execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
		if [[ $status == FAIL ]]; then
			grep -v '^fuzz: elapsed' "$log" | sed 's/^/   /'
		elif [[ $status == flake ]]; then
			echo "   the run ended on Go's 'context deadline exceeded' with no failing input (golang/go#75804): not a finding"
		fi
		summary+=("$(printf '%-5s %-12s %-32s %12s execs' "$status" "$pkg" "$t" "${execs:-0}")")
	done
done

echo
echo "fuzz summary ($FUZZTIME per target):"
printf '%s\n' "${summary[@]}"
if ((failed > 0)); then
	echo "$failed target(s) failed: the failing inputs are under <package>/testdata/fuzz/<target>/"
	exit 1
fi
