// Package storetest checks that an implementation of [store.Catalogue]
// keeps its rules: [Run] is a conformance suite that the in-memory
// [store.Bank] and the SQLite catalogue both pass, and [Transcript]
// records one scenario step by step, so that a test shows two
// implementations answer alike.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/bank/validation"
	"github.com/afkarlab/afkar/scoring"
)

// Open returns an empty catalogue whose changes take the time of clock,
// closed when t ends.
type Open func(t testing.TB, clock func() time.Time) store.Catalogue

// Clock returns a clock that starts at 2025-04-17 08:00 UTC and moves one
// minute at every reading, safe for concurrent use.
func Clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 4, 17, 8, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Minute)
		return t
	}
}

// Idea returns a valid idea of the Agadir stage (12, Souss-Massa), of
// cooperative coop-042, submitted at minute minutes after 2025-04-16
// 09:00 in UTC+01:00 (a zone other than UTC, which must be kept).
func Idea(id, title string, minute int) bank.Project {
	return bank.Project{
		ID: id, Title: title, Region: "souss-massa", Sector: "argan", Stage: 12,
		Cooperative: "coop-042", BudgetMAD: decimal.RequireFromString("120000.50"),
		SubmittedAt: time.Date(2025, 4, 16, 9, minute, 0, 0, time.FixedZone("", 3600)),
	}
}

// coop is the cooperative that Populate adds.
var coop = bank.Cooperative{ID: "coop-042", Name: "Tafyoucht", Region: "souss-massa", Sector: "argan", Members: 12, WomenMembers: 9}

// Populate fills an empty catalogue: a cooperative, 8 ideas (Arabic,
// French and English titles, tags, attributes, one ineligible), a jury of
// stage 12 with scores, and an awarded result.
func Populate(ctx context.Context, c store.Catalogue) error {
	if _, err := c.AddCooperative(ctx, coop); err != nil {
		return err
	}
	titles := []string{"تعاونية أركان: زيت التجميل", "Amlou « أملو »", "Safran de Taliouine", "Surf, éco-tourisme",
		"الطاقة الشمسية للتجفيف", "Couscous bio", "Tissage berbère", "إعادة تدوير البلاستيك"}
	for i, title := range titles {
		p := Idea(fmt.Sprintf("AGA-%02d", i+1), title, 10*(len(titles)-i))
		p.Tags = []string{[]string{"Argan", "women", "Safran"}[i%3]}
		p.Attributes = map[string]string{"women_led": []string{"yes", "no"}[i%2]}
		if _, err := c.Add(ctx, p, "desk officer"); err != nil {
			return err
		}
	}
	if _, err := c.Move(ctx, "AGA-08", 1, bank.Transition{To: bank.StatusIneligible, By: "screening", Note: "incomplete"}); err != nil {
		return err
	}
	if err := c.SetJudges(ctx, 12, []bank.Judge{{ID: "J1", Name: "Amina"}, {ID: "J2", Cooperative: "coop-042"}, {ID: "J3"}}); err != nil {
		return err
	}
	var scores []scoring.Score
	for i := range 7 {
		for j, judge := range []string{"J1", "J3"} {
			scores = append(scores, scoring.Score{Judge: judge, Project: fmt.Sprintf("AGA-%02d", i+1), Criterion: "social", Value: decimal.New(int64(10+(i*3+j)%9), 0)})
		}
	}
	if _, err := c.AddScores(ctx, 12, scores); err != nil {
		return err
	}
	ds, err := c.Dataset(ctx, 12, Rules())
	if err != nil {
		return err
	}
	res, err := afkar.Evaluate(ctx, ds)
	if err != nil {
		return err
	}
	_, err = c.ApplyResult(ctx, res, store.Apply{To: bank.StatusAwarded, By: "Agadir jury", Stage: 12})
	return err
}

// Rules returns the rules of the stages: one criterion on 0..20, the
// top 2 selected.
func Rules() *afkar.Dataset {
	ds, err := afkar.DecodeOptions{Partial: true}.Decode([]byte(`{
		"rubric": {"criteria": [{"id": "social", "weight": "1"}], "scale": {"min": "0", "max": "20"}},
		"ranking": {"tie_break": ["id"], "top": 2}}`))
	if err != nil {
		panic(err) // the text above is valid
	}
	return ds
}

