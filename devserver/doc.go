// Package devserver runs the infrastructure a developer needs on one machine,
// inside our own process, with no Docker: an embedded Temporal server (SQLite
// persistence, in memory or in a file, plus the Temporal Web UI) and a
// throwaway PostgreSQL server started from the locally installed binaries.
//
// It backs the demo binary (`go run ./demo`, `demo devserver`) and the
// end-to-end tests. It is not a production deployment: production runs the
// Temporal server against PostgreSQL (see /work/shared/TEMPORAL-NOTES.md).
//
// The Temporal half imports go.temporal.io/server, a large module that takes
// minutes to compile cold; tests that start it live in package e2e only.
package devserver
