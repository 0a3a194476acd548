#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian machine, and
# only what is missing: Go is expected at /usr/local/go (or on PATH);
# PostgreSQL binaries (for the throwaway database and, if none answers on
# 127.0.0.1:5432, a local server for the tests); poppler-utils (pdftotext,
# pdftoppm) for the PDF checks; with --test-db also chromium for the browser
# test, and softhsm2 and opensc (pkcs11-tool) for the signing tests' PKCS#11
# token. Safe to run again: when nothing is missing it runs no apt-get at all.
#
# Another package manager at work (unattended upgrades on a fresh machine,
# apt in another terminal) holds apt's and dpkg's locks; setup waits for them
# up to SETUP_LOCK_WAIT seconds (default 300), saying so every 10 s, instead
# of failing at once with "Could not get lock". A failed `apt-get update`
# (a mirror hiccup) is tried once more.
#
# SETUP_EXTRA_PACKAGES="pkg …" adds Debian packages to install when missing;
# scripts/test-setup.sh uses it to give setup something to install.
set -euo pipefail

export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
command -v go >/dev/null || { echo "setup: Go is not installed (want Go 1.26 at /usr/local/go)" >&2; exit 1; }

SETUP_LOCK_WAIT=${SETUP_LOCK_WAIT:-300}
[[ $SETUP_LOCK_WAIT =~ ^[0-9]+$ ]] || { echo "setup: SETUP_LOCK_WAIT must be a whole number of seconds, not '$SETUP_LOCK_WAIT'" >&2; exit 1; }

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftotext >/dev/null || need+=(poppler-utils)
# The browser test (e2e, TestBrowser…) drives Debian's chromium; only the tests need it.
if [ "${1:-}" = "--test-db" ]; then
  command -v chromium >/dev/null || need+=(chromium)
  # The signing tests put the officer's key on a SoftHSM token (signingtest.SoftHSMToken).
  command -v softhsm2-util >/dev/null || need+=(softhsm2)
  command -v pkcs11-tool >/dev/null || need+=(opensc)
fi
read -ra extra <<<"${SETUP_EXTRA_PACKAGES:-}"
for p in ${extra[@]+"${extra[@]}"}; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || need+=("$p")
done

# The locks apt and dpkg take (fcntl locks, which flock(1) neither sees nor
# blocks): the dpkg frontend lock and dpkg's own, which apt's
# DPkg::Lock::Timeout waits for, and the package lists' (apt-get update) and
# the download cache's, which it does not.
lock_files=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

# lock_holders prints "PID n (name) on FILE" for each of lock_files someone
# holds, nothing when all are free. /proc/locks names the holder of every
# fcntl lock by device and inode; without it, fuser names the processes that
# have the file open; without either, nothing (apt's timeout and the retry in
# apt_get still wait).
lock_holders() {
  local f dev ino key pid pids
  for f in "${lock_files[@]}"; do
    [ -e "$f" ] || continue
    if [ -r /proc/locks ]; then
      read -r dev ino < <(stat -L -c '%d %i' "$f") || continue
      # /proc/locks: "1: POSIX  ADVISORY  WRITE 1234 fe:00:398608 0 EOF" (major:minor in hex);
      # "1: -> POSIX …" is a process waiting for that lock, not holding it.
      key=$(printf '%02x:%02x:%s' $(( (dev >> 8 & 0xfff) | (dev >> 32 & ~0xfff) )) $(( (dev & 0xff) | (dev >> 12 & ~0xff) )) "$ino")
      pid=$(awk -v k="$key" '($2 == "POSIX" || $2 == "OFDLCK") && $6 == k { print $5; exit }' /proc/locks)
      [ -n "$pid" ] || continue
      if [ "$pid" -gt 0 ] 2>/dev/null; then
        echo "PID $pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo gone)) on $f"
      else
        echo "a process whose PID is not visible here on $f"
      fi
    elif command -v fuser >/dev/null; then
      pids=$(fuser "$f" 2>/dev/null | tr -s ' ' ' ' | sed 's/^ //') || true
      [ -z "$pids" ] || echo "PID $pids on $f"
    fi
  done
}

lock_left() { local left=$((lock_deadline - SECONDS)); echo $((left > 0 ? left : 0)); }

# wait_for_package_lock returns once no package manager holds a lock, and
# ends setup when that takes more than SETUP_LOCK_WAIT seconds in all.
wait_for_package_lock() {
  local holders said=-10
  while holders=$(lock_holders | paste -sd';' - | sed 's/;/; /g') && [ -n "$holders" ]; do
    if [ "$(lock_left)" -eq 0 ]; then
      echo "setup: gave up after $SETUP_LOCK_WAIT s waiting for another package manager (apt/dpkg holds the lock: $holders)." >&2
      echo "setup: let it finish (it is often the unattended upgrades of a fresh machine) and run setup again, or wait longer with SETUP_LOCK_WAIT=seconds." >&2
      exit 1
    fi
    if [ $((SECONDS - said)) -ge 10 ]; then
      echo "setup: waiting for another package manager (apt/dpkg holds the lock: $holders) — up to $(lock_left) s" >&2
      said=$SECONDS
    fi
    sleep 1
  done
}

# apt_get ARG… runs apt-get (with sudo when not root) once the locks are
# free. apt itself waits for the dpkg locks for what is left of the budget;
# should another package manager take the lists' or the cache's lock between
# the wait and apt-get, apt-get fails at once and it goes back to waiting.
apt_get() {
  local err=$apt_err rc
  while :; do
    wait_for_package_lock
    rc=0
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$(lock_left)" "$@" 2>"$err" || rc=$?
    if [ $rc -ne 0 ] && grep -qE 'Could not get lock|Unable to (lock|acquire)' "$err"; then
      if [ "$(lock_left)" -gt 0 ]; then
        echo "setup: another package manager took a lock before apt-get did ($(sed -n 's/^E: //p' "$err" | head -1)); waiting again" >&2
        sleep 2
        continue
      fi
      cat "$err" >&2
      echo "setup: gave up after $SETUP_LOCK_WAIT s waiting for another package manager to release its lock (above); run setup again once it is done, or wait longer with SETUP_LOCK_WAIT=seconds." >&2
      exit 1
    fi
    cat "$err" >&2
    return $rc
  done
}

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  lock_deadline=$((SECONDS + SETUP_LOCK_WAIT))
  apt_err=$(mktemp); trap 'rm -f "$apt_err"' EXIT
  if ! apt_get update -qq; then
    echo "setup: apt-get update failed; trying once more in 5 s" >&2
    sleep 5
    apt_get update -qq
  fi
  apt_get install -y -qq "${need[@]}" >/dev/null
fi

# The tests use the server on 127.0.0.1:5432 (trust auth, user postgres)
# unless TEST_DATABASE_URL names another; start the local cluster if it is down.
if [ "${1:-}" = "--test-db" ] && [ -z "${TEST_DATABASE_URL:-}" ] && [ "${SKIP_DB_TESTS:-}" != "1" ]; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    echo "setup: starting the local PostgreSQL cluster"
    ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
    if [ -n "$ver" ]; then
      pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    fi
    for _ in $(seq 1 30); do (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && break; sleep 1; done
  fi
  if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    echo "setup: no PostgreSQL on 127.0.0.1:5432; set TEST_DATABASE_URL or SKIP_DB_TESTS=1" >&2
    exit 1
  fi
fi
