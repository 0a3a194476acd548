package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uioptions "github.com/temporalio/ui-server/v2/server/server_options"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
	"google.golang.org/protobuf/types/known/durationpb"
)

// DefaultRetention is how long closed workflows are kept when
// TemporalOptions.Retention is zero.
const DefaultRetention = 7 * 24 * time.Hour

const (
	clusterName = "active"
	// readyTimeout bounds how long StartTemporal waits for the frontend and
	// the UI to answer, on top of the caller's context.
	readyTimeout = 60 * time.Second
)

// TemporalOptions configures StartTemporal. The zero value is a usable
// in-memory server with the UI on free ports.
type TemporalOptions struct {
	// DBFile is the SQLite file holding all server state. It is created with
	// the schema when missing or empty. "" keeps state in memory only.
	DBFile string
	// Namespace is created at start-up if the database does not have it yet.
	// Default "default".
	Namespace string
	// IP is the address the frontend (gRPC) and the UI listen on. Default
	// "127.0.0.1"; "0.0.0.0" exposes both on the network. The internal
	// history, matching and worker services always listen on 127.0.0.1.
	IP string
	// FrontendPort is the gRPC port clients and workers dial. 0 picks a free
	// port.
	FrontendPort int
	// UIPort is the Web UI's HTTP port. 0 picks a free port; -1 disables the
	// UI. It must differ from FrontendPort.
	UIPort int
	// SearchAttributes are custom search attributes registered in Namespace,
	// both when it is created and, if missing, in an existing database. SQL
	// visibility allows 10 Keyword and 3 of each other type per namespace.
	SearchAttributes map[string]enums.IndexedValueType
	// Retention is how long closed workflows are kept. It applies only when
	// the namespace is created. 0 means DefaultRetention.
	Retention time.Duration
	// Logger receives the server's own logs at Warn and above (it is very
	// chatty below), and one Info line when the server is ready. nil discards.
	Logger *slog.Logger
}

// Temporal is a running embedded Temporal server. Stop it when done.
type Temporal struct {
	server    temporal.Server
	ui        *uiserver.Server
	frontend  string
	uiAddress string
	namespace string
	stopping  *atomic.Bool // quiets the server's logger
	stopOnce  sync.Once
	stopErr   error
}

// memDBSeq names in-memory databases so that several servers in one process
// do not share state.
var memDBSeq atomic.Int64

