// Package sqlitedb holds what the project's two SQLite stores (the stage
// server's, stage/sqlite, and the bank's, bank/store/sqlite) do the same
// way: the file opened as one writing connection and a pool of reading
// ones, a transaction on the writing connection, and the versioned
// migrations embedded in each store.
package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Open opens (creating if needed) the SQLite database at path, a file
// name without "?" or "#", as both stores use it: w, one connection with
// foreign keys, WAL and synchronous=FULL whose transactions are
// IMMEDIATE, on which the migrations of fsys are applied first (Migrate,
// with now); and r, up to readers read-only connections.
func Open(ctx context.Context, path string, readers int, fsys fs.FS, now func() string) (w, r *sql.DB, err error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, nil, fmt.Errorf("database path %q: expected a file name without ? or #", path)
	}
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
	w, err = sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, nil, fmt.Errorf("opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := Migrate(ctx, w, fsys, now); err != nil {
		w.Close()
		return nil, nil, err
	}
	r, err = sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("opening %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	return w, r, nil
}

// Tx runs fn in a transaction of w, committed when fn returns nil and
// rolled back otherwise.
func Tx(ctx context.Context, w *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning a transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// Migrate applies the migrations of fsys (migrations/NNNN_name.sql, in
// the order of their numbers) not yet recorded in w's schema_migrations
// table, each in its own transaction, recording each with the time now()
// gives.
func Migrate(ctx context.Context, w *sql.DB, fsys fs.FS, now func() string) error {
	if _, err := w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		base := path.Base(name)
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: its name must start with its number", base)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		err = Tx(ctx, w, func(tx *sql.Tx) error {
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, n).Scan(&done); err != nil || done > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, n, base, now())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}
