package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/stage"
)

// seal ranks the stage as tx sees it and stores the result as version
// st.Published+1.
func (db *DB) seal(ctx context.Context, tx *sql.Tx, st stage.Stage, now string, by stage.Actor, reason string, res *afkar.Result, ds *afkar.Dataset) (stage.Result, error) {
	data, err := ds.MarshalJSON()
	if err != nil {
		return stage.Result{}, fmt.Errorf("writing the dataset: %w", err)
	}
	out, err := res.MarshalJSON()
	if err != nil {
		return stage.Result{}, fmt.Errorf("writing the result: %w", err)
	}
	r := stage.Result{Stage: st.ID, Version: st.Published + 1, InputDigest: res.InputDigest, Dataset: data, Result: out,
		At: parseTime(now), By: by.Login, Reason: reason}
	if _, err := tx.ExecContext(ctx, `INSERT INTO results (stage_id, version, input_digest, dataset, result, at, by_user, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		st.ID, r.Version, r.InputDigest, data, out, now, by.UserID, reason); err != nil {
		return stage.Result{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stages SET published = ? WHERE id = ?`, r.Version, st.ID); err != nil {
		return stage.Result{}, err
	}
	err = audit(ctx, tx, now, st.ID, by, "result.seal", reason, fmt.Sprintf("version %d, %s", r.Version, r.InputDigest))
	return r, err
}

// reseal seals a new version after a change to a published stage, when
// the change moved its input digest.
func (db *DB) reseal(ctx context.Context, tx *sql.Tx, st stage.Stage, now string, by stage.Actor, reason string) error {
	ds, err := dataset(ctx, tx, st, true)
	if err != nil {
		return err
	}
	var last string
	if err := tx.QueryRowContext(ctx, `SELECT input_digest FROM results WHERE stage_id = ? AND version = ?`, st.ID, st.Published).Scan(&last); err != nil {
		return err
	}
	if ds.Digest() == last {
		return nil
	}
	res, err := afkar.Evaluate(ctx, ds)
	if err != nil {
		return fmt.Errorf("the change leaves the published stage unrankable, so it is refused: %w", err)
	}
	_, err = db.seal(ctx, tx, st, now, by, reason, res, ds)
	return err
}

// Publish ranks the stage and seals the result when it is the ranking
// the organiser saw; the check and the seal are one transaction.
func (db *DB) Publish(ctx context.Context, stageID int64, digest string, by stage.Actor, reason string) (stage.Result, error) {
	var r stage.Result
	err := db.tx(ctx, func(tx *sql.Tx) error {
		st, err := getStage(ctx, tx, stageID)
		if err != nil {
			return err
		}
		if st.Published > 0 && strings.TrimSpace(reason) == "" {
			return stage.ErrPublished
		}
		ds, err := dataset(ctx, tx, st, true)
		if err != nil {
			return err
		}
		res, err := afkar.Evaluate(ctx, ds)
		if err != nil {
			return err
		}
		if res.InputDigest != digest {
			return &stage.DigestError{Want: digest, Current: res.InputDigest}
		}
		r, err = db.seal(ctx, tx, st, db.now(), by, reason, res, ds)
		return err
	})
	return r, err
}

// Results lists a stage's sealed results, oldest first, without bytes.
func (db *DB) Results(ctx context.Context, stageID int64) ([]stage.Result, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT r.version, r.input_digest, r.at, u.login, r.reason FROM results r JOIN users u ON u.id = r.by_user
		WHERE r.stage_id = ? ORDER BY r.version`, stageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.Result{}
	for rows.Next() {
		r := stage.Result{Stage: stageID}
		var at string
		if err := rows.Scan(&r.Version, &r.InputDigest, &at, &r.By, &r.Reason); err != nil {
			return nil, err
		}
		r.At = parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Result returns a sealed result with its bytes; version zero is the
// latest.
func (db *DB) Result(ctx context.Context, stageID int64, version int) (stage.Result, error) {
	r := stage.Result{Stage: stageID}
	var at string
	err := db.r.QueryRowContext(ctx, `SELECT r.version, r.input_digest, r.dataset, r.result, r.at, u.login, r.reason FROM results r JOIN users u ON u.id = r.by_user
		WHERE r.stage_id = ? AND (r.version = ? OR ? = 0) ORDER BY r.version DESC LIMIT 1`, stageID, version, version).
		Scan(&r.Version, &r.InputDigest, &r.Dataset, &r.Result, &at, &r.By, &r.Reason)
	if err != nil {
		return stage.Result{}, notFound(err, fmt.Sprintf("result %d of stage %d", version, stageID))
	}
	r.At = parseTime(at)
	return r, nil
}

// Audit lists a stage's audit log, oldest first.
func (db *DB) Audit(ctx context.Context, stageID int64) ([]stage.Entry, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, at, by_login, action, reason, detail FROM audit WHERE stage_id = ? ORDER BY id`, stageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.Entry{}
	for rows.Next() {
		var e stage.Entry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.By, &e.Action, &e.Reason, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
