#!/usr/bin/env bash
# deploy/try.sh — tries the production shape of deploy/README.md end to end
# on this machine, then cleans up after itself:
#
#   1. builds the official Temporal tools from source through the Go module
#      proxy (temporal-sql-tool and the server, v1.32.1) into .deploy-bin/
#      (kept: later runs reuse them), and our binaries (worker, server,
#      starter, deploy/nsinit, deploy/whoran) into the run's directory;
#   2. creates the databases temporal_try, temporal_try_visibility and
#      chuyenhoa_try and sets up the Temporal schemas with temporal-sql-tool;
#   3. starts the Temporal server from deploy/temporal/config.yaml on ports
#      that clash with nothing usual (17233…) and registers the namespace;
#   4. starts THREE workers and the API (`server`), each configured
#      by an environment file only (the processes start with an empty
#      environment plus that file, as under systemd's EnvironmentFile=);
#   5. drives one yearly cycle of Quảng Ngãi up to the issued decision with
#      the CLI and the HTTP API, SIGKILLing the worker that holds the cycle
#      in the middle, and checks the decision's PDF and its signatures;
#   6. prints what ran where, from the workflows' histories (deploy/whoran);
#   7. exports the running workflows' histories and replays them against
#      this build (`starter history replay`: the check before an upgrade);
#   8. backs the databases up with pg_dump and restores ours into a scratch
#      database (chuyenhoa_try_restore), whose audit chain verifies;
#   and finally prints the time of each step, stops everything and drops the
#   try databases (KEEP=1 keeps the databases and the run's directory; the
#   processes are always stopped).
#
# Not part of CI: the first run compiles the Temporal server (minutes).
#
# Settings (environment, defaults in brackets):
#   TRY_PG_HOST [127.0.0.1]  TRY_PG_PORT [5432]  TRY_PG_USER [postgres]
#   TRY_PG_PASSWORD [empty]: a PostgreSQL role that may create databases
#   TRY_PORT_BASE [17233]: Temporal frontend gRPC port; the others follow:
#       server 17234-17243 and 16933-16939, its metrics 18000, the API 18080,
#       the metrics and health of the API and workers 18090-18093
#   TRY_YEAR [next year; the year after from 20 December]: the cycle's year
#   DEPLOY_BIN [.deploy-bin]: where the Temporal tools are built and kept
#   KEEP=1: keep the databases and the run's directory (logs, PDFs, env files)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

TEMPORAL_VERSION=1.32.1
PG_HOST=${TRY_PG_HOST:-127.0.0.1}
PG_PORT=${TRY_PG_PORT:-5432}
PG_USER=${TRY_PG_USER:-postgres}
PG_PASSWORD=${TRY_PG_PASSWORD:-}
DB_TEMPORAL=temporal_try
DB_VISIBILITY=temporal_try_visibility
DB_APP=chuyenhoa_try
DB_RESTORE=chuyenhoa_try_restore # step 8
BASE=${TRY_PORT_BASE:-17233}
FRONTEND=$BASE                        # 17233 gRPC (what the workers dial)
FRONTEND_HTTP=$((BASE + 10))          # 17243
HISTORY=$((BASE + 1))                 # 17234
MATCHING=$((BASE + 2))                # 17235
TWORKER=$((BASE + 6))                 # 17239
MEMBERSHIP=$((BASE - 300))            # 16933…16939
METRICS=$((BASE + 767))               # 18000
API_PORT=$((BASE + 847))              # 18080
NAMESPACE=chuyenhoa
PROVINCE=51 # Quảng Ngãi
if [ -n "${TRY_YEAR:-}" ]; then
	YEAR=$TRY_YEAR
