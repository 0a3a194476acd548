package devserver

import (
	"context"
	"log/slog"
	"os"
	"sync/atomic"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// serverLogger adapts an *slog.Logger to the Temporal server's log.Logger,
// dropping records below min: the server logs several lines per second at
// Info even when idle.
type serverLogger struct {
	log *slog.Logger
	min slog.Level
	// stopping is set by Temporal.Stop: from then on only errors pass, as
	// every internal poller and client warns while the server goes away (and
	// the system worker's pollers keep warning for a moment after Stop).
	stopping *atomic.Bool
}

// benign are Warn messages the server logs on every start of a dev server.
var benign = map[string]bool{
	// We leave the frontend's HTTP API (and so Nexus) off: one port fewer.
	"HTTP API port has not been set. Nexus HTTP endpoints will not be available. To enable Nexus, follow these instructions: https://github.com/temporalio/temporal/blob/main/docs/architecture/nexus.md#enabling-nexus.": true,
}

var _ log.Logger = serverLogger{}

func (l serverLogger) Debug(msg string, tags ...tag.Tag) { l.emit(slog.LevelDebug, msg, tags) }
func (l serverLogger) Info(msg string, tags ...tag.Tag)  { l.emit(slog.LevelInfo, msg, tags) }
func (l serverLogger) Warn(msg string, tags ...tag.Tag)  { l.emit(slog.LevelWarn, msg, tags) }
func (l serverLogger) Error(msg string, tags ...tag.Tag) { l.emit(slog.LevelError, msg, tags) }

// DPanic is logged as an error, as zap does in production.
func (l serverLogger) DPanic(msg string, tags ...tag.Tag) { l.emit(slog.LevelError, msg, tags) }

// Panic and Fatal keep the contract the server relies on: it does not expect
// to continue after them (after "Failed to start gRPC listener" it would go on
// to dereference the missing listener), so they panic and exit as zap does.
func (l serverLogger) Panic(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, msg, tags)
	panic(msg)
}

func (l serverLogger) Fatal(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, "fatal: "+msg, tags)
	os.Exit(1)
}

func (l serverLogger) emit(level slog.Level, msg string, tags []tag.Tag) {
	ctx := context.Background()
	if level < l.min || !l.log.Enabled(ctx, level) ||
		level < slog.LevelError && (l.stopping.Load() || benign[msg]) {
		return
	}
	attrs := make([]slog.Attr, len(tags))
	for i, t := range tags {
		attrs[i] = slog.Any(t.Key(), t.Value())
	}
	l.log.LogAttrs(ctx, level, msg, attrs...)
}

// orDiscard returns l, or a logger that drops everything when l is nil.
func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
