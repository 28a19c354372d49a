package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
)

func scanCooperative(sc interface{ Scan(...any) error }) (store.Cooperative, error) {
	var c store.Cooperative
	var data string
	if err := sc.Scan(&c.Version, &data); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(data), &c.Cooperative); err != nil {
		return c, fmt.Errorf("reading a cooperative's row: %w", err)
	}
	return c, nil
}

func putCooperative(ctx context.Context, tx *sql.Tx, c bank.Cooperative, version int64, insert bool) error {
	data, err := marshal(c)
	if err != nil {
		return err
	}
	q := `UPDATE cooperatives SET version = ?, data = ? WHERE id = ?`
	if insert {
		q = `INSERT INTO cooperatives (version, data, id) VALUES (?, ?, ?)`
	}
	if _, err := tx.ExecContext(ctx, q, version, data, c.ID); err != nil {
		return fmt.Errorf("cooperative %s: %w", c.ID, err)
	}
	return nil
}

// AddCooperative adds a cooperative, as [store.Bank.AddCooperative] does.
func (db *DB) AddCooperative(ctx context.Context, c bank.Cooperative) (store.Cooperative, error) {
	if err := db.validator.Cooperative(&c); err != nil {
		return store.Cooperative{}, err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if ok, err := hasCooperative(ctx, tx)(c.ID); err != nil || ok {
			if err == nil {
				err = fmt.Errorf("adding cooperative %s: %w", c.ID, store.ErrExists)
			}
			return err
		}
		return putCooperative(ctx, tx, c, 1, true)
	})
	if err != nil {
		return store.Cooperative{}, err
	}
	return store.Cooperative{Cooperative: c, Version: 1}, nil
}

// Cooperative returns cooperative id, as [store.Bank.Cooperative] does.
func (db *DB) Cooperative(ctx context.Context, id string) (store.Cooperative, error) {
	c, err := scanCooperative(db.r.QueryRowContext(ctx, `SELECT version, data FROM cooperatives WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Cooperative{}, fmt.Errorf("cooperative %s: %w", id, store.ErrNotFound)
	}
	return c, err
}

// UpdateCooperative replaces a cooperative at a version, as
// [store.Bank.UpdateCooperative] does.
func (db *DB) UpdateCooperative(ctx context.Context, c bank.Cooperative, version int64) (store.Cooperative, error) {
	if err := db.validator.Cooperative(&c); err != nil {
		return store.Cooperative{}, err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var current int64
		err := tx.QueryRowContext(ctx, `SELECT version FROM cooperatives WHERE id = ?`, c.ID).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("updating cooperative %s: %w", c.ID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if current != version {
			return &store.ConflictError{ID: c.ID, Version: version, Current: current}
		}
		return putCooperative(ctx, tx, c, version+1, false)
	})
	if err != nil {
		return store.Cooperative{}, err
	}
	return store.Cooperative{Cooperative: c, Version: version + 1}, nil
}

// Cooperatives returns every cooperative, by ID.
func (db *DB) Cooperatives(ctx context.Context) ([]store.Cooperative, error) {
	return allCooperatives(ctx, db.r)
}

func allCooperatives(ctx context.Context, q querier) ([]store.Cooperative, error) {
	rows, err := q.QueryContext(ctx, `SELECT version, data FROM cooperatives ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.Cooperative{}
	for rows.Next() {
		c, err := scanCooperative(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
