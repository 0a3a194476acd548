// Package app wires the real dependencies together for the binaries: the
// Temporal client, the PostgreSQL store, the document renderer and the
// worker. Only main packages and end-to-end tests import it.
package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"google.golang.org/grpc"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/notify"
	"chuyenhoa/observe"
	"chuyenhoa/postgres"
	"chuyenhoa/render"
	"chuyenhoa/signing"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/letters"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// Config is the configuration every binary shares, from flags and the
// conventional environment variables.
type Config struct {
	TemporalAddress string // TEMPORAL_ADDRESS, default 127.0.0.1:7233
	Namespace       string // TEMPORAL_NAMESPACE, default "default"
	DatabaseURL     string // DATABASE_URL
	OutputDir       string // CHUYENHOA_OUTPUT_DIR: where issued PDFs are written, default ./out
	TemplatesDir    string // CHUYENHOA_TEMPLATES_DIR: wording overrides; empty = the embedded templates
	// HTTPAddr is where /metrics, /healthz and /readyz are served
	// (CHUYENHOA_HTTP_ADDR; "off": nowhere). Empty: the binary's default —
	// DefaultWorkerHTTPAddr for the worker, the API's own address for
	// the server.
	HTTPAddr string
	// APIAddr is where the server listens (CHUYENHOA_API_ADDR,
	// default 127.0.0.1:8080).
	APIAddr string
	// TemporalTLS secures the connection to the Temporal frontend (mTLS
	// when a client certificate is given).
	TemporalTLS TLSConfig
	// DBConnections bounds the store's connection pool per process
	// (CHUYENHOA_DB_CONNECTIONS; 0: the driver's default, unbounded).
	DBConnections int
	// WorkerStopTimeout is how long a stopping worker (SIGTERM) lets its
	// running activities finish before cancelling them
	// (CHUYENHOA_WORKER_STOP_TIMEOUT, default 30s).
	WorkerStopTimeout time.Duration

	Signing  SigningConfig  // the clerk's signing keys and images, the verifier's CA
	Delivery DeliveryConfig // where issued documents go
	Notices  NoticeConfig   // how reminders reach officers beyond the inbox
}

// NoticeConfig configures the dispatcher of notices (package notify),
// which every worker runs; e-mail goes through Delivery.SMTP.
type NoticeConfig struct {
	// Every is how often the outbox is looked at (CHUYENHOA_NOTIFY_EVERY,
	// default 30s; "off": this process sends no notices).
	Every time.Duration
	// DigestHour is the hour (Vietnam) the daily digest leaves
	// (CHUYENHOA_DIGEST_HOUR, default 7).
	DigestHour int
	// WebhookHosts are the hosts of the province's SMS or chat gateway
	// (CHUYENHOA_WEBHOOK_HOSTS, comma-separated): officers' webhooks must
	// be on one of them; none: no webhooks.
	WebhookHosts []string
	// PublicURL is the web inbox's address for links in messages
	// (CHUYENHOA_PUBLIC_URL).
	PublicURL string
}

// TLSConfig is the client side of TLS to the Temporal frontend. With no
// field set the connection is plain (a frontend on a private network).
type TLSConfig struct {
	CA         string // TEMPORAL_TLS_CA: PEM file of the CAs that sign the frontend's certificate ("" = the system's)
	Cert, Key  string // TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: PEM client certificate and key (mTLS)
	ServerName string // TEMPORAL_TLS_SERVER_NAME: the name on the frontend's certificate, if not the address's host
	// Enabled turns TLS on with the system's CAs when no file is given
	// (TEMPORAL_TLS=1).
	Enabled bool
}

// On reports whether TLS is configured.
func (t TLSConfig) On() bool { return t.Enabled || t.CA != "" || t.Cert != "" || t.ServerName != "" }

