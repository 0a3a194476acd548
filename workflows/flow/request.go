package flow

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
)

// TaskQueue is the task queue every worker polls and every workflow of
// the programme runs on.
const TaskQueue = "chuyenhoa"

// Request is what every officer's request carries: who, and a request ID
// that makes a retried request return the first result instead of
// completing the task twice. Callers use it as the update's ID too.
type Request struct {
	Actor     cycle.Actor `json:"actor"`
	RequestID string      `json:"request_id"`
}

// UpdateHandler is an update's name, its handler and its validator.
type UpdateHandler struct {
	Name      string
	Handler   any
	Validator any
}

// RegisterUpdates installs updates with their validators: a rejected
// update writes nothing, not even to the workflow's history. declared is
// the workflow's published list of its updates with the task kinds they
// complete (selection.Updates, awards.Updates…), which the front door is
// checked against: an update not in it, or one of it not installed, is an
// error, so that no update can exist that the API and the web do not know.
func RegisterUpdates(ctx workflow.Context, declared map[string][]cycle.TaskKind, us ...UpdateHandler) error {
	if len(us) != len(declared) {
		return fmt.Errorf("flow: %d updates installed, %d declared", len(us), len(declared))
	}
	for _, u := range us {
		if _, ok := declared[u.Name]; !ok {
			return fmt.Errorf("flow: update %q is not declared in the workflow's list of updates", u.Name)
		}
	}
	for _, u := range us {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.Name, u.Handler, workflow.UpdateHandlerOptions{Validator: u.Validator}); err != nil {
			return err
		}
	}
	return nil
}

// ActivityOptions are those of the store's activities (and of the
// documents' steps that only read or write the store): they retry until
// the store is back (a cycle must not lose a completion because
// PostgreSQL restarted); domain errors are non-retryable by construction
// (see Wrap). Every attempt heartbeats (the worker's Heartbeats
// interceptor): a worker killed inside one costs HeartbeatTimeout, not
// the start-to-close timeout, before another worker retries it. The
// start-to-close timeout bounds an attempt that hangs while its worker
// lives; a store step takes milliseconds (one transaction: 3–5 ms in
// postgres' BenchmarkCompleteTask, well under a second in the fault test
// on a loaded machine), so 10 s is ample.
var ActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Second,
	HeartbeatTimeout:    HeartbeatTimeout,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
	},
}

// DocumentOptions are ActivityOptions with the start-to-close timeout of
// the steps that lay out or sign a PDF (issuing's RenderDocument,
// SignDocument, the selection's draft, the legacy one-step issue): tens
// of milliseconds each on an idle core (bench/baseline.txt), seconds at
// worst on a loaded one, so 30 s.
var DocumentOptions = func() workflow.ActivityOptions {
	o := ActivityOptions
	o.StartToCloseTimeout = 30 * time.Second
	return o
}()

// LocalActivityOptions are those of the store's writes made as local
// activities (a task's completion, see TaskBatches): the same timeout and
// retries as ActivityOptions, in the worker that runs the workflow task.
var LocalActivityOptions = workflow.LocalActivityOptions{
	StartToCloseTimeout: ActivityOptions.StartToCloseTimeout,
	RetryPolicy:         ActivityOptions.RetryPolicy,
}

// WithLocalActivityOptions is ctx with LocalActivityOptions.
func WithLocalActivityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, LocalActivityOptions)
}

// WithActivityOptions is ctx with ActivityOptions; an update handler gets
// a fresh context that does not inherit the workflow's options.
func WithActivityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, ActivityOptions)
}

// WithDocumentOptions is ctx with DocumentOptions.
func WithDocumentOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, DocumentOptions)
}

// Ledger remembers the results of completed requests, so that a retried
// request returns its first result instead of completing a task twice. It
// is part of each workflow's state and travels with it through
// continue-as-new. A result is kept as JSON and read back into the type
// its update returns: no type assertion can fail a workflow task.
//
// The key is the kind of request, the officer and the request ID: the same
// ID sent for another kind of request, or by another officer, is another
// request.
type Ledger struct {
	Results map[string]json.RawMessage `json:"results,omitempty"`
}

func ledgerKey(kind string, r Request) string {
	return kind + "\x00" + r.Actor.ID + "\x00" + r.RequestID
}

// Done reports whether the request was completed already.
func (l *Ledger) Done(kind string, r Request) bool {
	if r.RequestID == "" || l.Results == nil {
		return false
	}
	_, ok := l.Results[ledgerKey(kind, r)]
	return ok
}

// Record keeps a completed request's result.
func (l *Ledger) Record(kind string, r Request, result any) {
	// encoding/json is deterministic for the workflows' plain result types
	// (struct fields in order, map keys sorted); it uses reflection.
	//workflowcheck:ignore
	b, err := json.Marshal(result)
	if err != nil {
		// Results are the workflows' own plain types: a marshal error is a
		// programming error, caught by every update test.
		panic(fmt.Sprintf("ledger: result of %s is not JSON: %v", kind, err))
	}
	if l.Results == nil {
		l.Results = map[string]json.RawMessage{}
	}
	l.Results[ledgerKey(kind, r)] = b
}

// Recall returns the first result of a completed request, read into T.
func Recall[T any](l *Ledger, kind string, r Request) (T, bool) {
	var out T
	if !l.Done(kind, r) {
		return out, false
	}
	// See Record.
	//workflowcheck:ignore
	if err := json.Unmarshal(l.Results[ledgerKey(kind, r)], &out); err != nil {
		panic(fmt.Sprintf("ledger: result of %s does not read back as %T: %v", kind, out, err))
	}
	return out, true
}

// AppError turns a domain error into the application error Temporal
// carries to the caller: its type is the domain code and its details the
// problems. Other errors pass unchanged.
func AppError(err error) error {
	var ce *cycle.Error
	if err == nil || !errors.As(err, &ce) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(ce.Message, ce.Code, temporal.ApplicationErrorOptions{
		NonRetryable: true,
		Details:      []any{ce.Problems, ce.Text},
	})
}

// AsCycleError recovers the domain error from an error returned by an
// update, a workflow or an activity (nil if it carries none).
func AsCycleError(err error) *cycle.Error {
	var ce *cycle.Error
	if errors.As(err, &ce) {
		return ce
	}
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) {
		return nil
	}
	switch ae.Type() {
	case cycle.EINVALID, cycle.ENOTFOUND, cycle.ECONFLICT, cycle.EFORBIDDEN:
	default:
		return nil
	}
	out := &cycle.Error{Code: ae.Type(), Message: ae.Message()}
	if ae.HasDetails() && ae.Details(&out.Problems, &out.Text) != nil {
		_ = ae.Details(&out.Problems) // an error recorded before it carried the Vietnamese text
	}
	return out
}

// Wrap adds context to an activity's error and makes domain errors
// non-retryable application errors whose type is the domain code.
func Wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var ce *cycle.Error
	if errors.As(err, &ce) && ce.Code != cycle.EINTERNAL {
		return temporal.NewApplicationErrorWithOptions(what+": "+ce.Error(), ce.Code, temporal.ApplicationErrorOptions{
			NonRetryable: true, Cause: err, Details: []any{ce.Problems, ce.Text},
		})
	}
	return fmt.Errorf("%s: %w", what, err)
}
