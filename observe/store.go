package observe

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

// Store is what the gauges read: the figures of the shared store
// (postgres.DB). Counts must return within the context's deadline.
type Store interface {
	Counts(ctx context.Context, today cycle.Date) (cycle.Counts, error)
}

var _ Store = (*postgres.DB)(nil)

// DefaultStoreTimeout bounds the store's read at each scrape: well under
// Prometheus's default scrape timeout of 10 s.
const DefaultStoreTimeout = 3 * time.Second

// WatchStore registers the store's gauges (chuyenhoa_tasks_open,
// chuyenhoa_tasks_overdue, chuyenhoa_deliveries,
// chuyenhoa_documents_archived, chuyenhoa_store_up,
// chuyenhoa_store_read_seconds), read at each scrape within timeout
// (DefaultStoreTimeout if 0). now gives the instant whose civil date in
// Vietnam decides what is overdue (time.Now if nil).
func (o *Observer) WatchStore(s Store, timeout time.Duration, now func() time.Time) error {
	if timeout <= 0 {
		timeout = DefaultStoreTimeout
	}
	if now == nil {
		now = time.Now
	}
	return registerAll(o.Registry, &storeCollector{store: s, timeout: timeout, now: now, logger: o.logger})
}

var (
	descTasksOpen = prometheus.NewDesc("chuyenhoa_tasks_open",
		"Open tasks of the officers' inbox, by province and task kind (from the store: the same in every process).",
		[]string{"province", "kind"}, nil)
	descTasksOverdue = prometheus.NewDesc("chuyenhoa_tasks_overdue",
		"Open tasks whose due date (a civil date in Vietnam) is before today, by province and task kind (from the store).",
		[]string{"province", "kind"}, nil)
	descDeliveries = prometheus.NewDesc("chuyenhoa_deliveries",
		"Planned deliveries of issued documents, by channel and status: pending, sending, failed, sent, unknown (from the store).",
		[]string{"channel", "status"}, nil)
	descDocumentsArchived = prometheus.NewDesc("chuyenhoa_documents_archived",
		"Issued documents in the archive, by province and kind (from the store).",
		[]string{"province", "kind"}, nil)
	descStoreUp = prometheus.NewDesc("chuyenhoa_store_up",
		"1 if this scrape read the store's figures, 0 if the read failed or timed out (the store's gauges are then absent).",
		nil, nil)
	descStoreRead = prometheus.NewDesc("chuyenhoa_store_read_seconds",
		"How long this scrape's read of the store's figures took.",
		nil, nil)
)

// storeCollector reads the store's figures at each scrape. Reading at
// scrape time, not counting in the process, keeps the gauges right however
// many workers run and across restarts: the store is shared.
type storeCollector struct {
	store   Store
	timeout time.Duration
	now     func() time.Time
	logger  *slog.Logger
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descTasksOpen, descTasksOverdue, descDeliveries, descDocumentsArchived, descStoreUp, descStoreRead} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	start := time.Now()
	counts, err := c.store.Counts(ctx, cycle.DateOf(c.now()))
	ch <- prometheus.MustNewConstMetric(descStoreRead, prometheus.GaugeValue, time.Since(start).Seconds())
	if err != nil {
		c.logger.Warn("metrics: read the store's figures", "timeout", c.timeout, "error", err)
		ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 1)
	for _, t := range counts.Tasks {
		ch <- prometheus.MustNewConstMetric(descTasksOpen, prometheus.GaugeValue, float64(t.Open), t.Province, string(t.Kind))
		ch <- prometheus.MustNewConstMetric(descTasksOverdue, prometheus.GaugeValue, float64(t.Overdue), t.Province, string(t.Kind))
	}
	for _, d := range counts.Deliveries {
		ch <- prometheus.MustNewConstMetric(descDeliveries, prometheus.GaugeValue, float64(d.N), d.Channel, d.Status)
	}
	for _, d := range counts.Documents {
		ch <- prometheus.MustNewConstMetric(descDocumentsArchived, prometheus.GaugeValue, float64(d.N), d.Province, d.Kind)
	}
}