// Load builds the tls.Config; nil when TLS is off.
func (t TLSConfig) Load() (*tls.Config, error) {
	if !t.On() {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.CA != "" {
		pem, err := os.ReadFile(t.CA)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %s holds no PEM certificate", t.CA)
		}
		c.RootCAs = pool
	}
	if (t.Cert == "") != (t.Key == "") {
		return nil, fmt.Errorf("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (got cert %q, key %q)", t.Cert, t.Key)
	}
	if t.Cert != "" {
		pair, err := tls.LoadX509KeyPair(t.Cert, t.Key)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: %w", err)
		}
		c.Certificates = []tls.Certificate{pair}
	}
	return c, nil
}

// SigningConfig names the keys, certificates and images of the issue. A
// key is a PKCS#12 file (with its password) or a PEM certificate chain and
// a PEM key. With no signer configured, decisions are issued unsigned.
type SigningConfig struct {
	// Warnings is where the worker says what its signing configuration
	// lacks or simulates, at start (nil: standard error; a benchmark
	// whose output is parsed gives io.Discard).
	Warnings                     io.Writer
	SignerP12, SignerP12Password string // CHUYENHOA_SIGNER_P12, CHUYENHOA_SIGNER_P12_PASSWORD
	SignerCert, SignerKey        string // CHUYENHOA_SIGNER_CERT, CHUYENHOA_SIGNER_KEY (PEM; may be one file)
	BodyP12, BodyP12Password     string // CHUYENHOA_SEAL_P12, CHUYENHOA_SEAL_P12_PASSWORD: the issuing body's
	BodyCert, BodyKey            string // CHUYENHOA_SEAL_CERT, CHUYENHOA_SEAL_KEY
	SignerImage, SealImage       string // CHUYENHOA_SIGNER_IMAGE, CHUYENHOA_SEAL_IMAGE: transparent PNGs
	// SampleImages draws sample signature and seal images when none are
	// given (CHUYENHOA_SAMPLE_IMAGES=1; the demo sets it).
	SampleImages bool
	SignerName   string // for the sample signature image
	BodyName     string // for the sample seal image
	// CA is the PEM file of the CA certificates that verify trusts
	// (CHUYENHOA_SIGNING_CA).
	CA string
	// Head is how the head signs (headsigning.go); Demo is the
	// demonstration (CHUYENHOA_DEMO=1), where a key file may simulate the
	// head's token and an issue may go unsigned.
	Head HeadSigningConfig
	Demo bool
}

// Configured reports whether a signer is configured.
func (s SigningConfig) Configured() bool { return s.SignerP12 != "" || s.SignerCert != "" }

// DeliveryConfig configures distribution.
type DeliveryConfig struct {
	Recipients string              // CHUYENHOA_RECIPIENTS: the recipients directory (JSON); empty: nothing is delivered
	DropRoot   string              // CHUYENHOA_DROP_DIR: base of relative file-drop addresses
	Domain     string              // CHUYENHOA_MAIL_DOMAIN: of the Message-IDs
	SMTP       delivery.SMTPConfig // CHUYENHOA_SMTP_HOST, _PORT, _FROM, _USERNAME, _PASSWORD, _TLS
}

