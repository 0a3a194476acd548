package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"chuyenhoa/internal/app"
)

func (x *cli) serveCommand() *cobra.Command {
	var addr string
	var ttl time.Duration
	var secure bool
	var conns int
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the officers' HTTP API and web inbox",
		Long: `Serve the JSON API (under /api/, documented in api/openapi.yaml, also served at
/api/openapi.yaml) and the Vietnamese web pages (sign-in, inbox, task forms,
documents) on one address. Officers sign in with accounts made by
` + "`starter account add`" + `; every sign-in, completion, refusal and download goes to
the audit trail (` + "`starter verify-audit`" + ` checks its hash chain).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, err := x.client()
			if err != nil {
				return err
			}
			db, err := x.store(ctx)
			if err != nil {
				return err
			}
			db.LimitConnections(conns)
			logger := x.logger()
			s := app.NewAPI(c, db, logger)
			s.SessionTTL, s.SecureCookies = ttl, secure
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			srv := &http.Server{
				Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
				WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
			}
			fmt.Fprintf(x.out, "serving the officers' inbox on http://%s/ (API under /api/); Ctrl-C to stop\n", ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().DurationVar(&ttl, "session-ttl", 8*time.Hour, "how long a session lasts after sign-in")
	cmd.Flags().IntVar(&conns, "db-connections", 20, "at most this many connections to PostgreSQL")
	cmd.Flags().BoolVar(&secure, "secure-cookies", false, "mark the session cookie Secure (when served over HTTPS)")
	return cmd
}
