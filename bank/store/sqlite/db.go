// Package sqlite implements [store.Catalogue], the project bank's
// catalogue, on a SQLite database file with modernc.org/sqlite (pure Go,
// no cgo), beside the in-memory [store.Bank].
//
// The database runs in WAL mode with synchronous=FULL: a change that
// returns is on disk. Every change is one IMMEDIATE transaction on a
// single writing connection, so that its checks and its writes never
// interleave with another's; reads go through a pool of read-only
// connections, and a read that needs several queries (a page and its
// total, a snapshot) runs them in one read transaction, which sees one
// committed state. The schema is in migrations/, embedded, applied in
// order at [Open] and recorded in schema_migrations. It holds the
// constraints: unique IDs, versions of 1 or more growing by one at each
// change, references to cooperatives, ideas and juries, the statuses, and
// the history of each idea append-only (by triggers).
//
// The checks and their errors are those of package store, which both
// implementations call ([store.CheckIdea] and the others), so that the two
// answer alike; package bank/store/storetest runs one suite on both, and
// compares their transcripts of one scenario. A write costs the same at
// 60,000 ideas as at 100: it touches its own rows and indexes only.
//
// The JSON snapshot stays the format to import, export and back up a
// catalogue ([DB.WriteSnapshot], [DB.ImportSnapshot]).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/afkarlab/afkar/internal/sqlitedb"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/bank/internal/fold"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/bank/validation"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a [store.Catalogue] on a SQLite file. It is safe for concurrent
// use.
type DB struct {
	w, r      *sql.DB
	clock     func() time.Time
	validator validation.Validator
}

var _ store.Catalogue = (*DB)(nil)

// Config configures [Open].
type Config struct {
	// Clock gives the time of every change, as [store.Config.Clock] does.
	// It must not be nil: pass time.Now for real time.
	Clock func() time.Time
	// Readers is the most read connections at once; if zero, 4.
	Readers int
}

// Open opens (creating if needed) the catalogue at path, a file name
// without "?" or "#", and brings its schema up to date.
func Open(ctx context.Context, path string, cfg Config) (*DB, error) {
	if cfg.Clock == nil {
		return nil, errors.New("sqlite: Config.Clock is nil")
	}
	if cfg.Readers <= 0 {
		cfg.Readers = 4
	}
	applied := func() string { return time.Now().UTC().Format(time.RFC3339) }
	w, r, err := sqlitedb.Open(ctx, path, cfg.Readers, migrations, applied)
	if err != nil {
		return nil, err
	}
	return &DB{w: w, r: r, clock: cfg.Clock}, nil
}

// Close closes the database.
func (db *DB) Close() error {
	return errors.Join(db.r.Close(), db.w.Close())
}

// SchemaVersion returns the latest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// tx runs fn in an IMMEDIATE transaction on the writing connection, and
// commits it when fn returns nil.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return sqlitedb.Tx(ctx, db.w, fn)
}

// read runs fn in a read transaction, which sees one committed state.
func (db *DB) read(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("beginning a read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// querier is a transaction or a database.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// timeLayout writes times in UTC with a fixed width, so that they sort as
// text as they compare as instants (for years 0 to 9999).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func orderKey(t time.Time) string { return t.UTC().Format(timeLayout) }

// decimalText writes d with its scale ("12.50" stays so), so that it
// reads back as it was.
func decimalText(d decimal.Decimal) string {
	if d.Exponent() < 0 {
		return d.StringFixed(-d.Exponent())
	}
	return d.String()
}

// tagKeys is the search keys of tags, each between two U+001F.
func tagKeys(tags []string) string {
	var b strings.Builder
	b.WriteByte(0x1f)
	for _, t := range tags {
		b.WriteString(fold.Key(t))
		b.WriteByte(0x1f)
	}
	return b.String()
}

func nullIf(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// exists says whether query finds a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func hasCooperative(ctx context.Context, q querier) func(string) (bool, error) {
	return func(id string) (bool, error) {
		return exists(ctx, q, `SELECT 1 FROM cooperatives WHERE id = ?`, id)
	}
}

func hasIdea(ctx context.Context, q querier) func(string) (bool, error) {
	return func(id string) (bool, error) {
		return exists(ctx, q, `SELECT 1 FROM ideas WHERE id = ?`, id)
	}
}

// marshal writes v as JSON.
func marshal(v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("writing %T as JSON: %w", v, err)
	}
	return string(data), nil
}