// FromEnv returns the configuration from the environment, with defaults.
func FromEnv() Config {
	port, _ := strconv.Atoi(os.Getenv("CHUYENHOA_SMTP_PORT"))
	conns, _ := strconv.Atoi(os.Getenv("CHUYENHOA_DB_CONNECTIONS"))
	stop, err := time.ParseDuration(env("CHUYENHOA_WORKER_STOP_TIMEOUT", "30s"))
	if err != nil || stop < 0 {
		stop = 30 * time.Second
	}
	return Config{
		TemporalTLS: TLSConfig{
			CA: os.Getenv("TEMPORAL_TLS_CA"), Cert: os.Getenv("TEMPORAL_TLS_CERT"), Key: os.Getenv("TEMPORAL_TLS_KEY"),
			ServerName: os.Getenv("TEMPORAL_TLS_SERVER_NAME"), Enabled: os.Getenv("TEMPORAL_TLS") == "1",
		},
		APIAddr:           env("CHUYENHOA_API_ADDR", "127.0.0.1:8080"),
		DBConnections:     conns,
		WorkerStopTimeout: stop,
		TemporalAddress:   env("TEMPORAL_ADDRESS", client.DefaultHostPort),
		Namespace:         env("TEMPORAL_NAMESPACE", client.DefaultNamespace),
		DatabaseURL:       os.Getenv("DATABASE_URL"),
		OutputDir:         env("CHUYENHOA_OUTPUT_DIR", "out"),
		TemplatesDir:      os.Getenv("CHUYENHOA_TEMPLATES_DIR"),
		HTTPAddr:          os.Getenv("CHUYENHOA_HTTP_ADDR"),
		Signing: SigningConfig{
			SignerP12: os.Getenv("CHUYENHOA_SIGNER_P12"), SignerP12Password: os.Getenv("CHUYENHOA_SIGNER_P12_PASSWORD"),
			SignerCert: os.Getenv("CHUYENHOA_SIGNER_CERT"), SignerKey: os.Getenv("CHUYENHOA_SIGNER_KEY"),
			BodyP12: os.Getenv("CHUYENHOA_SEAL_P12"), BodyP12Password: os.Getenv("CHUYENHOA_SEAL_P12_PASSWORD"),
			BodyCert: os.Getenv("CHUYENHOA_SEAL_CERT"), BodyKey: os.Getenv("CHUYENHOA_SEAL_KEY"),
			SignerImage: os.Getenv("CHUYENHOA_SIGNER_IMAGE"), SealImage: os.Getenv("CHUYENHOA_SEAL_IMAGE"),
			SampleImages: os.Getenv("CHUYENHOA_SAMPLE_IMAGES") == "1",
			CA:           os.Getenv("CHUYENHOA_SIGNING_CA"),
			Head:         headSigningFromEnv(), Demo: os.Getenv("CHUYENHOA_DEMO") == "1",
		},
		Notices: noticeConfig(),
		Delivery: DeliveryConfig{
			Recipients: os.Getenv("CHUYENHOA_RECIPIENTS"),
			DropRoot:   os.Getenv("CHUYENHOA_DROP_DIR"),
			Domain:     env("CHUYENHOA_MAIL_DOMAIN", "chuyenhoa.invalid"),
			SMTP: delivery.SMTPConfig{
				Host: os.Getenv("CHUYENHOA_SMTP_HOST"), Port: port, From: os.Getenv("CHUYENHOA_SMTP_FROM"),
				Username: os.Getenv("CHUYENHOA_SMTP_USERNAME"), Password: os.Getenv("CHUYENHOA_SMTP_PASSWORD"),
				TLS: os.Getenv("CHUYENHOA_SMTP_TLS"),
			},
		},
	}
}

func noticeConfig() NoticeConfig {
	c := NoticeConfig{Every: 30 * time.Second, WebhookHosts: notify.ParseHosts(os.Getenv("CHUYENHOA_WEBHOOK_HOSTS")),
		PublicURL: os.Getenv("CHUYENHOA_PUBLIC_URL")}
	c.DigestHour, _ = strconv.Atoi(os.Getenv("CHUYENHOA_DIGEST_HOUR"))
	switch v := os.Getenv("CHUYENHOA_NOTIFY_EVERY"); v {
	case "":
	case HTTPOff:
		c.Every = 0
	default:
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			c.Every = d
		}
	}
	return c
}

