package ranking

import (
	"context"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/afkarlab/afkar/exact"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func r(s string) exact.Num {
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return exact.FromRat(x)
}

// c returns criterion values.
func c(ss ...string) []exact.NullNum {
	var out []exact.NullNum
	for _, s := range ss {
		out = append(out, exact.NullNum{Num: r(s), Valid: true})
	}
	return out
}

func entries(totals ...string) []Entry {
	var es []Entry
	for i, t := range totals {
		es = append(es, Entry{ID: string(rune('A' + i)), Total: r(t)})
	}
	return es
}

func ranks(ss []Standing) string {
	var b []string
	for _, s := range ss {
		b = append(b, s.ID+"="+s.Rank.String())
	}
	return strings.Join(b, " ")
}

func TestStyles(t *testing.T) {
	// Totals 9, 7, 7, 5: positions 1..4 with a tied run at 2..3.
	tests := []struct {
		style Style
		want  string
	}{
		{Competition, "A=1 B=2 C=2 D=4"},
		{"", "A=1 B=2 C=2 D=4"},
		{Modified, "A=1 B=3 C=3 D=4"},
		{Dense, "A=1 B=2 C=2 D=3"},
		{Ordinal, "A=1 B=2 C=3 D=4"},
		{Fractional, "A=1 B=2.5 C=2.5 D=4"},
	}
	for _, tt := range tests {
		t.Run(string(tt.style), func(t *testing.T) {
			got, err := Order(entries("9", "7", "7", "5"), Config{Style: tt.style})
			require.NoError(t, err)
			require.Equal(t, tt.want, ranks(got))
			require.Equal(t, []string{"total", "", "total", ""}, decided(got))
		})
	}
}

func decided(ss []Standing) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.DecidedBy)
	}
	return out
}

