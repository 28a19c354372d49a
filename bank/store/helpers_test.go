package store

import (
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/bank"
)

// clock is a test clock that moves one minute at every reading, from
// 2025-04-17 08:00 UTC, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 4, 17, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

func at(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2025-04-16 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

// idea returns a valid idea of the Agadir stage (12, Souss-Massa).
func idea(id, title string, submitted time.Time) bank.Project {
	return bank.Project{
		ID: id, Title: title, Region: "souss-massa", Sector: "argan", Stage: 12,
		Cooperative: "coop-042", SubmittedAt: submitted, BudgetMAD: decimal.RequireFromString("120000"),
	}
}

// newBank returns a bank with one cooperative, coop-042, and the ideas
// given.
func newBank(t testing.TB, ideas ...bank.Project) *Bank {
	t.Helper()
	b := New(Config{Clock: newClock().Now})
	_, err := b.AddCooperative(t.Context(), bank.Cooperative{ID: "coop-042", Name: "Tafyoucht", Region: "souss-massa", Sector: "argan", Members: 12, WomenMembers: 9})
	require.NoError(t, err)
	for _, p := range ideas {
		_, err := b.Add(t.Context(), p, "test")
		require.NoError(t, err)
	}
	return b
}

// must returns v, and panics on err: for calls that cannot fail in a test.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
