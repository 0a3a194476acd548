// Command nsinit makes sure a Temporal namespace exists and is ready for
// the programme's workers: it waits for the frontend to answer, registers
// the namespace if it is missing (with a retention for closed workflows),
// and waits until the frontend serves it. A Temporal server started from
// deploy/temporal/config.yaml creates only its system namespace, and the
// `temporal operator namespace create` command is not built here, so this
// is how a new cluster gets the namespace that TEMPORAL_NAMESPACE names.
//
// It is safe to run again: an existing namespace is left as it is (its
// retention is not changed) and the command succeeds.
//
//	TEMPORAL_ADDRESS=127.0.0.1:7233 TEMPORAL_NAMESPACE=chuyenhoa go run ./deploy/nsinit -retention 720h
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/types/known/durationpb"
)

func main() {
	address := flag.String("address", env("TEMPORAL_ADDRESS", client.DefaultHostPort), "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	namespace := flag.String("namespace", env("TEMPORAL_NAMESPACE", client.DefaultNamespace), "the namespace to make sure of (env TEMPORAL_NAMESPACE)")
	retention := flag.Duration("retention", 30*24*time.Hour, "how long closed workflows are kept, when the namespace is created (at least 24h)")
	wait := flag.Duration("wait", 2*time.Minute, "give up if the frontend does not answer, or does not serve the namespace, within this time")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: nsinit [flags]\n\nRegisters the Temporal namespace if it does not exist and waits until it is served.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "nsinit: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if *retention < 24*time.Hour {
		fmt.Fprintf(os.Stderr, "nsinit: -retention %s is below the server's minimum of 24h\n", *retention)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *wait)
	defer cancel()
	if err := ensure(ctx, *address, *namespace, *retention); err != nil {
		fmt.Fprintf(os.Stderr, "nsinit: namespace %s at %s: %v\n", *namespace, *address, err)
		os.Exit(1)
	}
}

// ensure registers ns if it is missing and returns once the frontend
// serves it (a namespace is not usable everywhere at the moment it is
// registered: each service learns of it when it refreshes its cache).
func ensure(ctx context.Context, address, ns string, retention time.Duration) error {
	quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	nc, err := client.NewNamespaceClient(client.Options{HostPort: address, Logger: quiet})
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer nc.Close()

	created := false
	err = retry(ctx, "register", func(ctx context.Context) error {
		_, err := nc.Describe(ctx, ns)
		var nf *serviceerror.NamespaceNotFound
		if !errors.As(err, &nf) {
			return err // nil: it exists already
		}
		err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace:                        ns,
			Description:                      "chuyenhoa: the hotspot-transformation cycles",
			WorkflowExecutionRetentionPeriod: durationpb.New(retention),
		})
		var exists *serviceerror.NamespaceAlreadyExists
		if errors.As(err, &exists) {
			return nil // another nsinit was quicker
		}
		if err == nil {
			created = true
		}
		return err
	})
	if err != nil {
		return err
	}

	// The namespace is served once a call that goes through the frontend's
	// namespace registry stops answering "not found".
	c, err := client.DialContext(ctx, client.Options{HostPort: address, Namespace: ns, Logger: quiet})
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer c.Close()
	err = retry(ctx, "wait until served", func(ctx context.Context) error {
		_, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: ns})
		return err
	})
	if err != nil {
		return err
	}
	d, err := nc.Describe(ctx, ns)
	if err != nil {
		return err
	}
	how := "exists"
	if created {
		how = "registered"
	}
	fmt.Printf("namespace %s %s at %s (retention %s, state %s)\n", ns, how, address,
		d.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(), d.GetNamespaceInfo().GetState())
	return nil
}

// retry runs f every half second until it succeeds or ctx ends; the error
// then is f's last one, so a timeout says what was failing.
func retry(ctx context.Context, what string, f func(context.Context) error) error {
	var last error
	for {
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		last = f(actx)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: gave up after %v: %w", what, ctx.Err(), last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
