package ranking

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/afkarlab/afkar/exact"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// pairwiseWins is head_to_head as it was first written, straight from
// SPEC.md section 4: every pair of the tied set, every judge of both, the
// totals compared as exact numbers. It is the reference the collapsed
// algorithm must agree with.
func pairwiseWins(entries []Entry, block []int) map[int]int {
	ballots := make(map[int]map[string]exact.Num, len(block))
	for _, i := range block {
		m := make(map[string]exact.Num, len(entries[i].Ballots))
		for _, b := range entries[i].Ballots {
			m[b.Judge] = b.Total
		}
		ballots[i] = m
	}
	wins := make(map[int]int, len(block))
	for x, p := range block {
		for _, q := range block[x+1:] {
			prefP, prefQ := 0, 0
			for judge, tp := range ballots[p] {
				tq, ok := ballots[q][judge]
				if !ok {
					continue
				}
				switch tp.Cmp(tq) {
				case 1:
					prefP++
				case -1:
					prefQ++
				}
			}
			switch {
			case prefP > prefQ:
				wins[p]++
			case prefQ > prefP:
				wins[q]++
			}
		}
	}
	return wins
}

// splitWins runs the collapsed algorithm on block and returns the wins as
// pairwiseWins does (entries without a win left out).
func splitWins(t *testing.T, entries []Entry, block []int, max int) (map[int]int, error) {
	t.Helper()
	h := &headToHead{ctx: context.Background(), table: entryTable(entries), max: max}
	if err := h.split(block); err != nil {
		return nil, err
	}
	got := map[int]int{}
	for _, i := range block {
		if h.wins[i] != 0 {
			got[i] = int(h.wins[i])
		}
	}
	return got, nil
}

// totals are spellings of a few values, some equal to each other (1/2 =
// 2/4 = 50/100), some held inline with other denominators, some only in
// math/big: a judge's totals take the inline path only when all share a
// denominator.
func totals() []exact.Num {
	huge := new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 80), big.NewInt(3)) // 2^80/3, past int64
	huger := new(big.Rat).Add(huge, big.NewRat(1, 1<<62))
	return []exact.Num{
		exact.Int(0), exact.Frac(1, 2), exact.Frac(2, 4), exact.Frac(50, 100), exact.Frac(3, 4), exact.Int(1),
		exact.Frac(7, 3), exact.FromRat(huge), exact.FromRat(huger), exact.Int(math.MaxInt64), exact.Int(math.MaxInt64 - 1),
		exact.Int(-math.MaxInt64),
	}
}

// TestHeadToHeadMatchesPairwise: the collapsed algorithm gives every entry
// of a random tied set the wins the pairwise reference gives, on sets
// with identical ballots (the same values, or equal values spelled
// differently), judges who saw only some projects, totals inline over
// one denominator or not, and totals past int64.
func TestHeadToHeadMatchesPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	vals := totals()
	for i := range 3000 {
		n := 1 + rng.IntN(12)
		judges := 1 + rng.IntN(5)
		// Draw from a few values only, so that ballots often repeat;
		// inline draws one denominator's values (the usual case).
		var pool []exact.Num
		switch i % 3 {
		case 0:
			for v := range 3 {
				pool = append(pool, exact.Frac(int64(v), 4))
			}
		case 1:
			pool = vals[:6] // 0, 1/2 three ways, 3/4, 1
		default:
			pool = vals
		}
		entries := make([]Entry, n)
		for e := range entries {
			entries[e].ID = fmt.Sprint("P", e)
			if e > 0 && rng.IntN(3) == 0 { // a copy of an earlier ballot
				entries[e].Ballots = entries[rng.IntN(e)].Ballots
				continue
			}
			for _, j := range rng.Perm(judges) {
				if rng.IntN(5) > 0 {
					entries[e].Ballots = append(entries[e].Ballots, Ballot{Judge: fmt.Sprint("J", j), Total: pool[rng.IntN(len(pool))]})
				}
			}
		}
		block := rng.Perm(n)[:1+rng.IntN(n)]
		got, err := splitWins(t, entries, block, 0)
		require.NoError(t, err)
		if diff := cmp.Diff(pairwiseWins(entries, block), got); diff != "" {
			t.Fatalf("case %d: wins (-pairwise +collapsed):\n%s", i, diff)
		}
	}
}

