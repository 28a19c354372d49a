// Command stageload is the stage server's load test: it starts afkar
// serve on a fresh database at a loopback address, sets up a stage with
// its ideas and jurors, lets every juror sign in with their code, then
// has them all sync their whole sheet, each as fast as the server
// answers, for a while. It reports requests per second, the p50 and p99
// latency, the errors, the writes lost (every 2xx version checked
// against the server's sheets afterwards; there must be none), and the
// server's resident memory before and after.
//
//	go run ./internal/stageload -jurors 200 -duration 60s
//
// It only ever talks to the server it started, on 127.0.0.1, and stops by
// itself: the duration is capped at 10 minutes, the jurors at 1000.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/internal/stageclient"
)

func main() {
	var cfg Config
	flag.StringVar(&cfg.Afkar, "afkar", "", "the afkar binary; empty: built from this module with go build")
	flag.IntVar(&cfg.Jurors, "jurors", 200, "jurors syncing at once (at most 1000)")
	flag.IntVar(&cfg.Ideas, "ideas", 600, "ideas of the stage")
	flag.IntVar(&cfg.K, "k", 3, "jurors per idea")
	flag.DurationVar(&cfg.Duration, "duration", 60*time.Second, "how long the jurors sync (at most 10m)")
	flag.DurationVar(&cfg.Interval, "interval", 0, "each juror's pause between syncs; 0: none, as fast as the server answers")
	flag.Parse()
	rep, err := Run(context.Background(), cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stageload:", err)
		os.Exit(1)
	}
	fmt.Print(rep)
	if rep.Lost > 0 || rep.Errors > 0 {
		os.Exit(1)
	}
}

// Config is a load test's size.
type Config struct {
	Afkar    string        // the afkar binary; if empty, built with go build
	Jurors   int           // if zero, 200; at most 1000
	Ideas    int           // if zero, 600
	K        int           // jurors per idea; if zero, 3
	Duration time.Duration // if zero, 60 s; at most 10 minutes
	// Interval is each juror's pause between two syncs (a juror typing a
	// score every Interval); zero means none: each juror syncs again as
	// soon as the server answers, which measures the server's capacity.
	Interval time.Duration
}

// Report is what a load test measured.
type Report struct {
	Config
	Requests       int
	Errors         int // answers that are not 2xx, and failed requests
	Lost           int // 2xx versions the server does not have afterwards
	Elapsed        time.Duration
	P50, P99, Max  time.Duration
	RSSBefore      int64 // the server's VmRSS after setup, bytes
	RSSAfter       int64 // and after the load
	ScoresPerSheet int   // scores in a juror's sheet (ideas × criteria)
	DBBytes        int64 // the database file and its WAL after the load
}

// String is the report as BENCHMARKS.md shows it.
func (r Report) String() string {
	var b strings.Builder
	pace := "as fast as answered"
	if r.Interval > 0 {
		pace = "one every " + r.Interval.String()
	}
	fmt.Fprintf(&b, "jurors %d, ideas %d, k %d, %d scores a sheet, %s of load, each juror syncing %s\n", r.Jurors, r.Ideas, r.K, r.ScoresPerSheet, r.Duration, pace)
	fmt.Fprintf(&b, "requests %d (%.0f/s), errors %d, lost writes %d\n", r.Requests, float64(r.Requests)/r.Elapsed.Seconds(), r.Errors, r.Lost)
	fmt.Fprintf(&b, "latency p50 %s, p99 %s, max %s\n", r.P50.Round(time.Microsecond*100), r.P99.Round(time.Microsecond*100), r.Max.Round(time.Millisecond))
	fmt.Fprintf(&b, "server RSS %.1f MiB before, %.1f MiB after; database %.1f MiB\n", float64(r.RSSBefore)/(1<<20), float64(r.RSSAfter)/(1<<20), float64(r.DBBytes)/(1<<20))
	return b.String()
}

