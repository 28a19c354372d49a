package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/internal/stageclient"
	"github.com/afkarlab/afkar/stage/sqlite"
)

// server is a running afkar serve.
type server struct {
	cmd  *exec.Cmd
	base string
}

// startServer runs afkar serve on db at a free loopback port.
func startServer(t *testing.T, db string) *server {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--db", db, "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		for sc.Scan() { // keep the pipe drained
		}
	}()
	select {
	case l := <-line:
		_, url, ok := strings.Cut(l, " on ")
		require.True(t, ok, "unexpected first line %q", l)
		return &server{cmd: cmd, base: strings.TrimSuffix(url, "/")}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start")
	}
	return nil
}

// TestServeDurability kills the server with SIGKILL at random moments
// while jurors sync, restarts it, and checks that every sheet version
// answered 2xx is in the database's score events, that each juror's sheet
// is at least at its last acknowledged version, and that PRAGMA
// integrity_check and foreign_key_check pass. AFKAR_KILL_CYCLES sets the
// number of kills (6 by default; the red-team figure was 15).
func TestServeDurability(t *testing.T) {
	cycles := 6
	if n, err := strconv.Atoi(os.Getenv("AFKAR_KILL_CYCLES")); err == nil && n > 0 {
		cycles = min(n, 100)
	}
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "afkar.db")
	r := afkarCmd(t, "a passphrase of the admin\n", "serve", "user", "--db", db, "--login", "admin", "--role", "admin")
	require.Equal(t, 0, r.code, r.stderr)
	srv := startServer(t, db)
	org := stageclient.New(srv.base, nil)
	require.NoError(t, org.Login(ctx, "admin", "a passphrase of the admin"))
	setup, err := org.SetupStage(ctx, "durable", 12, 6, 2)
	require.NoError(t, err)

	type juror struct {
		id     string
		c      *stageclient.Client
		ideas  []string
		digest string
		acked  []int // sheet versions answered 2xx
	}
	var jurors []*juror
	for id, code := range setup.Codes {
		j := &juror{id: id, c: stageclient.New(srv.base, nil)}
		require.NoError(t, j.c.Join(ctx, code))
		jurors = append(jurors, j)
	}
	rng := rand.New(rand.NewPCG(14, 9))
	total := 0
	for cycle := range cycles {
		var wg sync.WaitGroup
		for _, j := range jurors {
			j.c.Base = srv.base
			w, err := j.c.Work(ctx, setup.Stage, j.id)
			require.NoError(t, err, "after restart %d", cycle)
			j.digest, j.ideas = w.StageDigest, nil
			for _, p := range w.Ideas {
				j.ideas = append(j.ideas, p.ID)
			}
			if n := len(j.acked); n > 0 {
				require.GreaterOrEqual(t, w.Sheet.Version, j.acked[n-1], "juror %s lost acknowledged version %d", j.id, j.acked[n-1])
			}
			wg.Add(1)
			go func(j *juror, base int) {
				defer wg.Done()
				for {
					v, err := j.c.Sync(ctx, setup.Stage, base, stageclient.FullSheet(j.id, j.digest, base+1, j.ideas))
					if err != nil {
						var se *stageclient.StatusError
						if errors.As(err, &se) {
							t.Errorf("juror %s: %v", j.id, err)
						}
						return // the server is gone
					}
					j.acked = append(j.acked, v)
					base = v
				}
			}(j, w.Sheet.Version)
		}
		time.Sleep(time.Duration(100+rng.IntN(900)) * time.Millisecond)
		require.NoError(t, srv.cmd.Process.Kill()) // SIGKILL
		srv.cmd.Wait()
		wg.Wait()
		srv = startServer(t, db)
	}
	srv.cmd.Process.Kill()
	srv.cmd.Wait()

	require.NoError(t, sqlite.IntegrityCheck(ctx, db))
	conn, err := sql.Open("sqlite", "file:"+db)
	require.NoError(t, err)
	defer conn.Close()
	for _, j := range jurors {
		rows, err := conn.QueryContext(ctx, `SELECT DISTINCT sheet_version FROM score_events WHERE judge = ?`, j.id)
		require.NoError(t, err)
		have := map[int]bool{}
		for rows.Next() {
			var v int
			require.NoError(t, rows.Scan(&v))
			have[v] = true
		}
		require.NoError(t, rows.Err())
		rows.Close()
		for _, v := range j.acked {
			require.True(t, have[v], "juror %s: version %d was answered 2xx and is not in the database", j.id, v)
		}
		total += len(j.acked)
	}
	t.Logf("%d kills, %d acknowledged sheet versions, none lost, integrity ok", cycles, total)
	require.Greater(t, total, cycles, "the load wrote too little to mean anything")
}

func TestServeRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "afkar.db")
	r := afkarCmd(t, "a passphrase of the admin\n", "serve", "user", "--db", db, "--login", "admin", "--role", "admin")
	require.Equal(t, 0, r.code, r.stderr)
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"plain HTTP off loopback", "", []string{"serve", "--db", db, "--addr", "0.0.0.0:0"}, "not a loopback address"},
		{"a public URL with a path", "", []string{"serve", "--db", db, "--public-url", "https://stage.example.org/x"}, "expected a scheme and host"},
		{"a trusted proxy that is not one", "", []string{"serve", "--db", db, "--trusted-proxy", "proxy.example.org"}, "neither a CIDR nor an address"},
		{"a cert without a key", "", []string{"serve", "--db", db, "--cert", "c.pem"}, "--cert and --key go together"},
		{"a juror account", "a long passphrase\n", []string{"serve", "user", "--db", db, "--login", "j", "--role", "juror"}, "jurors come in with codes"},
		{"a short password", "short\n", []string{"serve", "user", "--db", db, "--login", "a", "--role", "admin"}, "at least 12 characters"},
		{"the backup of no database", "", []string{"serve", "backup", "--db", db + ".none", "--out", db + ".copy"}, "no such file"},
		{"a backup over a file", "", []string{"serve", "backup", "--db", db, "--out", db}, "exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := afkarCmd(t, tc.stdin, tc.args...)
			require.NotEqual(t, 0, r.code)
			require.Contains(t, r.stderr, tc.want)
		})
	}
}
