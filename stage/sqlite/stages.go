package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/stage"
)

// querier is what *sql.DB and *sql.Tx share for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const stageColumns = `id, slug, title, region, date, rules, jurors_per_idea, cap_per_juror, seed, published, created_at`

func scanStage(row interface{ Scan(...any) error }) (stage.Stage, error) {
	var s stage.Stage
	var rules, created string
	err := row.Scan(&s.ID, &s.Slug, &s.Title, &s.Region, &s.Date, &rules, &s.JurorsPerIdea, &s.CapPerJuror, &s.Seed, &s.Published, &created)
	s.Rules, s.CreatedAt = []byte(rules), parseTime(created)
	return s, err
}

// CreateStage adds a stage, its rules checked and stored canonically.
func (db *DB) CreateStage(ctx context.Context, s stage.Stage, by stage.Actor) (stage.Stage, error) {
	if !stage.ValidSlug(s.Slug) {
		return stage.Stage{}, fmt.Errorf("%w: slug %q (expected 1 to 64 of a-z, 0-9 and -, starting with a letter or digit)", stage.ErrInvalid, s.Slug)
	}
	if strings.TrimSpace(s.Title) == "" || s.JurorsPerIdea < 1 || s.CapPerJuror < 0 || s.Seed == "" {
		return stage.Stage{}, fmt.Errorf("%w: a stage needs a title, jurors_per_idea ≥ 1, cap_per_juror ≥ 0 and a seed", stage.ErrInvalid)
	}
	_, canonical, err := stage.ParseRules(s.Rules)
	if err != nil {
		return stage.Stage{}, err
	}
	s.Rules = canonical
	err = db.tx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO stages (slug, title, region, date, rules, jurors_per_idea, cap_per_juror, seed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.Slug, s.Title, s.Region, s.Date, string(s.Rules), s.JurorsPerIdea, s.CapPerJuror, s.Seed, now)
		if isUnique(err) {
			return fmt.Errorf("stage %q: %w", s.Slug, stage.ErrExists)
		}
		if err != nil {
			return fmt.Errorf("%w: stage: %v", stage.ErrInvalid, err)
		}
		s.ID, _ = res.LastInsertId()
		s.CreatedAt = parseTime(now)
		return audit(ctx, tx, now, s.ID, by, "stage.create", "", fmt.Sprintf("%s: k=%d cap=%d seed=%q", s.Slug, s.JurorsPerIdea, s.CapPerJuror, s.Seed))
	})
	return s, err
}

// Stage returns the stage with id.
func (db *DB) Stage(ctx context.Context, id int64) (stage.Stage, error) {
	return getStage(ctx, db.r, id)
}

func getStage(ctx context.Context, q querier, id int64) (stage.Stage, error) {
	s, err := scanStage(q.QueryRowContext(ctx, `SELECT `+stageColumns+` FROM stages WHERE id = ?`, id))
	return s, notFound(err, fmt.Sprintf("stage %d", id))
}

// StageBySlug returns the stage with slug.
func (db *DB) StageBySlug(ctx context.Context, slug string) (stage.Stage, error) {
	s, err := scanStage(db.r.QueryRowContext(ctx, `SELECT `+stageColumns+` FROM stages WHERE slug = ?`, slug))
	return s, notFound(err, fmt.Sprintf("stage %q", slug))
}

