package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/stage"
)

func parseDecimal(s string) (decimal.Decimal, error) {
	d, err := dectext.Parse(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("stored score %q: %w", s, err)
	}
	return d, nil
}

// Assign runs stage.Assign on the stage as stored and records the plan.
func (db *DB) Assign(ctx context.Context, stageID int64, by stage.Actor) (stage.Plan, error) {
	var plan stage.Plan
	err := db.tx(ctx, func(tx *sql.Tx) error {
		st, err := getStage(ctx, tx, stageID)
		if err != nil {
			return err
		}
		if st.Published > 0 {
			return stage.ErrPublished
		}
		rules, _, err := stage.ParseRules(st.Rules)
		if err != nil {
			return err
		}
		ideas, err := ideas(ctx, tx, stageID)
		if err != nil {
			return err
		}
		js, err := jurors(ctx, tx, stageID)
		if err != nil {
			return err
		}
		existing, err := assignments(ctx, tx, stageID, "")
		if err != nil {
			return err
		}
		given := map[[2]string]int{} // judge, project → criteria scored
		rows, err := tx.QueryContext(ctx, `SELECT judge, project, count(*) FROM scores WHERE stage_id = ? GROUP BY judge, project`, stageID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var j, p string
			var n int
			if err := rows.Scan(&j, &p, &n); err != nil {
				rows.Close()
				return err
			}
			given[[2]string{j, p}] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		criteria := len(rules.Rubric.Criteria)
		plan = stage.Assign(stage.AssignInput{
			Ideas: ideas, Jurors: js, K: st.JurorsPerIdea, Cap: st.CapPerJuror, Seed: st.Seed, Existing: existing,
			Scored:   func(j, p string) bool { return given[[2]string{j, p}] > 0 },
			Complete: func(j, p string) bool { return given[[2]string{j, p}] >= criteria },
		})
		for _, a := range plan.Drop {
			if _, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE stage_id = ? AND judge = ? AND project = ?`, stageID, a.Judge, a.Project); err != nil {
				return err
			}
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO assignments (stage_id, judge, project, round) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		round := 0
		for _, a := range plan.Add {
			round = a.Round
			if _, err := ins.ExecContext(ctx, stageID, a.Judge, a.Project, a.Round); err != nil {
				return err
			}
		}
		now := db.now()
		if round > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assignment_runs (stage_id, round, seed, k, cap, added, dropped, at, by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				stageID, round, st.Seed, st.JurorsPerIdea, st.CapPerJuror, len(plan.Add), len(plan.Drop), now, by.UserID); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, stageID, by, "assignment.run", "",
			fmt.Sprintf("seed=%q k=%d cap=%d: %d kept, %d added, %d dropped, %d ideas short", st.Seed, st.JurorsPerIdea, st.CapPerJuror, len(plan.Keep), len(plan.Add), len(plan.Drop), len(plan.Short)))
	})
	return plan, err
}

// Assignments lists a stage's pairs by judge then project.
func (db *DB) Assignments(ctx context.Context, stageID int64, judge string) ([]stage.Assignment, error) {
	return assignments(ctx, db.r, stageID, judge)
}

func assignments(ctx context.Context, q querier, stageID int64, judge string) ([]stage.Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT judge, project, round FROM assignments WHERE stage_id = ? AND (? = '' OR judge = ?) ORDER BY judge, project`, stageID, judge, judge)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.Assignment{}
	for rows.Next() {
		var a stage.Assignment
		if err := rows.Scan(&a.Judge, &a.Project, &a.Round); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Sheet returns a juror's sheet.
func (db *DB) Sheet(ctx context.Context, stageID int64, judge string) (stage.Sheet, error) {
	return sheet(ctx, db.r, stageID, judge)
}

func sheet(ctx context.Context, q querier, stageID int64, judge string) (stage.Sheet, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM jurors WHERE stage_id = ? AND id = ?`, stageID, judge).Scan(&n); err != nil {
		return stage.Sheet{}, err
	}
	if n == 0 {
		return stage.Sheet{}, fmt.Errorf("juror %s of stage %d: %w", judge, stageID, stage.ErrNotFound)
	}
	sh := stage.Sheet{Stage: stageID, Judge: judge, Scores: []scoring.Score{}}
	var device, updated string
	err := q.QueryRowContext(ctx, `SELECT version, device_time, signed_off, updated_at FROM sheets WHERE stage_id = ? AND judge = ?`, stageID, judge).
		Scan(&sh.Version, &device, &sh.SignedOff, &updated)
	if err != nil && err != sql.ErrNoRows {
		return stage.Sheet{}, err
	}
	sh.DeviceTime, sh.UpdatedAt = parseTime(device), parseTime(updated)
	rows, err := q.QueryContext(ctx, `SELECT project, criterion, value FROM scores WHERE stage_id = ? AND judge = ? ORDER BY project, criterion`, stageID, judge)
	if err != nil {
		return stage.Sheet{}, err
	}
	defer rows.Close()
	for rows.Next() {
		s := scoring.Score{Judge: judge}
		var v string
		if err := rows.Scan(&s.Project, &s.Criterion, &v); err != nil {
			return stage.Sheet{}, err
		}
		if s.Value, err = parseDecimal(v); err != nil {
			return stage.Sheet{}, err
		}
		sh.Scores = append(sh.Scores, s)
	}
	return sh, rows.Err()
}

type scoreKey struct{ project, criterion string }

// Sync applies a juror's whole sheet: an event per change, append-only,
// in one transaction with the checks.
func (db *DB) Sync(ctx context.Context, req stage.SyncRequest) (stage.SyncResult, error) {
	sh := req.Sheet
	if sh == nil {
		return stage.SyncResult{}, fmt.Errorf("%w: no sheet", stage.ErrInvalid)
	}
	var out stage.SyncResult
	err := db.tx(ctx, func(tx *sql.Tx) error {
		st, err := getStage(ctx, tx, req.Stage)
		if err != nil {
			return err
		}
		state := stage.SyncState{Published: st.Published > 0, Assigned: map[string]bool{}}
		if err := tx.QueryRowContext(ctx, `SELECT dropped FROM jurors WHERE stage_id = ? AND id = ?`, req.Stage, req.Judge).Scan(&state.Dropped); err != nil {
			return notFound(err, fmt.Sprintf("juror %s of stage %d", req.Judge, req.Stage))
		}
		if state.Current, err = sheet(ctx, tx, req.Stage, req.Judge); err != nil {
			return err
		}
		if state.Digest, err = db.stageDigest(ctx, tx, st); err != nil {
			return err
		}
		if state.Rules, _, err = stage.ParseRules(st.Rules); err != nil {
			return err
		}
		mine, err := assignments(ctx, tx, req.Stage, req.Judge)
		if err != nil {
			return err
		}
		for _, a := range mine {
			state.Assigned[a.Project] = true
		}
		ch, err := stage.CheckSync(req, state)
		if err != nil {
			return err
		}
		if ch.Duplicate {
			out = stage.SyncResult{Sheet: state.Current, Duplicate: true}
			return nil // a retried upload: applied already
		}
		now := db.now()
		device := formatTime(sh.Time)
		ev := event{stage: req.Stage, judge: req.Judge, version: sh.Seq, device: device, now: now, by: req.By.UserID}
		for _, s := range ch.Set {
			if err := ev.set(ctx, tx, scoreKey{s.Project, s.Criterion}, s.Value.String()); err != nil {
				return err
			}
		}
		for _, s := range ch.Withdraw {
			if err := ev.withdraw(ctx, tx, scoreKey{s.Project, s.Criterion}, ""); err != nil {
				return err
			}
		}
		out.Events = len(ch.Set) + len(ch.Withdraw)
		if _, err := tx.ExecContext(ctx, `INSERT INTO sheets (stage_id, judge, version, device_time, signed_off, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (stage_id, judge) DO UPDATE SET version = excluded.version, device_time = excluded.device_time, signed_off = excluded.signed_off, updated_at = excluded.updated_at`,
			req.Stage, req.Judge, sh.Seq, device, sh.SignedOff, now); err != nil {
			return err
		}
		if sh.SignedOff {
			if err := audit(ctx, tx, now, req.Stage, req.By, "sheet.sign_off", "", fmt.Sprintf("juror %s, version %d, %d scores", req.Judge, sh.Seq, len(sh.Scores))); err != nil {
				return err
			}
		}
		out.Sheet, err = sheet(ctx, tx, req.Stage, req.Judge)
		return err
	})
	return out, err
}

// event writes score events of one sheet version, and keeps the scores
// table in step.
type event struct {
	stage       int64
	judge       string
	version     int
	device, now string
	by          int64
}

func (e *event) set(ctx context.Context, tx *sql.Tx, k scoreKey, value string) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO score_events (stage_id, judge, project, criterion, kind, value, sheet_version, device_time, server_time, by_user) VALUES (?, ?, ?, ?, 'set', ?, ?, ?, ?, ?)`,
		e.stage, e.judge, k.project, k.criterion, value, e.version, e.device, e.now, e.by)
	if err != nil {
		return err
	}
	id, _ := res.LastInsertId()
	_, err = tx.ExecContext(ctx, `INSERT INTO scores (stage_id, judge, project, criterion, value, event_id) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (stage_id, judge, project, criterion) DO UPDATE SET value = excluded.value, event_id = excluded.event_id`,
		e.stage, e.judge, k.project, k.criterion, value, id)
	return err
}

func (e *event) withdraw(ctx context.Context, tx *sql.Tx, k scoreKey, reason string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO score_events (stage_id, judge, project, criterion, kind, sheet_version, device_time, server_time, by_user, reason) VALUES (?, ?, ?, ?, 'withdraw', ?, ?, ?, ?, ?)`,
		e.stage, e.judge, k.project, k.criterion, e.version, e.device, e.now, e.by, reason); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM scores WHERE stage_id = ? AND judge = ? AND project = ? AND criterion = ?`, e.stage, e.judge, k.project, k.criterion)
	return err
}

// Withdraw withdraws one score for an organiser, with a reason; the
// juror's sheet gets one version more, so that the juror's phone, built
// on the older one, is told to rebase.
func (db *DB) Withdraw(ctx context.Context, stageID int64, judge, project, criterion string, by stage.Actor, reason string) (stage.Sheet, error) {
	if strings.TrimSpace(reason) == "" {
		return stage.Sheet{}, fmt.Errorf("%w: withdrawing a juror's score needs a reason", stage.ErrInvalid)
	}
	var out stage.Sheet
	err := db.change(ctx, stageID, by, reason, func(tx *sql.Tx, st stage.Stage, now string) error {
		cur, err := sheet(ctx, tx, stageID, judge)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM scores WHERE stage_id = ? AND judge = ? AND project = ? AND criterion = ?`, stageID, judge, project, criterion).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("score of juror %s on %s, %s: %w", judge, project, criterion, stage.ErrNotFound)
		}
		if err := stage.CheckWithdraw(cur.Version); err != nil {
			return err
		}
		ev := event{stage: stageID, judge: judge, version: cur.Version + 1, now: now, by: by.UserID}
		if err := ev.withdraw(ctx, tx, scoreKey{project, criterion}, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sheets SET version = version + 1, updated_at = ? WHERE stage_id = ? AND judge = ?`, now, stageID, judge); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, stageID, by, "score.withdraw", reason, fmt.Sprintf("juror %s, idea %s, criterion %s", judge, project, criterion)); err != nil {
			return err
		}
		out, err = sheet(ctx, tx, stageID, judge)
		return err
	})
	return out, err
}

// Progress counts the scores expected and given, per juror and per idea.
func (db *DB) Progress(ctx context.Context, stageID int64) (stage.Progress, error) {
	st, err := db.Stage(ctx, stageID)
	if err != nil {
		return stage.Progress{}, err
	}
	rules, _, err := stage.ParseRules(st.Rules)
	if err != nil {
		return stage.Progress{}, err
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return stage.Progress{}, err
	}
	defer tx.Rollback()
	c := len(rules.Rubric.Criteria)
	p := stage.Progress{Criteria: c, Jurors: []stage.JurorProgress{}, Ideas: []stage.IdeaProgress{}}
	rows, err := tx.QueryContext(ctx, `SELECT j.id, j.dropped,
			(SELECT count(*) FROM assignments a WHERE a.stage_id = j.stage_id AND a.judge = j.id),
			(SELECT count(*) FROM scores s WHERE s.stage_id = j.stage_id AND s.judge = j.id),
			coalesce(sh.signed_off, 0), coalesce(sh.version, 0), coalesce(sh.updated_at, '')
		FROM jurors j LEFT JOIN sheets sh ON sh.stage_id = j.stage_id AND sh.judge = j.id
		WHERE j.stage_id = ? ORDER BY j.id`, stageID)
	if err != nil {
		return stage.Progress{}, err
	}
	for rows.Next() {
		var jp stage.JurorProgress
		var at string
		if err := rows.Scan(&jp.Judge, &jp.Dropped, &jp.Ideas, &jp.Given, &jp.SignedOff, &jp.Version, &at); err != nil {
			rows.Close()
			return stage.Progress{}, err
		}
		jp.Expected, jp.LastSync = jp.Ideas*c, parseTime(at)
		p.Jurors = append(p.Jurors, jp)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT i.id,
			(SELECT count(*) FROM assignments a WHERE a.stage_id = i.stage_id AND a.project = i.id),
			(SELECT count(*) FROM scores s WHERE s.stage_id = i.stage_id AND s.project = i.id)
		FROM ideas i WHERE i.stage_id = ? ORDER BY i.submitted_at, i.id`, stageID)
	if err != nil {
		return stage.Progress{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var ip stage.IdeaProgress
		if err := rows.Scan(&ip.Project, &ip.Jurors, &ip.Given); err != nil {
			return stage.Progress{}, err
		}
		ip.Expected = ip.Jurors * c
		p.Ideas = append(p.Ideas, ip)
	}
	return p, rows.Err()
}
