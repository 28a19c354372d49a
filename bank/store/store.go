// Package store defines the project bank's catalogue ([Catalogue]): the
// ideas ([bank.Project]) with their lifecycle, the cooperatives, and the
// juries of the tour's stages. [Bank] keeps one in memory, safe for
// concurrent use; package bank/store/sqlite keeps one in a SQLite file,
// and package bank/store/storetest checks that the two behave alike. The
// functions that check and plan a change ([CheckIdea], [CheckScores],
// [PlanResult], [Query.Plan] and the others) are shared by both, so that
// they refuse the same things with the same errors; the JSON snapshot
// ([Snapshot]) moves a catalogue from one to the other.
//
// Every idea has a version, 1 when added and one more at each change; an
// update names the version it read, and a stale one is refused with a
// [*ConflictError] rather than lost (optimistic concurrency). Status
// changes go through the lifecycle of package bank ([Bank.Move],
// [Bank.ApplyResult]), each recorded in the idea's history with the time
// of the bank's clock and who made it.
//
// Ideas are listed in a stable order, by submission time then ID, and
// queried by region, sector, status, stage, tag, cooperative and text
// ([Query]); the text search ignores Arabic diacritics and tatweel,
// unifies the alef, yeh, teh marbuta and hamza forms, and ignores case and
// accents in Latin script. Pages follow each other through an opaque
// cursor.
//
// A bank is saved to and loaded from a JSON snapshot (format
// [SnapshotFormat]), replaced atomically on disk, and its ideas and
// cooperatives are exchanged with spreadsheets as CSV, whose exports
// neutralise formulas.
//
// Every entity the bank takes is checked by a [validation.Validator], and
// its errors are [validation.Errors], with messages in Arabic, French and
// English.
//
// # CSV files
//
// A file is UTF-8 (a byte order mark is skipped), RFC 4180, with a header
// row naming its columns in any order. Reading needs the id column, and
// takes the others when present; a missing column is empty in every row.
// Blank rows are skipped. Writing writes every column, in the order below.
//
// Ideas (one [bank.Project] per row):
//
//	id, title, summary, region, sector, stage, cooperative,
//	carrier_name, carrier_kind, carrier_age_band, carrier_members, carrier_email,
//	budget_mad, expected_jobs, beneficiaries, tags, attributes,
//	submitted_at, status, adopter
//
// tags are separated by ";", attributes are a JSON object of strings
// ({"women_led":"yes"}), submitted_at is RFC 3339, budget_mad a decimal
// with a point ("250000.50"), and empty numbers are zero. The history and
// award of an idea are not in the file (they are in the snapshot).
//
// Cooperatives (one [bank.Cooperative] per row):
//
//	id, name, registration_number, region, sector, founded,
//	members, women_members, young_members
//
// founded is a date, YYYY-MM-DD.
//
// Formula injection: a spreadsheet runs a cell that starts with =, +, -
// or @ as a formula (some also one that starts with a tab or a carriage
// return), so that an idea titled "=HYPERLINK(…)" could act when an
// operator opens the export. Writing prefixes such a cell with a single quote ', which
// spreadsheets show as text and hide; a cell made of quotes followed by one
// of those characters gets one more quote, so that reading, which removes
// that one quote, gives back exactly what was written.
package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/internal/fold"
	"github.com/afkarlab/afkar/bank/validation"
)

// Errors a caller can test with [errors.Is].
var (
	// ErrNotFound is returned for an ID the bank does not hold.
	ErrNotFound = errors.New("not in the bank")
	// ErrExists is returned when adding an ID the bank already holds.
	ErrExists = errors.New("already in the bank")
	// ErrLifecycle is returned when an add or an update would set a
	// status, a history, an adopter or an award: those change only through
	// the lifecycle.
	ErrLifecycle = errors.New("status, history, adopter and award change only through the lifecycle")
	// ErrNoActor is returned for a change that does not say who made it.
	ErrNoActor = errors.New("no actor given (who makes the change)")
)

// ConflictError is an update of a version that is no longer the current
// one: someone else changed the entity since it was read. The caller reads
// it again and reapplies its change.
type ConflictError struct {
	ID      string
	Version int64 // the version the update named
	Current int64 // the bank's version
}

// Error says which version is stale and which is current.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: version %d is stale (the bank has version %d): read it again", e.ID, e.Version, e.Current)
}

// Config configures a [Bank].
type Config struct {
	// Clock gives the time of every change (submissions, status changes,
	// snapshots). It must not be nil: the bank never reads the system clock
	// itself. Pass time.Now for real time.
	Clock func() time.Time
}

