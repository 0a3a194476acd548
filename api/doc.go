// Package api is the officers' task inbox over HTTP: a JSON API (see
// openapi.yaml) and server-rendered Vietnamese web pages (html/template,
// assets embedded), served by one Handler.
//
// Officers sign in with an account from the store (passwords are bcrypt
// hashes; sessions are random tokens of which the store keeps only the
// SHA-256, and they expire). The API takes the token as a bearer token; the
// web pages as an HttpOnly, SameSite=Strict cookie, with a per-session CSRF
// token in every form. The officer who completes a task — the cycle.Actor
// sent to the workflow — is always the session's account, never anything in
// the request body.
//
// Completing a task is a Temporal update of the cycle's workflow, sent and
// awaited as starter does, so the workflow's validators answer in the same
// response: a refusal comes back with its code and every problem (field,
// commune, rule, message). Domain error codes map to HTTP statuses in one
// place (statusOf). Every completion carries a request ID (the
// Idempotency-Key header, or a hidden field of the web form); the update ID
// sent to Temporal is the account, the task kind and that key, so a retried
// request returns the first result and never completes a task twice, and
// two officers' keys can never collide.
//
// Every task completion, refusal, sign-in (and failed sign-in), sign-out and
// document download is appended to the store's hash-chained audit trail
// with the account, the time, what it was about and the client's address.
package api