// TestHeadToHeadKeysAtTheBoundary: a judge's totals become int64 keys when
// they fit, inline over one denominator, up to the largest numerators;
// otherwise they are sorted exactly. Either way the verdicts are exact.
func TestHeadToHeadKeysAtTheBoundary(t *testing.T) {
	huge := new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 80), big.NewInt(3))
	tests := []struct {
		name string
		a, b exact.Num   // J1's totals of A and B; J2 gives both 1
		keys [2]int64    // J1's keys of A and B: numerators, or places
		want map[int]int // wins
	}{
		{"largest numerators", exact.Int(math.MaxInt64), exact.Int(math.MaxInt64 - 1), [2]int64{math.MaxInt64, math.MaxInt64 - 1}, map[int]int{0: 1}},
		{"most negative numerators", exact.Int(-math.MaxInt64), exact.Int(-math.MaxInt64 + 1), [2]int64{-math.MaxInt64, -math.MaxInt64 + 1}, map[int]int{1: 1}},
		{"one denominator", exact.Frac(3, 7), exact.Frac(2, 7), [2]int64{3, 2}, map[int]int{0: 1}},
		{"equal, two denominators", exact.Frac(1, 2), exact.Frac(2, 4), [2]int64{0, 0}, map[int]int{}},
		{"two denominators", exact.Frac(1, 3), exact.Frac(1, 2), [2]int64{0, 1}, map[int]int{1: 1}},
		{"past int64", exact.FromRat(huge), exact.FromRat(new(big.Rat).Add(huge, big.NewRat(1, 1<<40))), [2]int64{0, 1}, map[int]int{1: 1}},
		{"past int64 and inline", exact.FromRat(huge), exact.Int(math.MaxInt64), [2]int64{1, 0}, map[int]int{0: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := []Entry{
				{ID: "A", Ballots: []Ballot{{"J1", tt.a}, {"J2", exact.Int(1)}}},
				{ID: "B", Ballots: []Ballot{{"J2", exact.Int(1)}, {"J1", tt.b}}},
			}
			block := []int{0, 1}
			b, err := newBallots(context.Background(), [][]Ballot{entries[0].Ballots, entries[1].Ballots}, block)
			require.NoError(t, err)
			require.NoError(t, b.keys(context.Background()))
			// Each position's cells in judge order: J1 (numbered 0) first.
			require.Equal(t, []int32{0, 1, 0, 1}, b.judge)
			require.Equal(t, tt.keys, [2]int64{b.key[0], b.key[2]}, "J1's keys")
			got, err := splitWins(t, entries, block, 0)
			require.NoError(t, err)
			require.Equal(t, pairwiseWins(entries, block), got, "the reference")
			require.Equal(t, tt.want, got)
		})
	}
}

// TestHeadToHeadFloodIsOneClass: a thousand projects with equal ballots
// (the same totals, spelled over different denominators for some) are one
// class: no pair is compared, and no limit is reached.
func TestHeadToHeadFloodIsOneClass(t *testing.T) {
	es := make([]Entry, 1000)
	for i := range es {
		half := exact.Frac(1, 2)
		if i%2 == 1 {
			half = exact.Frac(2, 4)
		}
		es[i] = Entry{ID: fmt.Sprintf("P%04d", i), Total: exact.Int(70), Ballots: []Ballot{{"J1", half}, {"J2", exact.Int(3)}}}
	}
	got, err := Order(es, Config{TieBreak: []Rule{{Kind: HeadToHead}}, MaxHeadToHeadPairs: 1})
	require.NoError(t, err)
	for _, s := range got {
		require.Equal(t, Whole(1), s.Rank)
		require.Equal(t, "", s.DecidedBy)
	}
}

// TestHeadToHeadPairsLimit: the pairs of distinct ballots of every tied
// set, overall and in each group, count against MaxHeadToHeadPairs; past
// it, Order says so, with the count, before comparing them.
func TestHeadToHeadPairsLimit(t *testing.T) {
	// Ten tied entries: five distinct ballots, each twice (10 pairs of
	// distinct ballots), in one group.
	es := make([]Entry, 10)
	for i := range es {
		es[i] = Entry{ID: fmt.Sprint("P", i), Total: exact.Int(50), Group: "g",
			Ballots: []Ballot{{"J1", exact.Int(int64(i % 5))}}}
	}
	cfg := Config{TieBreak: []Rule{{Kind: HeadToHead}, {Kind: ByID}}, MaxHeadToHeadPairs: 10}
	_, err := Order(es, cfg)
	require.NoError(t, err, "10 pairs overall, within 10")
	cfg.GroupBy = true // the group's tied set: 10 more
	_, err = Order(es, cfg)
	var pe *PairsError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, &PairsError{Pairs: 20, Max: 10, Projects: 10, Distinct: 5}, pe)
	require.EqualError(t, err, "ranking: head_to_head would compare at least 20 pairs of distinct ballots "+
		"(a tied set of 10 projects has 5 distinct ballots), more than the limit of 10")
	cfg.MaxHeadToHeadPairs = 20
	_, err = Order(es, cfg)
	require.NoError(t, err)
}

