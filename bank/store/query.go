package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/internal/fold"
)

// ErrCursor is returned for a cursor that is malformed or was made for
// another query.
var ErrCursor = errors.New("bad cursor")

// Query selects ideas. Every non-zero field filters; the zero Query
// selects every idea, a page at a time.
type Query struct {
	Region string      // a region code; empty means any
	Sector string      // exact sector; empty means any
	Status bank.Status // empty means any
	Stage  int         // a stage number; zero means any
	// Tag selects ideas with this tag, compared as search keys (case,
	// accents and Arabic letter forms do not count); empty means any.
	Tag string
	// Cooperative selects the ideas of this cooperative (their
	// Cooperative); empty means any.
	Cooperative string
	// Text selects the ideas whose ID, title, summary, sector,
	// cooperative, tags, carrier's name or attribute values hold every
	// word of Text, once both are folded as search keys: Arabic without
	// diacritics or tatweel, with one form of alef, yeh, teh marbuta and
	// hamza carriers; Latin without case or accents. Words match inside
	// words ("argan" finds "arganier"). Empty means any.
	Text string
	// Limit is the most ideas in a page; zero means 20, and more than 200
	// means 200.
	Limit int
	// Cursor continues a listing: the Next of the previous page of the
	// same query. Empty means from the start.
	Cursor string
}

// Page is one page of a query's ideas, in the bank's order (submission
// time, then ID).
type Page struct {
	Ideas []Idea `json:"ideas"`
	// Total counts the ideas that match the query, over every page, at
	// the time of the query.
	Total int `json:"total"`
	// Next is the cursor of the next page; empty on the last page. A
	// cursor stays valid while ideas are added, changed and removed: a
	// page never repeats an idea of an earlier page, nor skips one that
	// was there all along and kept its submission time.
	Next string `json:"next,omitempty"`
}

// cursor is what a Page.Next encodes: the sort key of the last idea
// given, and a fingerprint of the query's filters.
type cursor struct {
	At    time.Time `json:"t"`
	ID    string    `json:"i"`
	Query string    `json:"q"`
}

// fingerprint identifies the filters of q (not Limit or Cursor).
func (q *Query) fingerprint() string {
	h := fnv.New64a()
	for _, s := range []string{q.Region, q.Sector, string(q.Status), strconv.Itoa(q.Stage), fold.Key(q.Tag), q.Cooperative, fold.Key(q.Text)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// Plan is how a catalogue runs a [Query], made by [Query.Plan], for
// implementations of [Catalogue]. An idea is selected when every filter
// of the query holds (Region, Sector, Status, Stage and Cooperative
// equal), one of its tags has the search key Tag, and every word of Words
// is in its search key ([SearchKey]). A page is the first Limit selected
// ideas after After, in the catalogue's order (submission time, then ID).
type Plan struct {
	Limit int      // the most ideas in the page: 1 to 200
	Words []string // the words of Text, as search keys
	Tag   string   // the search key of Tag; empty means any
	// After is the place of the last idea of the previous page; nil
	// means from the start.
	After *Position

	fingerprint string
}

// Position is an idea's place in the catalogue's order.
type Position struct {
	At time.Time // its submission time
	ID string
}

// Plan returns the plan of q, or an error wrapping [ErrCursor] for a
// cursor that is malformed or made for a query with other filters.
func (q *Query) Plan() (Plan, error) {
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = 20
	case limit > 200:
		limit = 200
	}
	pl := Plan{Limit: limit, Words: fold.Words(q.Text), Tag: fold.Key(q.Tag), fingerprint: q.fingerprint()}
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil || c.Query != pl.fingerprint {
			return Plan{}, fmt.Errorf("%w: %q is not a cursor of this query", ErrCursor, q.Cursor)
		}
		pl.After = &Position{At: c.At, ID: c.ID}
	}
	return pl, nil
}

// Next returns the cursor of the page after one that ends with last.
func (pl *Plan) Next(last Idea) string {
	return encodeCursor(cursor{At: last.SubmittedAt, ID: last.ID, Query: pl.fingerprint})
}

// Query returns a page of the ideas that q selects. It returns an error
// wrapping [ErrCursor] for a cursor that is malformed or made for a query
// with other filters.
func (b *Bank) Query(ctx context.Context, q Query) (Page, error) {
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	pl, err := q.Plan()
	if err != nil {
		return Page{}, err
	}
	match := func(r *record) bool {
		p := &r.p
		return (q.Region == "" || p.Region == q.Region) &&
			(q.Sector == "" || p.Sector == q.Sector) &&
			(q.Status == "" || p.Status == q.Status) &&
			(q.Stage == 0 || p.Stage == q.Stage) &&
			(q.Cooperative == "" || p.Cooperative == q.Cooperative) &&
			(pl.Tag == "" || slices.ContainsFunc(p.Tags, func(t string) bool { return fold.Key(t) == pl.Tag })) &&
			fold.Match(r.key, pl.Words)
	}

	b.mu.RLock()
	defer b.mu.RUnlock()
	start := 0
	if pl.After != nil {
		start, _ = slices.BinarySearchFunc(b.order, pl.After, func(r *record, c *Position) int {
			if n := compareOrder(&r.p, c.At, c.ID); n != 0 {
				return n
			}
			return -1 // the cursor's own idea comes before the page
		})
	}
	page := Page{Ideas: []Idea{}}
	for i, r := range b.order {
		if !match(r) {
			continue
		}
		page.Total++
		if i < start {
			continue
		}
		if len(page.Ideas) < pl.Limit {
			page.Ideas = append(page.Ideas, r.idea())
		} else if page.Next == "" {
			page.Next = pl.Next(page.Ideas[len(page.Ideas)-1])
		}
	}
	return page, nil
}

func encodeCursor(c cursor) string {
	data, _ := json.Marshal(c) // a time and strings always marshal
	return base64.RawURLEncoding.EncodeToString(data)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	data, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, err
	}
	if c.ID == "" || c.Query == "" {
		return c, errors.New("incomplete cursor")
	}
	return c, nil
}
