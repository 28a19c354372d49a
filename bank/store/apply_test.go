package store

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
)

// rules are two criteria of equal weight on 0..20, the top 2 selected.
func rules(t testing.TB) *afkar.Dataset {
	t.Helper()
	ds, err := afkar.DecodeOptions{Partial: true}.Decode([]byte(`{
		"rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "economic", "weight": "0.5"}]},
		"ranking": {"tie_break": ["criterion:social", "id"], "top": 2}
	}`))
	require.NoError(t, err)
	return ds
}

// juryBank is a bank whose stage 12 has four ideas scored by two judges:
// AGA-01 totals 80, AGA-02 70, AGA-03 60; AGA-04 is ineligible, and its
// scores do not count.
func juryBank(t testing.TB) *Bank {
	t.Helper()
	b := newBank(t,
		idea("AGA-01", "Amlou", at("09:00")), idea("AGA-02", "Saffron", at("09:10")),
		idea("AGA-03", "Surf", at("09:20")), idea("AGA-04", "Late file", at("09:30")))
	_, err := b.Move(t.Context(), "AGA-04", 0, bank.Transition{To: bank.StatusIneligible, By: "screening"})
	require.NoError(t, err)
	_, err = b.Move(t.Context(), "AGA-02", 0, bank.Transition{To: bank.StatusEligible, By: "screening"})
	require.NoError(t, err)
	var scores []scoring.Score
	for id, v := range map[string]string{"AGA-01": "16", "AGA-02": "14", "AGA-03": "12"} {
		for _, judge := range []string{"J1", "J2"} {
			for _, c := range []string{"social", "economic"} {
				scores = append(scores, scoring.Score{Judge: judge, Project: id, Criterion: c, Value: decimal.RequireFromString(v)})
			}
		}
	}
	_, err = b.AddScores(t.Context(), 12, scores)
	require.NoError(t, err)
	return b
}

func TestDatasetAndApplyResult(t *testing.T) {
	b := juryBank(t)
	ds, err := b.Dataset(t.Context(), 12, rules(t))
	require.NoError(t, err)
	var ids []string
	for _, p := range ds.Projects {
		ids = append(ids, p.ID)
	}
	require.Equal(t, []string{"AGA-01", "AGA-02", "AGA-03"}, ids, "the ineligible idea is left out")
	require.Equal(t, 12, ds.Scores.Len())
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)

	applied, err := b.ApplyResult(t.Context(), res, Apply{To: bank.StatusAwarded, By: "Agadir jury", Stage: 12})
	require.NoError(t, err)
	require.Equal(t, Applied{Moved: []string{"AGA-01", "AGA-02"}, Unchanged: []string{}}, applied)

	a1, _ := b.Get(t.Context(), "AGA-01")
	require.Equal(t, bank.StatusAwarded, a1.Status)
	require.Equal(t, &bank.Award{Stage: 12, Rank: "1", Total: "80.00", Result: res.InputDigest}, a1.Award)
	var steps []bank.Status
	for _, h := range a1.History[1:] {
		steps = append(steps, h.To)
		require.Equal(t, "Agadir jury", h.By)
		require.Equal(t, "afkar result "+res.InputDigest, h.Note)
	}
	require.Equal(t, []bank.Status{bank.StatusEligible, bank.StatusShortlisted, bank.StatusAwarded}, steps)
	a3, _ := b.Get(t.Context(), "AGA-03")
	require.Equal(t, bank.StatusSubmitted, a3.Status, "not selected: unchanged")

	// Again: nothing changes, shortlisting awarded ideas neither.
	applied, err = b.ApplyResult(t.Context(), res, Apply{To: bank.StatusShortlisted, By: "Agadir jury"})
	require.NoError(t, err)
	require.Equal(t, Applied{Moved: []string{}, Unchanged: []string{"AGA-01", "AGA-02"}}, applied)
	again, _ := b.Get(t.Context(), "AGA-01")
	require.Equal(t, a1.Version, again.Version)
}

