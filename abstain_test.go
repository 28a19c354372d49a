package afkar_test

import (
	"context"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/stretchr/testify/require"
)

// TestAbstention: SPEC.md section 7.2. J1 abstains on P1 and P2, declares
// a conflict with P2 and shares P3's cooperative while abstaining on it
// too: the first reason that holds, in the order conflict,
// same_cooperative, abstained, is the one given.
func TestAbstention(t *testing.T) {
	data := `{"rubric": {"criteria": [{"id": "c", "weight": "1"}]},
		"projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3", "cooperative": "COOP"}],
		"judges": [{"id": "J1", "cooperative": "COOP", "conflicts": ["P2"], "abstains": ["P1", "P2", "P3"]}, {"id": "J2"}],
		"scores": [
			{"judge": "J1", "project": "P1", "criterion": "c", "score": "20"},
			{"judge": "J1", "project": "P2", "criterion": "c", "score": "20"},
			{"judge": "J1", "project": "P3", "criterion": "c", "score": "20"},
			{"judge": "J2", "project": "P1", "criterion": "c", "score": "10"},
			{"judge": "J2", "project": "P2", "criterion": "c", "score": "12"},
			{"judge": "J2", "project": "P3", "criterion": "c", "score": "14"}]}`
	ds, err := afkar.Decode([]byte(data))
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	var reasons []string
	for _, e := range res.Excluded {
		reasons = append(reasons, e.Project+" "+string(e.Reason))
	}
	require.Equal(t, []string{"P1 abstained", "P2 conflict", "P3 same_cooperative"}, reasons)
	// Only J2's scores count: P3 (14 → 70) ahead of P2 (60), then P1 (50).
	var order []string
	for _, p := range res.Projects() {
		order = append(order, p.ID+" "+res.Format(p.Total))
	}
	require.Equal(t, []string{"P3 70.00", "P2 60.00", "P1 50.00"}, order)

	// The key is kept through encoding, and counts in the digest.
	enc, err := ds.MarshalJSON()
	require.NoError(t, err)
	require.Contains(t, string(enc), `"abstains"`)
	back, err := afkar.Decode(enc)
	require.NoError(t, err)
	require.Equal(t, ds.Digest(), back.Digest())
	without := strings.Replace(data, `, "abstains": ["P1", "P2", "P3"]`, "", 1)
	ds2, err := afkar.Decode([]byte(without))
	require.NoError(t, err)
	require.NotEqual(t, ds.Digest(), ds2.Digest())
	empty := strings.Replace(data, `"abstains": ["P1", "P2", "P3"]`, `"abstains": []`, 1)
	ds3, err := afkar.Decode([]byte(empty))
	require.NoError(t, err)
	require.Equal(t, ds2.Digest(), ds3.Digest(), "an empty list is no abstention: the digest is the one without the key")
}

func TestAbstentionUnknownProject(t *testing.T) {
	_, err := afkar.Decode([]byte(`{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}, "projects": [{"id": "P1"}],
		"judges": [{"id": "J1", "abstains": ["P9", 3]}], "scores": []}`))
	require.EqualError(t, err, "judges[0].abstains[1]: expected a string, found the number 3\njudges[0].abstains[0]: unknown project \"P9\"")
}
