package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/validation"
)

func TestAddAndGet(t *testing.T) {
	b := newBank(t)
	p := idea("AGA-05", "Amlou", time.Time{})
	p.Tags = []string{"women"}
	got, err := b.Add(t.Context(), p, "desk officer")
	require.NoError(t, err)
	require.Equal(t, int64(1), got.Version)
	require.Equal(t, bank.StatusSubmitted, got.Status)
	// Only Add reads the clock, once: its first reading is 08:01.
	want := time.Date(2025, 4, 17, 8, 1, 0, 0, time.UTC)
	require.Equal(t, want, got.SubmittedAt, "a zero submission time is the clock's")
	require.Equal(t, []bank.Transition{{To: bank.StatusSubmitted, At: want, By: "desk officer"}}, got.History)

	got.Tags[0] = "changed"
	again, err := b.Get(t.Context(), "AGA-05")
	require.NoError(t, err)
	require.Equal(t, []string{"women"}, again.Tags, "Get returns a copy")
	p.Tags[0] = "changed too"
	again, _ = b.Get(t.Context(), "AGA-05")
	require.Equal(t, []string{"women"}, again.Tags, "Add keeps a copy")

	_, err = b.Add(t.Context(), p, "desk officer")
	require.ErrorIs(t, err, ErrExists)
	_, err = b.Get(t.Context(), "nope")
	require.ErrorIs(t, err, ErrNotFound)
	require.Equal(t, 1, must(b.Len(t.Context())))
}

func TestAddRefuses(t *testing.T) {
	b := newBank(t)
	tests := []struct {
		name   string
		p      bank.Project
		by     string
		target error
	}{
		{"no actor", idea("A1", "t", at("09:00")), "", ErrNoActor},
		{"a status", func() bank.Project { p := idea("A1", "t", at("09:00")); p.Status = bank.StatusAwarded; return p }(), "x", ErrLifecycle},
		{"an award", func() bank.Project { p := idea("A1", "t", at("09:00")); p.Award = &bank.Award{}; return p }(), "x", ErrLifecycle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Add(t.Context(), tt.p, tt.by)
			require.ErrorIs(t, err, tt.target)
		})
	}
	p := idea("A1", "", at("09:00"))
	p.Cooperative = "coop-999"
	_, err := b.Add(t.Context(), p, "x")
	var es validation.Errors
	require.ErrorAs(t, err, &es)
	require.Equal(t, []string{"title", "cooperative"}, []string{es[0].Path, es[1].Path})
	require.Equal(t, "known_cooperative", es[1].Rule)
	require.Equal(t, "cooperative names cooperative coop-999, which is not in the bank", es[1].Message.EN)
	require.Equal(t, 0, must(b.Len(t.Context())))
}