// StartTemporal starts a Temporal server (frontend, history, matching and
// worker services in this process, one history shard, static membership)
// and, unless disabled, the Web UI. It returns once the frontend answers for
// the namespace, the custom search attributes exist and the UI answers HTTP,
// or with an error after ctx ends or 60 s pass.
//
// A DBFile is opened with journal_mode=wal, synchronous=normal and one
// connection (≈50 workflows/s on a quiet 2-core machine against 5–8 with
// SQLite's defaults). The connection is pooled by the server's
// SQLite plugin for the life of the process, also after Stop: an in-memory
// database is not freed and a restarted server on the same DBFile in the
// same process reuses the connection.
func StartTemporal(ctx context.Context, o TemporalOptions) (*Temporal, error) {
	start := time.Now()
	logger := orDiscard(o.Logger)
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.IP == "" {
		o.IP = "127.0.0.1"
	}
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.UIPort > 0 && o.UIPort == o.FrontendPort {
		return nil, fmt.Errorf("start temporal: UI port %d is the frontend port", o.UIPort)
	}
	dialHost := o.IP
	if ip := net.ParseIP(o.IP); ip != nil && ip.IsUnspecified() {
		dialHost = "127.0.0.1"
	}

	// The internal services get free ports on 127.0.0.1. All free ports are
	// held open together until chosen, so they are distinct.
	ports, release, err := holdFreePorts("127.0.0.1", 3)
	if err != nil {
		return nil, fmt.Errorf("start temporal: %w", err)
	}
	historyPort, matchingPort, workerPort := ports[0], ports[1], ports[2]
	if o.FrontendPort == 0 || o.UIPort == 0 {
		p, releaseP, err := holdFreePorts(o.IP, 2)
		if err != nil {
			release()
			return nil, fmt.Errorf("start temporal: %w", err)
		}
		if o.FrontendPort == 0 {
			o.FrontendPort = p[0]
			if o.FrontendPort == o.UIPort {
				o.FrontendPort = p[1]
			}
		}
		if o.UIPort == 0 {
			o.UIPort = p[1]
			if o.UIPort == o.FrontendPort {
				o.UIPort = p[0]
			}
		}
		releaseP()
	}
	release()
	// Both the server and ui-server end the process (Logger.Fatal) when they
	// cannot listen, so a taken port must be an error here, before they try.
	// The window between this check and their own Listen is milliseconds.
	for name, port := range map[string]int{"frontend": o.FrontendPort, "UI": o.UIPort} {
		if port <= 0 {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(o.IP, strconv.Itoa(port)))
		if err != nil {
			return nil, fmt.Errorf("start temporal: %s port: %w", name, err)
		}
		_ = ln.Close()
	}
	frontend := net.JoinHostPort(dialHost, strconv.Itoa(o.FrontendPort))

	sqlCfg, err := prepareSQLite(o)
	if err != nil {
		return nil, fmt.Errorf("start temporal: %w", err)
	}

	stopping := new(atomic.Bool)
	svc := func(ip string, port int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: port, BindOnIP: ip}}
	}
	cfg := &config.Config{
		Global: config.Global{Membership: config.Membership{
			MaxJoinDuration:  30 * time.Second,
			BroadcastAddress: "127.0.0.1",
		}},
		Persistence: config.Persistence{
			DefaultStore:     "sqlite",
			VisibilityStore:  "sqlite",
			NumHistoryShards: 1, // fixed for the life of a DB file
			DataStores:       map[string]config.DataStore{"sqlite": {SQL: sqlCfg}},
		},
		ClusterMetadata: &cluster.Config{
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{clusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             frontend,
			}},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			"frontend": svc(o.IP, o.FrontendPort), // HTTPPort 0: no HTTP API
			"history":  svc("127.0.0.1", historyPort),
			"matching": svc("127.0.0.1", matchingPort),
			"worker":   svc("127.0.0.1", workerPort),
		},
		PublicClient: config.PublicClient{HostPort: frontend},
	}
	cfg.Archival.History.State = "disabled"
	cfg.Archival.Visibility.State = "disabled"
	cfg.NamespaceDefaults.Archival.History.State = "disabled"
	cfg.NamespaceDefaults.Archival.Visibility.State = "disabled"

	host := func(port int) static.Hosts {
		return static.SingleLocalHost(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: static.SingleLocalHost(frontend),
			primitives.HistoryService:  host(historyPort),
			primitives.MatchingService: host(matchingPort),
			primitives.WorkerService:   host(workerPort),
		}),
		temporal.WithLogger(serverLogger{log: logger, min: slog.LevelWarn, stopping: stopping}),
		temporal.WithAuthorizer(authorization.NewNoopAuthorizer()),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper {
			return authorization.NewNoopClaimMapper()
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("start temporal: new server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal: %w", err)
	}
	t := &Temporal{server: srv, frontend: frontend, namespace: o.Namespace, stopping: stopping}

	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := t.awaitFrontend(ctx, o.SearchAttributes); err != nil {
		_ = t.Stop()
		return nil, fmt.Errorf("start temporal: %w", err)
	}
	if o.UIPort > 0 {
		if err := t.startUI(ctx, o, logger); err != nil {
			_ = t.Stop()
			return nil, fmt.Errorf("start temporal UI: %w", err)
		}
	}
	logger.Info("temporal dev server ready", "frontend", t.frontend, "ui", t.uiAddress,
		"namespace", t.namespace, "db", o.DBFile, "took", time.Since(start).Round(time.Millisecond))
	return t, nil
}

// prepareSQLite returns the SQLite store config, creating the schema in a new
// file and the namespace when it is missing.
func prepareSQLite(o TemporalOptions) (*config.SQL, error) {
	cfg := &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		MaxConns:     1,
		MaxIdleConns: 1,
	}
	if o.DBFile == "" {
		cfg.DatabaseName = fmt.Sprintf("devserver-%d-%d", os.Getpid(), memDBSeq.Add(1))
		cfg.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
	} else {
		cfg.DatabaseName = o.DBFile
		cfg.ConnectAttributes = map[string]string{
			"mode":         "rwc",
			"journal_mode": "wal",
			"synchronous":  "normal",
		}
		fi, err := os.Stat(o.DBFile)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("sqlite file: %w", err)
		}
		if fi == nil || fi.Size() == 0 {
			if _, err := os.Stat(filepath.Dir(o.DBFile)); err != nil {
				return nil, fmt.Errorf("sqlite file directory: %w", err)
			}
			if err := sqliteschema.SetupSchema(cfg); err != nil {
				return nil, fmt.Errorf("sqlite schema in %s: %w", o.DBFile, err)
			}
		}
	}
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, o.Namespace, false, o.SearchAttributes)
	if err != nil {
		return nil, fmt.Errorf("namespace %s: %w", o.Namespace, err)
	}
	ns.Detail.Config.Retention = durationpb.New(o.Retention)
	if err := sqliteschema.CreateNamespaces(cfg, ns); err != nil {
		return nil, fmt.Errorf("namespace %s: %w", o.Namespace, err)
	}
	return cfg, nil
}

