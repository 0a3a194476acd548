#!/usr/bin/env bash
# Builds the product's commands once into bin/ (ignored by git), so that the
# scripts run the binaries themselves: their exit statuses (2 for a usage
# error or a refusal) and start-up times are the product's, not `go run`'s.
#
#   bash scripts/build.sh              # bin/demo bin/starter bin/worker bin/server
#   bash scripts/build.sh demo starter # only these
#
# Go's build cache makes a second run with nothing changed take about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

cmds=("$@")
if [ ${#cmds[@]} -eq 0 ]; then
	cmds=(demo starter worker server)
fi
pkgs=()
for c in "${cmds[@]}"; do
	case "$c" in
	demo | starter | worker | server) pkgs+=("./$c") ;;
	*) echo "build.sh: unknown command $c (want demo, starter, worker or server)" >&2; exit 2 ;;
	esac
done
mkdir -p bin
go build -o bin/ "${pkgs[@]}"
