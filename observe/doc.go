// Package observe is what operators see of the running programme: a
// Prometheus registry with the Temporal SDK's metrics, our own metrics and
// the Go runtime's, and an HTTP handler serving them on /metrics with a
// liveness probe (/healthz) and a readiness probe (/readyz).
//
// # Metrics
//
// The Temporal SDK's metrics (temporal_request_total,
// temporal_workflow_task_execution_latency_seconds,
// temporal_activity_execution_failed_total, temporal_worker_task_slots_available,
// …) come through the SDK's OpenTelemetry handler
// (go.temporal.io/sdk/contrib/opentelemetry) and the OpenTelemetry
// Prometheus exporter, into the same registry: counters end in _total,
// timers are histograms in seconds (_seconds), gauges keep their names.
// Observer.TemporalMetrics is the handler to give the client
// (client.Options.MetricsHandler).
//
// Our own, prefixed chuyenhoa_:
//
//   - chuyenhoa_documents_issued_total{kind}: documents issued by this
//     process's issue activities (approval, award, recognition,
//     continuation, responsibility, summary). A retry of an issue that had
//     completed but whose result was lost counts again; the store's
//     chuyenhoa_documents_archived is the exact figure.
//   - chuyenhoa_deliveries_failed_total{channel,status}: delivery attempts
//     of DeliverDocument that failed, by channel (smtp, file) and the status
//     the delivery was left in: failed (retried) or unknown (an ambiguous
//     hand-over, not sent again automatically).
//   - chuyenhoa_update_attempts_total, chuyenhoa_update_retries_total,
//     chuyenhoa_updates_aborted_total: the workflow updates (officers'
//     requests) this process's Temporal client sent, every attempt; those
//     that failed with an error the SDK retries without a word; and among
//     them those the server aborted ("workflow update was aborted": the
//     update's workflow task was lost, e.g. with its worker). See Updates.
//
// Counters are per process: sum them across workers. The gauges below are
// read from the shared PostgreSQL store at scrape time (with a timeout),
// so every process reports the same value: take max, not sum.
//
//   - chuyenhoa_tasks_open{province,kind}: open tasks of the officers' inbox.
//   - chuyenhoa_tasks_overdue{province,kind}: open tasks whose due date
//     (a civil date in Vietnam) is before today.
//   - chuyenhoa_deliveries{channel,status}: planned deliveries of issued
//     documents by status (pending, sending, failed, sent, unknown).
//   - chuyenhoa_documents_archived{province,kind}: issued documents in the archive.
//   - chuyenhoa_store_up: 1 if the last read of those figures succeeded, 0
//     if it failed or timed out (the gauges are then absent, not zero).
//   - chuyenhoa_store_read_seconds: how long that read took.
//
// A label combination with nothing in it (no open task of that kind) is
// absent rather than zero.
//
// # Health
//
// /healthz answers 200 while the process is up: it checks nothing else,
// so that a database outage does not get workers restarted. /readyz runs
// every Check (PostgreSQL: a query; Temporal: the frontend's gRPC health
// check), each with a short timeout, and answers 200 when all pass and 503
// otherwise, with a JSON body naming each check, whether it passed and why
// not.
//
// # Logs
//
// The binaries log JSON through log/slog. Wherever a log line concerns
// them, the keys are the same across workflows, activities and the API:
// cycle (the cycle's workflow ID, "cycle/51/2027"), commune (its code),
// task (a task ID, "submit_proposal/522"), document (a document's code,
// "5/QĐ-BCĐ"), province (its code). The SDK adds WorkflowID, RunID and, in
// activities, ActivityType.
package observe