elif [ $((10#$(date +%m%d))) -ge 1220 ]; then
	YEAR=$(($(date +%Y) + 2)) # next year's proposals would be due before the run ends
else
	YEAR=$(($(date +%Y) + 1))
fi
CYCLE="cycle/$PROVINCE/$YEAR"
BIN=${DEPLOY_BIN:-$ROOT/.deploy-bin}
PGPASSWORD=$PG_PASSWORD
export PGPASSWORD

say() { printf '%s\n' "$*"; }
die() {
	printf 'try.sh: %s\n' "$*" >&2
	exit 1
}
for tool in go psql pg_dump pg_restore curl openssl pdftotext flock; do
	command -v "$tool" >/dev/null || die "$tool is needed (bash scripts/setup.sh installs PostgreSQL's client and poppler-utils)"
done

# One run at a time: the databases and ports are fixed.
exec 9>"${TMPDIR:-/tmp}/chuyenhoa-try.lock"
flock -n 9 || die "another deploy/try.sh is running (lock ${TMPDIR:-/tmp}/chuyenhoa-try.lock)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chuyenhoa-try.XXXXXX")
mkdir -p "$WORK/bin" "$WORK/logs"

# ---- timing ------------------------------------------------------------------
STEP_NAMES=()
STEP_SECS=()
STEP_T0=
T_START=$(date +%s.%N)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
step_end() {
	if [ -n "$STEP_T0" ]; then
		STEP_SECS+=("$(since "$STEP_T0")")
		STEP_T0=
	fi
}
step() {
	step_end
	STEP_NAMES+=("$1")
	STEP_T0=$(date +%s.%N)
	printf '\n▸ %s\n' "$1"
}

# ---- processes and clean-up ----------------------------------------------------
declare -A PID=()  # name → PID of the processes this script started
declare -a ORDER=() # start order, stopped in reverse
FAILED=1

stop() { # name: SIGTERM, then SIGKILL after 60 s
	local name=$1 pid=${PID[$1]:-} t0=$SECONDS
	[ -n "$pid" ] || return 0
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 600); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			say "  $name (pid $pid) did not stop in 60 s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	wait "$pid" 2>/dev/null || true
	say "  $name stopped ($((SECONDS - t0)) s)"
	unset "PID[$name]"
}

drop_databases() {
	for db in "$DB_APP" "$DB_TEMPORAL" "$DB_VISIBILITY" "$DB_RESTORE"; do
		psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
	done
}

cleanup() {
	local rc=$?
	step_end
	trap - EXIT INT TERM
	if [ "$FAILED" = 1 ]; then
		say ""
		say "FAILED (exit $rc). Last lines of the logs in $WORK/logs:"
		for f in "$WORK"/logs/*.log; do
			[ -s "$f" ] || continue
			say "---- $(basename "$f")"
			tail -n 15 "$f"
		done
	fi
	say ""
	say "Stopping the processes (API, workers, Temporal server)…"
	local i
	for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do
		stop "${ORDER[$i]}"
	done
	if [ "${KEEP:-}" = 1 ]; then
		say "KEEP=1: kept the databases $DB_TEMPORAL, $DB_VISIBILITY, $DB_APP, $DB_RESTORE (those made) and $WORK"
	else
		drop_databases || say "could not drop the try databases: drop $DB_TEMPORAL, $DB_VISIBILITY, $DB_APP, $DB_RESTORE by hand"
		if [ "$FAILED" = 1 ]; then
			say "Dropped the try databases; kept $WORK for its logs."
		else
			rm -rf "$WORK"
			say "Dropped the try databases and removed $WORK."
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_env FILE CMD ARGS…: CMD with only PATH, HOME and FILE's variables in
# its environment (FILE is KEY=value lines, as systemd's EnvironmentFile=).
run_env() {
	local file=$1
	shift
	env -i PATH="$PATH" HOME="$HOME" TZ="${TZ:-}" bash -c 'set -a; . "$0"; set +a; exec "$@"' "$file" "$@"
}

# start NAME ENVFILE CMD ARGS…: start a long-running process in the
# background, as run_env does; PID[NAME] is the process itself (env and
# bash exec into it), so its PID is also the one in its Temporal identity.
start() {
	local name=$1 file=$2
	shift 2
	env -i PATH="$PATH" HOME="$HOME" TZ="${TZ:-}" bash -c 'set -a; . "$0"; set +a; exec "$@"' "$file" "$@" >"$WORK/logs/$name.log" 2>&1 &
	PID[$name]=$!
	ORDER+=("$name")
}

alive() { kill -0 "${PID[$1]}" 2>/dev/null; }

# wait_for WHAT SECONDS CMD…: run CMD every half second until it succeeds.
wait_for() {
	local what=$1 secs=$2
	shift 2
	local deadline=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		if [ $SECONDS -ge $deadline ]; then
			die "timed out after ${secs}s waiting for $what"
		fi
		sleep 0.5
	done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- 1. build ------------------------------------------------------------------
step "1. Build the Temporal tools (v$TEMPORAL_VERSION, from source via the Go module proxy) and our binaries"
mkdir -p "$BIN"
have_version() { [ -x "$1" ] && [[ "$("$1" --version 2>/dev/null)" == *"version $TEMPORAL_VERSION"* ]]; }
if have_version "$BIN/temporal-sql-tool" && have_version "$BIN/temporal-server"; then
	say "  reusing $BIN/temporal-sql-tool and $BIN/temporal-server (v$TEMPORAL_VERSION)"
else
	say "  go install go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_VERSION go.temporal.io/server/cmd/server@v$TEMPORAL_VERSION"
	say "  (the first time this compiles the whole server: several minutes on 2 cores)"
	rm -rf "$BIN/.install"
	GOBIN="$BIN/.install" go install "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_VERSION" "go.temporal.io/server/cmd/server@v$TEMPORAL_VERSION"
	mv "$BIN/.install/sql" "$BIN/temporal-sql-tool"
	mv "$BIN/.install/server" "$BIN/temporal-server"
	rmdir "$BIN/.install"
fi
"$BIN/temporal-server" --version | sed 's/^/  /'
"$BIN/temporal-sql-tool" --version | sed 's/^/  /'
SERVER_MOD=$(go mod download -json "go.temporal.io/server@v$TEMPORAL_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
SCHEMA="$SERVER_MOD/schema/postgresql/v12"
[ -d "$SCHEMA/temporal/versioned" ] || die "no schema directory $SCHEMA/temporal/versioned"
go build -o "$WORK/bin/" ./worker ./server ./starter ./deploy/nsinit ./deploy/whoran
say "  built worker, server, starter, nsinit, whoran into $WORK/bin"

# ---- 2. databases --------------------------------------------------------------
step "2. Create the databases on $PG_HOST:$PG_PORT and set up Temporal's schemas with temporal-sql-tool"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc 'select 1' >/dev/null ||
	die "cannot connect to PostgreSQL at $PG_HOST:$PG_PORT as $PG_USER"
for db in "$DB_APP" "$DB_TEMPORAL" "$DB_VISIBILITY" "$DB_RESTORE"; do
	if [ "$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc "select 1 from pg_database where datname = '$db'")" = 1 ]; then
		say "  $db is left over from an earlier run: dropping it"
		psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc "DROP DATABASE $db WITH (FORCE)" >/dev/null
	fi
done
sqltool() { # DB ARGS…
	local db=$1
	shift
	"$BIN/temporal-sql-tool" --plugin postgres12 --endpoint "$PG_HOST" --port "$PG_PORT" \
		--user "$PG_USER" --password "$PG_PASSWORD" --database "$db" "$@"
}
for pair in "$DB_TEMPORAL:temporal" "$DB_VISIBILITY:visibility"; do
	db=${pair%%:*} dir=$SCHEMA/${pair#*:}/versioned
	say "  temporal-sql-tool --database $db create-database && setup-schema -v 0.0 && update-schema -d ${dir#"$SERVER_MOD"/}"
	sqltool "$db" create-database >"$WORK/logs/schema-$db.log" 2>&1
	sqltool "$db" setup-schema -v 0.0 >>"$WORK/logs/schema-$db.log" 2>&1
	sqltool "$db" update-schema -d "$dir" >>"$WORK/logs/schema-$db.log" 2>&1
	say "    schema version $(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -qAtc 'select curr_version from schema_version'), $(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -qAtc "select count(*) from information_schema.tables where table_schema = 'public'") tables"
done
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc "CREATE DATABASE $DB_APP" >/dev/null
say "  created $DB_APP (our store; the workers run its migrations at start-up)"

# ---- 3. Temporal server --------------------------------------------------------
step "3. Start the Temporal server (PostgreSQL persistence, frontend 127.0.0.1:$FRONTEND) and register namespace $NAMESPACE"
for p in $FRONTEND $FRONTEND_HTTP $HISTORY $MATCHING $TWORKER $MEMBERSHIP $((MEMBERSHIP + 1)) $((MEMBERSHIP + 2)) $((MEMBERSHIP + 6)) $METRICS $API_PORT; do
	port_free "$p" || die "port $p is in use; set TRY_PORT_BASE to move every port"
done
cat >"$WORK/temporal.env" <<EOF
TEMPORAL_DB_HOST=$PG_HOST
TEMPORAL_DB_PORT=$PG_PORT
TEMPORAL_DB_USER=$PG_USER
TEMPORAL_DB_PASSWORD=$PG_PASSWORD
TEMPORAL_DB_NAME=$DB_TEMPORAL
TEMPORAL_VISIBILITY_DB_NAME=$DB_VISIBILITY
TEMPORAL_BIND_IP=127.0.0.1
TEMPORAL_FRONTEND_GRPC_PORT=$FRONTEND
TEMPORAL_FRONTEND_HTTP_PORT=$FRONTEND_HTTP
TEMPORAL_FRONTEND_MEMBERSHIP_PORT=$MEMBERSHIP
TEMPORAL_HISTORY_GRPC_PORT=$HISTORY
TEMPORAL_HISTORY_MEMBERSHIP_PORT=$((MEMBERSHIP + 1))
TEMPORAL_MATCHING_GRPC_PORT=$MATCHING
TEMPORAL_MATCHING_MEMBERSHIP_PORT=$((MEMBERSHIP + 2))
TEMPORAL_WORKER_GRPC_PORT=$TWORKER
TEMPORAL_WORKER_MEMBERSHIP_PORT=$((MEMBERSHIP + 6))
TEMPORAL_METRICS_ADDR=127.0.0.1:$METRICS
TEMPORAL_DYNAMIC_CONFIG=$ROOT/deploy/temporal/dynamicconfig.yaml
TEMPORAL_LOG_LEVEL=warn
EOF
start temporal "$WORK/temporal.env" "$BIN/temporal-server" --config-file "$ROOT/deploy/temporal/config.yaml" --allow-no-auth start
cat >"$WORK/chuyenhoa.env" <<EOF
TEMPORAL_ADDRESS=127.0.0.1:$FRONTEND
TEMPORAL_NAMESPACE=$NAMESPACE
DATABASE_URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/$DB_APP?sslmode=disable
CHUYENHOA_OUTPUT_DIR=$WORK/out
EOF
[ -z "$PG_PASSWORD" ] || sed -i "s|^DATABASE_URL=postgres://$PG_USER@|DATABASE_URL=postgres://$PG_USER:$PG_PASSWORD@|" "$WORK/chuyenhoa.env"
run_env "$WORK/chuyenhoa.env" "$WORK/bin/nsinit" -retention 72h -wait 3m | sed 's/^/  /' ||
	die "the namespace could not be registered (see $WORK/logs/temporal.log)"
alive temporal || die "the Temporal server stopped"
say "  server metrics: $(curl -fsS "http://127.0.0.1:$METRICS/metrics" | grep -c '^[a-z]') Prometheus samples at http://127.0.0.1:$METRICS/metrics"

# ---- 4. workers and API --------------------------------------------------------
step "4. Start three workers and the API, configured by environment files only"
# A local CA and the signer's and issuing body's certificates (PEM), so the
# decision is signed and sealed as in production; sample images stand for
# the scanned signature and seal.
PKI=$WORK/pki
mkdir -p "$PKI"
(
	cd "$PKI"
	openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
	openssl req -x509 -new -utf8 -key ca.key -days 30 -out ca.pem \
		-subj "/CN=chuyenhoa try CA (local, not trusted)/O=chuyenhoa try" \
		-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"
	printf 'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n' >leaf.ext
	for who in signer:"Trưởng Ban Chỉ đạo (thử)" seal:"Ban Chỉ đạo tỉnh Quảng Ngãi (thử)"; do
		f=${who%%:*} cn=${who#*:}
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$f.key" 2>/dev/null
		openssl req -new -utf8 -key "$f.key" -subj "/CN=$cn/O=Ban Chỉ đạo tỉnh Quảng Ngãi (thử)/C=VN" -out "$f.csr"
		openssl x509 -req -in "$f.csr" -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
			-days 30 -extfile leaf.ext -out "$f.crt" 2>/dev/null
		cat "$f.crt" ca.pem >"$f.pem"
	done
	chmod 600 ./*.key
)
mkdir -p "$WORK/noi-nhan"
cat >"$WORK/recipients.json" <<'EOF'
{"recipients": [
  {"key": "bca-v01", "name": "Cục V01 - Bộ Công an", "match": ["Bộ Công an (V01)"], "channel": "file", "address": "bca-v01"},
  {"key": "tinh", "name": "Thường trực Tỉnh ủy, HĐND, UBND tỉnh", "match": ["Thường trực Tỉnh ủy"], "channel": "file", "address": "tinh"},
  {"key": "thanh-vien-bcd", "name": "Các thành viên Ban Chỉ đạo (Như Điều 3)", "match": ["Như Điều 3"], "channel": "file", "address": "nhu-dieu-3"}
]}
EOF
cat >>"$WORK/chuyenhoa.env" <<EOF
CHUYENHOA_DEMO=1
CHUYENHOA_SIGNER_CERT=$PKI/signer.pem
CHUYENHOA_SIGNER_KEY=$PKI/signer.key
CHUYENHOA_SEAL_CERT=$PKI/seal.pem
CHUYENHOA_SEAL_KEY=$PKI/seal.key
CHUYENHOA_SAMPLE_IMAGES=1
CHUYENHOA_SIGNING_CA=$PKI/ca.pem
CHUYENHOA_RECIPIENTS=$WORK/recipients.json
CHUYENHOA_DROP_DIR=$WORK/noi-nhan
EOF
say "  environment shared by every process ($WORK/chuyenhoa.env):"
sed 's/^/    /' "$WORK/chuyenhoa.env"
# Each process's own metrics and health address (systemd: Environment= in
# the unit, since one host's processes cannot share a port).
declare -A HTTP=([api]=127.0.0.1:$((API_PORT + 10)))
for i in 1 2 3; do
	HTTP[worker-$i]=127.0.0.1:$((API_PORT + 10 + i))
done
for name in worker-1 worker-2 worker-3 api; do
	port_free "${HTTP[$name]#*:}" || die "port ${HTTP[$name]#*:} is in use; set TRY_PORT_BASE to move every port"
	{
		cat "$WORK/chuyenhoa.env"
		echo "CHUYENHOA_HTTP_ADDR=${HTTP[$name]}"
	} >"$WORK/$name.env"
	say "  + $name: CHUYENHOA_HTTP_ADDR=${HTTP[$name]}"
done
for i in 1 2 3; do
	start "worker-$i" "$WORK/worker-$i.env" "$WORK/bin/worker"
done
start api "$WORK/api.env" "$WORK/bin/server" --addr "127.0.0.1:$API_PORT"
API=http://127.0.0.1:$API_PORT
worker_started() { grep -q 'Started Worker' "$WORK/logs/$1.log"; }
for i in 1 2 3; do
	wait_for "worker-$i to poll (log $WORK/logs/worker-$i.log)" 120 worker_started "worker-$i"
	alive "worker-$i" || die "worker-$i stopped"
done
wait_for "the API at $API" 60 curl -fsS "$API/api/openapi.yaml"
LABELS=()
for name in worker-1 worker-2 worker-3 api; do
	wait_for "$name to be ready (http://${HTTP[$name]}/readyz)" 60 curl -fsS "http://${HTTP[$name]}/readyz"
	what="polling task queue chuyenhoa"
	[ "$name" != api ] || what="$API/"
	say "  $(printf '%-8s' "$name") pid ${PID[$name]}  $what; /readyz $(curl -sS -o /dev/null -w '%{http_code}' "http://${HTTP[$name]}/readyz"), /metrics $(curl -fsS "http://${HTTP[$name]}/metrics" | grep -c '^[a-z]') samples at http://${HTTP[$name]}"
	[ "$name" = api ] || LABELS+=(-label "${PID[$name]}=$name")
done
say "  migrations run by the three workers at once (advisory lock): $(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB_APP" -qAtc "select count(*) from information_schema.tables where table_schema = 'public'") tables in $DB_APP"

# ---- 5. one yearly cycle ---------------------------------------------------------
step "5. Drive the $YEAR cycle of Quảng Ngãi to the issued decision (CLI and API; a worker is killed midway)"
starter() { run_env "$WORK/chuyenhoa.env" "$WORK/bin/starter" "$@"; } # the operator's commands
# officer WHO ARGS…: starter as the officer WHO, signed in with `starter login`
# (his session file in his own configuration directory), a client of the API only.
officer() {
	local who=$1
	shift
	mkdir -p "$WORK/officers/$who"
	env -i PATH="$PATH" HOME="$WORK/officers/$who" XDG_CONFIG_HOME="$WORK/officers/$who" CHUYENHOA_SERVER="$API" TZ="${TZ:-}" "$WORK/bin/starter" "$@"
}
# sign_in WHO: an account for WHO (ROLE, UNIT) made by the operator, then WHO signs in.
sign_in() {
	local who=$1 role=$2 unit=${3:-}
	local args=(operator account add "$who" --role "$role" --name "$who (thử)")
	[ -z "$unit" ] || args+=(--district "$unit")
	echo "mật khẩu thử $who" | starter "${args[@]}" --password-stdin >/dev/null
	echo "mật khẩu thử $who" | officer "$who" login "$who" >/dev/null
}
# open_task ROLE: the cycle has an open task for ROLE (from the store's inbox).
open_task() { [ "$(starter operator tasks --cycle "$CYCLE" --role "$1" | wc -l)" -gt 1 ]; }
# api METHOD PATH TOKEN [curl args…]: a JSON API call; fails on HTTP ≥ 400.
api() {
	local method=$1 path=$2 token=$3
	shift 3
	[ -z "$token" ] || set -- -H "Authorization: Bearer $token" "$@"
	curl -sS --fail-with-body -X "$method" "$@" "$API$path"
}
field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p"; } # a JSON string field (first)

starter operator registry import --sample quang-ngai | sed 's/^/  /'
sign_in cat.tt secretariat
sign_in hd.chutich council_chair
sign_in truongban signer
sign_in vanthu clerk
say "  accounts, each signed in with starter login: cat.tt (secretariat), hd.chutich (council chair), truongban (head), vanthu (clerk)"
officer cat.tt cycle start --province "$PROVINCE" --year "$YEAR" --synthetic --yes | sed 's/^/  /'
# The units that must propose, from the cycle's state (through the API);
# then wait for their tasks in the store's inbox (written by activities).
mapfile -t UNITS < <(officer cat.tt --json cycle show --province "$PROVINCE" --year "$YEAR" | sed -n 's/^ *"unit": "\([^"]*\)".*/\1/p' | sort -u)
[ "${#UNITS[@]}" -gt 2 ] || die "the cycle has ${#UNITS[@]} units to propose, expected more"
inbox_has_units() { [ "$(starter operator tasks --cycle "$CYCLE" --role district_officer | wc -l)" -gt "${#UNITS[@]}" ]; }
wait_for "the ${#UNITS[@]} proposal tasks in the inbox" 60 inbox_has_units
for u in "${UNITS[@]}"; do
	sign_in "ca.$u" district_officer "$u"
done
say "  ${#UNITS[@]} districts must propose (a task each in their inbox, an officer each signed in): ${UNITS[*]}"

# District 522 through the raw API: sign in, send the CSV to its task's address.
T522=$(api POST /api/session "" -H 'Content-Type: application/json' -d '{"account": "ca.522", "password": "mật khẩu thử ca.522"}' | field token)
[ -n "$T522" ] || die "ca.522 could not sign in"
starter operator sample proposal --district 522 --year "$YEAR" --format csv >"$WORK/522.csv"
res=$(api POST "/api/tasks/$CYCLE/submit_proposal/522" "$T522" -H 'Content-Type: text/csv' -H "Idempotency-Key: try-proposal-522" --data-binary @"$WORK/522.csv")
say "  522 via the API: $(tr -s ' \n' ' ' <<<"$res")"

KILLED=
KILL_BEFORE=${UNITS[$((${#UNITS[@]} / 2))]} # halfway through the proposals
[ "$KILL_BEFORE" != 522 ] || KILL_BEFORE=${UNITS[$((${#UNITS[@]} / 2 + 1))]}
for u in "${UNITS[@]}"; do
	[ "$u" = 522 ] && continue
	if [ "$u" = "$KILL_BEFORE" ]; then
		# Kill the worker that holds the cycle in its cache (the one that
		# completed its last workflow task) without letting it say goodbye.
		holder=$(run_env "$WORK/chuyenhoa.env" "$WORK/bin/whoran" -last "$CYCLE")
		hpid=${holder%%@*}
		for i in 1 2 3; do
			[ "${PID[worker-$i]}" = "$hpid" ] && KILLED=worker-$i
		done
		[ -n "$KILLED" ] || die "the cycle's last workflow task was completed by $holder, not by one of our workers"
		say "  SIGKILL $KILLED (pid $hpid), the worker holding the cycle, at $(date +%T.%3N)"
		kill -KILL "$hpid"
		wait "$hpid" 2>/dev/null || true
		unset "PID[$KILLED]"
	fi
	starter operator sample proposal --district "$u" --year "$YEAR" --format csv >"$WORK/$u.csv"
	t=$(date +%s.%N)
	out=$(officer "ca.$u" proposal submit "$CYCLE/submit_proposal/$u" -f "$WORK/$u.csv" 2>/dev/null)
	note=
	[ "$u" != "$KILL_BEFORE" ] || note=" ($(since "$t") s: the first request after the kill)"
	say "  $u via the CLI (signed in as ca.$u): $out$note"
done
wait_for "the consolidation task" 180 open_task secretariat
officer cat.tt cycle selection --province "$PROVINCE" --year "$YEAR" | sed -n 's/^/    /; 1,40p'
officer cat.tt consolidate 2>/dev/null | sed 's/^/  /'
wait_for "the appraisal task" 120 open_task council_chair
officer hd.chutich appraise --approve --minutes "Hội đồng thẩm định thống nhất danh sách (thử triển khai)" 2>/dev/null | sed 's/^/  /'
wait_for "the signature task" 120 open_task signer
officer truongban sign --comment "Đồng ý (thử triển khai)" 2>/dev/null | sed 's/^/  /'
wait_for "the issue task" 120 open_task clerk

# The clerk issues with the CLI, then fetches the PDF through the API; the
# operator fetches the same decision from the store.
officer vanthu issue 2>/dev/null | sed 's/^/  /'
officer vanthu cycle decisions --province "$PROVINCE" --year "$YEAR" --fetch approval -o "$WORK/decision-from-api.pdf" | sed 's/^/  /'
PDF="$WORK/decision-from-store.pdf"
starter operator decisions --fetch "$CYCLE/approval" --out "$PDF" >/dev/null

# ---- checks ----------------------------------------------------------------------
step_end
say ""
say "Checks:"
[ -s "$PDF" ] || die "the issued decision's PDF $PDF is missing or empty"
say "  decision PDF from the store: $PDF ($(stat -c %s "$PDF") bytes)"
cmp -s "$PDF" "$WORK/decision-from-api.pdf" || die "the PDF served by the API differs from $PDF"
say "  the API serves the same bytes (sha256 $(sha256sum "$PDF" | cut -c1-16)…)"
text=$(pdftotext "$PDF" -)
grep -q 'QUYẾT ĐỊNH' <<<"$text" || die "the PDF does not read QUYẾT ĐỊNH"
say "  its text: $(grep -m1 -o 'Số: *[^ ]*' <<<"$text"), QUYẾT ĐỊNH, $(grep -c '^Xã\|^Phường\|^Thị trấn' <<<"$text" || true) lines naming a commune"
starter operator verify "$PDF" | sed 's/^/  verify: /'
# Deliveries run after the issue returns; the recipients directory names 3.
delivered() { [ "$(find "$WORK/noi-nhan" -name '*.pdf' | wc -l)" -ge 3 ]; }
wait_for "the 3 deliveries under $WORK/noi-nhan" 60 delivered
say "  delivered by file drop: $(find "$WORK/noi-nhan" -name '*.pdf' | wc -l) copies under $WORK/noi-nhan"
decisions=$(starter operator decisions --year "$YEAR")
say "  $decisions"
LISTED=$(awk '{ for (i = 2; i <= NF; i++) if ($i == "communes") { print $(i - 1); exit } }' <<<"$decisions")
starter operator verify-audit | sed 's/^/  /'
for i in 1 2 3; do
	[ "worker-$i" = "$KILLED" ] && continue
	alive "worker-$i" || die "worker-$i died"
done

# ---- 6. what ran where -----------------------------------------------------------
step "6. What ran where (from the workflows' histories; $KILLED was SIGKILLed before district $KILL_BEFORE's proposal)"
whoran() { run_env "$WORK/chuyenhoa.env" "$WORK/bin/whoran" "$@"; }
# After the decision the cycle starts a transformation workflow per listed
# commune; wait until visibility lists them all.
all_started() { [ "$(whoran -all -count)" -gt "$LISTED" ]; }
wait_for "the $LISTED transformation workflows" 120 all_started
whoran "${LABELS[@]}" "$CYCLE" | sed 's/^/  /'
say ""
whoran "${LABELS[@]}" -all | sed 's/^/  /'

# ---- 7. the upgrade check --------------------------------------------------------
step "7. Before rolling out new workers: export the running workflows' histories and replay them against this build"
mkdir -p "$WORK/history"
starter operator history export --workflow-id "$CYCLE" --all-runs --out "$WORK/history/cycle.json" >/dev/null
json=$(starter operator decisions --year "$YEAR" --json)
if [[ $json =~ \"commune\":\ *\"([0-9]+)\" ]]; then
	FIRST=${BASH_REMATCH[1]} # the first listed commune
	starter operator history export --workflow-id "transformation/$PROVINCE/$FIRST/$YEAR" --all-runs --out "$WORK/history/transformation-$FIRST.json" >/dev/null
fi
starter operator history replay "$WORK"/history/*.json | sed "s|$WORK/history/||; s/^/  /"

# ---- 8. backups ----------------------------------------------------------------
step "8. Back up the three databases with pg_dump; restore ours into a scratch database and check it"
mkdir -p "$WORK/backup"
for db in "$DB_APP" "$DB_TEMPORAL" "$DB_VISIBILITY"; do
	pg_dump -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -Fc -f "$WORK/backup/$db.dump" "$db"
	say "  pg_dump -Fc $db: $(du -h "$WORK/backup/$db.dump" | cut -f1)"
done
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc "CREATE DATABASE $DB_RESTORE" >/dev/null
pg_restore -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB_RESTORE" --no-owner "$WORK/backup/$DB_APP.dump"
sed "s|/$DB_APP?|/$DB_RESTORE?|" "$WORK/chuyenhoa.env" >"$WORK/restore.env"
say "  restored into $DB_RESTORE: $(run_env "$WORK/restore.env" "$WORK/bin/starter" operator verify-audit)"
run_env "$WORK/restore.env" "$WORK/bin/starter" operator decisions --fetch "$CYCLE/approval" --out "$WORK/backup/restored.pdf" >/dev/null
cmp -s "$PDF" "$WORK/backup/restored.pdf" || die "the decision's PDF in the restored database differs from $PDF"
say "  the decision's PDF fetched from $DB_RESTORE is byte for byte the issued one"
FAILED=0
step_end
say ""
say "Timings:"
for i in "${!STEP_NAMES[@]}"; do
	printf '  %6.1f s  %s\n' "${STEP_SECS[$i]}" "${STEP_NAMES[$i]}"
done
printf '  %6.1f s  total\n' "$(since "$T_START")"
say ""
say "PASS: Temporal $TEMPORAL_VERSION on PostgreSQL, 3 workers (one killed midway), the API; cycle $CYCLE issued, signed, delivered; its history replays; the store restores from pg_dump."