// Bank is a project bank in memory. It is safe for concurrent use by
// multiple goroutines. Create one with [New] or [ReadSnapshot].
type Bank struct {
	clock     func() time.Time
	validator validation.Validator
	saveMu    sync.Mutex // serialises snapshot writes, so the newest state lands last

	mu     sync.RWMutex
	ideas  map[string]*record
	order  []*record // every idea, by submission time then ID
	coops  map[string]*coopRecord
	juries map[int]*jury
}

// record is an idea as the bank keeps it.
type record struct {
	p       bank.Project
	version int64
	key     string // the search key of its text (fold.Key)
}

// Idea is a project idea as the bank holds it: the project and its
// version. Its JSON is the project's with a "version" key added.
type Idea struct {
	bank.Project
	// Version is 1 when the idea is added, and one more after each update
	// or status change.
	Version int64 `json:"version"`
}

// New returns an empty bank. It panics if cfg.Clock is nil.
func New(cfg Config) *Bank {
	if cfg.Clock == nil {
		panic("store: Config.Clock is nil")
	}
	return &Bank{
		clock:  cfg.Clock,
		ideas:  map[string]*record{},
		coops:  map[string]*coopRecord{},
		juries: map[int]*jury{},
	}
}

// Add adds the idea p, submitted by by, and returns it as added (version
// 1). A zero p.SubmittedAt becomes the bank's clock time. The idea's status
// is submitted, and its history records the submission. p must have no
// status other than submitted, no history, adopter or award
// ([ErrLifecycle]); its cooperative, when it names one, must be in the
// bank. Add returns [validation.Errors] for an invalid idea, an error
// wrapping [ErrExists] for an ID the bank holds, and [ErrNoActor] for an
// empty by.
func (b *Bank) Add(ctx context.Context, p bank.Project, by string) (Idea, error) {
	if err := ctx.Err(); err != nil {
		return Idea{}, err
	}
	if strings.TrimSpace(by) == "" {
		return Idea{}, ErrNoActor
	}
	if (p.Status != "" && p.Status != bank.StatusSubmitted) || p.History != nil || p.Adopter != "" || p.Award != nil {
		return Idea{}, fmt.Errorf("adding %s: %w", p.ID, ErrLifecycle)
	}
	p = p.Clone()
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	if p.SubmittedAt.IsZero() {
		p.SubmittedAt = now
	}
	p.Status = bank.StatusSubmitted
	p.History = []bank.Transition{{To: bank.StatusSubmitted, At: now, By: by}}
	if err := b.check(&p); err != nil {
		return Idea{}, err
	}
	if _, ok := b.ideas[p.ID]; ok {
		return Idea{}, fmt.Errorf("adding %s: %w", p.ID, ErrExists)
	}
	r := &record{p: p, version: 1}
	b.insert(r)
	return r.idea(), nil
}

// check validates p and the cooperatives it names. The caller holds b.mu.
func (b *Bank) check(p *bank.Project) error {
	return CheckIdea(&b.validator, p, b.hasCooperative)
}

// hasCooperative says whether the bank holds cooperative id. The caller
// holds b.mu.
func (b *Bank) hasCooperative(id string) (bool, error) {
	_, ok := b.coops[id]
	return ok, nil
}

// hasIdea says whether the bank holds idea id. The caller holds b.mu.
func (b *Bank) hasIdea(id string) (bool, error) {
	_, ok := b.ideas[id]
	return ok, nil
}

// project returns idea id. The caller holds b.mu.
func (b *Bank) project(id string) (bank.Project, bool, error) {
	r, ok := b.ideas[id]
	if !ok {
		return bank.Project{}, false, nil
	}
	return r.p, true, nil
}

