package afkar

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestAppendDecimal spells decimals as decimal.String does, on values of
// every sign, size and exponent, including those past its fast path.
func TestAppendDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	cases := []decimal.Decimal{decimal.Zero, decimal.New(0, -3), decimal.New(-5, 0), decimal.New(120, 2),
		decimal.RequireFromString("123456789012345678901234.5"), decimal.RequireFromString("-0.0000000000000000000001")}
	for range 20000 {
		c := rng.Int64() >> rng.IntN(64)
		if rng.IntN(2) == 0 {
			c = -c
		}
		cases = append(cases, decimal.New(c, -int32(rng.IntN(22))+2))
	}
	for _, d := range cases {
		require.Equal(t, d.String(), string(appendDecimal(nil, d)), "coefficient %s exponent %d", d.Coefficient(), d.Exponent())
	}
}

func TestAppendQuoted(t *testing.T) {
	for _, s := range []string{"", "P-001", `a"b`, `a\b`, "tab\t", "عربي", "\x7f", "ok.id_1"} {
		require.Equal(t, strconv.Quote(s), string(appendQuoted(nil, s)))
	}
}

// referenceDigest is Digest as its doc comment says, written plainly: a
// line for each project, judge and score, each field Go-quoted.
func referenceDigest(t *testing.T, ds *Dataset) string {
	head, err := json.Marshal(ds.canonical())
	require.NoError(t, err)
	var b strings.Builder
	b.Write(head)
	for _, p := range ds.Projects {
		b.WriteString("\np")
		for _, f := range []string{p.ID, p.Title, p.Region, p.Sector, p.Cooperative} {
			b.WriteString(" " + strconv.Quote(f))
		}
		if p.SubmittedAt.IsZero() {
			b.WriteString(" -")
		} else {
			b.WriteString(" " + p.SubmittedAt.UTC().Format(time.RFC3339Nano))
		}
		for _, k := range slices.Sorted(maps.Keys(p.Attributes)) {
			b.WriteString(" " + strconv.Quote(k) + " " + strconv.Quote(p.Attributes[k]))
		}
	}
	if ds.Judges == nil {
		b.WriteString("\nno judges list")
	}
	for _, j := range ds.Judges {
		b.WriteString("\nj " + strconv.Quote(j.ID) + " " + strconv.Quote(j.Name) + " " + strconv.Quote(j.Cooperative))
		for _, c := range j.Conflicts {
			b.WriteString(" " + strconv.Quote(c))
		}
		if len(j.Abstains) > 0 {
			b.WriteString(" abstains")
			for _, a := range j.Abstains {
				b.WriteString(" " + strconv.Quote(a))
			}
		}
	}
	for _, s := range ds.Scores.All() {
		fmt.Fprintf(&b, "\ns %s %s %s %s", strconv.Quote(s.Judge), strconv.Quote(s.Project), strconv.Quote(s.Criterion), s.Value.String())
	}
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(b.String())))
}

// TestDigestOfScoresInAnyOrder: the digest is the canonical form's,
// whatever the order of the scores: in one run a project (each project's
// spelling made once, when its run starts), shuffled (more runs than
// projects: the spellings made at once, and kept), and in between.
func TestDigestOfScoresInAnyOrder(t *testing.T) {
	data, err := os.ReadFile("internal/sample/sample.json")
	require.NoError(t, err)
	ds, err := Decode(data)
	require.NoError(t, err)
	scores := ds.Scores.Slice()
	for i := range scores {
		if scores[i].Project == ds.Projects[1].ID {
			scores[i].Project = `odd"id` // a spelling with an escape
		}
	}
	ds.Projects[1].ID = `odd"id`
	rng := rand.New(rand.NewPCG(5, 5))
	for _, order := range []string{"grouped", "some runs split", "shuffled"} {
		switch order {
		case "some runs split": // fewer runs than projects, not one a project
			for range 5 {
				i, j := rng.IntN(len(scores)), rng.IntN(len(scores))
				scores[i], scores[j] = scores[j], scores[i]
			}
		case "shuffled":
			rng.Shuffle(len(scores), func(i, j int) { scores[i], scores[j] = scores[j], scores[i] })
		}
		ds.Scores = scoring.Scores{}
		ds.Scores.Append(scores...)
		require.Equal(t, referenceDigest(t, ds), ds.Digest(), order)
	}
}
