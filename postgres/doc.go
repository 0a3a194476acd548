// Package postgres is the store of the hotspot-transformation programme on
// PostgreSQL (through lib/pq): the durable record and the read model that
// the activities write and the officers' inbox and reports read.
//
// DB implements the store contracts of package cycle (cycle.Store). The workflow is the source of truth for a
// cycle's state; this package keeps what happened and what is open. Because
// activities retry, every method is one transaction and idempotent: request
// IDs, natural keys and ON CONFLICT make a repeated call leave the database
// as the first call did.
//
// The schema lives in migrations/*.sql, embedded and applied by Open in
// name order, each file once and in its own transaction, under an advisory
// lock so that workers starting together do not race.
//
// Errors: a missing thing (an unknown province, a cycle or decision not
// recorded) is a *cycle.Error with code ENOTFOUND; input that a database
// constraint refuses, and which a retry therefore cannot fix, is EINVALID
// (ECONFLICT where it clashes with what is stored, such as a decision's
// number). Everything else — a lost connection, a deadlock, a timeout — is
// a plain error, retryable.
package postgres
