#!/usr/bin/env bash
# docs/by-hand.md's "Driving a cycle by hand", run as written: the dev server,
# the worker and the API server in the background, then the operator's and
# the officers' commands in the page's order, each officer signed in with
# the CLI — up to the signed, delivered approval decision, which
# `starter operator verify` checks against the demo's CA. The suite runs it
# (scripts/test.sh) and internal/readme's test checks that every command of
# the page's block is one of this script's lines, so the page stays true.
#
#   bash scripts/by-hand.sh [--keep]    # --keep: leave the work folder for a look
#
# Everything lives in a temporary folder (the dev server's .data, the
# officers' sessions, the PDFs), removed on exit. Uses ports 7233 (Temporal),
# 8080 (API) and 8081 (the server's metrics) as the page does: it stops
# at once, naming the port, if one is taken.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
keep=0
[ "${1:-}" = "--keep" ] && keep=1

for port in 7233 8080; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "by-hand: port $port is in use; stop what listens there first" >&2
    exit 1
  fi
done

work=$(mktemp -d /tmp/chuyenhoa-by-hand.XXXXXX)
pids=()
cleanup() {
  status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ $status -ne 0 ]; then
    for f in devserver worker server; do
      echo "---- last lines of $f.log" >&2
      tail -n 25 "$work/$f.log" >&2 || true
    done
  fi
  if [ $keep = 1 ]; then echo "by-hand: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== bash scripts/build.sh"
bash scripts/build.sh
ln -s "$repo/bin" "$work/bin"
cd "$work"

# wait_for FILE PATTERN SECONDS: until FILE has a line matching PATTERN.
wait_for() {
  for _ in $(seq 1 "$(( $3 * 10 ))"); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "by-hand: no \"$2\" in $1 after $3 s" >&2
  return 1
}
# step shows a command as an officer types it, then runs it.
step() { printf '\n$ %s\n' "$*"; "$@"; }

echo "== bin/demo devserver"
bin/demo devserver --ui-port -1 >devserver.log 2>&1 &
pids+=($!)
wait_for devserver.log "Ctrl-C stops everything" 240
cat devserver.log
# The exports it prints, as one pastes them into the other terminals.
eval "$(grep '^  export ' devserver.log)"

bin/worker >worker.log 2>&1 &
pids+=($!)
bin/server --addr 127.0.0.1:8080 --http-addr 127.0.0.1:8081 >server.log 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  curl -fsS http://127.0.0.1:8081/readyz >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS http://127.0.0.1:8081/readyz >/dev/null
wait_for worker.log "Started Worker" 60

password='một mật khẩu dài'
echo "== the operator"
step bin/starter operator registry import --sample quang-ngai
echo 'một mật khẩu dài' | bin/starter operator account add cat.tt --role secretariat --password-stdin
echo 'một mật khẩu dài' | bin/starter operator account add ca.522 --role district_officer --district 522 --password-stdin
echo 'một mật khẩu dài' | bin/starter operator account add hd.chutich --role council_chair --password-stdin
echo 'một mật khẩu dài' | bin/starter operator account add truongban --role signer --password-stdin
echo 'một mật khẩu dài' | bin/starter operator account add vanthu --role clerk --password-stdin

echo "== the officers"
export XDG_CONFIG_HOME="$work/config"
export CHUYENHOA_SERVER=http://127.0.0.1:8080
echo "$password" | bin/starter login cat.tt
# Without --yes it shows the policy and its calendar, and exits 2 (not confirmed).
step bin/starter cycle start --province 51 --year 2027 --synthetic || [ $? -eq 2 ]
step bin/starter cycle start --province 51 --year 2027 --synthetic --yes
echo "$password" | bin/starter login ca.522
step bin/starter tasks
step bin/starter task show cycle/51/2027/submit_proposal/522
step bin/starter proposal template --year 2027 --format csv -o 522.csv
# "fill it in": the operator's sample has the synthetic figures of 522's communes.
bin/starter operator sample proposal --district 522 --year 2027 --format csv >522.csv
step bin/starter proposal submit -f 522.csv
step bin/starter cycle show --year 2027
echo "$password" | bin/starter login cat.tt
step bin/starter cycle close-proposals --reason "Các đơn vị còn lại không có địa bàn đề xuất"
step bin/starter consolidate
echo "$password" | bin/starter login hd.chutich
step bin/starter appraise --approve --minutes "Hội đồng thống nhất thông qua danh sách"
echo "$password" | bin/starter login truongban
step bin/starter sign --comment "Đồng ý"
echo "$password" | bin/starter login vanthu
step bin/starter issue
# The decision is rendered, signed and delivered after the clerk's step.
for _ in $(seq 1 300); do
  bin/starter cycle decisions --year 2027 --fetch approval -o quyet-dinh.pdf >/dev/null 2>&1 && break
  sleep 0.2
done
step bin/starter cycle decisions --year 2027 --fetch approval -o quyet-dinh.pdf
step bin/starter logout
step bin/starter operator verify --ca "$CHUYENHOA_SIGNING_CA" quyet-dinh.pdf

echo "== what the worker delivered"
for _ in $(seq 1 300); do
  [ -n "$(find .data/out/noi-nhan -name '*.pdf' 2>/dev/null | head -1)" ] && break
  sleep 0.2
done
copies=$(find .data/out/noi-nhan -name '*.pdf' | wc -l)
step ls .data/out/noi-nhan/*/
if [ "$copies" -eq 0 ]; then echo "by-hand: the decision was delivered to no one" >&2; exit 1; fi
echo "by-hand: done — the decision signed, verified and delivered in $copies copies"
