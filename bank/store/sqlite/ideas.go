package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/bank/validation"
)

// ideaColumns are the columns loadIdea reads.
const ideaColumns = `id, version, data`

// scanIdea reads an idea's row, without its history.
func scanIdea(sc interface{ Scan(...any) error }) (store.Idea, error) {
	var idea store.Idea
	var data string
	if err := sc.Scan(&idea.ID, &idea.Version, &data); err != nil {
		return idea, err
	}
	if err := json.Unmarshal([]byte(data), &idea.Project); err != nil {
		return idea, fmt.Errorf("idea %s: reading its row: %w", idea.ID, err)
	}
	return idea, nil
}

// history reads the history of idea id, oldest first.
func history(ctx context.Context, q querier, id string) ([]bank.Transition, error) {
	rows, err := q.QueryContext(ctx, `SELECT data FROM history WHERE idea_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var h []bank.Transition
	for rows.Next() {
		var data string
		var t bank.Transition
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &t); err != nil {
			return nil, fmt.Errorf("idea %s: reading its history: %w", id, err)
		}
		h = append(h, t)
	}
	return h, rows.Err()
}

// loadIdea reads idea id with its history; ok false when there is none.
func loadIdea(ctx context.Context, q querier, id string) (idea store.Idea, ok bool, err error) {
	idea, err = scanIdea(q.QueryRowContext(ctx, `SELECT `+ideaColumns+` FROM ideas WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Idea{}, false, nil
	}
	if err != nil {
		return store.Idea{}, false, err
	}
	idea.History, err = history(ctx, q, id)
	return idea, err == nil, err
}

// withHistories adds their histories to ideas, in one query.
func withHistories(ctx context.Context, q querier, ideas []store.Idea, where string, args ...any) error {
	at := make(map[string]int, len(ideas))
	for i, idea := range ideas {
		at[idea.ID] = i
	}
	rows, err := q.QueryContext(ctx, `SELECT idea_id, data FROM history WHERE `+where+` ORDER BY idea_id, seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, data string
		var t bank.Transition
		if err := rows.Scan(&id, &data); err != nil {
			return err
		}
		i, ok := at[id]
		if !ok {
			continue
		}
		if err := json.Unmarshal([]byte(data), &t); err != nil {
			return fmt.Errorf("idea %s: reading its history: %w", id, err)
		}
		ideas[i].History = append(ideas[i].History, t)
	}
	return rows.Err()
}

// putIdea writes idea p at version, and the steps of its history after
// the first stored ones (which it keeps as they are). insert says whether
// the idea is new.
func putIdea(ctx context.Context, tx *sql.Tx, p bank.Project, version int64, stored int, insert bool) error {
	h := p.History
	p.History = nil
	data, err := marshal(p)
	if err != nil {
		return err
	}
	args := []any{version, orderKey(p.SubmittedAt), p.Region, p.Sector, string(p.Status), p.Stage,
		nullIf(p.Cooperative), nullIf(p.Adopter), store.SearchKey(&p), tagKeys(p.Tags), data, p.ID}
	q := `UPDATE ideas SET version = ?, at = ?, region = ?, sector = ?, status = ?, stage = ?, cooperative = ?, adopter = ?, search_key = ?, tag_keys = ?, data = ? WHERE id = ?`
	if insert {
		q = `INSERT INTO ideas (version, at, region, sector, status, stage, cooperative, adopter, search_key, tag_keys, data, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("idea %s: %w", p.ID, err)
	}
	for i := stored; i < len(h); i++ {
		t, err := marshal(h[i])
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO history (idea_id, seq, data) VALUES (?, ?, ?)`, p.ID, i+1, t); err != nil {
			return fmt.Errorf("idea %s: history: %w", p.ID, err)
		}
	}
	return nil
}

// Add adds an idea, as [store.Bank.Add] does.
func (db *DB) Add(ctx context.Context, p bank.Project, by string) (store.Idea, error) {
	if strings.TrimSpace(by) == "" {
		return store.Idea{}, store.ErrNoActor
	}
	if (p.Status != "" && p.Status != bank.StatusSubmitted) || p.History != nil || p.Adopter != "" || p.Award != nil {
		return store.Idea{}, fmt.Errorf("adding %s: %w", p.ID, store.ErrLifecycle)
	}
	p = p.Clone()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		now := db.clock()
		if p.SubmittedAt.IsZero() {
			p.SubmittedAt = now
		}
		p.Status = bank.StatusSubmitted
		p.History = []bank.Transition{{To: bank.StatusSubmitted, At: now, By: by}}
		if err := store.CheckIdea(&db.validator, &p, hasCooperative(ctx, tx)); err != nil {
			return err
		}
		if ok, err := hasIdea(ctx, tx)(p.ID); err != nil || ok {
			if err == nil {
				err = fmt.Errorf("adding %s: %w", p.ID, store.ErrExists)
			}
			return err
		}
		return putIdea(ctx, tx, p, 1, 0, true)
	})
	if err != nil {
		return store.Idea{}, err
	}
	return store.Idea{Project: p, Version: 1}, nil
}

// Get returns idea id, as [store.Bank.Get] does.
func (db *DB) Get(ctx context.Context, id string) (store.Idea, error) {
	var idea store.Idea
	err := db.read(ctx, func(tx *sql.Tx) error {
		var ok bool
		var err error
		idea, ok, err = loadIdea(ctx, tx, id)
		if err == nil && !ok {
			err = fmt.Errorf("idea %s: %w", id, store.ErrNotFound)
		}
		return err
	})
	return idea, err
}

// Len returns the number of ideas.
func (db *DB) Len(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM ideas`).Scan(&n)
	return n, err
}

// Update replaces an idea at a version, as [store.Bank.Update] does.
func (db *DB) Update(ctx context.Context, p bank.Project, version int64) (store.Idea, error) {
	p = p.Clone()
	var out store.Idea
	err := db.tx(ctx, func(tx *sql.Tx) error {
		old, ok, err := loadIdea(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("updating idea %s: %w", p.ID, store.ErrNotFound)
		}
		if old.Version != version {
			return &store.ConflictError{ID: p.ID, Version: version, Current: old.Version}
		}
		if p.Status != "" && p.Status != old.Status {
			return fmt.Errorf("updating idea %s: status %s to %s: %w", p.ID, old.Status, p.Status, store.ErrLifecycle)
		}
		p.Status, p.History, p.Adopter, p.Award = old.Status, old.History, old.Adopter, old.Award
		if p.SubmittedAt.IsZero() {
			p.SubmittedAt = old.SubmittedAt
		}
		if err := store.CheckIdea(&db.validator, &p, hasCooperative(ctx, tx)); err != nil {
			return err
		}
		out = store.Idea{Project: p, Version: version + 1}
		return putIdea(ctx, tx, p, version+1, len(p.History), false)
	})
	if err != nil {
		return store.Idea{}, err
	}
	return out, nil
}

// Move changes an idea's status by one step, as [store.Bank.Move] does.
func (db *DB) Move(ctx context.Context, id string, version int64, t bank.Transition) (store.Idea, error) {
	var out store.Idea
	err := db.tx(ctx, func(tx *sql.Tx) error {
		old, ok, err := loadIdea(ctx, tx, id)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("moving idea %s: %w", id, store.ErrNotFound)
		}
		if version != 0 && old.Version != version {
			return &store.ConflictError{ID: id, Version: version, Current: old.Version}
		}
		if t.To == bank.StatusAdopted && t.Cooperative != "" {
			if ok, err := hasCooperative(ctx, tx)(t.Cooperative); err != nil {
				return err
			} else if !ok {
				return validation.Errors{store.UnknownCooperative("cooperative", t.Cooperative)}
			}
		}
		p := old.Project.Clone()
		t.At = db.clock()
		if err := p.Advance(t); err != nil {
			return err
		}
		out = store.Idea{Project: p, Version: old.Version + 1}
		return putIdea(ctx, tx, p, old.Version+1, len(old.History), false)
	})
	if err != nil {
		return store.Idea{}, err
	}
	return out, nil
}

