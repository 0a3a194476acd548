#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian machine, and
# only what is missing: Go is expected at /usr/local/go (or on PATH);
# PostgreSQL binaries (for the throwaway database and, if none answers on
# 127.0.0.1:5432, a local server for the tests); poppler-utils (pdftotext,
# pdftoppm) for the PDF checks; with --test-db also chromium for the browser
# test. Safe to run again.
set -euo pipefail

export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
command -v go >/dev/null || { echo "setup: Go is not installed (want Go 1.26 at /usr/local/go)" >&2; exit 1; }

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftotext >/dev/null || need+=(poppler-utils)
# The browser test (e2e, TestBrowser…) drives Debian's chromium; only the tests need it.
if [ "${1:-}" = "--test-db" ]; then
  command -v chromium >/dev/null || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
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
