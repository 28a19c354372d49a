package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/validation"
	"github.com/afkarlab/afkar/scoring"
)

// fullBank returns a bank that uses every field: cooperatives, ideas at
// several statuses with carriers, awards and attributes, and a jury.
func fullBank(t testing.TB) *Bank {
	t.Helper()
	a := idea("AGA-05", "Amlou: pâte d'argan « أملو »", at("09:00"))
	a.Summary = "Argan, almonds and honey, pressed by the women of the cooperative.\nSecond line."
	a.Tags = []string{"women", "food"}
	a.Attributes = map[string]string{"women_led": "yes"}
	a.ExpectedJobs, a.Beneficiaries = 12, 300
	a.BudgetMAD = decimal.RequireFromString("250000.50")
	c := idea("AGA-07", "Solar desalination", at("10:15"))
	c.Cooperative = ""
	c.Carrier = &bank.Carrier{Name: "Youssef", Kind: bank.CarrierPerson, AgeBand: bank.Age25to29, Email: "y@example.ma"}
	b := newBank(t, a, c, idea("AGA-02", "=HYPERLINK(\"http://x\")", at("08:30")))
	_, err := b.AddCooperative(t.Context(), bank.Cooperative{ID: "coop-7", Name: "Tifawin", RegistrationNumber: "RC-2019/118",
		Region: "souss-massa", Sector: "argan", Founded: at("00:00"), Members: 9, WomenMembers: 9, YoungMembers: 4})
	require.NoError(t, err)
	for _, s := range []bank.Status{bank.StatusEligible, bank.StatusShortlisted} {
		_, err := b.Move(t.Context(), "AGA-05", 0, bank.Transition{To: s, By: "jury", Note: "stage 12"})
		require.NoError(t, err)
	}
	_, err = b.Move(t.Context(), "AGA-05", 0, bank.Transition{To: bank.StatusAwarded, By: "jury",
		Award: &bank.Award{Stage: 12, Prize: "Prix régional", Rank: "1", Total: "88.18", AmountMAD: decimal.RequireFromString("50000.00")}})
	require.NoError(t, err)
	_, err = b.Move(t.Context(), "AGA-05", 0, bank.Transition{To: bank.StatusAdopted, By: "bank", Cooperative: "coop-7"})
	require.NoError(t, err)
	_, err = b.Move(t.Context(), "AGA-02", 0, bank.Transition{To: bank.StatusIneligible, By: "screening", Note: "incomplete file"})
	require.NoError(t, err)
	require.NoError(t, b.SetJudges(t.Context(), 12, []bank.Judge{{ID: "J1", Name: "Nadia", Conflicts: []string{"AGA-07"}}, {ID: "J2", Cooperative: "coop-7"}}))
	_, err = b.AddScores(t.Context(), 12, []scoring.Score{
		{Judge: "J1", Project: "AGA-05", Criterion: "social", Value: decimal.RequireFromString("17.5")},
		{Judge: "J2", Project: "AGA-07", Criterion: "social", Value: decimal.RequireFromString("12.25")},
	})
	require.NoError(t, err)
	return b
}

// state is everything a bank holds, for comparisons.
type state struct {
	Ideas        []Idea
	Cooperatives []Cooperative
	Juries       []Jury
}

func stateOf(b *Bank) state {
	s := state{Ideas: must(b.Ideas(context.Background())), Cooperatives: must(b.Cooperatives(context.Background()))}
	for _, st := range bank.Tour() {
		if j := must(b.Jury(context.Background(), st.Number)); j.Scores != nil || j.Judges != nil {
			s.Juries = append(s.Juries, j)
		}
	}
	return s
}

func TestSnapshotRoundTrip(t *testing.T) {
	b := fullBank(t)
	path := filepath.Join(t.TempDir(), "bank.json")
	require.NoError(t, b.SaveSnapshot(path))
	loaded, err := LoadSnapshot(path, Config{Clock: newClock().Now})
	require.NoError(t, err)
	if diff := cmp.Diff(stateOf(b), stateOf(loaded)); diff != "" {
		t.Errorf("loaded bank (-want +got):\n%s", diff)
	}
	// The same state gives the same bytes (the clock set apart).
	var w1, w2 bytes.Buffer
	b2 := fullBank(t)
	require.NoError(t, b2.WriteSnapshot(t.Context(), &w1))
	require.NoError(t, loaded.WriteSnapshot(t.Context(), &w2))
	skipSavedAt := func(s string) string { i := strings.Index(s, `"cooperatives"`); return s[i:] }
	require.Equal(t, skipSavedAt(w1.String()), skipSavedAt(w2.String()))
	// Decimals are strings, whatever decimal's package settings.
	require.Contains(t, w1.String(), `"budget_mad": "250000.5"`)
	require.Contains(t, w1.String(), `"score": "12.25"`)

	// A loaded bank goes on: versions continue.
	i, err := loaded.Get(t.Context(), "AGA-05")
	require.NoError(t, err)
	require.Equal(t, int64(5), i.Version)
}

func TestSaveSnapshotIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bank.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o640))
	b := fullBank(t)
	require.NoError(t, b.SaveSnapshot(path))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), fi.Mode().Perm(), "the replaced file's mode is kept")

	// A failing save leaves the old file whole.
	require.Error(t, b.SaveSnapshot(filepath.Join(dir, "missing", "bank.json")))
	_, err = LoadSnapshot(path, Config{Clock: newClock().Now})
	require.NoError(t, err)

	_, err = LoadSnapshot(filepath.Join(dir, "none.json"), Config{Clock: newClock().Now})
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestReadSnapshotErrorsNameTheLine(t *testing.T) {
	var good bytes.Buffer
	require.NoError(t, fullBank(t).WriteSnapshot(context.Background(), &good))
	lines := strings.Split(good.String(), "\n")
	lineOf := func(substr string) int {
		for i, l := range lines {
			if strings.Contains(l, substr) {
				return i + 1
			}
		}
		t.Fatalf("no line holds %q", substr)
		return 0
	}
	replace := func(old, new string) string {
		require.Contains(t, good.String(), old)
		return strings.Replace(good.String(), old, new, 1)
	}
	ideaLine := func(id string) int { return lineOf(`"id": "`+id+`"`) - 1 } // the line of the idea's "{"
	tests := []struct {
		name     string
		data     string
		line     int
		path     string
		contains string
	}{
		{"not JSON", "hello", 1, "$", "malformed JSON"},
		{"empty", "", 1, "$", "unexpected end"},
		{"other format", replace(`"afkar-bank/1"`, `"afkar-bank/2"`), 2, "format", `expected "afkar-bank/1", found "afkar-bank/2"`},
		{"unknown top key", replace(`"saved_at"`, `"saved"`), 3, "$", `unknown key "saved"`},
		{"unknown idea key", replace(`"title": "Solar desalination"`, `"titel": "Solar desalination"`), ideaLine("AGA-07"), "ideas[2]", `unknown field "titel"`},
		{"bad region", replace(`"title": "Solar desalination",
      "region": "souss-massa"`, `"title": "Solar desalination",
      "region": "sous"`), ideaLine("AGA-07"), "ideas[2].region", "region must be the code"},
		{"budget as a number", replace(`"budget_mad": "250000.5"`, `"budget_mad": 250000.5`), ideaLine("AGA-05"), "ideas[1]", "expected a decimal as a string"},
		{"string for a number", replace(`"expected_jobs": 12`, `"expected_jobs": "12"`), lineOf(`"expected_jobs": 12`), "ideas[1].expected_jobs", "expected int"},
		{"syntax error inside an idea", replace(`"expected_jobs": 12,`, `"expected_jobs": 12,,`), lineOf(`"expected_jobs": 12`), "ideas[1]", "malformed JSON"},
		{"unknown adopter", replace(`"adopter": "coop-7"`, `"adopter": "coop-8"`), ideaLine("AGA-05"), "ideas[1].adopter", "adopter names cooperative coop-8, which is not in the bank"},
		{"version 0", replace(`"version": 5`, `"version": 0`), ideaLine("AGA-05"), "ideas[1].version", "expected a version of 1 or more"},
		{"score of an unknown idea", replace(`"project": "AGA-07"`, `"project": "AGA-99"`), lineOf(`"stages": [`) + 1, "stages[0].scores[1].project", "not an idea of stage 12"},
		{"truncated", good.String()[:good.Len()/2], 1 + strings.Count(good.String()[:good.Len()/2], "\n"), "", "unexpected end"},
		{"trailing data", good.String() + "{}", len(lines), "$", "data after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSnapshot([]byte(tt.data), Config{Clock: newClock().Now})
			var les LineErrors
			require.ErrorAs(t, err, &les)
			require.NotEmpty(t, les)
			e := les[0]
			if tt.path != "" {
				require.Equal(t, tt.path, e.Path, "%v", err)
			}
			require.Equal(t, tt.line, e.Line, "%v", err)
			require.Contains(t, e.Error(), tt.contains)
		})
	}
}

func TestReadSnapshotValidationErrorsKeepTheirLanguages(t *testing.T) {
	var good bytes.Buffer
	require.NoError(t, fullBank(t).WriteSnapshot(context.Background(), &good))
	data := strings.Replace(good.String(), `"title": "Solar desalination"`, `"title": ""`, 1)
	_, err := ReadSnapshot([]byte(data), Config{Clock: newClock().Now})
	var ve validation.Error
	require.True(t, errors.As(err, &ve), "%v", err)
	require.Equal(t, "حقل title مطلوب", ve.Message.AR)
}

// FuzzReadSnapshot checks that reading never panics, that every error
// names a line within the input, and that what reads writes and reads
// back the same.
func FuzzReadSnapshot(f *testing.F) {
	var good bytes.Buffer
	require.NoError(f, fullBank(f).WriteSnapshot(context.Background(), &good))
	f.Add(good.Bytes())
	f.Add([]byte(`{"format":"afkar-bank/1","ideas":[{"id":"x"}]}`))
	f.Add([]byte(`{"format":"afkar-bank/1","stages":[{"stage":3,"scores":[{"score":"1e99999"}]}]}`))
	f.Add([]byte("{\n\"format\": \"afkar-bank/1\",\n\"ideas\": [\n1,\n]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadSnapshot(data, Config{Clock: newClock().Now})
		if err != nil {
			var les LineErrors
			if !errors.As(err, &les) || len(les) == 0 {
				t.Fatalf("error %v is not a list of line errors", err)
			}
			lines := 1 + bytes.Count(data, []byte{'\n'})
			for _, e := range les {
				if e.Line < 1 || e.Line > lines {
					t.Fatalf("line %d outside 1..%d: %v", e.Line, lines, e)
				}
			}
			return
		}
		var out bytes.Buffer
		if err := b.WriteSnapshot(t.Context(), &out); err != nil {
			t.Fatal(err)
		}
		again, err := ReadSnapshot(out.Bytes(), Config{Clock: newClock().Now})
		if err != nil {
			t.Fatalf("a written snapshot does not read: %v\n%s", err, out.Bytes())
		}
		if diff := cmp.Diff(stateOf(b), stateOf(again)); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
