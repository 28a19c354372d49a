package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/scoring"
)

// project looks up an idea with its history, for the checks of package
// store.
func project(ctx context.Context, q querier) func(string) (bank.Project, bool, error) {
	return func(id string) (bank.Project, bool, error) {
		idea, ok, err := loadIdea(ctx, q, id)
		return idea.Project, ok, err
	}
}

// SetJudges sets the judges of a stage, as [store.Bank.SetJudges] does.
func (db *DB) SetJudges(ctx context.Context, stage int, judges []bank.Judge) error {
	if _, err := store.TourStage(stage); err != nil {
		return err
	}
	copied, err := store.CheckJudges(&db.validator, judges)
	if err != nil {
		return err
	}
	var data any
	if copied != nil {
		if data, err = marshal(copied); err != nil {
			return err
		}
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO juries (stage, judges) VALUES (?, ?) ON CONFLICT (stage) DO UPDATE SET judges = excluded.judges`, stage, data)
		return err
	})
}

// AddScores adds scores to a stage's jury, as [store.Bank.AddScores]
// does.
func (db *DB) AddScores(ctx context.Context, stage int, scores []scoring.Score) (int, error) {
	if _, err := store.TourStage(stage); err != nil {
		return 0, err
	}
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := store.CheckScores(stage, scores, project(ctx, tx)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO juries (stage) VALUES (?) ON CONFLICT DO NOTHING`, stage); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM scores WHERE stage = ?`, stage).Scan(&n); err != nil {
			return err
		}
		for _, s := range scores {
			res, err := tx.ExecContext(ctx, `UPDATE scores SET value = ? WHERE stage = ? AND judge = ? AND project = ? AND criterion = ?`,
				decimalText(s.Value), stage, s.Judge, s.Project, s.Criterion)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil || k == 1 {
				if err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO scores (stage, judge, project, criterion, pos, value) VALUES (?, ?, ?, ?, ?, ?)`,
				stage, s.Judge, s.Project, s.Criterion, n, decimalText(s.Value)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Jury returns the jury of a stage, as [store.Bank.Jury] does.
func (db *DB) Jury(ctx context.Context, stage int) (store.Jury, error) {
	var j store.Jury
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		j, _, err = loadJury(ctx, tx, stage)
		return err
	})
	return j, err
}

// loadJury reads the jury of stage; ok false when the catalogue has none.
func loadJury(ctx context.Context, q querier, stage int) (j store.Jury, ok bool, err error) {
	j = store.Jury{Stage: stage}
	var judges sql.NullString
	err = q.QueryRowContext(ctx, `SELECT judges FROM juries WHERE stage = ?`, stage).Scan(&judges)
	if errors.Is(err, sql.ErrNoRows) {
		return j, false, nil
	}
	if err != nil {
		return j, false, err
	}
	if judges.Valid {
		if err := json.Unmarshal([]byte(judges.String), &j.Judges); err != nil {
			return j, false, fmt.Errorf("stage %d: reading its judges: %w", stage, err)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT judge, project, criterion, value FROM scores WHERE stage = ? ORDER BY pos`, stage)
	if err != nil {
		return j, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var s scoring.Score
		var v string
		if err := rows.Scan(&s.Judge, &s.Project, &s.Criterion, &v); err != nil {
			return j, false, err
		}
		if s.Value, err = dectext.Parse(v); err != nil {
			return j, false, fmt.Errorf("stage %d: reading a score: %w", stage, err)
		}
		j.Scores = append(j.Scores, s)
	}
	return j, true, rows.Err()
}

// Dataset returns the dataset of a stage, as [store.Bank.Dataset] does.
func (db *DB) Dataset(ctx context.Context, stage int, rules *afkar.Dataset) (*afkar.Dataset, error) {
	var ds *afkar.Dataset
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+ideaColumns+` FROM ideas WHERE stage = ? ORDER BY at, id`, stage)
		if err != nil {
			return err
		}
		var ideas []bank.Project
		for rows.Next() {
			idea, err := scanIdea(rows)
			if err != nil {
				rows.Close()
				return err
			}
			ideas = append(ideas, idea.Project)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		j, _, err := loadJury(ctx, tx, stage)
		if err != nil {
			return err
		}
		ds, err = store.NewDataset(stage, rules, ideas, j)
		return err
	})
	return ds, err
}

// ApplyResult records a stage's result, as [store.Bank.ApplyResult] does,
// in one transaction.
func (db *DB) ApplyResult(ctx context.Context, res *afkar.Result, a store.Apply) (store.Applied, error) {
	var applied store.Applied
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var changed []bank.Project
		var err error
		versions := map[string]int64{}
		stored := map[string]int{}
		lookup := func(id string) (bank.Project, bool, error) {
			idea, ok, err := loadIdea(ctx, tx, id)
			versions[id], stored[id] = idea.Version, len(idea.History)
			return idea.Project, ok, err
		}
		applied, changed, err = store.PlanResult(res, a, db.clock, lookup)
		if err != nil {
			return err
		}
		for _, p := range changed {
			if err := putIdea(ctx, tx, p, versions[p.ID]+1, stored[p.ID], false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return store.Applied{}, err
	}
	return applied, nil
}