// Stages lists every stage by ID.
func (db *DB) Stages(ctx context.Context) ([]stage.Stage, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+stageColumns+` FROM stages ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.Stage{}
	for rows.Next() {
		s, err := scanStage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// change runs fn in a transaction on a stage that must exist; after
// publication it needs a reason, and when the stage's dataset changed it
// seals a new result version in the same transaction.
func (db *DB) change(ctx context.Context, stageID int64, by stage.Actor, reason string, fn func(tx *sql.Tx, st stage.Stage, now string) error) error {
	// Once the change is committed (or not), the digest is forgotten
	// again: a reader may have cached it from the state before.
	defer db.forgetDigest(stageID)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		st, err := getStage(ctx, tx, stageID)
		if err != nil {
			return err
		}
		if st.Published > 0 && strings.TrimSpace(reason) == "" {
			return stage.ErrPublished
		}
		now := db.now()
		// Inside the transaction too, so that the change's own reads of
		// the digest see the change.
		db.forgetDigest(stageID)
		if err := fn(tx, st, now); err != nil {
			return err
		}
		if st.Published > 0 {
			return db.reseal(ctx, tx, st, now, by, reason)
		}
		return nil
	})
	return err
}

// AddIdeas adds ideas read one at a time, all or none.
func (db *DB) AddIdeas(ctx context.Context, stageID int64, next iter.Seq2[stage.Idea, error], by stage.Actor, reason string) (int, error) {
	n := 0
	err := db.change(ctx, stageID, by, reason, func(tx *sql.Tx, st stage.Stage, now string) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO ideas (stage_id, id, title, summary, region, sector, cooperative, attributes, carrier_name, carrier_email, carrier_phone, submitted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		var ps scoring.Problems
		i := 0
		for p, err := range next {
			if err := ctx.Err(); err != nil {
				return err
			}
			at := "ideas[" + strconv.Itoa(i) + "]"
			i++
			if err != nil {
				var read scoring.Problems
				if errors.As(err, &read) {
					ps = append(ps, read...)
				} else {
					ps = append(ps, scoring.Problem{Path: at, Message: err.Error()})
				}
			} else if bad := stage.IdeaProblems(at, p); len(bad) > 0 {
				ps = append(ps, bad...)
			} else if len(ps) == 0 {
				attrs, _ := json.Marshal(p.Attributes) // a map of strings
				if p.Attributes == nil {
					attrs = []byte("{}")
				}
				c := p.Carrier
				if c == nil {
					c = &stage.Carrier{}
				}
				_, err := ins.ExecContext(ctx, stageID, p.ID, p.Title, p.Summary, p.Region, p.Sector, p.Cooperative, string(attrs), c.Name, c.Email, c.Phone, now)
				if isUnique(err) {
					ps = append(ps, scoring.Problem{Path: at + ".id", Message: fmt.Sprintf("idea %s is already in stage %s", p.ID, st.Slug)})
				} else if err != nil {
					return err
				} else {
					n++
				}
			}
			if len(ps) >= stage.MaxProblems {
				ps = append(ps[:stage.MaxProblems], scoring.Problem{Path: "$", Message: fmt.Sprintf("more than %d problems: the first %d are listed, the rest was not read", stage.MaxProblems, stage.MaxProblems)})
				break
			}
		}
		if len(ps) > 0 {
			n = 0
			return ps
		}
		return audit(ctx, tx, now, stageID, by, "ideas.add", reason, fmt.Sprintf("%d ideas", n))
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Ideas lists a stage's ideas in dataset order, with personal data.
func (db *DB) Ideas(ctx context.Context, stageID int64) ([]stage.Idea, error) {
	return ideas(ctx, db.r, stageID)
}

func ideas(ctx context.Context, q querier, stageID int64) ([]stage.Idea, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, title, summary, region, sector, cooperative, attributes, carrier_name, carrier_email, carrier_phone, submitted_at
		FROM ideas WHERE stage_id = ? ORDER BY submitted_at, id`, stageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.Idea{}
	for rows.Next() {
		var p stage.Idea
		var attrs, at string
		var c stage.Carrier
		if err := rows.Scan(&p.ID, &p.Title, &p.Summary, &p.Region, &p.Sector, &p.Cooperative, &attrs, &c.Name, &c.Email, &c.Phone, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(attrs), &p.Attributes); err != nil {
			return nil, fmt.Errorf("idea %s: attributes: %w", p.ID, err)
		}
		if len(p.Attributes) == 0 {
			p.Attributes = nil
		}
		if c != (stage.Carrier{}) {
			p.Carrier = &c
		}
		p.SubmittedAt = parseTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PutJuror adds or replaces a juror (its name, cooperative, conflicts and
// abstentions); the conflicts and abstentions must name ideas of the stage.
func (db *DB) PutJuror(ctx context.Context, stageID int64, j stage.Juror, by stage.Actor, reason string) (stage.Juror, error) {
	if !scoring.ValidID(j.ID) {
		return stage.Juror{}, fmt.Errorf("%w: %q is not a judge id", stage.ErrInvalid, j.ID)
	}
	err := db.change(ctx, stageID, by, reason, func(tx *sql.Tx, st stage.Stage, now string) error {
		for _, list := range [][]string{j.Conflicts, j.Abstains} {
			for _, p := range list {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ideas WHERE stage_id = ? AND id = ?`, stageID, p).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return fmt.Errorf("%w: juror %s names idea %q, not in stage %s", stage.ErrInvalid, j.ID, p, st.Slug)
				}
			}
		}
		conflicts, _ := json.Marshal(nonNil(j.Conflicts))
		abstains, _ := json.Marshal(nonNil(j.Abstains))
		_, err := tx.ExecContext(ctx, `INSERT INTO jurors (stage_id, id, name, cooperative, conflicts, abstains) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (stage_id, id) DO UPDATE SET name = excluded.name, cooperative = excluded.cooperative, conflicts = excluded.conflicts, abstains = excluded.abstains`,
			stageID, j.ID, j.Name, j.Cooperative, string(conflicts), string(abstains))
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT dropped FROM jurors WHERE stage_id = ? AND id = ?`, stageID, j.ID).Scan(&j.Dropped); err != nil {
			return err
		}
		return audit(ctx, tx, now, stageID, by, "juror.put", reason, fmt.Sprintf("%s cooperative=%q conflicts=%s abstains=%s", j.ID, j.Cooperative, conflicts, abstains))
	})
	return j, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// DropJuror marks a juror dropped out; its sessions stop working.
func (db *DB) DropJuror(ctx context.Context, stageID int64, judge string, by stage.Actor, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("%w: a reason is needed to drop a juror", stage.ErrInvalid)
	}
	return db.change(ctx, stageID, by, reason, func(tx *sql.Tx, st stage.Stage, now string) error {
		res, err := tx.ExecContext(ctx, `UPDATE jurors SET dropped = 1 WHERE stage_id = ? AND id = ? AND dropped = 0`, stageID, judge)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("juror %s of stage %d, not dropped yet: %w", judge, stageID, stage.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE stage_id = ? AND judge = ?)`, stageID, judge); err != nil {
			return err
		}
		return audit(ctx, tx, now, stageID, by, "juror.drop", reason, judge)
	})
}

// Jurors lists a stage's jurors by ID, with their names.
func (db *DB) Jurors(ctx context.Context, stageID int64) ([]stage.Juror, error) {
	return jurors(ctx, db.r, stageID)
}

func jurors(ctx context.Context, q querier, stageID int64) ([]stage.Juror, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, cooperative, conflicts, abstains, dropped FROM jurors WHERE stage_id = ? ORDER BY id`, stageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []stage.Juror{}
	for rows.Next() {
		var j stage.Juror
		var conflicts, abstains string
		if err := rows.Scan(&j.ID, &j.Name, &j.Cooperative, &conflicts, &abstains, &j.Dropped); err != nil {
			return nil, err
		}
		if err := errors.Join(json.Unmarshal([]byte(conflicts), &j.Conflicts), json.Unmarshal([]byte(abstains), &j.Abstains)); err != nil {
			return nil, fmt.Errorf("juror %s: %w", j.ID, err)
		}
		if len(j.Conflicts) == 0 {
			j.Conflicts = nil
		}
		if len(j.Abstains) == 0 {
			j.Abstains = nil
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// Dataset returns the stage's dataset now, without personal data.
func (db *DB) Dataset(ctx context.Context, stageID int64) (*afkar.Dataset, error) {
	st, err := db.Stage(ctx, stageID)
	if err != nil {
		return nil, err
	}
	// One read transaction, so that ideas, jurors and scores are of the
	// same moment.
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return dataset(ctx, tx, st, true)
}

// dataset builds a stage's dataset from q: its rules, its ideas as
// projects (no carrier), its jurors as judges (no names) and, when
// withScores, the current scores by judge, project and criterion.
func dataset(ctx context.Context, q querier, st stage.Stage, withScores bool) (*afkar.Dataset, error) {
	rules, _, err := stage.ParseRules(st.Rules)
	if err != nil {
		return nil, fmt.Errorf("stage %d: stored rules: %w", st.ID, err)
	}
	ideas, err := ideas(ctx, q, st.ID)
	if err != nil {
		return nil, err
	}
	js, err := jurors(ctx, q, st.ID)
	if err != nil {
		return nil, err
	}
	ds := stage.Dataset(st, rules, ideas, js, nil)
	if !withScores {
		return ds, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT judge, project, criterion, value FROM scores WHERE stage_id = ? ORDER BY judge, project, criterion`, st.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s scoring.Score
		var v string
		if err := rows.Scan(&s.Judge, &s.Project, &s.Criterion, &v); err != nil {
			return nil, err
		}
		if s.Value, err = parseDecimal(v); err != nil {
			return nil, err
		}
		ds.Scores.Append(s)
	}
	return ds, rows.Err()
}

// stageDigest returns the stage digest (afkar.Dataset.StageDigest) of the
// stage as tx, a writing transaction, sees it, from a cache that every
// change of the stage clears inside its own transaction and again once it
// is over (see change). Writing transactions run one at a time and see
// the last change, so the one that fills the cache never fills it stale.
func (db *DB) stageDigest(ctx context.Context, tx *sql.Tx, st stage.Stage) (string, error) {
	db.digestMu.Lock()
	d, ok := db.digests[st.ID]
	db.digestMu.Unlock()
	if ok {
		return d, nil
	}
	ds, err := dataset(ctx, tx, st, false)
	if err != nil {
		return "", err
	}
	d = ds.StageDigest()
	db.digestMu.Lock()
	db.digests[st.ID] = d
	db.digestMu.Unlock()
	return d, nil
}

// StageDigest returns the stage digest a juror's sheet must name. On a
// cache miss it is computed in a read transaction, which neither waits
// for nor holds up the writer. A read transaction may see the stage as it
// was before a change that is committing meanwhile, so its digest fills
// the cache only if no change of the stage began or ended (the stage's
// generation, which forgetDigest moves, is as it was before the read).
func (db *DB) StageDigest(ctx context.Context, stageID int64) (string, error) {
	db.digestMu.Lock()
	d, ok := db.digests[stageID]
	gen := db.digestGen[stageID]
	db.digestMu.Unlock()
	if ok {
		return d, nil
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	st, err := getStage(ctx, tx, stageID)
	if err != nil {
		return "", err
	}
	ds, err := dataset(ctx, tx, st, false)
	if err != nil {
		return "", err
	}
	d = ds.StageDigest()
	db.digestMu.Lock()
	if db.digestGen[stageID] == gen {
		db.digests[stageID] = d
	}
	db.digestMu.Unlock()
	return d, nil
}

// forgetDigest clears the cached stage digest of stageID and moves its
// generation on (see StageDigest).
func (db *DB) forgetDigest(stageID int64) {
	db.digestMu.Lock()
	delete(db.digests, stageID)
	db.digestGen[stageID]++
	db.digestMu.Unlock()
}
