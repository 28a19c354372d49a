package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/bank/store/sqlite"
	"github.com/afkarlab/afkar/bank/store/storetest"
)

// open opens a catalogue in a temporary directory.
func open(t testing.TB, clock func() time.Time) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bank.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Config{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, path
}

func openCatalogue(t testing.TB, clock func() time.Time) store.Catalogue {
	db, _ := open(t, clock)
	return db
}

func openBank(t testing.TB, clock func() time.Time) store.Catalogue {
	return store.New(store.Config{Clock: clock})
}

// TestCatalogue runs the conformance suite on SQLite.
func TestCatalogue(t *testing.T) { storetest.Run(t, openCatalogue) }

// TestSameAsMemory: the SQLite catalogue and the bank in memory give the
// same transcript of one scenario, step for step: the same pages, totals
// and cursors, versions, histories, refusals, dataset, result applied
// and snapshot, byte for byte.
func TestSameAsMemory(t *testing.T) {
	onSQLite := storetest.Transcript(t, openCatalogue)
	inMemory := storetest.Transcript(t, openBank)
	require.Greater(t, len(onSQLite), 20)
	require.Empty(t, cmp.Diff(inMemory, onSQLite), "(-memory +sqlite)")
}

// TestSnapshotMoves: a snapshot of the bank in memory imports into SQLite,
// whose snapshot imports back into memory, and every snapshot is the
// same bytes (the saved_at aside, which each clock gives).
func TestSnapshotMoves(t *testing.T) {
	ctx := t.Context()
	mem := store.New(store.Config{Clock: storetest.Clock()})
	require.NoError(t, storetest.Populate(ctx, mem))
	fixed := func() time.Time { return time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC) }
	db, _ := open(t, fixed)
	var a, b, c bytes.Buffer
	require.NoError(t, mem.WriteSnapshot(ctx, &a))
	require.NoError(t, db.ImportSnapshot(ctx, bytes.NewReader(a.Bytes())))
	require.NoError(t, db.WriteSnapshot(ctx, &b))
	back := store.New(store.Config{Clock: fixed})
	require.NoError(t, back.ImportSnapshot(ctx, bytes.NewReader(b.Bytes())))
	require.NoError(t, back.WriteSnapshot(ctx, &c))
	require.Equal(t, b.String(), c.String())
	sa, err := store.DecodeSnapshot(bytes.NewReader(a.Bytes()))
	require.NoError(t, err)
	sb, err := store.DecodeSnapshot(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	sa.SavedAt, sb.SavedAt = time.Time{}, time.Time{}
	require.Empty(t, cmp.Diff(sa, sb))
}

// TestSchemaKeepsTheRules: the schema itself refuses what breaks the
// catalogue's rules, whoever writes to the file.
func TestSchemaKeepsTheRules(t *testing.T) {
	ctx := t.Context()
	db, path := open(t, storetest.Clock())
	require.NoError(t, storetest.Populate(ctx, db))
	v, err := db.SchemaVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, v)
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	defer conn.Close()
	for _, q := range []string{
		`UPDATE history SET data = '{}'`,
		`DELETE FROM history`,
		`INSERT INTO history (idea_id, seq, data) VALUES ('AGA-01', 9, '{}')`,
		`DELETE FROM ideas`,
		`UPDATE ideas SET version = version + 2`,
		`UPDATE ideas SET status = 'lost'`,
		`UPDATE ideas SET cooperative = 'coop-999', version = version + 1`,
		`INSERT INTO ideas (id, version, at, region, sector, status, stage, search_key, tag_keys, data) VALUES ('AGA-01', 1, '', '', '', 'submitted', 0, '', '', '{}')`,
		`INSERT INTO scores (stage, judge, project, criterion, pos, value) VALUES (12, 'J1', 'NOPE', 'social', 99, '1')`,
		`INSERT INTO juries (stage) VALUES (13)`,
		`UPDATE cooperatives SET version = 0`,
	} {
		_, err := conn.ExecContext(ctx, q)
		require.Error(t, err, q)
	}
}

// BenchmarkWrite is one change of an idea (an update at its version) and
// one idea added, on a catalogue of n ideas: a write costs the same at
// 60,000 ideas as at 100.
func BenchmarkWrite(b *testing.B) {
	for _, n := range []int{100, 60_000} {
		b.Run(fmt.Sprintf("ideas=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db, _ := open(b, time.Now)
			_, err := db.AddCooperative(ctx, bank.Cooperative{ID: "coop-042", Name: "Tafyoucht", Region: "souss-massa", Sector: "argan"})
			require.NoError(b, err)
			var csv bytes.Buffer
			csv.WriteString("id,title,region,sector,stage,cooperative,tags\n")
			for i := range n {
				fmt.Fprintf(&csv, "P%06d,Idée %d أركان,souss-massa,argan,12,coop-042,argan;women\n", i, i)
			}
			added, err := db.ImportIdeasCSV(ctx, &csv, "bench")
			require.NoError(b, err)
			require.Equal(b, n, added)
			idea, err := db.Get(ctx, fmt.Sprintf("P%06d", n/2))
			require.NoError(b, err)
			b.ResetTimer()
			for i := range b.N {
				idea.Summary = fmt.Sprintf("revision %d", i)
				up, err := db.Update(ctx, idea.Project, idea.Version)
				if err != nil {
					b.Fatal(err)
				}
				idea = up
				if _, err := db.Add(ctx, bank.Project{ID: fmt.Sprintf("N%07d", i), Title: "nouvelle", Region: "oriental", Sector: "digital", Stage: 1, Cooperative: "coop-042"}, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
