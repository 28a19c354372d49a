// Command service is an HTTP JSON API over a project bank (package
// bank/store): submit ideas, list and search them, upload the juries'
// scores, rank a stage of the tour with afkar.Evaluate, and record the
// ranking in the bank.
//
//	go run ./examples/service [-addr 127.0.0.1:8080] [-snapshot afkar-bank.json] [-rules rules.json]
//
// The bank lives in memory and is saved to the snapshot file after every
// change (replaced atomically), and once more on shutdown; it is loaded
// from that file at start when the file exists. SIGINT or SIGTERM stops
// the server gracefully: requests in flight finish first.
//
// Every request that changes the bank names who makes the change in the
// X-Actor header, which a real deployment would take from its
// authentication instead. Validation errors come in the language of the
// Accept-Language header: Arabic, French or English. README.md lists the
// endpoints with examples.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	snapshot := flag.String("snapshot", "afkar-bank.json", "snapshot file the bank is loaded from and saved to")
	rulesPath := flag.String("rules", "", "dataset file (afkar/1) whose rubric and ranking rank every stage; default: the Afkar tour's five criteria, top 3")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *snapshot, *rulesPath, logger); err != nil {
		logger.Error("service stopped", "err", err)
		os.Exit(1)
	}
}

// run serves the bank on addr until ctx is done, then shuts down
// gracefully and saves the bank.
func run(ctx context.Context, addr, snapshot, rulesPath string, logger *slog.Logger) error {
	rules, err := loadRules(rulesPath)
	if err != nil {
		return err
	}
	// The bank's clock: UTC, to the second, as the snapshot and the
	// history show it.
	cfg := store.Config{Clock: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
	b, err := store.LoadSnapshot(snapshot, cfg)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		b = store.New(cfg)
		logger.Info("new bank", "snapshot", snapshot)
	case err != nil:
		return err
	default:
		logger.Info("bank loaded", "snapshot", snapshot, "ideas", b.Len())
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, &server{bank: b, rules: rules, snapshot: snapshot, log: logger})
}

// serve serves s on ln until ctx is done, then lets the requests in flight
// finish (10 s at most) and saves the bank one last time.
func serve(ctx context.Context, ln net.Listener, s *server) error {
	srv := &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "url", "http://"+ln.Addr().String())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if s.snapshot != "" {
		if err := s.bank.SaveSnapshot(s.snapshot); err != nil {
			return err
		}
		s.log.Info("bank saved", "snapshot", s.snapshot, "ideas", s.bank.Len())
	}
	return nil
}

// loadRules reads the rubric and ranking rules from a dataset file, or
// returns the default ones for an empty path.
func loadRules(path string) (*afkar.Dataset, error) {
	data := []byte(defaultRules)
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, err
		}
	}
	ds, err := afkar.DecodeOptions{Partial: true}.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("rules %s:\n%w", path, err)
	}
	if err := ds.Rubric.Validate(); err != nil {
		return nil, fmt.Errorf("rules %s: rubric:\n%w", path, err)
	}
	return ds, nil
}

// defaultRules are the Afkar tour's: five criteria on 0 to 20 by halves,
// two judges at least, a total of 50 out of 100 to be ranked, ties broken
// by the social impact, then head to head, then submission time, and the
// top 3 of a stage selected.
const defaultRules = `{
  "format": "afkar/1",
  "rubric": {
    "criteria": [
      {"id": "social", "label": {"ar": "الأثر الاجتماعي", "fr": "Impact social", "en": "Social impact"}, "weight": "0.25"},
      {"id": "economic", "label": {"ar": "الأثر الاقتصادي", "fr": "Impact économique", "en": "Economic impact"}, "weight": "0.25"},
      {"id": "innovation", "label": {"ar": "الابتكار", "fr": "Innovation", "en": "Innovation"}, "weight": "0.20"},
      {"id": "territorial", "label": {"ar": "الأثر الترابي والمستدام", "fr": "Impact territorial et durable", "en": "Territorial and sustainable impact"}, "weight": "0.15"},
      {"id": "youth", "label": {"ar": "تمكين الشباب وإدماجهم", "fr": "Autonomisation et inclusion des jeunes", "en": "Youth empowerment and inclusion"}, "weight": "0.15"}
    ],
    "scale": {"min": "0", "max": "20", "step": "0.5"},
    "min_judges": 2,
    "total_threshold": "50",
    "rounding": {"places": 2, "mode": "half_up"}
  },
  "ranking": {"tie_break": ["criterion:social", "head_to_head", "submitted_at", "id"], "top": 3}
}`