// NewDispatcher returns the dispatcher of notices over the store, sending
// e-mail through the SMTP server of cfg.Delivery (none configured: e-mail
// notices wait, retried, until one is) and webhooks to cfg.Notices'
// gateway hosts.
func NewDispatcher(db *postgres.DB, cfg Config, logger *slog.Logger) (*notify.Dispatcher, error) {
	d := &notify.Dispatcher{Store: db, Registry: db, BaseURL: cfg.Notices.PublicURL, Domain: cfg.Delivery.Domain,
		DigestHour: cfg.Notices.DigestHour, Logger: logger}
	if cfg.Delivery.SMTP.Host != "" {
		s, err := delivery.NewSMTP(cfg.Delivery.SMTP)
		if err != nil {
			return nil, err
		}
		d.Mail = s
	}
	if len(cfg.Notices.WebhookHosts) > 0 {
		d.Webhook = &notify.Webhook{Hosts: cfg.Notices.WebhookHosts}
	}
	return d, nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Dial connects to Temporal.
func Dial(cfg Config, logger *slog.Logger) (client.Client, error) {
	return DialWithMetrics(cfg, logger, nil)
}

// DialWithMetrics connects to Temporal with the SDK's metrics (requests,
// workflow and activity tasks, pollers, slots, …) going to metrics
// (observe.Observer.TemporalMetrics); nil: none.
func DialWithMetrics(cfg Config, logger *slog.Logger, metrics client.MetricsHandler) (client.Client, error) {
	return DialWith(cfg, logger, metrics, nil)
}

// DialWith is DialWithMetrics with the workflow updates the client sends
// counted by updates (observe.Observer.Updates; nil: not counted),
// including the attempts the SDK retries by itself.
func DialWith(cfg Config, logger *slog.Logger, metrics client.MetricsHandler, updates *observe.Updates) (client.Client, error) {
	tlsConfig, err := cfg.TemporalTLS.Load()
	if err != nil {
		return nil, err
	}
	conn := client.ConnectionOptions{TLS: tlsConfig}
	if updates != nil {
		conn.DialOptions = append(conn.DialOptions, grpc.WithChainUnaryInterceptor(updates.Interceptor()))
	}
	c, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.Namespace,
		Logger: sdklog.NewStructuredLogger(logger), MetricsHandler: metrics,
		ConnectionOptions: conn})
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s (namespace %s): %w", cfg.TemporalAddress, cfg.Namespace, err)
	}
	return c, nil
}