func TestTieBreakRules(t *testing.T) {
	t0 := time.Date(2025, 4, 16, 9, 0, 0, 0, time.UTC)
	base := func() []Entry {
		return []Entry{
			{ID: "b", Total: r("50"), Criteria: c("7"), SubmittedAt: t0.Add(time.Hour)},
			{ID: "a", Total: r("50"), Criteria: c("9")},
			{ID: "c", Total: r("50"), Criteria: c("7"), SubmittedAt: t0},
		}
	}
	tests := []struct {
		name    string
		rules   []string
		want    string
		decided []string
	}{
		{"no rule: input order, shared rank", nil, "b=1 a=1 c=1", []string{"", "", ""}},
		{"criterion, then still tied", []string{"criterion:social"}, "a=1 b=2 c=2", []string{"criterion:social", "", ""}},
		{"criterion then submitted_at", []string{"criterion:social", "submitted_at"}, "a=1 c=2 b=3", []string{"criterion:social", "submitted_at", ""}},
		{"submitted_at puts the missing one last", []string{"submitted_at"}, "c=1 b=2 a=3", []string{"submitted_at", "submitted_at", ""}},
		{"id compares bytes", []string{"id"}, "a=1 b=2 c=3", []string{"id", "id", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Criteria: []string{"social"}}
			for _, s := range tt.rules {
				rule, err := ParseRule(s)
				require.NoError(t, err)
				cfg.TieBreak = append(cfg.TieBreak, rule)
			}
			got, err := Order(base(), cfg)
			require.NoError(t, err)
			require.Equal(t, tt.want, ranks(got))
			if diff := cmp.Diff(tt.decided, decided(got)); diff != "" {
				t.Errorf("decided_by (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSubmittedAtComparesInstants(t *testing.T) {
	// 10:00+01:00 is 09:00Z: the same instant, still tied.
	a, _ := time.Parse(time.RFC3339, "2025-04-16T10:00:00+01:00")
	b, _ := time.Parse(time.RFC3339, "2025-04-16T09:00:00Z")
	got, err := Order([]Entry{{ID: "x", Total: r("1"), SubmittedAt: a}, {ID: "y", Total: r("1"), SubmittedAt: b}},
		Config{TieBreak: []Rule{{Kind: SubmittedAt}}})
	require.NoError(t, err)
	require.Equal(t, "x=1 y=1", ranks(got))
}

func TestLottery(t *testing.T) {
	// Each entry's draw is the hex SHA-256 of "<seed>:<id>"; the seed keeps
	// its colons.
	es := entries("1", "1", "1", "1")
	got, err := Order(es, Config{TieBreak: []Rule{{Kind: Lottery, Seed: "s:with:colons"}}})
	require.NoError(t, err)
	for k := 1; k < len(got); k++ {
		require.Equal(t, "lottery:s:with:colons", got[k-1].DecidedBy)
		x := sha256Hex("s:with:colons:" + got[k-1].ID)
		y := sha256Hex("s:with:colons:" + got[k].ID)
		require.Less(t, x, y)
	}
}

func TestHeadToHead(t *testing.T) {
	ballot := func(j, total string) Ballot { return Ballot{Judge: j, Total: r(total)} }
	// Three tied entries. Judges J1..J3: P beats Q (2 to 1), P beats R,
	// Q beats R. R has a ballot from J4 only, who saw nobody else.
	es := []Entry{
		{ID: "R", Total: r("10"), Ballots: []Ballot{ballot("J1", "1"), ballot("J2", "1"), ballot("J3", "9"), ballot("J4", "99")}},
		{ID: "Q", Total: r("10"), Ballots: []Ballot{ballot("J1", "5"), ballot("J2", "6"), ballot("J3", "8")}},
		{ID: "P", Total: r("10"), Ballots: []Ballot{ballot("J1", "6"), ballot("J2", "7"), ballot("J3", "7")}},
	}
	got, err := Order(es, Config{TieBreak: []Rule{{Kind: HeadToHead}}})
	require.NoError(t, err)
	require.Equal(t, "P=1 Q=2 R=3", ranks(got))
	require.Equal(t, []string{"head_to_head", "head_to_head", ""}, decided(got))
}

func TestGroupsAndTop(t *testing.T) {
	es := entries("90", "80", "70", "60", "50")
	for i, g := range []string{"north", "south", "north", "south", ""} {
		es[i].Group = g
	}
	got, err := Order(es, Config{GroupBy: true, Top: 1, Style: Dense})
	require.NoError(t, err)
	var sel []string
	for _, s := range got {
		require.NotZero(t, s.GroupRank)
		if s.Selected {
			sel = append(sel, s.ID)
		}
	}
	require.Equal(t, []string{"A", "B", "E"}, sel, "the top of each group, the group \"\" included")
	require.Equal(t, "total", got[0].GroupDecidedBy)
	require.Equal(t, "", got[2].GroupDecidedBy, "C is last of north")
}

func TestFractionalTopSelectsHalfRanks(t *testing.T) {
	got, err := Order(entries("9", "8", "8", "8"), Config{Style: Fractional, Top: 3})
	require.NoError(t, err)
	require.Equal(t, "A=1 B=3 C=3 D=3", ranks(got))
	for _, s := range got {
		require.True(t, s.Selected, "rank 3 ≤ top 3")
	}
	got, err = Order(entries("9", "9", "8", "8"), Config{Style: Fractional, Top: 3})
	require.NoError(t, err)
	require.Equal(t, "A=1.5 B=1.5 C=3.5 D=3.5", ranks(got))
	require.False(t, got[2].Selected, "3.5 > 3")
}

// TestPermutationInvariance: shuffling the entries changes nothing when
// the chain ends in a unique key (id), whatever the ties.
func TestPermutationInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var es []Entry
	for i := range 200 {
		es = append(es, Entry{
			ID:       strings.Repeat("x", i%3) + string(rune('A'+i%26)) + string(rune('a'+i/26)),
			Total:    exact.Frac(int64(rng.IntN(20)), 2),
			Criteria: []exact.NullNum{{Num: exact.Int(int64(rng.IntN(3))), Valid: true}},
			Group:    []string{"g1", "g2", ""}[rng.IntN(3)],
		})
	}
	cfg := Config{Criteria: []string{"c"}, TieBreak: []Rule{{Kind: ByCriterion, Criterion: "c"}, {Kind: ByID}}, GroupBy: true, Top: 5}
	want, err := Order(es, cfg)
	require.NoError(t, err)
	key := func(ss []Standing) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.ID+" "+s.Rank.String()+" "+s.DecidedBy+" "+s.GroupRank.String()+" "+s.GroupDecidedBy)
		}
		return out
	}
	for range 10 {
		rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		got, err := Order(es, cfg)
		require.NoError(t, err)
		if diff := cmp.Diff(key(want), key(got)); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	}
}

func TestParseRule(t *testing.T) {
	for _, s := range []string{"criterion:social", "head_to_head", "submitted_at", "id", "lottery:a:b", "lottery:تيست"} {
		rule, err := ParseRule(s)
		require.NoError(t, err)
		require.Equal(t, s, rule.String())
	}
	for _, s := range []string{"coin_flip", "criterion:", "lottery:", "", "ID"} {
		_, err := ParseRule(s)
		require.Error(t, err, s)
	}
}

func TestRankJSON(t *testing.T) {
	for _, tt := range []struct {
		r    Rank
		json string
	}{{Whole(3), "3"}, {Mid(2, 3), "2.5"}, {Rank{}, "null"}} {
		b, err := tt.r.MarshalJSON()
		require.NoError(t, err)
		require.Equal(t, tt.json, string(b))
		var back Rank
		require.NoError(t, back.UnmarshalJSON(b))
		require.Equal(t, tt.r, back)
	}
}

