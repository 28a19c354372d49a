package ranking_test

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/ranking"
	"github.com/stretchr/testify/require"
)

// columns is a ranking.Table held in columns, as a caller with its own
// storage would give it, counting what OrderTable reads.
type columns struct {
	ids       []string
	totals    []exact.Num
	criteria  [][]exact.NullNum // per criterion, per entry
	submitted []time.Time
	groups    []string
	ballots   [][]ranking.Ballot

	criterionReads, submittedReads, groupReads, ballotReads atomic.Int64
}

func (t *columns) Len() int              { return len(t.ids) }
func (t *columns) ID(i int) string       { return t.ids[i] }
func (t *columns) Total(i int) exact.Num { return t.totals[i] }
func (t *columns) Criterion(i, c int) exact.NullNum {
	t.criterionReads.Add(1)
	return t.criteria[c][i]
}
func (t *columns) SubmittedAt(i int) time.Time {
	t.submittedReads.Add(1)
	return t.submitted[i]
}
func (t *columns) Group(i int) string {
	t.groupReads.Add(1)
	return t.groups[i]
}
func (t *columns) AppendBallots(b []ranking.Ballot, i int) []ranking.Ballot {
	t.ballotReads.Add(1)
	return append(b, t.ballots[i]...)
}

// TestOrderTable: OrderTable on entries held in columns gives, position by
// position, the standings Order gives on the same entries as a slice, for
// every kind of rule, style, group and top; and reads criteria, submission
// times, groups and ballots only when a rule or GroupBy needs them.
func TestOrderTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	chains := [][]ranking.Rule{
		nil,
		{{Kind: ranking.ByCriterion, Criterion: "c"}, {Kind: ranking.ByID}},
		{{Kind: ranking.SubmittedAt}, {Kind: ranking.ByCriterion, Criterion: "d"}},
		{{Kind: ranking.Lottery, Seed: "s"}},
		{{Kind: ranking.HeadToHead}, {Kind: ranking.ByID}},
		{{Kind: ranking.ByCriterion, Criterion: "d"}, {Kind: ranking.HeadToHead}, {Kind: ranking.Lottery, Seed: "x"}},
	}
	for i := range 300 {
		n := rng.IntN(50)
		var es []ranking.Entry
		tab := &columns{criteria: make([][]exact.NullNum, 2)}
		for k := range n {
			e := ranking.Entry{
				ID:    string(rune('A'+rng.IntN(26))) + string(rune('a'+k%26)),
				Total: exact.Frac(int64(rng.IntN(6)), int64(1+rng.IntN(2))),
				Group: []string{"g1", "g2", ""}[rng.IntN(3)],
			}
			for range 2 {
				v := exact.NullNum{Num: exact.Frac(int64(rng.IntN(3)), int64(1+rng.IntN(2))), Valid: rng.IntN(5) > 0}
				e.Criteria = append(e.Criteria, v)
			}
			if rng.IntN(3) > 0 {
				e.SubmittedAt = t0.Add(time.Duration(rng.IntN(3)) * time.Hour)
			}
			for _, j := range []string{"J1", "J2", "J3"} {
				if rng.IntN(4) > 0 {
					e.Ballots = append(e.Ballots, ranking.Ballot{Judge: j, Total: exact.Int(int64(rng.IntN(3)))})
				}
			}
			es = append(es, e)
			tab.ids, tab.totals = append(tab.ids, e.ID), append(tab.totals, e.Total)
			for c := range 2 {
				tab.criteria[c] = append(tab.criteria[c], e.Criteria[c])
			}
			tab.submitted, tab.groups = append(tab.submitted, e.SubmittedAt), append(tab.groups, e.Group)
			tab.ballots = append(tab.ballots, e.Ballots)
		}
		chain := chains[i%len(chains)]
		cfg := ranking.Config{
			TieBreak: chain,
			Style:    ranking.Styles()[rng.IntN(5)],
			Criteria: []string{"c", "d"},
			GroupBy:  rng.IntN(2) == 0,
			Top:      rng.IntN(4),
		}
		want, err := ranking.Order(es, cfg)
		require.NoError(t, err)
		got, err := ranking.OrderTable(context.Background(), tab, cfg)
		require.NoError(t, err)
		require.Equal(t, len(want), got.Len())
		for k, s := range want {
			require.Equal(t, s, ranking.Standing{
				Entry: got.Entry(k), ID: tab.ids[got.Entry(k)], Rank: got.Rank(k), DecidedBy: got.DecidedBy(k),
				Group: got.Group(k), GroupRank: got.GroupRank(k), GroupDecidedBy: got.GroupDecidedBy(k),
				Selected: got.Selected(k),
			}, "case %d, position %d", i, k)
		}
		uses := func(kind ranking.RuleKind) bool {
			for _, r := range chain {
				if r.Kind == kind {
					return true
				}
			}
			return false
		}
		if !uses(ranking.ByCriterion) {
			require.Zero(t, tab.criterionReads.Load(), "case %d: criteria read", i)
		}
		if !uses(ranking.SubmittedAt) {
			require.Zero(t, tab.submittedReads.Load(), "case %d: submission times read", i)
		}
		if !uses(ranking.HeadToHead) {
			require.Zero(t, tab.ballotReads.Load(), "case %d: ballots read", i)
		}
		if !cfg.GroupBy {
			require.Zero(t, tab.groupReads.Load(), "case %d: groups read", i)
		}
	}
}
