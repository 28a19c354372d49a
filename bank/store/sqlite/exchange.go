package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
)

// WriteSnapshot writes the whole catalogue as a snapshot, saved at the
// time of the clock, from one read transaction: the catalogue as it was
// at one instant.
func (db *DB) WriteSnapshot(ctx context.Context, w io.Writer) error {
	s := &store.Snapshot{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		s.SavedAt = db.clock()
		var err error
		if s.Cooperatives, err = allCooperatives(ctx, tx); err != nil {
			return err
		}
		if s.Ideas, err = allIdeas(ctx, tx); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT stage FROM juries ORDER BY stage`)
		if err != nil {
			return err
		}
		var stages []int
		for rows.Next() {
			var n int
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			stages = append(stages, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range stages {
			j, _, err := loadJury(ctx, tx, n)
			if err != nil {
				return err
			}
			s.Juries = append(s.Juries, j)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.Encode(w)
}

// ImportSnapshot reads a snapshot into the catalogue, which must be empty,
// in one transaction (see [store.Catalogue]).
func (db *DB) ImportSnapshot(ctx context.Context, r io.Reader) error {
	s, err := store.DecodeSnapshot(r)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM ideas) + (SELECT count(*) FROM cooperatives) + (SELECT count(*) FROM juries)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("importing a snapshot: %w", store.ErrNotEmpty)
		}
		for _, c := range s.Cooperatives {
			if err := putCooperative(ctx, tx, c.Cooperative, c.Version, true); err != nil {
				return err
			}
		}
		for _, idea := range s.Ideas {
			if err := putIdea(ctx, tx, idea.Project, idea.Version, 0, true); err != nil {
				return err
			}
		}
		for _, j := range s.Juries {
			var judges any
			if j.Judges != nil {
				if judges, err = marshal(j.Judges); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO juries (stage, judges) VALUES (?, ?)`, j.Stage, judges); err != nil {
				return err
			}
			for i, sc := range j.Scores {
				if _, err := tx.ExecContext(ctx, `INSERT INTO scores (stage, judge, project, criterion, pos, value) VALUES (?, ?, ?, ?, ?, ?)`,
					j.Stage, sc.Judge, sc.Project, sc.Criterion, i, decimalText(sc.Value)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ExportIdeasCSV writes every idea, in order, as CSV (see
// [store.WriteIdeasCSV]).
func (db *DB) ExportIdeasCSV(ctx context.Context, w io.Writer) error {
	ideas, err := db.Ideas(ctx)
	if err != nil {
		return err
	}
	ps := make([]bank.Project, len(ideas))
	for i, idea := range ideas {
		ps[i] = idea.Project
	}
	return store.WriteIdeasCSV(w, ps)
}

// ExportCooperativesCSV writes every cooperative, by ID, as CSV (see
// [store.WriteCooperativesCSV]).
func (db *DB) ExportCooperativesCSV(ctx context.Context, w io.Writer) error {
	coops, err := db.Cooperatives(ctx)
	if err != nil {
		return err
	}
	cs := make([]bank.Cooperative, len(coops))
	for i, c := range coops {
		cs[i] = c.Cooperative
	}
	return store.WriteCooperativesCSV(w, cs)
}

// ImportIdeasCSV adds the ideas of a CSV file in one transaction, as
// [store.Bank.ImportIdeasCSV] does.
func (db *DB) ImportIdeasCSV(ctx context.Context, r io.Reader, by string) (int, error) {
	if strings.TrimSpace(by) == "" {
		return 0, store.ErrNoActor
	}
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		ps, err := store.IdeasOfCSV(&db.validator, r, by, db.clock(), hasCooperative(ctx, tx), hasIdea(ctx, tx))
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := putIdea(ctx, tx, p, 1, 0, true); err != nil {
				return err
			}
		}
		n = len(ps)
		return nil
	})
	return n, err
}

// ImportCooperativesCSV adds the cooperatives of a CSV file in one
// transaction, as [store.Bank.ImportCooperativesCSV] does.
func (db *DB) ImportCooperativesCSV(ctx context.Context, r io.Reader) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cs, err := store.CooperativesOfCSV(&db.validator, r, hasCooperative(ctx, tx))
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := putCooperative(ctx, tx, c, 1, true); err != nil {
				return err
			}
		}
		n = len(cs)
		return nil
	})
	return n, err
}
