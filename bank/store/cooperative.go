package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/afkarlab/afkar/bank"
)

// Cooperative is a cooperative as the bank holds it, with its version. Its
// JSON is the cooperative's with a "version" key added.
type Cooperative struct {
	bank.Cooperative
	// Version is 1 when the cooperative is added, and one more after each
	// update.
	Version int64 `json:"version"`
}

type coopRecord struct {
	c       bank.Cooperative
	version int64
}

func (r *coopRecord) cooperative() Cooperative {
	return Cooperative{Cooperative: r.c, Version: r.version}
}

// AddCooperative adds c and returns it as added (version 1). It returns
// [validation.Errors] for an invalid cooperative and an error wrapping
// [ErrExists] for an ID the bank holds.
func (b *Bank) AddCooperative(ctx context.Context, c bank.Cooperative) (Cooperative, error) {
	if err := ctx.Err(); err != nil {
		return Cooperative{}, err
	}
	if err := b.validator.Cooperative(&c); err != nil {
		return Cooperative{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.coops[c.ID]; ok {
		return Cooperative{}, fmt.Errorf("adding cooperative %s: %w", c.ID, ErrExists)
	}
	r := &coopRecord{c: c, version: 1}
	b.coops[c.ID] = r
	return r.cooperative(), nil
}

// Cooperative returns the cooperative whose ID is id, or an error wrapping
// [ErrNotFound].
func (b *Bank) Cooperative(ctx context.Context, id string) (Cooperative, error) {
	if err := ctx.Err(); err != nil {
		return Cooperative{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	r, ok := b.coops[id]
	if !ok {
		return Cooperative{}, fmt.Errorf("cooperative %s: %w", id, ErrNotFound)
	}
	return r.cooperative(), nil
}

// UpdateCooperative replaces the cooperative c.ID with c, when version is
// the bank's version of it, and returns it as updated. It returns a
// [*ConflictError] for a stale version, an error wrapping [ErrNotFound],
// or [validation.Errors].
func (b *Bank) UpdateCooperative(ctx context.Context, c bank.Cooperative, version int64) (Cooperative, error) {
	if err := ctx.Err(); err != nil {
		return Cooperative{}, err
	}
	if err := b.validator.Cooperative(&c); err != nil {
		return Cooperative{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	r, ok := b.coops[c.ID]
	if !ok {
		return Cooperative{}, fmt.Errorf("updating cooperative %s: %w", c.ID, ErrNotFound)
	}
	if r.version != version {
		return Cooperative{}, &ConflictError{ID: c.ID, Version: version, Current: r.version}
	}
	r.c = c
	r.version++
	return r.cooperative(), nil
}

// Cooperatives returns every cooperative, by ID.
func (b *Bank) Cooperatives(ctx context.Context) ([]Cooperative, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]Cooperative, 0, len(b.coops))
	for _, r := range b.coops {
		out = append(out, r.cooperative())
	}
	slices.SortFunc(out, func(a, b Cooperative) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