// awaitFrontend polls the frontend until it describes the namespace, then
// registers the custom search attributes the namespace lacks (a DB file made
// before they were added to the options).
func (t *Temporal) awaitFrontend(ctx context.Context, attrs map[string]enums.IndexedValueType) error {
	c, err := dialWhenReady(ctx, t.frontend, t.namespace)
	if err != nil {
		return err
	}
	defer c.Close()
	if len(attrs) == 0 {
		return nil
	}
	have, err := c.OperatorService().ListSearchAttributes(ctx,
		&operatorservice.ListSearchAttributesRequest{Namespace: t.namespace})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	missing := map[string]enums.IndexedValueType{}
	for name, typ := range attrs {
		got, ok := have.GetCustomAttributes()[name]
		switch {
		case !ok:
			missing[name] = typ
		case got != typ:
			return fmt.Errorf("search attribute %s is %s in the database, want %s", name, got, typ)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: t.namespace, SearchAttributes: missing,
	}); err != nil {
		return fmt.Errorf("add search attributes: %w", err)
	}
	return nil
}

// dialWhenReady returns a client once the frontend at addr answers
// DescribeNamespace for ns.
func dialWhenReady(ctx context.Context, addr, ns string) (client.Client, error) {
	quiet := sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	var lastErr error
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: addr, Namespace: ns, Logger: quiet})
		if err == nil {
			_, err = c.WorkflowService().DescribeNamespace(ctx,
				&workflowservice.DescribeNamespaceRequest{Namespace: ns})
			if err == nil {
				return c, nil
			}
			c.Close()
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("frontend %s not ready: %w (last error: %v)", addr, ctx.Err(), lastErr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// startUI serves the Web UI (assets embedded in ui-server) and waits until
// it answers HTTP.
func (t *Temporal) startUI(ctx context.Context, o TemporalOptions, logger *slog.Logger) error {
	t.ui = uiserver.NewServer(uioptions.WithConfigProvider(&uiconfig.Config{
		Host:                o.IP,
		Port:                o.UIPort,
		TemporalGRPCAddress: t.frontend,
		EnableUI:            true,
		DefaultNamespace:    t.namespace,
		CORS:                uiconfig.CORS{CookieInsecure: true}, // plain HTTP
		HideLogs:            true,
		DisableNewsFetch:    true, // no calls to the internet
	}))
	go func() {
		if err := t.ui.Start(); err != nil {
			logger.Error("temporal UI stopped", "err", err)
		}
	}()

	dialHost, _, _ := net.SplitHostPort(t.frontend)
	base := "http://" + net.JoinHostPort(dialHost, strconv.Itoa(o.UIPort))
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.uiAddress = base
				return nil
			}
			err = fmt.Errorf("GET /healthz: %s", resp.Status)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("UI %s not ready: %w (last error: %v)", base, ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// FrontendAddress returns the host:port that clients and workers dial, e.g.
// "127.0.0.1:7233". With IP "0.0.0.0" the host is 127.0.0.1.
func (t *Temporal) FrontendAddress() string { return t.frontend }

// UIAddress returns the Web UI's base URL, e.g. "http://127.0.0.1:8233", or
// "" when the UI is disabled.
func (t *Temporal) UIAddress() string { return t.uiAddress }

// Namespace returns the namespace created (or found) at start-up.
func (t *Temporal) Namespace() string { return t.namespace }

// Stop stops the UI and the server. Calling it again returns the first
// result.
func (t *Temporal) Stop() error {
	t.stopOnce.Do(func() {
		t.stopping.Store(true)
		if t.ui != nil {
			t.ui.Stop()
		}
		t.stopErr = t.server.Stop()
	})
	return t.stopErr
}

// holdFreePorts returns n distinct free TCP ports on ip, held open until
// release is called.
func holdFreePorts(ip string, n int) (ports []int, release func(), err error) {
	var lns []net.Listener
	release = func() {
		for _, ln := range lns {
			_ = ln.Close()
		}
		lns = nil
	}
	for range n {
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("free port on %s: %w", ip, err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, release, nil
}