// Run runs the conformance suite on the catalogues open makes.
func Run(t *testing.T, open Open) {
	t.Run("AddGetUpdate", func(t *testing.T) {
		ctx := t.Context()
		c := open(t, Clock())
		_, err := c.AddCooperative(ctx, coop)
		require.NoError(t, err)
		p := Idea("AGA-01", "Amlou", 0)
		p.SubmittedAt = time.Time{}
		p.Tags = []string{"women"}
		got, err := c.Add(ctx, p, "desk officer")
		require.NoError(t, err)
		require.Equal(t, int64(1), got.Version)
		want := time.Date(2025, 4, 17, 8, 1, 0, 0, time.UTC) // Add reads the clock once, its first reading
		require.True(t, want.Equal(got.SubmittedAt), "a zero submission time is the clock's: %v", got.SubmittedAt)
		again, err := c.Get(ctx, "AGA-01")
		require.NoError(t, err)
		require.Empty(t, cmp.Diff(got, again))

		_, err = c.Add(ctx, p, "desk officer")
		require.ErrorIs(t, err, store.ErrExists)
		_, err = c.Add(ctx, Idea("AGA-02", "x", 1), " ")
		require.ErrorIs(t, err, store.ErrNoActor)
		awarded := Idea("AGA-02", "x", 1)
		awarded.Status = bank.StatusAwarded
		_, err = c.Add(ctx, awarded, "x")
		require.ErrorIs(t, err, store.ErrLifecycle)
		bad := Idea("AGA-02", "x", 1)
		bad.Cooperative = "coop-999"
		_, err = c.Add(ctx, bad, "x")
		var es validation.Errors
		require.ErrorAs(t, err, &es)
		require.Equal(t, "known_cooperative", es[0].Rule)
		_, err = c.Get(ctx, "nope")
		require.ErrorIs(t, err, store.ErrNotFound)

		p.Title = "Amlou, pâte d'argan"
		up, err := c.Update(ctx, p, 1)
		require.NoError(t, err)
		require.Equal(t, int64(2), up.Version)
		require.True(t, got.SubmittedAt.Equal(up.SubmittedAt), "a zero time keeps the stored one")
		_, err = c.Update(ctx, p, 1)
		var conflict *store.ConflictError
		require.ErrorAs(t, err, &conflict)
		require.Equal(t, store.ConflictError{ID: "AGA-01", Version: 1, Current: 2}, *conflict)
		p.Status = bank.StatusEligible
		_, err = c.Update(ctx, p, 2)
		require.ErrorIs(t, err, store.ErrLifecycle)
		p.Status = ""
		p.ID = "nope"
		_, err = c.Update(ctx, p, 1)
		require.ErrorIs(t, err, store.ErrNotFound)
		n, err := c.Len(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
	})

	t.Run("Lifecycle", func(t *testing.T) {
		ctx := t.Context()
		c := open(t, Clock())
		_, err := c.AddCooperative(ctx, coop)
		require.NoError(t, err)
		_, err = c.Add(ctx, Idea("AGA-01", "Amlou", 0), "desk")
		require.NoError(t, err)
		m, err := c.Move(ctx, "AGA-01", 1, bank.Transition{To: bank.StatusEligible, By: "screening"})
		require.NoError(t, err)
		require.Equal(t, int64(2), m.Version)
		require.Len(t, m.History, 2)
		_, err = c.Move(ctx, "AGA-01", 1, bank.Transition{To: bank.StatusShortlisted, By: "x"})
		require.ErrorAs(t, err, new(*store.ConflictError))
		_, err = c.Move(ctx, "AGA-01", 0, bank.Transition{To: bank.StatusAdopted, By: "x", Cooperative: "coop-042"})
		require.ErrorAs(t, err, new(*bank.TransitionError))
		_, err = c.Move(ctx, "AGA-01", 0, bank.Transition{To: bank.StatusAdopted, By: "x", Cooperative: "coop-9"})
		require.ErrorAs(t, err, new(validation.Errors))
		_, err = c.Move(ctx, "nope", 0, bank.Transition{To: bank.StatusEligible, By: "x"})
		require.ErrorIs(t, err, store.ErrNotFound)
		got, err := c.Get(ctx, "AGA-01")
		require.NoError(t, err)
		require.Empty(t, cmp.Diff(m, got), "refused moves changed nothing")
	})

	t.Run("Query", func(t *testing.T) {
		ctx := t.Context()
		c := open(t, Clock())
		require.NoError(t, Populate(ctx, c))
		all, err := c.Ideas(ctx)
		require.NoError(t, err)
		require.Len(t, all, 8)
		for i := 1; i < len(all); i++ {
			require.True(t, all[i-1].SubmittedAt.Before(all[i].SubmittedAt), "by submission time")
		}
		for _, tt := range []struct {
			name string
			q    store.Query
			want []string
		}{
			{"arabic without hamza or diacritics", store.Query{Text: "اركان"}, []string{"AGA-01"}},
			{"french without accents", store.Query{Text: "ECO tourisme"}, []string{"AGA-04"}},
			{"tag folded", store.Query{Tag: "safran"}, []string{"AGA-06", "AGA-03"}},
			{"status", store.Query{Status: bank.StatusIneligible}, []string{"AGA-08"}},
			{"attribute value", store.Query{Text: "yes", Stage: 12}, []string{"AGA-07", "AGA-05", "AGA-03", "AGA-01"}},
			{"none", store.Query{Region: "oriental"}, []string{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				page, err := c.Query(ctx, tt.q)
				require.NoError(t, err)
				require.Empty(t, cmp.Diff(tt.want, ids(page.Ideas)))
				require.Equal(t, len(tt.want), page.Total)
			})
		}
		// Pages of 3 follow each other, through a change that moves no
		// idea, without repeating or skipping one.
		var got []string
		q := store.Query{Limit: 3}
		for {
			page, err := c.Query(ctx, q)
			require.NoError(t, err)
			require.Equal(t, 8, page.Total)
			got = append(got, ids(page.Ideas)...)
			if page.Next == "" {
				break
			}
			_, err = c.Update(ctx, page.Ideas[0].Project, page.Ideas[0].Version)
			require.NoError(t, err)
			q.Cursor = page.Next
		}
		require.Empty(t, cmp.Diff(ids(all), got))
		_, err = c.Query(ctx, store.Query{Region: "oriental", Cursor: q.Cursor})
		require.ErrorIs(t, err, store.ErrCursor)
		_, err = c.Query(ctx, store.Query{Cursor: "!!"})
		require.ErrorIs(t, err, store.ErrCursor)
	})

	t.Run("JuryAndResult", func(t *testing.T) {
		ctx := t.Context()
		c := open(t, Clock())
		require.NoError(t, Populate(ctx, c))
		j, err := c.Jury(ctx, 12)
		require.NoError(t, err)
		require.Len(t, j.Judges, 3)
		require.Len(t, j.Scores, 14)
		n, err := c.AddScores(ctx, 12, []scoring.Score{{Judge: "J1", Project: "AGA-01", Criterion: "social", Value: decimal.RequireFromString("19.50")}})
		require.NoError(t, err)
		require.Equal(t, 14, n, "a score again replaces it in place")
		_, err = c.AddScores(ctx, 12, []scoring.Score{{Judge: "J1", Project: "AGA-08", Criterion: "social"}, {Judge: "J1", Project: "AGA-01", Criterion: "economic"}})
		require.ErrorAs(t, err, new(scoring.Problems))
		j2, err := c.Jury(ctx, 12)
		require.NoError(t, err)
		require.Len(t, j2.Scores, 14, "all or nothing")
		require.True(t, j2.Scores[0].Value.Equal(decimal.RequireFromString("19.5")))
		_, err = c.AddScores(ctx, 13, nil)
		require.ErrorIs(t, err, store.ErrNotFound)
		require.ErrorAs(t, c.SetJudges(ctx, 12, []bank.Judge{{ID: "J1"}, {ID: "J1"}}), new(validation.Errors))
		empty, err := c.Jury(ctx, 3)
		require.NoError(t, err)
		require.Empty(t, cmp.Diff(store.Jury{Stage: 3}, empty))

		awarded, err := c.Query(ctx, store.Query{Status: bank.StatusAwarded})
		require.NoError(t, err)
		require.Equal(t, 2, awarded.Total)
		for _, idea := range awarded.Ideas {
			require.NotNil(t, idea.Award)
			require.Len(t, idea.History, 4, "submitted, eligible, shortlisted, awarded")
		}
		ds, err := c.Dataset(ctx, 12, Rules())
		require.NoError(t, err)
		require.Len(t, ds.Projects, 7, "the ineligible idea is left out")
		res, err := afkar.Evaluate(ctx, ds)
		require.NoError(t, err)
		applied, err := c.ApplyResult(ctx, res, store.Apply{To: bank.StatusAwarded, By: "jury"})
		require.NoError(t, err)
		require.Empty(t, applied.Moved, "applying twice changes nothing")
		// A result that selects AGA-08, which the bank never made
		// eligible: every judge gives it the top score, and the top takes
		// every project.
		withIneligible := *ds
		withIneligible.Projects = append(slices.Clone(ds.Projects), bank.Project{ID: "AGA-08"})
		withIneligible.Scores = ds.Scores.Clone()
		for _, j := range ds.Judges {
			for c := range ds.Rubric.Criteria {
				_, hi, _ := ds.Rubric.Range(c)
				withIneligible.Scores.Append(scoring.Score{Judge: j.ID, Project: "AGA-08", Criterion: ds.Rubric.Criteria[c].ID, Value: hi})
			}
		}
		withIneligible.Ranking.Top = len(withIneligible.Projects)
		res, err = afkar.Evaluate(ctx, &withIneligible)
		require.NoError(t, err)
		require.True(t, res.Project(0).ID == "AGA-08" && res.Project(0).Selected)
		_, err = c.ApplyResult(ctx, res, store.Apply{To: bank.StatusShortlisted, By: "jury"})
		var te *bank.TransitionError
		require.ErrorAs(t, err, &te)
		require.Equal(t, "AGA-08", te.Project)
	})

	t.Run("Snapshot", func(t *testing.T) {
		ctx := t.Context()
		c := open(t, Clock())
		require.NoError(t, Populate(ctx, c))
		var snap bytes.Buffer
		require.NoError(t, c.WriteSnapshot(ctx, &snap))
		require.ErrorIs(t, c.ImportSnapshot(ctx, bytes.NewReader(snap.Bytes())), store.ErrNotEmpty)
		other := open(t, Clock())
		require.NoError(t, other.ImportSnapshot(ctx, bytes.NewReader(snap.Bytes())))
		require.Empty(t, cmp.Diff(contents(t, c), contents(t, other)))
		bad := strings.Replace(snap.String(), `"souss-massa"`, `"atlantis"`, 1)
		third := open(t, Clock())
		require.ErrorAs(t, third.ImportSnapshot(ctx, strings.NewReader(bad)), new(store.LineErrors))
		n, err := third.Len(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "all or nothing")
	})

	t.Run("CSV", func(t *testing.T) {
		ctx := t.Context()
		c := open(t, Clock())
		require.NoError(t, Populate(ctx, c))
		var coops, ideas bytes.Buffer
		require.NoError(t, c.ExportCooperativesCSV(ctx, &coops))
		require.NoError(t, c.ExportIdeasCSV(ctx, &ideas))
		other := open(t, Clock())
		n, err := other.ImportCooperativesCSV(ctx, bytes.NewReader(coops.Bytes()))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		_, err = other.ImportCooperativesCSV(ctx, bytes.NewReader(coops.Bytes()))
		require.ErrorIs(t, err, store.ErrExists)
		n, err = other.ImportIdeasCSV(ctx, bytes.NewReader(ideas.Bytes()), "migration")
		require.NoError(t, err)
		require.Equal(t, 8, n)
		var again bytes.Buffer
		require.NoError(t, other.ExportIdeasCSV(ctx, &again))
		require.Equal(t, ideas.String(), again.String())
		_, err = other.ImportIdeasCSV(ctx, bytes.NewReader(ideas.Bytes()), "migration")
		var les store.LineErrors
		require.ErrorAs(t, err, &les)
		require.Len(t, les, 8, "every line named")
		require.ErrorIs(t, err, store.ErrExists)
	})

	t.Run("ConcurrentWriters", func(t *testing.T) {
		ctx := t.Context()
		c := open(t, Clock())
		_, err := c.AddCooperative(ctx, coop)
		require.NoError(t, err)
		_, err = c.Add(ctx, Idea("AGA-01", "Amlou", 0), "desk")
		require.NoError(t, err)
		// Eight writers each update the idea five times, rereading on a
		// conflict: every update lands once, none is lost.
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			wg.Go(func() {
				for i := 0; i < 5; {
					idea, err := c.Get(ctx, "AGA-01")
					if err != nil {
						errs <- err
						return
					}
					idea.Summary += fmt.Sprintf("w%d.%d ", w, i)
					_, err = c.Update(ctx, idea.Project, idea.Version)
					if errors.As(err, new(*store.ConflictError)) {
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					i++
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		idea, err := c.Get(ctx, "AGA-01")
		require.NoError(t, err)
		require.Equal(t, int64(41), idea.Version)
		require.Len(t, strings.Fields(idea.Summary), 40)
	})
}

// Contents is what a catalogue holds, for comparisons.
type Contents struct {
	Ideas        []store.Idea
	Cooperatives []store.Cooperative
	Juries       []store.Jury
}

func contents(t testing.TB, c store.Catalogue) Contents {
	t.Helper()
	ctx := context.Background()
	var out Contents
	var err error
	out.Ideas, err = c.Ideas(ctx)
	require.NoError(t, err)
	out.Cooperatives, err = c.Cooperatives(ctx)
	require.NoError(t, err)
	for _, st := range bank.Tour() {
		j, err := c.Jury(ctx, st.Number)
		require.NoError(t, err)
		out.Juries = append(out.Juries, j)
	}
	return out
}

func ids(ideas []store.Idea) []string {
	out := []string{}
	for _, idea := range ideas {
		out = append(out, idea.ID)
	}
	return out
}

// Transcript runs one scenario on a catalogue that open makes, and
// returns what each step answered, as text: values as JSON, errors as
// their text. Two implementations that behave alike give the same
// transcript.
func Transcript(t testing.TB, open Open) []string {
	ctx := context.Background()
	c := open(t, Clock())
	var out []string
	step := func(name string, v any, err error) {
		if err != nil {
			out = append(out, fmt.Sprintf("%s: error %T: %v", name, err, err))
			return
		}
		data, merr := json.Marshal(v)
		require.NoError(t, merr)
		out = append(out, name+": "+string(data))
	}
	step("populate", nil, Populate(ctx, c))
	for _, q := range []store.Query{{}, {Limit: 3}, {Text: "أملو"}, {Tag: "WOMEN"}, {Status: bank.StatusAwarded}, {Stage: 12, Text: "no"}, {Cursor: "x"}} {
		page, err := c.Query(ctx, q)
		step(fmt.Sprintf("query %+v", q), page, err)
		if err == nil && page.Next != "" {
			q.Cursor = page.Next
			page, err = c.Query(ctx, q)
			step("next page", page, err)
		}
	}
	idea, err := c.Get(ctx, "AGA-02")
	step("get", idea, err)
	idea.Title += " (2)"
	up, err := c.Update(ctx, idea.Project, idea.Version)
	step("update", up, err)
	_, err = c.Update(ctx, idea.Project, idea.Version)
	step("stale update", nil, err)
	m, err := c.Move(ctx, "AGA-02", 0, bank.Transition{To: bank.StatusArchived, By: "x"})
	step("move", m, err)
	m, err = c.Move(ctx, "AGA-02", 0, bank.Transition{To: bank.StatusSubmitted, By: "x"})
	step("refused move", m, err)
	_, err = c.Add(ctx, bank.Project{ID: "bad id!", Region: "nowhere"}, "x")
	step("invalid add", nil, err)
	co, err := c.UpdateCooperative(ctx, bank.Cooperative{ID: "coop-042", Name: "Tafyoucht (renamed)", Region: "souss-massa", Sector: "argan"}, 1)
	step("update cooperative", co, err)
	_, err = c.UpdateCooperative(ctx, co.Cooperative, 1)
	step("stale cooperative", nil, err)
	n, err := c.AddScores(ctx, 12, []scoring.Score{{Judge: "J2", Project: "AGA-03", Criterion: "social", Value: decimal.RequireFromString("12.25")}, {Judge: "bad judge", Project: "AGA-99"}})
	step("bad scores", n, err)
	n, err = c.AddScores(ctx, 12, []scoring.Score{{Judge: "J2", Project: "AGA-03", Criterion: "social", Value: decimal.RequireFromString("12.25")}})
	step("scores", n, err)
	ds, err := c.Dataset(ctx, 12, Rules())
	step("dataset", ds, err)
	res, err := afkar.Evaluate(ctx, ds)
	require.NoError(t, err)
	applied, err := c.ApplyResult(ctx, res, store.Apply{By: "jury"})
	step("apply", applied, err)
	n, err = c.ImportIdeasCSV(ctx, strings.NewReader("id,title,region,stage,cooperative,status\nNEW-1,Nouveau,oriental,1,,eligible\nAGA-01,dup,oriental,1,,\nNEW-2,x,atlantis,1,coop-9,\n"), "import")
	step("bad csv", n, err)
	n, err = c.ImportIdeasCSV(ctx, strings.NewReader("id,title,region,stage,status\nNEW-1,Nouveau,oriental,1,eligible\n"), "import")
	step("csv", n, err)
	var snap bytes.Buffer
	step("snapshot", snap.String(), c.WriteSnapshot(ctx, &snap))
	out = append(out, "snapshot text: "+snap.String())
	return out
}