// Ideas returns every idea in order (submission time, then ID).
func (db *DB) Ideas(ctx context.Context) ([]store.Idea, error) {
	var ideas []store.Idea
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		ideas, err = allIdeas(ctx, tx)
		return err
	})
	return ideas, err
}

// allIdeas reads every idea with its history, in order.
func allIdeas(ctx context.Context, q querier) ([]store.Idea, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ideaColumns+` FROM ideas ORDER BY at, id`)
	if err != nil {
		return nil, err
	}
	ideas := []store.Idea{}
	for rows.Next() {
		idea, err := scanIdea(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ideas = append(ideas, idea)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ideas, withHistories(ctx, q, ideas, `1`)
}

// Query returns a page of the ideas q selects, as [store.Bank.Query]
// does: the same pages, totals and cursors.
func (db *DB) Query(ctx context.Context, q store.Query) (store.Page, error) {
	pl, err := q.Plan()
	if err != nil {
		return store.Page{}, err
	}
	var where []string
	var args []any
	for _, f := range []struct {
		col string
		v   any
		on  bool
	}{
		{"region", q.Region, q.Region != ""}, {"sector", q.Sector, q.Sector != ""},
		{"status", string(q.Status), q.Status != ""}, {"stage", q.Stage, q.Stage != 0},
		{"cooperative", q.Cooperative, q.Cooperative != ""},
	} {
		if f.on {
			where = append(where, f.col+" = ?")
			args = append(args, f.v)
		}
	}
	if pl.Tag != "" {
		where = append(where, "instr(tag_keys, ?) > 0")
		args = append(args, "\x1f"+pl.Tag+"\x1f")
	}
	for _, w := range pl.Words {
		where = append(where, "instr(search_key, ?) > 0")
		args = append(args, w)
	}
	cond := "1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	page := store.Page{Ideas: []store.Idea{}}
	err = db.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ideas WHERE `+cond, args...).Scan(&page.Total); err != nil {
			return err
		}
		pageCond, pageArgs := cond, args
		if pl.After != nil {
			pageCond += " AND (at, id) > (?, ?)"
			pageArgs = append(slicesClone(args), orderKey(pl.After.At), pl.After.ID)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+ideaColumns+` FROM ideas WHERE `+pageCond+` ORDER BY at, id LIMIT ?`, append(pageArgs, pl.Limit+1)...)
		if err != nil {
			return err
		}
		more := false
		for rows.Next() {
			if len(page.Ideas) == pl.Limit {
				more = true
				break
			}
			idea, err := scanIdea(rows)
			if err != nil {
				rows.Close()
				return err
			}
			page.Ideas = append(page.Ideas, idea)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range page.Ideas {
			if page.Ideas[i].History, err = history(ctx, tx, page.Ideas[i].ID); err != nil {
				return err
			}
		}
		if more {
			page.Next = pl.Next(page.Ideas[len(page.Ideas)-1])
		}
		return nil
	})
	if err != nil {
		return store.Page{}, err
	}
	return page, nil
}

func slicesClone(a []any) []any { return append([]any(nil), a...) }
