package afkar_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The conformance cases of SPEC.md, copied from shared/conformance into
// testdata/conformance, compared by the rules of their README.

type caseResult struct {
	Projects []caseProject `json:"projects"`
	Excluded []caseExcl    `json:"excluded_scores"`
}

type caseProject struct {
	ID             string             `json:"id"`
	Eligible       bool               `json:"eligible"`
	Rank           *json.Number       `json:"rank"`
	Group          *string            `json:"group"`
	GroupRank      *json.Number       `json:"group_rank"`
	Total          *string            `json:"total"`
	Criteria       map[string]*string `json:"criteria"`
	Judges         int                `json:"judges"`
	Selected       bool               `json:"selected"`
	DecidedBy      *string            `json:"decided_by"`
	GroupDecidedBy *string            `json:"group_decided_by"`
	Reasons        []string           `json:"reasons"`
}

type caseExcl struct {
	Judge, Project, Criterion, Reason string
}

type caseMeta struct {
	Tolerance   int `json:"tolerance_last_place"`
	Unspecified []struct {
		Project  string   `json:"project"`
		Fields   []string `json:"fields"`
		Optional []string `json:"optional_reasons"`
	} `json:"unspecified"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v), path)
}

func TestConformanceValid(t *testing.T) {
	dirs, err := filepath.Glob("testdata/conformance/[0-9]*")
	require.NoError(t, err)
	require.NotEmpty(t, dirs, "conformance cases missing from testdata/conformance")
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, "dataset.json"))
			require.NoError(t, err)
			ds, err := afkar.Decode(data)
			require.NoError(t, err)
			res, err := afkar.Evaluate(context.Background(), ds)
			require.NoError(t, err)
			out, err := json.Marshal(res)
			require.NoError(t, err)
			var got, want caseResult
			require.NoError(t, json.Unmarshal(out, &got))
			readJSON(t, filepath.Join(dir, "expected.json"), &want)
			var meta caseMeta
			readJSON(t, filepath.Join(dir, "meta.json"), &meta)
			compareResults(t, want, got, meta)
		})
	}
}

func compareResults(t *testing.T, want, got caseResult, meta caseMeta) {
	t.Helper()
	ids := func(ps []caseProject) []string {
		var s []string
		for _, p := range ps {
			s = append(s, p.ID)
		}
		return s
	}
	if diff := cmp.Diff(ids(want.Projects), ids(got.Projects)); diff != "" {
		t.Fatalf("project order (-want +got):\n%s", diff)
	}
	unspecified := map[string]map[string]bool{}
	optional := map[string]map[string]bool{}
	for _, u := range meta.Unspecified {
		unspecified[u.Project] = map[string]bool{}
		optional[u.Project] = map[string]bool{}
		for _, f := range u.Fields {
			unspecified[u.Project][f] = true
		}
		for _, r := range u.Optional {
			optional[u.Project][r] = true
		}
	}
	for i, w := range want.Projects {
		g := got.Projects[i]
		skip := unspecified[w.ID]
		var diffs []string
		check := func(field string, ok bool, wv, gv any) {
			if !ok && !skip[field] {
				diffs = append(diffs, fmt.Sprintf("%s: want %v, got %v", field, show(wv), show(gv)))
			}
		}
		check("rank", sameNumber(w.Rank, g.Rank), w.Rank, g.Rank)
		check("group_rank", sameNumber(w.GroupRank, g.GroupRank), w.GroupRank, g.GroupRank)
		check("total", sameDecimal(w.Total, g.Total, meta.Tolerance), w.Total, g.Total)
		for c, wv := range w.Criteria {
			check("criteria."+c, sameDecimal(wv, g.Criteria[c], meta.Tolerance), wv, g.Criteria[c])
		}
		check("criteria", len(w.Criteria) == len(g.Criteria), len(w.Criteria), len(g.Criteria))
		check("judges", w.Judges == g.Judges, w.Judges, g.Judges)
		check("eligible", w.Eligible == g.Eligible, w.Eligible, g.Eligible)
		check("selected", w.Selected == g.Selected, w.Selected, g.Selected)
		check("group", cmp.Equal(w.Group, g.Group), w.Group, g.Group)
		check("decided_by", cmp.Equal(w.DecidedBy, g.DecidedBy), w.DecidedBy, g.DecidedBy)
		check("group_decided_by", cmp.Equal(w.GroupDecidedBy, g.GroupDecidedBy), w.GroupDecidedBy, g.GroupDecidedBy)
		strip := func(rs []string) []string {
			var out []string
			for _, r := range rs {
				if !optional[w.ID][r] {
					out = append(out, r)
				}
			}
			slices.Sort(out)
			return out
		}
		check("reasons", slices.Equal(strip(w.Reasons), strip(g.Reasons)), w.Reasons, g.Reasons)
		if len(diffs) > 0 {
			t.Errorf("project %s (position %d):\n  %s", w.ID, i, strings.Join(diffs, "\n  "))
		}
	}
	sortExcl := func(xs []caseExcl) []caseExcl {
		xs = slices.Clone(xs)
		slices.SortFunc(xs, func(a, b caseExcl) int {
			return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
		})
		return xs
	}
	if diff := cmp.Diff(sortExcl(want.Excluded), sortExcl(got.Excluded)); diff != "" {
		t.Errorf("excluded_scores (-want +got):\n%s", diff)
	}
}

func show(v any) string {
	switch v := v.(type) {
	case *string:
		if v == nil {
			return "null"
		}
		return fmt.Sprintf("%q", *v)
	case *json.Number:
		if v == nil {
			return "null"
		}
		return v.String()
	}
	return fmt.Sprint(v)
}

func sameNumber(a, b *json.Number) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	x, okx := new(big.Rat).SetString(a.String())
	y, oky := new(big.Rat).SetString(b.String())
	return okx && oky && x.Cmp(y) == 0
}

// sameDecimal compares published decimals as strings, allowing tolerance
// units in the last place.
func sameDecimal(a, b *string, tolerance int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if *a == *b {
		return true
	}
	if tolerance == 0 || len(*a) != len(*b) {
		return false
	}
	x, _ := new(big.Rat).SetString(*a)
	y, _ := new(big.Rat).SetString(*b)
	if x == nil || y == nil {
		return false
	}
	places := 0
	if i := strings.IndexByte(*a, '.'); i >= 0 {
		places = len(*a) - i - 1
	}
	ulp := new(big.Rat).SetFrac64(int64(tolerance), 1)
	ulp.Quo(ulp, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
	d := new(big.Rat).Sub(x, y)
	return d.Abs(d).Cmp(ulp) <= 0
}

func TestConformanceInvalid(t *testing.T) {
	dirs, err := filepath.Glob("testdata/conformance/bad-*")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, "dataset.json"))
			require.NoError(t, err)
			ds, err := afkar.Decode(data)
			require.Error(t, err)
			require.Nil(t, ds)
			var ps afkar.Problems
			require.ErrorAs(t, err, &ps)
			var expected []json.RawMessage
			readJSON(t, filepath.Join(dir, "expected_paths.json"), &expected)
			for _, raw := range expected {
				var alts []string
				if json.Unmarshal(raw, &alts) != nil {
					var one string
					require.NoError(t, json.Unmarshal(raw, &one))
					alts = []string{one}
				}
				require.Truef(t, slices.ContainsFunc(ps, func(p afkar.Problem) bool {
					return slices.ContainsFunc(alts, func(e string) bool { return pathMatches(p.Path, e) })
				}), "no problem at %v; got:\n%s", alts, ps.Error())
			}
			for _, p := range ps {
				require.NotEmpty(t, p.Message, "problem at %s has no message", p.Path)
			}
		})
	}
}

// pathMatches reports whether a reported path R matches an expected path E:
// R == E, or R starts with E. or E[.
func pathMatches(r, e string) bool {
	return r == e || strings.HasPrefix(r, e+".") || strings.HasPrefix(r, e+"[")
}
