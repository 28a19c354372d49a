package memory_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/stage"
	"github.com/afkarlab/afkar/stage/memory"
	"github.com/afkarlab/afkar/stage/sqlite"
	"github.com/afkarlab/afkar/stage/storetest"
)

func open(t testing.TB, clock func() time.Time) stage.Store { return memory.New(clock) }

func TestStore(t *testing.T) { storetest.Run(t, open) }

// TestSameAsSQLite: the two stores give the same transcript of the same
// scenario, step for step: the same assignments, versions, refusals,
// datasets, sealed results and audit log.
func TestSameAsSQLite(t *testing.T) {
	onSQLite := storetest.Transcript(t, func(t testing.TB, clock func() time.Time) stage.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "afkar.db"), sqlite.Config{Clock: clock})
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	})
	inMemory := storetest.Transcript(t, open)
	require.Greater(t, len(onSQLite), 20)
	require.Empty(t, cmp.Diff(onSQLite, inMemory), "(-sqlite +memory)")
}
