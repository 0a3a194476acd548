#!/usr/bin/env bash
# Runs the benchmarks of the four families of issue 7 — rule evaluation per
# commune, PDF render per decision, signature per decision, task completion
# round trip through the API — COUNT times each, into
# bench/results/LABEL.txt, and compares them with bench/baseline.txt using
# benchstat (pinned below; run with `go run`, it leaves go.mod alone).
#
#   bash scripts/bench.sh [LABEL]     # default LABEL: the commit (+ "-dirty")
#   bash scripts/bench.sh --baseline  # write bench/baseline.txt instead (commit it)
#
# Environment: COUNT (6), FAMILIES ("rules render sign completion"),
# BENCHTIME (1s; -benchtime of the in-process benchmarks), E2E_BENCHTIME
# (200x; the API round trip on the whole stack), REPO (the checkout whose
# code is measured, default this one: measure another commit from a
# `git worktree`, see bench/README.md). PostgreSQL at 127.0.0.1:5432 or
# TEST_DATABASE_URL is needed by the completion family. The machine's load
# (uptime) is written into the results before each family: compare runs
# made under similar load.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

# golang.org/x/perf has no tagged releases: the pseudo-version of its master
# on 2026-09-08, resolved once with `go list -m golang.org/x/perf@latest`.
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

count=${COUNT:-6}
families=${FAMILIES:-rules render sign completion}
benchtime=${BENCHTIME:-1s}
e2e_benchtime=${E2E_BENCHTIME:-200x}
repo=$(cd "${REPO:-$here}" && pwd)

baseline=false
label=""
case "${1:-}" in
--baseline) baseline=true; label=baseline ;;
-*) echo "bench.sh: unknown option $1 (LABEL or --baseline)" >&2; exit 2 ;;
"") ;;
*) label="$1" ;;
esac
if [ -z "$label" ]; then
	label=$(git -C "$repo" rev-parse --short HEAD)
	if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
		label="$label-dirty"
	fi
fi
case "$label" in
*/* | .*) echo "bench.sh: label \"$label\" must be a plain file name" >&2; exit 2 ;;
esac

mkdir -p "$here/bench/results"
out="$here/bench/results/$label.txt"
if $baseline; then
	out="$here/bench/baseline.txt"
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# One family: its packages and benchmarks (go test -bench patterns).
run() {
	local family="$1" pkg="$2" pattern="$3" bt="$4"
	echo "Load before $family $pkg (1, 5, 15 min):$(uptime | sed 's/.*load average[s]*://')" | tee -a "$tmp"
	(cd "$repo" && go test "$pkg" -run '^$' -bench "$pattern" -benchmem -count "$count" -benchtime "$bt" -timeout 60m) | tee -a "$tmp"
}

{
	echo "Commit $(git -C "$repo" rev-parse HEAD)$([ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ] && echo ' with local changes'), $(go version | cut -d' ' -f3-), COUNT=$count"
} >"$tmp"
for f in $families; do
	case "$f" in
	rules) # the year-end evaluation of a commune, and an officer's report's checks
		run rules ./cycle '^(BenchmarkEvaluateCommune|BenchmarkValidateReport)$' "$benchtime" ;;
	render) # the approval decision (two pages, 25 communes) as the issue renders it; the layout engine alone
		run render ./docs '^BenchmarkRenderApproval$' "$benchtime"
		run render ./document '^BenchmarkRender$' "$benchtime" ;;
	sign) # signer's signature and the body's seal on a rendered decision; render and sign together
		run sign ./signing '^BenchmarkSignAndSeal$' "$benchtime"
		run sign ./docs '^BenchmarkRenderAndSign$' "$benchtime" ;;
	completion) # an officer's task through the HTTP API on the whole stack; the store's part alone
		run completion ./e2e '^BenchmarkAPITaskCompletion$' "$e2e_benchtime"
		run completion ./postgres '^BenchmarkCompleteTask$/^proposal$' "$benchtime" ;;
	*) echo "bench.sh: unknown family $f (rules, render, sign, completion)" >&2; exit 2 ;;
	esac
done
mv "$tmp" "$out"
trap - EXIT
echo "• results: ${out#"$here"/}"

if $baseline; then
	exit 0
fi
if [ ! -f "$here/bench/baseline.txt" ]; then
	echo "• no bench/baseline.txt to compare with: make one with scripts/bench.sh --baseline" >&2
	exit 0
fi
echo "• benchstat bench/baseline.txt ${out#"$here"/}"
cd "$here"
go run "$BENCHSTAT" bench/baseline.txt "${out#"$here"/}"