func TestOrderRejectsBadEntries(t *testing.T) {
	_, err := Order([]Entry{{ID: "A", Total: r("1")}}, Config{Criteria: []string{"c"}, TieBreak: []Rule{{Kind: ByCriterion, Criterion: "c"}}})
	require.EqualError(t, err, `ranking: entry 0 ("A") has 0 criterion values, Config.Criteria names 1`)
	_, err = Order(nil, Config{Style: "olympic"})
	require.EqualError(t, err, `ranking: unknown style "olympic"`)
	_, err = Order(nil, Config{TieBreak: []Rule{{Kind: ByCriterion, Criterion: "x"}}})
	require.EqualError(t, err, `ranking: rule "criterion:x" names an unknown criterion "x"`)
}

// TestFlatOrderMatchesBlockOrder: without head_to_head, the one-sort path
// gives what the tie-set-by-tie-set path gives, on random entries with
// many ties, every style, with and without groups.
func TestFlatOrderMatchesBlockOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	chains := [][]Rule{
		nil,
		{{Kind: ByCriterion, Criterion: "c"}, {Kind: ByID}},
		{{Kind: SubmittedAt}, {Kind: ByCriterion, Criterion: "d"}},
		{{Kind: Lottery, Seed: "s"}},
		{{Kind: ByCriterion, Criterion: "d"}, {Kind: SubmittedAt}, {Kind: Lottery, Seed: "x"}},
		{{Kind: ByID}},
	}
	for i := range 300 {
		var es []Entry
		for k := range 1 + rng.IntN(60) {
			e := Entry{
				ID:    string(rune('A'+rng.IntN(26))) + string(rune('a'+k%26)) + string(rune('0'+k/26)),
				Total: exact.Frac(int64(rng.IntN(6)), int64(1+rng.IntN(2))),
				Group: []string{"g1", "g2", ""}[rng.IntN(3)],
			}
			for range 2 {
				// One denominator in even cases (the int64 keys), two in odd ones.
				den := int64(3 + rng.IntN(2)*(i%2))
				v := exact.NullNum{Num: exact.Frac(int64(rng.IntN(3))*den/3, den), Valid: rng.IntN(5) > 0}
				e.Criteria = append(e.Criteria, v)
			}
			if rng.IntN(3) > 0 {
				e.SubmittedAt = t0.Add(time.Duration(rng.IntN(3)) * time.Hour)
				if i%7 == 0 && rng.IntN(4) == 0 { // outside UnixNano's range (1677–2262): compared as times
					e.SubmittedAt = e.SubmittedAt.AddDate(400*(1-2*rng.IntN(2)), 0, 0)
				}
			}
			if i%11 == 0 { // none has a time
				e.SubmittedAt = time.Time{}
			}
			es = append(es, e)
		}
		if i%3 == 0 { // sorted by ID, the id rule's shortcut
			slices.SortFunc(es, func(x, y Entry) int { return strings.Compare(x.ID, y.ID) })
		}
		if i%5 == 0 { // an ID twice
			es[len(es)/2].ID = es[0].ID
		}
		cfg := Config{
			TieBreak: chains[i%len(chains)],
			Style:    Styles()[rng.IntN(5)],
			Criteria: []string{"c", "d"},
			GroupBy:  rng.IntN(2) == 0,
			Top:      rng.IntN(4),
		}
		rules, err := cfg.compile()
		require.NoError(t, err)
		block, flat := newOrdering(entryTable(es), cfg, rules), newOrdering(entryTable(es), cfg, rules)
		require.NoError(t, blockOrder(context.Background(), block, entryTable(es), cfg, rules))
		flatOrder(flat, entryTable(es), cfg, rules)
		if diff := cmp.Diff(block, flat, cmp.AllowUnexported(Ordering{})); diff != "" {
			t.Fatalf("case %d: (-block +flat):\n%s", i, diff)
		}
	}
}

// TestSortOnCores: the sort in parts and merge gives what one sort gives,
// whatever the number of parts.
func TestSortOnCores(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 9))
	for _, n := range []int{0, 1, 5, 1000, 33_333} {
		keys := make([]int, n)
		for i := range keys {
			keys[i] = rng.IntN(50) // many ties, broken by index
		}
		compare := func(a, b int) int {
			if keys[a] != keys[b] {
				return keys[a] - keys[b]
			}
			return a - b
		}
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		sorted := slices.Clone(want)
		slices.SortFunc(sorted, compare)
		for _, cores := range []int{1, 2, 3, 8} {
			got := sortOnCores(slices.Clone(want), compare, cores, 7)
			require.Equal(t, sorted, got, "n=%d, %d cores", n, cores)
		}
	}
}

// TestRankAppendText: AppendText writes what String returns, for whole,
// half and zero ranks.
func TestRankAppendText(t *testing.T) {
	for halves := range 2001 {
		r := Mid(0, halves)
		b, err := r.AppendText([]byte("x"))
		require.NoError(t, err)
		require.Equal(t, "x"+r.String(), string(b), "halves %d", halves)
	}
}