// Run runs a load test, logging its steps to log.
func Run(ctx context.Context, cfg Config, log io.Writer) (Report, error) {
	cfg.Jurors = min(cmpOr(cfg.Jurors, 200), 1000)
	cfg.Ideas = cmpOr(cfg.Ideas, 600)
	cfg.K = cmpOr(cfg.K, 3)
	if cfg.Duration <= 0 {
		cfg.Duration = 60 * time.Second
	}
	cfg.Duration = min(cfg.Duration, 10*time.Minute)
	rep := Report{Config: cfg}
	dir, err := os.MkdirTemp("", "stageload")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(dir)
	if cfg.Afkar == "" {
		cfg.Afkar = filepath.Join(dir, "afkar")
		fmt.Fprintln(log, "building afkar")
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.Afkar, "github.com/afkarlab/afkar/cmd/afkar")
		build.Stderr = log
		if err := build.Run(); err != nil {
			return rep, fmt.Errorf("building afkar: %w", err)
		}
	}
	db := filepath.Join(dir, "load.db")
	user := exec.CommandContext(ctx, cfg.Afkar, "serve", "user", "--db", db, "--login", "admin", "--role", "admin")
	user.Stdin = strings.NewReader("the load test's admin\n")
	if out, err := user.CombinedOutput(); err != nil {
		return rep, fmt.Errorf("adding the admin: %v: %s", err, out)
	}
	srv := exec.CommandContext(ctx, cfg.Afkar, "serve", "--db", db, "--addr", "127.0.0.1:0")
	out, err := srv.StdoutPipe()
	if err != nil {
		return rep, err
	}
	srv.Stderr = log
	if err := srv.Start(); err != nil {
		return rep, err
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		return rep, errors.New("the server printed no address")
	}
	_, base, ok := strings.Cut(sc.Text(), " on ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		return rep, fmt.Errorf("unexpected server line %q: only loopback is allowed", sc.Text())
	}
	go io.Copy(io.Discard, out)

	transport := &http.Transport{MaxIdleConnsPerHost: cfg.Jurors, MaxConnsPerHost: cfg.Jurors}
	hc := &http.Client{Transport: transport, Timeout: 60 * time.Second}
	org := stageclient.New(base, hc)
	if err := org.Login(ctx, "admin", "the load test's admin"); err != nil {
		return rep, err
	}
	fmt.Fprintf(log, "setting up %d ideas and %d jurors\n", cfg.Ideas, cfg.Jurors)
	setup, err := org.SetupStage(ctx, "load", cfg.Ideas, cfg.Jurors, cfg.K)
	if err != nil {
		return rep, err
	}
	type juror struct {
		id     string
		c      *stageclient.Client
		ideas  []string
		digest string
		last   int // the last version answered 2xx
		lat    []time.Duration
		errs   int
	}
	var jurors []*juror
	for id, code := range setup.Codes {
		j := &juror{id: id, c: stageclient.New(base, hc)}
		if err := j.c.Join(ctx, code); err != nil {
			return rep, fmt.Errorf("juror %s: %w", id, err)
		}
		w, err := j.c.Work(ctx, setup.Stage, id)
		if err != nil {
			return rep, err
		}
		j.digest = w.StageDigest
		for _, p := range w.Ideas {
			j.ideas = append(j.ideas, p.ID)
		}
		rep.ScoresPerSheet = max(rep.ScoresPerSheet, len(j.ideas)*len(stageclient.Criteria()))
		jurors = append(jurors, j)
	}
	rep.RSSBefore = rss(srv.Process.Pid)
	fmt.Fprintf(log, "%d jurors syncing for %s\n", len(jurors), cfg.Duration)
	loadCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for _, j := range jurors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for loadCtx.Err() == nil {
				t0 := time.Now()
				v, err := j.c.Sync(ctx, setup.Stage, j.last, stageclient.FullSheet(j.id, j.digest, j.last+1, j.ideas))
				j.lat = append(j.lat, time.Since(t0))
				if err != nil {
					j.errs++
					time.Sleep(100 * time.Millisecond)
					continue
				}
				j.last = v
				if cfg.Interval > 0 {
					select {
					case <-loadCtx.Done():
					case <-time.After(cfg.Interval):
					}
				}
			}
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	rep.RSSAfter = rss(srv.Process.Pid)
	var all []time.Duration
	for _, j := range jurors {
		all = append(all, j.lat...)
		rep.Errors += j.errs
		w, err := j.c.Work(ctx, setup.Stage, j.id)
		if err != nil {
			return rep, err
		}
		// The server's sheet is the last one acknowledged, score for score.
		want := stageclient.FullSheet(j.id, j.digest, j.last, j.ideas)
		if w.Sheet.Version != j.last || !sameScores(w.Sheet.Scores, want.Scores) {
			rep.Lost++
		}
	}
	rep.Requests = len(all)
	slices.Sort(all)
	if n := len(all); n > 0 {
		rep.P50, rep.P99, rep.Max = all[n/2], all[min(n-1, n*99/100)], all[n-1]
	}
	for _, f := range []string{db, db + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			rep.DBBytes += st.Size()
		}
	}
	return rep, nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// sameScores compares two sheets' scores by project and criterion.
func sameScores(a, b []stageclient.Score) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[[2]string]string{}
	for _, s := range a {
		m[[2]string{s.Project, s.Criterion}] = s.Score
	}
	for _, s := range b {
		v, ok := m[[2]string{s.Project, s.Criterion}]
		if !ok {
			return false
		}
		x, err1 := decimal.NewFromString(v)
		y, err2 := decimal.NewFromString(s.Score)
		if err1 != nil || err2 != nil || !x.Equal(y) {
			return false
		}
	}
	return true
}

// rss returns the resident memory of process pid, from /proc; zero where
// there is no /proc.
func rss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