// OpenStore opens the PostgreSQL store and runs its migrations.
func OpenStore(ctx context.Context, cfg Config) (*postgres.DB, error) {
	if cfg.DatabaseURL == "" {
		return nil, fmt.Errorf("DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/chuyenhoa?sslmode=disable)")
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if cfg.DBConnections > 0 {
		db.LimitConnections(cfg.DBConnections)
	}
	return db, nil
}

// Activities are every activity a worker runs, each process's over the
// store and the document pipeline's over the store, the renderer, the
// signer and the deliverer.
type Activities struct {
	Inbox          *flow.Activities
	Selection      *selection.Activities
	Transformation *transformation.Activities
	Awards         *awards.Activities
	Issuing        *issuing.Activities
}

// NewActivities builds the activities over a store, with the document
// pipeline configured from cfg.
func NewActivities(store cycle.Store, cfg Config) (*Activities, error) {
	r, err := render.New(cfg.TemplatesDir)
	if err != nil {
		return nil, err
	}
	pipe := &issuing.Activities{Store: store, Renderer: r, Domain: cfg.Delivery.Domain}
	if err := configureHead(pipe, cfg.Signing); err != nil {
		return nil, err
	}
	clerk, err := LoadSigning(cfg.Signing)
	if err != nil {
		return nil, err
	}
	// In the demo the simulated head's key also signs, on the worker, the
	// head's documents when the demo switches the worker to it (its
	// programme years run faster than a signer can sign).
	if clerk != nil && (cfg.Signing.HeadMode() == HeadServer || cfg.Signing.Demo) {
		pipe.Signer, pipe.Unsigned = clerk, ""
	}
	// The secretariat's letters are sealed by the issuing body alone
	// (issuing.SealAlone): the organisation's certificate, in either mode.
	if pipe.Sealer == nil && clerk != nil && clerk.Body != nil {
		pipe.Sealer = clerk
	}
	dir, deliverer, err := LoadDistribution(cfg.Delivery)
	if err != nil {
		return nil, err
	}
	if dir != nil {
		pipe.Directory, pipe.Deliverer = dir, deliverer
	}
	return &Activities{
		Inbox:          &flow.Activities{Store: store, Notices: store},
		Selection:      &selection.Activities{Store: store},
		Transformation: &transformation.Activities{Store: store},
		Awards:         &awards.Activities{Store: store},
		Issuing:        pipe,
	}, nil
}

// Register registers the workflows and the activities on a worker (or a
// test environment, or a replayer).
func (a *Activities) Register(w worker.Registry) {
	RegisterWorkflows(w)
	w.RegisterActivity(a.Inbox)
	w.RegisterActivity(a.Selection)
	w.RegisterActivity(a.Transformation)
	w.RegisterActivity(a.Awards)
	w.RegisterActivity(a.Issuing)
}

// RegisterWorkflows registers every workflow of the programme.
func RegisterWorkflows(w worker.WorkflowRegistry) {
	w.RegisterWorkflow(selection.YearlyCycle)
	w.RegisterWorkflow(transformation.CommuneTransformation)
	w.RegisterWorkflow(awards.AwardRound)
	w.RegisterWorkflow(letters.ReminderLetter)
}

// LoadSigning loads the signer's and the issuing body's identities and
// images; nil when no signer is configured.
func LoadSigning(c SigningConfig) (*signing.Clerk, error) {
	if !c.Configured() {
		return nil, nil
	}
	load := func(who, p12, pass, cert, key string) (*signing.Identity, error) {
		switch {
		case p12 != "":
			return signing.LoadPKCS12(p12, pass)
		case cert != "":
			if key == "" {
				key = cert
			}
			return signing.LoadPEM(cert, key)
		}
		return nil, fmt.Errorf("signing: the %s key is not configured", who)
	}
	s := &signing.Clerk{}
	var err error
	if s.Signer, err = load("signer's", c.SignerP12, c.SignerP12Password, c.SignerCert, c.SignerKey); err != nil {
		return nil, err
	}
	if s.Body, err = load("issuing body's (seal)", c.BodyP12, c.BodyP12Password, c.BodyCert, c.BodyKey); err != nil {
		return nil, err
	}
	image := func(path, what string, sample func() ([]byte, error)) ([]byte, error) {
		if path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("signing: %s image: %w", what, err)
			}
			return b, nil
		}
		if !c.SampleImages {
			return nil, fmt.Errorf("signing: no %s image configured (CHUYENHOA_SIGNER_IMAGE, CHUYENHOA_SEAL_IMAGE), and sample images are off", what)
		}
		return sample()
	}
	if s.SignerImage, err = image(c.SignerImage, "signature", func() ([]byte, error) { return signing.SampleSignatureImage(c.SignerName), nil }); err != nil {
		return nil, err
	}
	if s.SealImage, err = image(c.SealImage, "seal", func() ([]byte, error) {
		set, err := templates.Load("") // the seal is lettered in the documents' bold face
		if err != nil {
			return nil, err
		}
		return signing.SampleSealImage(c.BodyName, set.Fonts().Bold)
	}); err != nil {
		return nil, err
	}
	return s, nil
}

// LoadDistribution loads the recipients directory and builds the
// deliverers; nil when no directory is configured.
func LoadDistribution(c DeliveryConfig) (*delivery.Directory, delivery.Router, error) {
	if c.Recipients == "" {
		return nil, nil, nil
	}
	dir, err := delivery.LoadDirectory(c.Recipients)
	if err != nil {
		return nil, nil, err
	}
	r := delivery.Router{cycle.ChannelFile: delivery.FileDrop{Root: c.DropRoot}}
	if c.SMTP.Host != "" {
		s, err := delivery.NewSMTP(c.SMTP)
		if err != nil {
			return nil, nil, err
		}
		r[cycle.ChannelSMTP] = s
	}
	for _, e := range dir.Recipients {
		if _, ok := r[e.Channel]; !ok {
			return nil, nil, fmt.Errorf("recipients directory %s: %s is delivered by %s, but no SMTP server is configured (CHUYENHOA_SMTP_HOST, CHUYENHOA_SMTP_FROM)", c.Recipients, e.Key, e.Channel)
		}
	}
	return dir, r, nil
}

// NewWorker returns a worker on the task queue with the workflows and the
// activities registered; the caller starts and stops it.
func NewWorker(c client.Client, acts *Activities) worker.Worker {
	return NewWorkerWith(c, acts, worker.Options{})
}

