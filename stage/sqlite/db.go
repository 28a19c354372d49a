// Package sqlite implements [stage.Store] on a SQLite database file with
// modernc.org/sqlite (pure Go, no cgo).
//
// The database runs in WAL mode with synchronous=FULL: a transaction that
// commits is on disk, and a process killed at any moment (kill -9) loses
// nothing that was answered. Every change is one IMMEDIATE transaction on
// a single writing connection, so that checks and writes never interleave;
// reads go through a pool of read-only connections and see the last
// committed state. The schema is in migrations/, applied in order at
// [Open] and recorded in schema_migrations; it holds the constraints
// (unique IDs, foreign keys, roles, append-only events, results and audit
// log by triggers), so that no caller can break them.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"github.com/afkarlab/afkar/internal/sqlitedb"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/afkarlab/afkar/stage"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a [stage.Store] on a SQLite file. It is safe for concurrent use.
type DB struct {
	w, r  *sql.DB
	clock func() time.Time
	path  string

	digestMu  sync.Mutex
	digests   map[int64]string // stage → stage digest, while its data is unchanged
	digestGen map[int64]uint64 // stage → how many times its digest was forgotten
}

var _ stage.Store = (*DB)(nil)

// Config configures [Open].
type Config struct {
	// Clock gives the time of every change; if nil, time.Now.
	Clock func() time.Time
	// Readers is the most read connections at once; if zero, 4.
	Readers int
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date. path is a file name (no "?" or "#").
func Open(ctx context.Context, path string, cfg Config) (*DB, error) {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Readers <= 0 {
		cfg.Readers = 4
	}
	db := &DB{clock: cfg.Clock, path: path, digests: map[int64]string{}, digestGen: map[int64]uint64{}}
	var err error
	if db.w, db.r, err = sqlitedb.Open(ctx, path, cfg.Readers, migrations, db.now); err != nil {
		return nil, err
	}
	return db, nil
}

// Close closes the database; a checkpoint folds the WAL into the file.
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

// timeLayout writes times in UTC with a fixed width, so that they sort as
// text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func (db *DB) now() string { return db.clock().UTC().Format(timeLayout) }

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(timeLayout, s) // written by formatTime only
	return t
}

func nullTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}

// audit appends a line to the audit log; stage zero means none.
func audit(ctx context.Context, tx *sql.Tx, at string, stageID int64, by stage.Actor, action, reason, detail string) error {
	var sid, uid any
	if stageID != 0 {
		sid = stageID
	}
	if by.UserID != 0 {
		uid = by.UserID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (stage_id, at, by_user, by_login, action, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		sid, at, uid, by.Login, action, reason, detail)
	return err
}

// Backup writes a consistent copy of the database to path with VACUUM
// INTO, while others read and write it, then checks the copy's integrity.
// path must not exist: a partial copy left by a crash is the caller's to
// remove.
func Backup(ctx context.Context, dbPath, path string) error {
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("backup: %w", err) // never a copy of a database made up here
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup %s: %w", path, fs.ErrExist)
	}
	src, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := path + ".partial"
	os.Remove(tmp) // left by a backup that crashed
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup of %s: %w", dbPath, err)
	}
	if err := IntegrityCheck(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check and foreign_key_check on the
// database at path, and returns an error listing what they found.
func IntegrityCheck(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var bad []string
	for _, q := range []string{`PRAGMA integrity_check`, `PRAGMA foreign_key_check`} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return fmt.Errorf("%s on %s: %w", q, path, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			line := fmt.Sprint(vals...)
			if line != "ok" {
				bad = append(bad, q+": "+line)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("database %s is damaged:\n%s", path, strings.Join(bad, "\n"))
	}
	return nil
}

// notFound maps sql.ErrNoRows to stage.ErrNotFound, naming what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, stage.ErrNotFound)
	}
	return err
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || strings.Contains(err.Error(), "PRIMARY KEY"))
}
