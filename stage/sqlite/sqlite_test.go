package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/stage"
	"github.com/afkarlab/afkar/stage/sqlite"
	"github.com/afkarlab/afkar/stage/storetest"
)

// rules are two criteria on 0–20, at least one judge, top 1 per region.
const rules = `{"rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "economic", "weight": "0.5"}],
	"scale": {"min": "0", "max": "20", "step": "0.5"}},
	"ranking": {"tie_break": ["id"], "group_by": "region", "top": 1}}`

// open opens a database in a temporary directory.
func open(t testing.TB, clock func() time.Time) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "afkar.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Config{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t testing.TB, clock func() time.Time) stage.Store {
		db, _ := open(t, clock)
		return db
	})
}

func TestBackupAndIntegrity(t *testing.T) {
	ctx := context.Background()
	db, path := open(t, time.Now)
	require.NoError(t, storetest.Populate(ctx, db))
	out := filepath.Join(t.TempDir(), "copy.db")
	require.NoError(t, sqlite.Backup(ctx, path, out))
	require.NoError(t, sqlite.IntegrityCheck(ctx, out))
	require.Error(t, sqlite.Backup(ctx, path, out), "never over an existing file")
	_, err := os.Stat(out + ".partial")
	require.True(t, errors.Is(err, os.ErrNotExist))
	copyDB, err := sqlite.Open(ctx, out, sqlite.Config{})
	require.NoError(t, err)
	defer copyDB.Close()
	want, err := db.Dataset(ctx, 1)
	require.NoError(t, err)
	got, err := copyDB.Dataset(ctx, 1)
	require.NoError(t, err)
	require.Equal(t, want.Digest(), got.Digest())
}

// TestAppendOnly: the schema itself refuses to change or delete score
// events, sealed results and the audit log.
func TestAppendOnly(t *testing.T) {
	ctx := context.Background()
	db, path := open(t, time.Now)
	require.NoError(t, storetest.Populate(ctx, db))
	ds, err := db.Dataset(ctx, 1)
	require.NoError(t, err)
	require.Positive(t, ds.Scores.Len())
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	defer conn.Close()
	for _, q := range []string{
		`UPDATE score_events SET value = '20'`, `DELETE FROM score_events`,
		`UPDATE results SET result = 'x'`, `DELETE FROM results`,
		`UPDATE audit SET reason = 'x'`, `DELETE FROM audit`,
	} {
		_, err := conn.ExecContext(ctx, q)
		require.Error(t, err, q)
	}
}

// TestStageDigestCache: the digest, computed in a read transaction and
// cached, follows every change of the stage, concurrent ones included.
func TestStageDigestCache(t *testing.T) {
	ctx := context.Background()
	db, path := open(t, nil)
	by := stage.Actor{Login: "test"}
	st, err := db.CreateStage(ctx, stage.Stage{Slug: "s", Title: "S", Rules: []byte(rules), JurorsPerIdea: 1, Seed: "s"}, by)
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 50 {
			db.StageDigest(ctx, st.ID)
		}
	})
	for i := range 20 {
		_, err := db.PutJuror(ctx, st.ID, stage.Juror{ID: fmt.Sprintf("J%d", i)}, by, "")
		require.NoError(t, err)
	}
	wg.Wait()
	got, err := db.StageDigest(ctx, st.ID)
	require.NoError(t, err)
	fresh, err := sqlite.Open(ctx, path, sqlite.Config{})
	require.NoError(t, err)
	defer fresh.Close()
	want, err := fresh.StageDigest(ctx, st.ID)
	require.NoError(t, err)
	require.Equal(t, want, got, "the cached digest is the stage's now")
}
