#!/usr/bin/env bash
# Runs the benchmarks of the four families of issue 7 — rule evaluation per
# commune, PDF render per decision, signature per decision, task completion
# round trip through the API — COUNT times each, into
# bench/results/LABEL.txt, and compares them with bench/baseline.txt using
# benchstat (pinned below; run with `go run`, it leaves go.mod alone). The
# render and sign families run on one core (-cpu 1: the garbage collector
# shares it, as on a loaded worker); the sign family runs the plain-fpdf
# anchor in the same `go test` as BenchmarkRenderAndSign, and the script
# prints their ratio, for this run and for the baseline.
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

# One family: its packages and benchmarks (go test -bench patterns), and
# the -cpu list ("" for the default GOMAXPROCS).
run() {
	local family="$1" pkg="$2" pattern="$3" bt="$4" cpu="${5:-}"
	echo "Load before $family $pkg (1, 5, 15 min):$(uptime | sed 's/.*load average[s]*://')" | tee -a "$tmp"
	(cd "$repo" && go test "$pkg" -run '^$' -bench "$pattern" -benchmem -count "$count" -benchtime "$bt" ${cpu:+-cpu "$cpu"} -timeout 60m) | tee -a "$tmp"
}

# median prints the median of the numbers on standard input.
median() {
	sort -g | awk '{v[NR] = $1} END {if (NR == 0) exit 1; if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f\n", m}'
}

# column FILE BENCHMARK N prints field N (3: ns/op, 5: B/op, 7: allocs/op)
# of every result line of BENCHMARK (with any -cpu suffix) in FILE.
column() {
	awk -v b="$2" -v n="$3" '$1 ~ "^" b "(-[0-9]+)?$" {print $n}' "$1"
}

# ratio FILE prints how many times faster than the plain-fpdf anchor
# (BenchmarkRenderPlainFpdf: rendering alone) render and both signatures
# (BenchmarkRenderAndSign) ran in FILE, from the medians of the one run,
# with the medians themselves and the load before the run.
ratio() {
	local anchor ours bytes load
	anchor=$(column "$1" BenchmarkRenderPlainFpdf 3 | median) || { echo "no anchor in ${1#"$here"/}"; return; }
	ours=$(column "$1" BenchmarkRenderAndSign 3 | median) || { echo "no BenchmarkRenderAndSign in ${1#"$here"/}"; return; }
	bytes=$(column "$1" BenchmarkRenderAndSign 5 | median)
	load=$(grep -m1 '^Load before sign ./render' "$1" | sed 's/.*min)://')
	awk -v a="$anchor" -v o="$ours" -v b="$bytes" -v f="${1#"$here"/}" -v l="$load" 'BEGIN {
		printf "%s: render + signature + seal %.2f ms, %.2f MB/op; plain fpdf render %.2f ms: %.1fx (load before:%s)\n", f, o / 1e6, b / 1e6, a / 1e6, a / o, l
	}'
}

{
	echo "Commit $(git -C "$repo" rev-parse HEAD)$([ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ] && echo ' with local changes'), $(go version | cut -d' ' -f3-), COUNT=$count"
} >"$tmp"
for f in $families; do
	case "$f" in
	rules) # the year-end evaluation of a commune, and an officer's report's checks
		run rules ./cycle '^(BenchmarkEvaluateCommune|BenchmarkValidateReport)$' "$benchtime" ;;
	render) # the approval decision (two pages, 25 communes) as the issue renders it; the layout engine alone
		run render ./render '^BenchmarkRenderApproval$' "$benchtime" 1
		run render ./document '^BenchmarkRender$' "$benchtime" 1 ;;
	sign) # signer's signature and the body's seal on a rendered decision; render and sign together, with the plain-fpdf anchor
		run sign ./signing '^BenchmarkSignAndSeal$' "$benchtime" 1
		run sign ./render '^(BenchmarkRenderAndSign|BenchmarkRenderPlainFpdf)$' "$benchtime" 1 ;;
	completion) # an officer's task through the HTTP API on the whole stack; the store's part alone
		run completion ./e2e '^BenchmarkAPITaskCompletion$' "$e2e_benchtime"
		run completion ./postgres '^BenchmarkCompleteTask$/^proposal$' "$benchtime" ;;
	*) echo "bench.sh: unknown family $f (rules, render, sign, completion)" >&2; exit 2 ;;
	esac
done
mv "$tmp" "$out"
trap - EXIT
echo "• results: ${out#"$here"/}"

case " $families " in
*" sign "*) echo "• against the plain-fpdf anchor, medians of one run:"; ratio "$out" ;;
esac
if $baseline; then
	exit 0
fi
if [ ! -f "$here/bench/baseline.txt" ]; then
	echo "• no bench/baseline.txt to compare with: make one with scripts/bench.sh --baseline" >&2
	exit 0
fi
case " $families " in
*" sign "*) ratio "$here/bench/baseline.txt" ;;
esac
echo "• benchstat bench/baseline.txt ${out#"$here"/}"
cd "$here"
go run "$BENCHSTAT" bench/baseline.txt "${out#"$here"/}"
