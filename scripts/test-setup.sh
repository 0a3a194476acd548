#!/usr/bin/env bash
# Proves that scripts/setup.sh waits for another package manager instead of
# failing with "Could not get lock" (issue 19), gives up with a clear message
# naming the lock and its holder when its budget runs out, does nothing when
# nothing is missing, and tries a failed apt-get update once more.
#
# A background python3 holds apt's locks the way apt and dpkg take them (fcntl
# locks: flock(1) on the same file does not stop apt), while setup.sh is to
# install GNU hello (Debian's example package, which nothing depends on)
# through SETUP_EXTRA_PACKAGES. hello is removed first and, unless it was
# installed before, again at the end.
#
# Needs root, apt-get, python3 and a reachable Debian mirror; without them it
# exits 77 (skipped). About 2 minutes: a 30-s hold, a 10-s hold, three installs.
#   bash scripts/test-setup.sh            (SETUP_TEST_HOLD=30: the long hold, in seconds)
# go test ./scripts/setuptest runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "test-setup: SKIP: $*"; exit 77; }
fail() { echo "test-setup: FAIL: $*" >&2; exit 1; }
say() { echo "test-setup: $*"; }

[ "$(id -u)" -eq 0 ] || skip "needs root (it installs and removes a package)"
command -v apt-get >/dev/null && command -v dpkg-query >/dev/null || skip "needs apt-get and dpkg (Debian)"
PY=$(command -v /usr/bin/python3 || command -v python3) || skip "needs python3 to hold apt's fcntl lock"
HOLD=${SETUP_TEST_HOLD:-30}
PKG=hello
FRONTEND=/var/lib/dpkg/lock-frontend
LISTS=/var/lib/apt/lists/lock

# One run of this test at a time on the machine (two would hold each other's locks).
lockdir=/run/lock; [ -d "$lockdir" ] && [ -w "$lockdir" ] || lockdir=/tmp
exec 9>"$lockdir/chuyenhoa-test-setup.lock"
flock -w 900 9 || fail "another run of test-setup.sh has not finished in 15 min"

work=$(mktemp -d)
holder=""
installed() { [ "$(dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null)" = "install ok installed" ]; }
apt_quiet() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -y -qq "$@" >/dev/null; }
release() { if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; holder=""; fi; }

# hold SECONDS FILE…: holds apt's kind of lock on each FILE for SECONDS in the
# background, from process $holder; returns once it holds them.
hold() {
  local secs=$1; shift
  rm -f "$work/ready"
  "$PY" -c '
import fcntl, sys, time
files = [open(p, "a") for p in sys.argv[3:]]
for f in files:
    fcntl.lockf(f, fcntl.LOCK_EX)  # fcntl(F_SETLKW), as apt and dpkg lock
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[1]))
' "$secs" "$work/ready" "$@" &
  holder=$!
  for _ in $(seq 1 600); do [ -e "$work/ready" ] && return 0; sleep 0.1; done
  fail "the lock holder did not get $* within 60 s"
}

# setup LOG [VAR=value…]: runs setup.sh asked to install $PKG, its output in
# LOG (and here); sets rc and secs (wall time, 0.1 s).
setup() {
  local log=$1; shift
  local t0; t0=$(date +%s%N)
  rc=0
  env -u SETUP_LOCK_WAIT SETUP_EXTRA_PACKAGES="$PKG" "$@" bash scripts/setup.sh >"$log" 2>&1 || rc=$?
  secs=$(( ($(date +%s%N) - t0) / 100000000 )); secs="$((secs / 10)).$((secs % 10))"
  sed 's/^/    | /' "$log"
}

