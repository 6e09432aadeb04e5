package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/web"
)

// defaultStore is the SQLite file `council serve` keeps its councils in when no store is named.
const defaultStore = "council.db"

// runServe runs the council server until SIGINT or SIGTERM, then finishes the commits under way.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	quiet(fs, stderr, "serve [--addr HOST:PORT] [--store PATH | --postgres URL] [--admin-token TOKEN]")
	addr := fs.String("addr", "localhost:8080", "the address to listen on")
	var sf storeFlags
	sf.register(fs)
	adminToken := fs.String("admin-token", os.Getenv("COUNCIL_ADMIN_TOKEN"), "the admin token to accept (default $COUNCIL_ADMIN_TOKEN; generated and printed once at first start when neither is set)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (for tuning)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return invalid("serve takes no arguments, got %q", pos)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return invalid("--log-level: %v", err)
	}
	if !sf.given() {
		sf.path = defaultStore
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return invalid("--cpuprofile: %v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	srv, err := web.New(ctx, web.Config{Store: store, Log: log})
	if err != nil {
		return err
	}
	defer srv.Close()
	token, created, err := srv.Keeper().EnsureAdmin(ctx, *adminToken)
	if err != nil {
		return &exitError{exitInvalid, fmt.Errorf("admin token: %w", err)}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &exitError{exitInvalid, fmt.Errorf("listen on %s: %w", *addr, err)}
	}
	where := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "council is serving on %s (store: %s)\n", where, sf.describe())
	if created {
		fmt.Fprintf(stdout, "admin token (shown once; keep it): %s\n", token)
	}
	if err := firstCouncil(ctx, srv, where, stdout); err != nil {
		log.Warn("could not create the first council", "err", err)
	}
	fmt.Fprintf(stdout, "API: %s/openapi.json   health: %s/healthz   metrics: %s/metrics\n", where, where, where)

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the commands under way")
	srv.Drain()
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// firstCouncil gives a server with no council one Security Council, sitting as of today, so a
// newcomer can start at once; its secretariat token is printed once.
func firstCouncil(ctx context.Context, srv *web.Server, where string, stdout io.Writer) error {
	made, token, err := srv.EnsureCouncil(ctx, web.CreateCouncil{
		Name: "unsc", Title: "Security Council", Body: "unsc", Date: council.DateOf(time.Now().Date()),
	})
	if err != nil || !made {
		return err
	}
	fmt.Fprintf(stdout, "created council unsc: %s/v1/councils/unsc\nsecretariat token of unsc (shown once): %s\n", where, token)
	return nil
}