// TestHeadToHeadCancels: a tied set that would take minutes (200,000
// projects whose ballots all differ: 2·10¹⁰ pairs) stops soon after its
// context is cancelled. The bound, a second, is ten times the 100 ms the
// rule is built for, to allow for a loaded machine; an algorithm that
// never looks at the context takes minutes.
func TestHeadToHeadCancels(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 50_000
	}
	es := make([]Entry, n)
	for i := range es {
		// J1 prefers later entries, J2 earlier ones: every pair is a
		// draw, and only comparing it says so.
		es[i] = Entry{ID: fmt.Sprint("P", i), Total: exact.Int(1),
			Ballots: []Ballot{{"J1", exact.Int(int64(i))}, {"J2", exact.Int(int64(-i))}}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := OrderContext(ctx, es, Config{TieBreak: []Rule{{Kind: HeadToHead}}})
		done <- err
	}()
	time.Sleep(200 * time.Millisecond) // well into the pairs
	cancel()
	cancelled := time.Now()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		t.Logf("returned %v after the cancellation", time.Since(cancelled))
	case <-time.After(time.Second):
		t.Fatal("head_to_head did not stop within a second of its cancellation")
	}
}

// TestHeadToHeadCancelledBeforeStart: a context done before Order starts
// stops it at the first tied set.
func TestHeadToHeadCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := OrderContext(ctx, entries("1", "1"), Config{TieBreak: []Rule{{Kind: HeadToHead}}})
	require.True(t, errors.Is(err, context.Canceled), "%v", err)
}

// BenchmarkHeadToHead splits one tied set: a flood of identical ballots
// (one class, linear), and sets whose ballots all differ (every pair
// compared: n(n−1)/2 pairs), with 2 and 44 judges.
func BenchmarkHeadToHead(b *testing.B) {
	for _, bc := range []struct {
		name               string
		n, judges          int
		distinct, pairwise bool
	}{
		{"flood/n=40000/judges=2", 40_000, 2, false, false},
		{"flood/n=40000/judges=2/pairwise", 40_000, 2, false, true},
		{"distinct/n=5000/judges=2", 5_000, 2, true, false},
		{"distinct/n=5000/judges=44", 5_000, 44, true, false},
	} {
		es := make([]Entry, bc.n)
		for i := range es {
			es[i] = Entry{ID: fmt.Sprint("P", i), Total: exact.Int(1)}
			for j := range bc.judges {
				v := int64(7)
				if bc.distinct {
					v = int64(i) * int64(1-2*(j%2)) // odd judges reverse the even ones: every pair a draw
				}
				es[i].Ballots = append(es[i].Ballots, Ballot{fmt.Sprint("J", j), exact.Frac(v, 4)})
			}
		}
		block := make([]int, bc.n)
		for i := range block {
			block[i] = i
		}
		b.Run(bc.name, func(b *testing.B) {
			if bc.pairwise && testing.Short() {
				b.Skip("the old algorithm: seconds")
			}
			for b.Loop() {
				if bc.pairwise {
					pairwiseWins(es, block)
					continue
				}
				h := &headToHead{ctx: context.Background(), table: entryTable(es)}
				if err := h.split(block); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPairsErrorGroupOrder: with group_by, the groups' tied sets are
// charged to the budget of pairs in the order the groups first come in
// the overall order, not in input order: here group a (ranked first,
// listed last) is split before group b, and b's tied set passes the
// limit at 9 + 3 + 6 = 18 pairs.
func TestPairsErrorGroupOrder(t *testing.T) {
	var es []Entry
	add := func(id, g string, total, ballot int64) {
		es = append(es, Entry{ID: id, Group: g, Total: exact.Int(total), Ballots: []Ballot{{Judge: "J", Total: exact.Int(ballot)}}})
	}
	for i := range 4 {
		add(fmt.Sprint("B", i), "b", 5, int64(i))
	}
	for i := range 3 {
		add(fmt.Sprint("A", i), "a", 10, int64(i))
	}
	_, err := Order(es, Config{TieBreak: []Rule{{Kind: HeadToHead}}, GroupBy: true, MaxHeadToHeadPairs: 13})
	var pe *PairsError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, PairsError{Pairs: 18, Max: 13, Projects: 4, Distinct: 4}, *pe)
}
