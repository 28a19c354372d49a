package stage_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/stage"
)

func ideas(n int) []stage.Idea {
	out := make([]stage.Idea, n)
	for i := range out {
		out[i] = stage.Idea{ID: fmt.Sprintf("P%03d", i)}
	}
	return out
}

func jurors(n int) []stage.Juror {
	out := make([]stage.Juror, n)
	for i := range out {
		out[i] = stage.Juror{ID: fmt.Sprintf("J%02d", i)}
	}
	return out
}

func TestAssignBalanced(t *testing.T) {
	for _, tc := range []struct{ ideas, jurors, k int }{
		{10, 3, 2}, {97, 12, 3}, {5, 7, 3}, {60, 9, 1}, {1, 1, 1},
	} {
		t.Run(fmt.Sprintf("%d ideas, %d jurors, k=%d", tc.ideas, tc.jurors, tc.k), func(t *testing.T) {
			plan := stage.Assign(stage.AssignInput{Ideas: ideas(tc.ideas), Jurors: jurors(tc.jurors), K: tc.k, Seed: "seed"})
			require.Empty(t, plan.Short)
			require.Len(t, plan.Add, tc.ideas*tc.k)
			lo, hi := tc.ideas, 0
			for _, n := range plan.Loads {
				lo, hi = min(lo, n), max(hi, n)
			}
			require.LessOrEqual(t, hi-lo, 1, "loads %v", plan.Loads)
			seen := map[[2]string]bool{}
			for _, a := range plan.Add {
				require.False(t, seen[[2]string{a.Judge, a.Project}], "a juror twice on an idea")
				seen[[2]string{a.Judge, a.Project}] = true
			}
		})
	}
}

func TestAssignDeterministic(t *testing.T) {
	in := stage.AssignInput{Ideas: ideas(30), Jurors: jurors(7), K: 3, Seed: "published-seed"}
	a := stage.Assign(in)
	// The same input in another order gives the same pairs.
	rev := stage.AssignInput{Ideas: ideas(30), Jurors: jurors(7), K: 3, Seed: "published-seed"}
	for i, j := 0, len(rev.Ideas)-1; i < j; i, j = i+1, j-1 {
		rev.Ideas[i], rev.Ideas[j] = rev.Ideas[j], rev.Ideas[i]
	}
	require.Empty(t, cmp.Diff(a, stage.Assign(rev)))
	in.Seed = "another"
	require.NotEmpty(t, cmp.Diff(a.Add, stage.Assign(in).Add), "the seed decides")
}

func TestAssignConstraints(t *testing.T) {
	is := []stage.Idea{{ID: "P1", Cooperative: "coop-1"}, {ID: "P2"}, {ID: "P3"}}
	js := []stage.Juror{{ID: "J1", Cooperative: "coop-1"}, {ID: "J2", Conflicts: []string{"P2"}}, {ID: "J3", Abstains: []string{"P3"}}, {ID: "J4", Dropped: true}}
	plan := stage.Assign(stage.AssignInput{Ideas: is, Jurors: js, K: 2, Cap: 2, Seed: "x"})
	for _, a := range plan.Add {
		require.NotEqual(t, [2]string{"J1", "P1"}, [2]string{a.Judge, a.Project})
		require.NotEqual(t, [2]string{"J2", "P2"}, [2]string{a.Judge, a.Project})
		require.NotEqual(t, [2]string{"J3", "P3"}, [2]string{a.Judge, a.Project})
		require.NotEqual(t, "J4", a.Judge)
	}
	for j, n := range plan.Loads {
		require.LessOrEqual(t, n, 2, j)
	}
	require.Empty(t, plan.Short, "6 slots, 3 jurors of cap 2, each idea has 2 possible jurors")

	// Only J2 and J3 can take P1 besides J1... cap 1 leaves ideas short.
	short := stage.Assign(stage.AssignInput{Ideas: is, Jurors: js, K: 2, Cap: 1, Seed: "x"})
	require.NotEmpty(t, short.Short)
}

func TestAssignRerunKeepsScoredPairs(t *testing.T) {
	in := stage.AssignInput{Ideas: ideas(12), Jurors: jurors(4), K: 2, Seed: "s"}
	first := stage.Assign(in)
	// J00 drops out after scoring its first idea completely.
	var scored stage.Assignment
	for _, a := range first.Add {
		if a.Judge == "J00" {
			scored = a
			break
		}
	}
	in.Existing = first.Add
	in.Jurors[0].Dropped = true
	in.Scored = func(j, p string) bool { return j == scored.Judge && p == scored.Project }
	in.Complete = in.Scored
	second := stage.Assign(in)
	require.Contains(t, second.Keep, scored)
	for _, a := range second.Drop {
		require.Equal(t, "J00", a.Judge)
	}
	for _, a := range second.Add {
		require.NotEqual(t, "J00", a.Judge)
	}
	require.Empty(t, second.Short)
	require.Len(t, second.Add, len(second.Drop), "every dropped pair replaced, the complete one counts")
}