was_installed=no; installed && was_installed=yes
cleanup() {
  release
  if [ "$was_installed" = no ] && installed; then apt_quiet purge "$PKG" || true; fi
  if [ "$was_installed" = yes ] && ! installed; then apt_quiet install "$PKG" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 update -qq >/dev/null 2>&1 || skip "apt-get update fails: no Debian mirror reachable?"
if installed; then say "removing $PKG (installed before this test; put back at the end)"; apt_quiet purge "$PKG"; fi

say "1. $FRONTEND held, SETUP_LOCK_WAIT=3: setup gives up, naming the lock and its holder"
hold 120 "$FRONTEND"
setup "$work/1.log" SETUP_LOCK_WAIT=3
[ "$rc" -ne 0 ] || fail "setup succeeded while the lock was held"
grep -q "gave up after 3 s waiting for another package manager (apt/dpkg holds the lock: PID $holder (python3) on $FRONTEND)" "$work/1.log" ||
  fail "no give-up message naming PID $holder and $FRONTEND"
! grep -q "Could not get lock" "$work/1.log" || fail "apt-get ran while the lock was held"
installed && fail "$PKG got installed"
say "   gave up in $secs s with exit $rc"
release

say "2. $FRONTEND held for $HOLD s: setup waits, then installs $PKG"
hold "$HOLD" "$FRONTEND"
setup "$work/2.log"
[ "$rc" -eq 0 ] || fail "setup failed (exit $rc)"
installed || fail "$PKG is not installed"
n=$(grep -c "setup: waiting for another package manager (apt/dpkg holds the lock: PID $holder (python3) on $FRONTEND) — up to [0-9]* s" "$work/2.log") || true
[ "$n" -ge $(( (HOLD - 1) / 10 )) ] || fail "$n waiting messages for a $HOLD-s hold (one per 10 s expected)"
[ "${secs%.*}" -ge $((HOLD - 2)) ] || fail "setup finished in $secs s, before the $HOLD-s hold ended"
say "   waited and installed $PKG: $secs s end to end, $n waiting messages"
release

say "3. again, with $FRONTEND held and SETUP_LOCK_WAIT=0: nothing to do, so no apt-get and no wait"
hold 120 "$FRONTEND"
setup "$work/3.log" SETUP_LOCK_WAIT=0
[ "$rc" -eq 0 ] || fail "second run failed (exit $rc)"
[ ! -s "$work/3.log" ] || fail "second run printed something (installed or waited)"
say "   nothing to do: $secs s"
release

say "4. $LISTS held for 10 s (apt-get update's lock, which apt's DPkg::Lock::Timeout does not wait for);"
say "   then an apt-get in front of the real one fails the first update as a mirror hiccup does and the first"
say "   install as when another package manager takes a lock between the wait and apt-get: setup retries each"
apt_quiet purge "$PKG"
mkdir "$work/bin"
cat >"$work/bin/apt-get" <<STUB
#!/bin/sh
echo "\$*" >>"$work/calls"
for a; do
  case \$a in
  update) [ -e "$work/update-failed" ] || { touch "$work/update-failed"; echo "E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'" >&2; exit 100; } ;;
  install) [ -e "$work/install-failed" ] || { touch "$work/install-failed"; echo "E: Could not get lock /var/cache/apt/archives/lock. It is held by process 1 (test-setup)" >&2; exit 100; } ;;
  esac
done
exec /usr/bin/apt-get "\$@"
STUB
chmod +x "$work/bin/apt-get"
hold 10 "$LISTS"
setup "$work/4.log" PATH="$work/bin:$PATH"
[ "$rc" -eq 0 ] || fail "setup failed (exit $rc)"
installed || fail "$PKG is not installed"
grep -q "waiting for another package manager (apt/dpkg holds the lock: PID $holder (python3) on $LISTS)" "$work/4.log" ||
  fail "no waiting message naming $LISTS"
grep -q "setup: apt-get update failed; trying once more" "$work/4.log" || fail "the failed update was not tried again"
grep -q "setup: another package manager took a lock before apt-get did (Could not get lock /var/cache/apt/archives/lock. It is held by process 1 (test-setup)); waiting again" "$work/4.log" || fail "the lock taken again was not waited for"
calls=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "update" || $i == "install") printf "%s ", $i }' "$work/calls")
[ "$calls" = "update update install install " ] || fail "apt-get calls: $calls(want update update install install)"
say "   waited, retried and installed $PKG: $secs s"
release

say "PASS"
