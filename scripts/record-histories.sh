#!/usr/bin/env bash
# Records the workflow histories that workflows/replay_transformation_test.go
# replays: the demo's yearly cycle through its transformation years (every run,
# continue-as-new included) and one commune's transformation per scenario of
# the demo (every run of a commune that continued into a second year).
#
#   bash scripts/record-histories.sh [--year 2027] [--out workflows/testdata]
#
# It builds bin/demo and bin/starter (scripts/build.sh), runs `demo devserver` (embedded
# Temporal on a SQLite file and a throwaway PostgreSQL) in the background,
# runs the demo against them (TEMPORAL_ADDRESS and DATABASE_URL set, so the
# demo starts only its own worker), then `starter operator history export` for each
# workflow. Everything else lives in a temporary directory removed on exit.
# Needs what the demo needs (scripts/setup.sh: PostgreSQL binaries) and jq.
# The demo takes about 2 minutes once compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

year=2027
out=workflows/testdata
while [ $# -gt 0 ]; do
	case "$1" in
	--year) year="$2"; shift 2 ;;
	--out) out="$2"; shift 2 ;;
	*) echo "record-histories.sh: unknown argument $1 (--year Y, --out DIR)" >&2; exit 2 ;;
	esac
done
command -v jq >/dev/null || { echo "record-histories.sh: jq is needed (apt-get install -y jq)" >&2; exit 1; }
mkdir -p "$out"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-histories-XXXXXX")
devpid=""
cleanup() {
	if [ -n "$devpid" ] && kill -0 "$devpid" 2>/dev/null; then
		kill -TERM "$devpid" 2>/dev/null || true # the devserver stops Temporal and removes its PostgreSQL
		wait "$devpid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "• building bin/demo and bin/starter"
bash scripts/build.sh demo starter
demo="$PWD/bin/demo" starter="$PWD/bin/starter"

# Unset any Temporal/PostgreSQL of the caller's environment: the dev server
# starts its own, and prints where they are.
unset TEMPORAL_ADDRESS TEMPORAL_NAMESPACE DATABASE_URL
"$demo" devserver --db-file "$tmp/temporal.db" --port 0 --ui-port -1 >"$tmp/devserver.log" 2>&1 &
devpid=$!
for _ in $(seq 1 600); do
	if grep -q '^ *export TEMPORAL_ADDRESS=' "$tmp/devserver.log"; then
		break
	fi
	if ! kill -0 "$devpid" 2>/dev/null; then
		echo "record-histories.sh: the dev server stopped:" >&2
		cat "$tmp/devserver.log" >&2
		exit 1
	fi
	sleep 0.1
done
exports=$(grep -m1 '^ *export TEMPORAL_ADDRESS=' "$tmp/devserver.log" || true)
if [ -z "$exports" ]; then
	echo "record-histories.sh: the dev server did not print its address within 60 s:" >&2
	cat "$tmp/devserver.log" >&2
	exit 1
fi
eval "$exports"
echo "• dev server: TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS DATABASE_URL=$DATABASE_URL"

echo "• running the demo for $year (log: the scenarios and outcomes below)"
"$demo" --year "$year" --out "$tmp/out" --history-limit "${HISTORY_LIMIT:-500}" | tee "$tmp/demo.log"

province=51 # the demo's default province, Quảng Ngãi
cycle_id="cycle/$province/$year"
"$starter" operator transformation list --province "$province" --json >"$tmp/list.json"

# The commune of a scenario: by the name the demo printed next to the
# scenario's description, among the cohort's communes.
by_scenario() {
	local line name=""
	while IFS= read -r line; do
		if [[ "$line" == "   "*" $1" ]]; then # "   <commune name, padded> <scenario>"
			name="${line%" $1"}"
			name="${name#"${name%%[! ]*}"}"
			name="${name%"${name##*[! ]}"}"
			break
		fi
	done <"$tmp/demo.log"
	if [ -z "$name" ]; then
		echo "record-histories.sh: the demo printed no commune for scenario \"$1\"" >&2
		exit 1
	fi
	jq -er --arg name "$name" --arg cycle "$cycle_id" \
		'[.[] | select(.cycle_id == $cycle and .name == $name)] | if length == 1 then .[0].workflow_id else error("\(length) communes named \($name)") end' "$tmp/list.json"
}
# A commune by its final standing and the programme year it ended in.
by_standing() {
	jq -er --arg standing "$1" --argjson yearno "$2" --arg cycle "$cycle_id" --argjson skip "$3" \
		'[.[] | select(.cycle_id == $cycle and .standing == $standing and .year_no == $yearno and (.workflow_id | IN($skip[]) | not))][0].workflow_id' "$tmp/list.json"
}

second=$(by_scenario "không đạt năm 1 → đạt năm 2")
twice=$(by_scenario "không đạt hai năm → kiểm điểm trách nhiệm")
relapse=$(by_scenario "đạt, phức tạp trở lại khi theo dõi")
late=$(by_scenario "báo cáo năm chậm, đạt")
override=$(by_scenario "báo cáo không đạt, Hội đồng công nhận đạt có lý do")
pass=$(by_standing recognised 1 "$(jq -n --arg a "$late" --arg b "$override" '[$a, $b]')")

# Check that each commune ended as its scenario says before recording it.
expect() {
	local got
	got=$(jq -er --arg id "$1" '.[] | select(.workflow_id == $id) | "\(.standing) \(.year_no)"' "$tmp/list.json")
	if [ "$got" != "$2" ]; then
		echo "record-histories.sh: $1 ended as \"$got\", not \"$2\": the demo's scenarios changed?" >&2
		exit 1
	fi
}
expect "$pass" "recognised 1"
expect "$second" "recognised 2"
expect "$twice" "responsibility_review 2"
expect "$relapse" "relapsed 1"
expect "$late" "recognised 1"
expect "$override" "recognised 1"

echo "• exporting the histories into $out"
export_history() {
	if [ "${3:-}" = --all-runs ]; then
		rm -f "$out/$2"_run*.json # no run left over from an earlier recording with more runs
	fi
	"$starter" operator history export --workflow-id "$1" "${@:3}" --out "$out/$2.json"
}
export_history "$cycle_id" yearly_cycle_transformation --all-runs
export_history "$pass" commune_transformation_pass
export_history "$second" commune_transformation_second_year --all-runs
export_history "$twice" commune_transformation_twice_failed --all-runs
export_history "$relapse" commune_transformation_relapse
export_history "$late" commune_transformation_late_report
export_history "$override" commune_transformation_council_override

runs=$(ls "$out"/yearly_cycle_transformation_run*.json | wc -l)
if [ "$runs" -lt 2 ]; then
	echo "record-histories.sh: the cycle did not continue as new (--history-limit ${HISTORY_LIMIT:-500}):" >&2
	echo "  the recording must hold a run after a continue-as-new" >&2
	exit 1
fi

echo "• replaying them against this build"
"$starter" operator history replay "$out"/yearly_cycle_transformation_run*.json "$out"/commune_transformation_*.json
du -ch "$out"/yearly_cycle_transformation_run*.json "$out"/commune_transformation_*.json | tail -1