func TestUpdate(t *testing.T) {
	b := newBank(t, idea("AGA-05", "Amlou", at("09:00")))
	cur, _ := b.Get(t.Context(), "AGA-05")
	p := cur.Project
	p.Title = "Amlou: argan and almond paste"
	p.Status, p.History = "", nil // may be left zero
	got, err := b.Update(t.Context(), p, cur.Version)
	require.NoError(t, err)
	require.Equal(t, int64(2), got.Version)
	require.Equal(t, cur.History, got.History, "the lifecycle's fields stay")

	// The version read before is now stale: refused, not lost.
	p.Title = "stale"
	_, err = b.Update(t.Context(), p, cur.Version)
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, ConflictError{ID: "AGA-05", Version: 1, Current: 2}, *ce)
	now, _ := b.Get(t.Context(), "AGA-05")
	require.Equal(t, "Amlou: argan and almond paste", now.Title)

	p.Status = bank.StatusAwarded
	_, err = b.Update(t.Context(), p, 2)
	require.ErrorIs(t, err, ErrLifecycle)

	p.Status, p.Region = "", "nowhere"
	_, err = b.Update(t.Context(), p, 2)
	var es validation.Errors
	require.ErrorAs(t, err, &es)

	p.ID = "missing"
	_, err = b.Update(t.Context(), p, 1)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestMove(t *testing.T) {
	b := newBank(t, idea("AGA-05", "Amlou", at("09:00")))
	got, err := b.Move(t.Context(), "AGA-05", 1, bank.Transition{To: bank.StatusEligible, By: "screening", At: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	require.Equal(t, int64(2), got.Version)
	last := got.History[len(got.History)-1]
	require.Equal(t, bank.StatusSubmitted, last.From)
	require.Equal(t, 2025, last.At.Year(), "the bank's clock, not the caller's time")

	_, err = b.Move(t.Context(), "AGA-05", 1, bank.Transition{To: bank.StatusShortlisted, By: "jury"})
	var ce *ConflictError
	require.ErrorAs(t, err, &ce, "a stale version")

	_, err = b.Move(t.Context(), "AGA-05", 0, bank.Transition{To: bank.StatusAwarded, By: "jury"})
	var te *bank.TransitionError
	require.ErrorAs(t, err, &te, "eligible cannot jump to awarded")

	for _, s := range []bank.Status{bank.StatusShortlisted, bank.StatusAwarded} {
		_, err = b.Move(t.Context(), "AGA-05", 0, bank.Transition{To: s, By: "jury"})
		require.NoError(t, err)
	}
	_, err = b.Move(t.Context(), "AGA-05", 0, bank.Transition{To: bank.StatusAdopted, By: "bank", Cooperative: "coop-777"})
	var es validation.Errors
	require.ErrorAs(t, err, &es, "the adopter must be in the bank")
	got, err = b.Move(t.Context(), "AGA-05", 0, bank.Transition{To: bank.StatusAdopted, By: "bank", Cooperative: "coop-042"})
	require.NoError(t, err)
	require.Equal(t, "coop-042", got.Adopter)
	require.Equal(t, int64(5), got.Version)
}

// TestConcurrentWritersAndReaders runs writers that each add 1 to an
// idea's expected jobs many times, with optimistic retries, and readers
// that query meanwhile: no increment may be lost.
func TestConcurrentWritersAndReaders(t *testing.T) {
	b := newBank(t, idea("AGA-05", "Amlou", at("09:00")), idea("AGA-06", "Greenhouse plastic", at("09:05")))
	const writers, increments = 8, 50
	var wg sync.WaitGroup
	conflicts := make([]int, writers)
	for w := range writers {
		wg.Go(func() {
			for range increments {
				for {
					cur, err := b.Get(t.Context(), "AGA-05")
					if err != nil {
						t.Error(err)
						return
					}
					p := cur.Project
					p.ExpectedJobs++
					_, err = b.Update(t.Context(), p, cur.Version)
					var ce *ConflictError
					if errors.As(err, &ce) {
						conflicts[w]++
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					break
				}
			}
		})
	}
	// Other writers add ideas and move them, while readers list.
	wg.Go(func() {
		for i := range 40 {
			id := fmt.Sprintf("NEW-%02d", i)
			if _, err := b.Add(t.Context(), idea(id, "New idea", time.Time{}), "desk"); err != nil {
				t.Error(err)
			}
			if _, err := b.Move(t.Context(), id, 0, bank.Transition{To: bank.StatusEligible, By: "desk"}); err != nil {
				t.Error(err)
			}
		}
	})
	for range 4 {
		wg.Go(func() {
			for range 50 {
				page, err := b.Query(t.Context(), Query{Text: "idea", Limit: 7})
				if err != nil {
					t.Error(err)
					return
				}
				for page.Next != "" {
					if page, err = b.Query(t.Context(), Query{Text: "idea", Limit: 7, Cursor: page.Next}); err != nil {
						t.Error(err)
						return
					}
				}
				_ = must(b.Jury(t.Context(), 12))
				_ = must(b.Ideas(t.Context()))
			}
		})
	}
	wg.Wait()
	got, err := b.Get(t.Context(), "AGA-05")
	require.NoError(t, err)
	require.Equal(t, writers*increments, got.ExpectedJobs, "no update lost")
	require.Equal(t, int64(1+writers*increments), got.Version)
	require.Equal(t, 42, must(b.Len(t.Context())))
	total := 0
	for _, c := range conflicts {
		total += c
	}
	t.Logf("%d stale updates refused and retried", total)
}

func TestQueryFilters(t *testing.T) {
	b := newBank(t)
	_, err := b.AddCooperative(t.Context(), bank.Cooperative{ID: "coop-7", Name: "Dakhla fishers", Region: "dakhla-oued-ed-dahab", Sector: "fishing"})
	require.NoError(t, err)
	add := func(p bank.Project) {
		_, err := b.Add(t.Context(), p, "test")
		require.NoError(t, err)
	}
	a := idea("AGA-05", "Amlou: pâte d'argan et d'amandes", at("09:00"))
	a.Tags = []string{"Women", "food"}
	add(a)
	add(idea("AGA-01", "Argan oil traceability", at("09:00")))
	d := bank.Project{ID: "DAK-02", Title: "تجفيف السمك بالطاقة الشمسية", Region: "dakhla-oued-ed-dahab", Sector: "fishing", Stage: 3,
		Cooperative: "coop-7", SubmittedAt: at("08:00"), Tags: []string{"solar"}}
	add(d)
	_, err = b.Move(t.Context(), "AGA-01", 0, bank.Transition{To: bank.StatusEligible, By: "x"})
	require.NoError(t, err)

	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"all, by submission time then id", Query{}, []string{"DAK-02", "AGA-01", "AGA-05"}},
		{"region", Query{Region: "souss-massa"}, []string{"AGA-01", "AGA-05"}},
		{"sector", Query{Sector: "fishing"}, []string{"DAK-02"}},
		{"status", Query{Status: bank.StatusEligible}, []string{"AGA-01"}},
		{"status submitted", Query{Status: bank.StatusSubmitted}, []string{"DAK-02", "AGA-05"}},
		{"stage", Query{Stage: 3}, []string{"DAK-02"}},
		{"tag, any case", Query{Tag: "WOMEN"}, []string{"AGA-05"}},
		{"cooperative", Query{Cooperative: "coop-7"}, []string{"DAK-02"}},
		{"text without accents", Query{Text: "pate amandes"}, []string{"AGA-05"}},
		{"text and region", Query{Text: "argan", Region: "souss-massa"}, []string{"AGA-01", "AGA-05"}},
		{"text matches the id", Query{Text: "dak"}, []string{"DAK-02"}},
		{"nothing", Query{Text: "saffron"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := b.Query(t.Context(), tt.q)
			require.NoError(t, err)
			got := []string{}
			for _, i := range page.Ideas {
				got = append(got, i.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			require.Equal(t, len(tt.want), page.Total)
			require.Empty(t, page.Next)
		})
	}
}

// TestArabicSearch searches Arabic titles written with and without
// diacritics, tatweel and the various forms of alef, yeh, teh marbuta
// and hamza.
func TestArabicSearch(t *testing.T) {
	b := newBank(t)
	titles := map[string]string{
		"AGA-01": "تَعاوُنِيَّة أرْكان النِّساء بتيزنيت", // with tashkeel and hamza on alef
		"AGA-02": "إنتاج الزعفران في تالوين",             // hamza under alef
		"AGA-03": "مؤسسة لإعادة تدوير البلاستيك",         // hamza on waw, teh marbuta
		"AGA-04": "سياحة بيئية في تغازوت",                // hamza on yeh
		"AGA-05": "مستشفى الأعشاب الطبيـــة",             // alef maksura, tatweel
		"AGA-06": "آلة تجفيف التين",                      // alef madda
		"AGA-07": "Coopérative d'huile d'argan",
	}
	for id, title := range titles {
		_, err := b.Add(t.Context(), idea(id, title, at("09:00")), "test")
		require.NoError(t, err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"تعاونية", []string{"AGA-01"}},       // bare query, vowelled title
		{"تعاونيه", []string{"AGA-01"}},       // teh marbuta typed as heh
		{"أركان", []string{"AGA-01"}},         // same hamza form
		{"اركان", []string{"AGA-01"}},         // bare alef
		{"إركان", []string{"AGA-01"}},         // another hamza form
		{"النساء تيزنيت", []string{"AGA-01"}}, // two words, both must match
		{"انتاج", []string{"AGA-02"}},
		{"موسسة", []string{"AGA-03"}},       // waw without hamza
		{"مُؤَسَّسَة", []string{"AGA-03"}},  // the query with tashkeel
		{"بييية", []string{"AGA-04"}},       // yeh without hamza
		{"مستشفي", []string{"AGA-05"}},      // yeh for alef maksura
		{"الطبية", []string{"AGA-05"}},      // the title has tatweel
		{"الة", []string{"AGA-06"}},         // bare alef for madda
		{"HUILE", []string{"AGA-07"}},       // Latin, any case
		{"cooperative", []string{"AGA-07"}}, // without the accent
		{"زيت", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			page, err := b.Query(t.Context(), Query{Text: tt.query})
			require.NoError(t, err)
			got := []string{}
			for _, i := range page.Ideas {
				got = append(got, i.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Query(%q) (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	b := newBank(t)
	for i := range 25 {
		_, err := b.Add(t.Context(), idea(fmt.Sprintf("AGA-%02d", i), "Argan", at("09:00").Add(time.Duration(i%5)*time.Minute)), "test")
		require.NoError(t, err)
	}
	var seen []string
	q := Query{Region: "souss-massa", Limit: 10}
	pages := 0
	for {
		page, err := b.Query(t.Context(), q)
		require.NoError(t, err)
		require.Equal(t, 25+pages*2, page.Total)
		pages++
		for _, i := range page.Ideas {
			seen = append(seen, i.ID)
		}
		// Ideas added between pages, before and after the cursor, neither
		// repeat nor hide the ideas that were there.
		for _, when := range []string{"08:00", "23:00"} {
			_, err := b.Add(t.Context(), idea(fmt.Sprintf("LATE-%d-%s", pages, when[:2]), "Argan", at(when)), "test")
			require.NoError(t, err)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	require.Equal(t, 3, pages)
	var orig []string
	for _, id := range seen {
		if len(id) == 6 {
			orig = append(orig, id)
		}
	}
	require.Len(t, orig, 25, "every original idea once: %v", seen)
	seenTwice := map[string]bool{}
	for _, id := range seen {
		require.False(t, seenTwice[id], "%s seen twice", id)
		seenTwice[id] = true
	}

	_, err := b.Query(t.Context(), Query{Region: "oriental", Cursor: q.Cursor})
	require.ErrorIs(t, err, ErrCursor, "a cursor of another query")
	_, err = b.Query(t.Context(), Query{Cursor: "%%%"})
	require.ErrorIs(t, err, ErrCursor)
}

func TestCooperatives(t *testing.T) {
	b := newBank(t)
	c, err := b.Cooperative(t.Context(), "coop-042")
	require.NoError(t, err)
	c.Members = 20
	got, err := b.UpdateCooperative(t.Context(), c.Cooperative, c.Version)
	require.NoError(t, err)
	require.Equal(t, int64(2), got.Version)
	_, err = b.UpdateCooperative(t.Context(), c.Cooperative, c.Version)
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	_, err = b.AddCooperative(t.Context(), c.Cooperative)
	require.ErrorIs(t, err, ErrExists)
	_, err = b.AddCooperative(t.Context(), bank.Cooperative{ID: "coop-1"})
	var es validation.Errors
	require.ErrorAs(t, err, &es)
	_, err = b.Cooperative(t.Context(), "nope")
	require.ErrorIs(t, err, ErrNotFound)
	require.Len(t, must(b.Cooperatives(t.Context())), 1)
}

func TestNewPanicsWithoutClock(t *testing.T) {
	require.PanicsWithValue(t, "store: Config.Clock is nil", func() { New(Config{}) })
}
