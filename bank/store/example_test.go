package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/scoring"
)

// fixedClock is a clock for examples: 2025-04-17 09:00 UTC, one minute
// later at every reading.
func fixedClock() func() time.Time {
	t := time.Date(2025, 4, 17, 9, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Minute); return t }
}

// A bank of ideas, searched in Arabic without diacritics.
func Example() {
	ctx := context.Background()
	b := store.New(store.Config{Clock: fixedClock()})
	_, err := b.AddCooperative(ctx, bank.Cooperative{ID: "coop-042", Name: "Tafyoucht", Region: "souss-massa", Sector: "argan"})
	if err != nil {
		panic(err)
	}
	for _, p := range []bank.Project{
		{ID: "AGA-05", Title: "أَمْلُو: معجون الأركان واللوز", Region: "souss-massa", Sector: "argan", Stage: 12, Cooperative: "coop-042"},
		{ID: "AGA-08", Title: "Bijoux en argent de Tiznit", Region: "souss-massa", Sector: "handicrafts", Stage: 12, Cooperative: "coop-042",
			BudgetMAD: decimal.RequireFromString("85000.00")},
	} {
		if _, err := b.Add(ctx, p, "desk officer"); err != nil {
			panic(err)
		}
	}
	for _, text := range []string{"الاركان", "ARGENT tiznit"} {
		page, _ := b.Query(ctx, store.Query{Text: text})
		for _, idea := range page.Ideas {
			fmt.Printf("%s: %s %s (version %d, %s)\n", text, idea.ID, idea.Status, idea.Version, idea.SubmittedAt.Format(time.Kitchen))
		}
	}
	// Output:
	// الاركان: AGA-05 submitted (version 1, 9:01AM)
	// ARGENT tiznit: AGA-08 submitted (version 1, 9:02AM)
}

// An update names the version it read: a stale one is refused, not lost.
func ExampleBank_Update() {
	ctx := context.Background()
	b := store.New(store.Config{Clock: fixedClock()})
	idea, _ := b.Add(ctx, bank.Project{ID: "DAK-02", Title: "Solar fish drying", Region: "dakhla-oued-ed-dahab", Sector: "fishing",
		Carrier: &bank.Carrier{Name: "Mina", AgeBand: bank.Age25to29}}, "desk officer")

	first, second := idea.Project, idea.Project
	first.ExpectedJobs = 8
	updated, err := b.Update(ctx, first, idea.Version)
	fmt.Println(updated.Version, err)

	second.Beneficiaries = 40
	_, err = b.Update(ctx, second, idea.Version)
	var conflict *store.ConflictError
	fmt.Println(errors.As(err, &conflict), err)
	// Output:
	// 2 <nil>
	// true DAK-02: version 1 is stale (the bank has version 2): read it again
}

// A stage's jury scores its ideas; the ranking selects the top one, which
// the bank records as awarded.
func ExampleBank_ApplyResult() {
	ctx := context.Background()
	b := store.New(store.Config{Clock: fixedClock()})
	for _, id := range []string{"AGA-01", "AGA-02"} {
		b.Add(ctx, bank.Project{ID: id, Title: id, Region: "souss-massa", Sector: "argan", Stage: 12,
			Carrier: &bank.Carrier{Name: "carrier of " + id}}, "desk officer")
	}
	score := map[string]string{"AGA-01": "15", "AGA-02": "17.5"}
	for _, id := range []string{"AGA-01", "AGA-02"} {
		b.AddScores(ctx, 12, []scoring.Score{{Judge: "J1", Project: id, Criterion: "social", Value: decimal.RequireFromString(score[id])}})
	}

	rules, _ := afkar.DecodeOptions{Partial: true}.Decode([]byte(
		`{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}, "ranking": {"top": 1}}`))
	ds, _ := b.Dataset(ctx, 12, rules)
	res, err := afkar.Evaluate(context.Background(), ds)
	if err != nil {
		panic(err)
	}
	applied, err := b.ApplyResult(ctx, res, store.Apply{To: bank.StatusAwarded, By: "Agadir jury", Stage: 12})
	fmt.Println(applied.Moved, err)
	idea, _ := b.Get(ctx, "AGA-02")
	for _, t := range idea.History {
		fmt.Println(t.At.Format(time.Kitchen), t.From, "→", t.To, "by", t.By)
	}
	fmt.Println("award:", idea.Award.Rank, idea.Award.Total)
	// Output:
	// [AGA-02] <nil>
	// 9:02AM  → submitted by desk officer
	// 9:03AM submitted → eligible by Agadir jury
	// 9:03AM eligible → shortlisted by Agadir jury
	// 9:03AM shortlisted → awarded by Agadir jury
	// award: 1 87.50
}

// A snapshot is written whole or not at all, and reads back the same.
func ExampleBank_SaveSnapshot() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "afkar")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "afkar-bank.json")

	b := store.New(store.Config{Clock: fixedClock()})
	b.Add(ctx, bank.Project{ID: "FES-03", Title: "Zellige workshop", Region: "fes-meknes", Sector: "handicrafts", Stage: 6,
		Carrier: &bank.Carrier{Name: "Hamza"}}, "desk officer")
	if err := b.SaveSnapshot(path); err != nil {
		panic(err)
	}
	loaded, err := store.LoadSnapshot(path, store.Config{Clock: time.Now})
	if err != nil {
		panic(err)
	}
	idea, _ := loaded.Get(ctx, "FES-03")
	n, _ := loaded.Len(ctx)
	fmt.Println(n, idea.Title, idea.Version)
	// Output:
	// 1 Zellige workshop 1
}

// Cells that a spreadsheet would run as formulas are exported as text.
func ExampleNeutralize() {
	for _, cell := range []string{`=HYPERLINK("http://evil.example")`, "+212 600 000 000", "Amlou"} {
		fmt.Println(store.Neutralize(cell))
	}
	// Output:
	// '=HYPERLINK("http://evil.example")
	// '+212 600 000 000
	// Amlou
}