func TestApplyResultIsAllOrNothing(t *testing.T) {
	b := juryBank(t)
	ds, err := b.Dataset(t.Context(), 12, rules(t))
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	// In b2, AGA-01 is found ineligible after the ranking: it cannot be
	// shortlisted, and so AGA-02 is not shortlisted either.
	b2 := juryBank(t)
	_, err = b2.Move(t.Context(), "AGA-01", 0, bank.Transition{To: bank.StatusIneligible, By: "screening"})
	require.NoError(t, err)
	_, err = b2.ApplyResult(t.Context(), res, Apply{By: "jury"})
	var te *bank.TransitionError
	require.ErrorAs(t, err, &te)
	require.Contains(t, err.Error(), "nothing changed")
	a2, _ := b2.Get(t.Context(), "AGA-02")
	require.Equal(t, bank.StatusEligible, a2.Status, "AGA-02 was not shortlisted either")

	_, err = b.ApplyResult(t.Context(), res, Apply{})
	require.ErrorIs(t, err, ErrNoActor)
	_, err = b.ApplyResult(t.Context(), res, Apply{By: "x", To: bank.StatusAdopted})
	require.ErrorContains(t, err, "neither shortlisted nor awarded")
}

func TestAddScores(t *testing.T) {
	b := juryBank(t)
	n, err := b.AddScores(t.Context(), 12, []scoring.Score{{Judge: "J1", Project: "AGA-01", Criterion: "social", Value: decimal.NewFromInt(20)}})
	require.NoError(t, err)
	require.Equal(t, 12, n, "a score for the same judge, idea and criterion replaces the old one")
	j := must(b.Jury(t.Context(), 12))
	for _, s := range j.Scores {
		if s.Judge == "J1" && s.Project == "AGA-01" && s.Criterion == "social" {
			require.Equal(t, "20", s.Value.String())
		}
	}

	_, err = b.AddScores(t.Context(), 12, []scoring.Score{
		{Judge: "J 1", Project: "AGA-01", Criterion: "social"},
		{Judge: "J1", Project: "AGA-09", Criterion: "social"},
		{Judge: "J1", Project: "AGA-04", Criterion: ""},
	})
	var ps scoring.Problems
	require.ErrorAs(t, err, &ps)
	require.Equal(t, `scores[0].judge: "J 1" is not a judge id (expected ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$)
scores[1].project: unknown idea "AGA-09"
scores[2].criterion: required, missing
scores[2].project: idea AGA-04 is ineligible: it is not scored`, ps.Error())
	require.Len(t, must(b.Jury(t.Context(), 12)).Scores, 12, "nothing added")

	_, err = b.AddScores(t.Context(), 3, []scoring.Score{{Judge: "J1", Project: "AGA-01", Criterion: "social"}})
	require.ErrorAs(t, err, &ps)
	require.Equal(t, "scores[0].project: idea AGA-01 is not pitched at stage 3 (its stage is 12)", ps.Error())
	_, err = b.AddScores(t.Context(), 13, nil)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestSetJudges(t *testing.T) {
	b := juryBank(t)
	require.NoError(t, b.SetJudges(t.Context(), 12, []bank.Judge{{ID: "J1", Conflicts: []string{"AGA-02"}}, {ID: "J2"}}))
	ds, err := b.Dataset(t.Context(), 12, rules(t))
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	require.Len(t, res.Excluded, 2, "J1's two scores of AGA-02 are excluded")

	err = b.SetJudges(t.Context(), 12, []bank.Judge{{ID: "J1"}, {ID: "J1"}, {ID: ""}})
	var es interface{ Error() string }
	require.ErrorAs(t, err, &es)
	require.Equal(t, "judges[1].id: judge J1 is listed more than once\njudges[2].id: id is a required field", err.Error())
	require.NoError(t, b.SetJudges(t.Context(), 12, nil))
	require.Nil(t, must(b.Jury(t.Context(), 12)).Judges)
}