// Get returns the idea whose ID is id, or an error wrapping [ErrNotFound].
// The idea is a copy: changing it changes nothing in the bank.
func (b *Bank) Get(ctx context.Context, id string) (Idea, error) {
	if err := ctx.Err(); err != nil {
		return Idea{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	r, ok := b.ideas[id]
	if !ok {
		return Idea{}, fmt.Errorf("idea %s: %w", id, ErrNotFound)
	}
	return r.idea(), nil
}

// Len returns the number of ideas in the bank.
func (b *Bank) Len(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.ideas), nil
}

// Update replaces the idea p.ID with p, when version is the bank's version
// of it, and returns it as updated (one version more). A zero
// p.SubmittedAt keeps the stored one. The lifecycle's fields (status,
// history, adopter, award) stay as stored: p may leave them zero or repeat
// them, but an update whose status differs from the stored one is refused
// ([ErrLifecycle]); change it with [Bank.Move]. Update returns a
// [*ConflictError] for a stale version, an error wrapping [ErrNotFound],
// or [validation.Errors].
func (b *Bank) Update(ctx context.Context, p bank.Project, version int64) (Idea, error) {
	if err := ctx.Err(); err != nil {
		return Idea{}, err
	}
	p = p.Clone()
	b.mu.Lock()
	defer b.mu.Unlock()
	r, ok := b.ideas[p.ID]
	if !ok {
		return Idea{}, fmt.Errorf("updating idea %s: %w", p.ID, ErrNotFound)
	}
	if r.version != version {
		return Idea{}, &ConflictError{ID: p.ID, Version: version, Current: r.version}
	}
	if p.Status != "" && p.Status != r.p.Status {
		return Idea{}, fmt.Errorf("updating idea %s: status %s to %s: %w", p.ID, r.p.Status, p.Status, ErrLifecycle)
	}
	old := r.p.Clone()
	p.Status, p.History, p.Adopter, p.Award = old.Status, old.History, old.Adopter, old.Award
	if p.SubmittedAt.IsZero() {
		p.SubmittedAt = old.SubmittedAt
	}
	if err := b.check(&p); err != nil {
		return Idea{}, err
	}
	b.replace(r, p)
	return r.idea(), nil
}

// Move changes the status of the idea id by one step of the lifecycle (see
// [bank.Status]), as [bank.Project.Advance] does, and returns the idea as
// changed. t.At is ignored: the change takes the time of the bank's clock.
// An adoption's t.Cooperative must be in the bank. When version is not
// zero, it must be the bank's version of the idea ([*ConflictError]
// otherwise); zero moves whatever the version, the lifecycle itself
// refusing a move from a status the idea has left. A refused move returns
// a [*bank.TransitionError].
func (b *Bank) Move(ctx context.Context, id string, version int64, t bank.Transition) (Idea, error) {
	if err := ctx.Err(); err != nil {
		return Idea{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	r, ok := b.ideas[id]
	if !ok {
		return Idea{}, fmt.Errorf("moving idea %s: %w", id, ErrNotFound)
	}
	if version != 0 && r.version != version {
		return Idea{}, &ConflictError{ID: id, Version: version, Current: r.version}
	}
	if t.To == bank.StatusAdopted && t.Cooperative != "" {
		if _, ok := b.coops[t.Cooperative]; !ok {
			return Idea{}, validation.Errors{UnknownCooperative("cooperative", t.Cooperative)}
		}
	}
	p := r.p.Clone()
	t.At = b.clock()
	if err := p.Advance(t); err != nil {
		return Idea{}, err
	}
	b.replace(r, p)
	return r.idea(), nil
}

// Ideas returns every idea in the bank's order (submission time, then ID).
func (b *Bank) Ideas(ctx context.Context) ([]Idea, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]Idea, len(b.order))
	for i, r := range b.order {
		out[i] = r.idea()
	}
	return out, nil
}

func (r *record) idea() Idea { return Idea{Project: r.p.Clone(), Version: r.version} }

// SearchKey is the search key of the text of p that [Query.Text] searches
// (see [fold]): ID, title, summary, sector, cooperative, tags, carrier's
// name and attribute values.
func SearchKey(p *bank.Project) string {
	parts := []string{p.ID, p.Title, p.Summary, p.Sector, p.Cooperative}
	parts = append(parts, p.Tags...)
	if p.Carrier != nil {
		parts = append(parts, p.Carrier.Name)
	}
	for _, k := range slices.Sorted(maps.Keys(p.Attributes)) {
		parts = append(parts, p.Attributes[k])
	}
	return fold.Key(strings.Join(parts, "\n"))
}

// compareOrder is the bank's order: submission time, then ID (unique).
func compareOrder(a *bank.Project, at time.Time, id string) int {
	return cmp.Or(a.SubmittedAt.Compare(at), strings.Compare(a.ID, id))
}

// insert adds r to the bank. The caller holds b.mu for writing.
func (b *Bank) insert(r *record) {
	r.key = SearchKey(&r.p)
	b.ideas[r.p.ID] = r
	i, _ := slices.BinarySearchFunc(b.order, r, func(e, t *record) int { return compareOrder(&e.p, t.p.SubmittedAt, t.p.ID) })
	b.order = slices.Insert(b.order, i, r)
}

// replace sets r's project to p, one version more, keeping b.order sorted.
// The caller holds b.mu for writing.
func (b *Bank) replace(r *record, p bank.Project) {
	moved := !p.SubmittedAt.Equal(r.p.SubmittedAt)
	if moved {
		i := slices.Index(b.order, r)
		b.order = slices.Delete(b.order, i, i+1)
	}
	r.p = p
	r.version++
	r.key = SearchKey(&r.p)
	if moved {
		i, _ := slices.BinarySearchFunc(b.order, r, func(e, t *record) int { return compareOrder(&e.p, t.p.SubmittedAt, t.p.ID) })
		b.order = slices.Insert(b.order, i, r)
	}
}
