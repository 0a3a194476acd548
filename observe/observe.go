package observe

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/issuing"
)

// Observer holds one process's metrics: the registry /metrics serves, the
// Temporal SDK's metrics handler feeding it, and our own counters.
type Observer struct {
	// Registry is what /metrics serves: the Go runtime and process
	// collectors, the SDK's metrics, our counters and, after WatchStore,
	// the store's gauges.
	Registry *prometheus.Registry
	// Counters are our own counters; give them to the activities
	// (issuing.Activities.Counters).
	Counters *Counters
	// Updates counts the workflow updates the process's Temporal client
	// sends; give it to the client (internal/app.DialWith).
	Updates *Updates

	logger   *slog.Logger
	provider *sdkmetric.MeterProvider
	temporal client.MetricsHandler
}

// latencyBuckets are the histogram buckets (seconds) of the SDK's timers:
// from a millisecond (a cached workflow task) to ten minutes (a long poll
// or a slow activity). OpenTelemetry's default buckets (0 … 10000) are
// made for milliseconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}

// New returns an Observer with a fresh registry. Close it to stop the
// SDK's metric pipeline. A nil logger logs to slog.Default().
func New(logger *slog.Logger) (*Observer, error) {
	if logger == nil {
		logger = slog.Default()
	}
	reg := prometheus.NewRegistry()
	if err := registerAll(reg,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	); err != nil {
		return nil, err
	}
	// The SDK's metrics: OpenTelemetry instruments, read by the exporter
	// at each scrape. No scope labels and no target_info: the names and
	// the SDK's own labels (namespace, task_queue, workflow_type, …) say
	// enough, and the scrape adds job and instance.
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("metrics: the OpenTelemetry exporter: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithView(sdkmetric.NewView(
		sdkmetric.Instrument{Kind: sdkmetric.InstrumentKindHistogram, Unit: "s"},
		sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: latencyBuckets}},
	)))
	o := &Observer{Registry: reg, logger: logger, provider: provider}
	o.temporal = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: provider.Meter("temporal-sdk-go"),
		// The handler panics on an instrument error by default; a metric
		// is not worth a worker.
		OnError:              func(err error) { logger.Error("temporal sdk metric", "error", err) },
		UseMonotonicCounters: true,
	})
	if o.Counters, err = newCounters(reg); err != nil {
		return nil, err
	}
	if o.Updates, err = NewUpdates(reg); err != nil {
		return nil, err
	}
	return o, nil
}

// TemporalMetrics is the SDK's metrics handler for client.Options.MetricsHandler.
func (o *Observer) TemporalMetrics() client.MetricsHandler { return o.temporal }

// Close stops the SDK's metric pipeline.
func (o *Observer) Close(ctx context.Context) error { return o.provider.Shutdown(ctx) }

func registerAll(reg prometheus.Registerer, cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("metrics: register: %w", err)
		}
	}
	return nil
}

// Counters are the programme's own counters, incremented by the
// activities. A nil *Counters counts nothing, so that activities built
// without metrics (tests, the CLI) work unchanged.
type Counters struct {
	documentsIssued  *prometheus.CounterVec
	deliveriesFailed *prometheus.CounterVec
}

var _ issuing.Counters = (*Counters)(nil)

// The label values known in advance: their series start at 0, so that
// rate() and increase() see the first increment.
var (
	documentKinds = []string{"approval", "award", cycle.DocRecognition, cycle.DocContinuation,
		cycle.DocResponsibility, cycle.DocSummary, cycle.DocReview}
	channels       = []cycle.Channel{cycle.ChannelSMTP, cycle.ChannelFile}
	failedStatuses = []cycle.DeliveryStatus{cycle.DeliveryFailed, cycle.DeliveryUnknown}
)

func newCounters(reg prometheus.Registerer) (*Counters, error) {
	c := &Counters{
		documentsIssued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chuyenhoa_documents_issued_total",
			Help: "Documents issued (numbered, rendered, signed, archived) by this process's issue activities, by kind.",
		}, []string{"kind"}),
		deliveriesFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chuyenhoa_deliveries_failed_total",
			Help: "Delivery attempts of issued documents that failed, by channel and the status left: failed (retried) or unknown (not sent again automatically).",
		}, []string{"channel", "status"}),
	}
	for _, k := range documentKinds {
		c.documentsIssued.WithLabelValues(k)
	}
	for _, ch := range channels {
		for _, s := range failedStatuses {
			c.deliveriesFailed.WithLabelValues(string(ch), string(s))
		}
	}
	if err := registerAll(reg, c.documentsIssued, c.deliveriesFailed); err != nil {
		return nil, err
	}
	return c, nil
}

// DocumentIssued counts an issued document of a kind.
func (c *Counters) DocumentIssued(kind string) {
	if c == nil {
		return
	}
	c.documentsIssued.WithLabelValues(kind).Inc()
}

// DeliveryFailed counts a failed delivery attempt by its channel and the
// status it left the delivery in.
func (c *Counters) DeliveryFailed(channel cycle.Channel, status cycle.DeliveryStatus) {
	if c == nil {
		return
	}
	c.deliveriesFailed.WithLabelValues(string(channel), string(status)).Inc()
}