// NewWorkerWith is NewWorker with worker options (the worker binary sets
// WorkerStopTimeout from the configuration). Every worker records its
// activities' heartbeats (flow.Heartbeats): the activity options' heartbeat
// timeout is what lets another worker take over an activity whose worker
// died within seconds.
func NewWorkerWith(c client.Client, acts *Activities, opts worker.Options) worker.Worker {
	opts.Interceptors = append(opts.Interceptors, &flow.Heartbeats{Every: flow.HeartbeatInterval})
	w := worker.New(c, flow.TaskQueue, opts)
	if acts.Transformation != nil && acts.Transformation.Cycles == nil {
		// A report's record tells the cycle its verdict with the worker's client.
		acts.Transformation.Cycles = c
	}
	acts.Register(w)
	return w
}

// DefaultWorkerHTTPAddr is where a worker serves /metrics, /healthz and
// /readyz unless CHUYENHOA_HTTP_ADDR (or -http-addr) says otherwise: the
// port registered for OpenTelemetry's Prometheus exporter.
const DefaultWorkerHTTPAddr = ":9464"

// DefaultAPIHTTPAddr is where the API server serves /metrics, /healthz
// and /readyz unless told otherwise: on the loopback interface, not on
// the public address officers reach.
const DefaultAPIHTTPAddr = "127.0.0.1:9465"

// HTTPSame is the API server's CHUYENHOA_HTTP_ADDR that serves the
// observability endpoints on the API's own address.
const HTTPSame = "same"

// HTTPOff is the CHUYENHOA_HTTP_ADDR that serves no observability endpoint.
const HTTPOff = "off"

// Observability is one process's metrics and probes: the Observer (give
// Observer.TemporalMetrics to DialWithMetrics and Observer.Counters to the
// activities) and, once Watch has run, the handler of /metrics, /healthz
// and /readyz.
type Observability struct {
	*observe.Observer
	handler http.Handler
}

// NewObservability returns a process's observer, before it dials Temporal.
func NewObservability(logger *slog.Logger) (*Observability, error) {
	o, err := observe.New(logger)
	if err != nil {
		return nil, err
	}
	return &Observability{Observer: o}, nil
}

// Shutdown flushes and stops the metrics, within 5 seconds: what the
// binaries defer on their way out.
func (o *Observability) Shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = o.Close(ctx)
}

// Watch adds the store's gauges (read from db at each scrape) and the
// readiness checks of PostgreSQL and Temporal.
func (o *Observability) Watch(db *postgres.DB, c client.Client) error {
	if err := o.WatchStore(db, 0, nil); err != nil {
		return err
	}
	o.handler = o.Observer.Handler(0, observe.PostgresCheck(db), observe.TemporalCheck(c))
	return nil
}

// Handler serves /metrics, /healthz and /readyz (after Watch).
func (o *Observability) Handler() http.Handler {
	if o.handler == nil {
		return o.Observer.Handler(0) // no store, no checks: ready when up
	}
	return o.handler
}

// ListenObservability opens the listener of the observability endpoint:
// nil when addr is HTTPOff. An address that is busy is an error when it was
// asked for (explicit), and only a warning when it is a default: several
// workers on one host would otherwise have to be configured one by one
// just to start.
func ListenObservability(addr string, explicit bool, logger *slog.Logger) (net.Listener, error) {
	if addr == HTTPOff {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if explicit {
			return nil, fmt.Errorf("metrics and health endpoint (CHUYENHOA_HTTP_ADDR): %w", err)
		}
		logger.Warn("no metrics and health endpoint: the default address is taken; set CHUYENHOA_HTTP_ADDR", "addr", addr, "error", err)
		return nil, nil
	}
	return ln, nil
}

// ServeHTTP serves h on ln until ctx ends, then shuts down gracefully
// (at most 10 s). A nil ln serves nothing and waits for ctx.
func ServeHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	if ln == nil {
		<-ctx.Done()
		return nil
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
