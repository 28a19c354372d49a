package afkar_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// grouped is a valid dataset with a ranking and two projects, to which
// the tests give group values.
const grouped = `{
  "rubric": {"criteria": [{"id": "social", "weight": "1"}]},
  "ranking": %s,
  "projects": [%s],
  "scores": [{"judge": "J1", "project": "P1", "criterion": "social", "score": 10}]
}`

// The checks of SPEC.md section 7.1, every message word for word.
func TestGroupValues(t *testing.T) {
	tests := []struct {
		name, ranking, projects string
		want                    []string // problems; nil: valid
		codes                   []string
	}{
		{
			name: "region codes", ranking: `{"group_by": "region"}`,
			projects: `{"id": "P1", "region": "dakhla-oued-ed-dahab"}, {"id": "P2"}, {"id": "P3", "region": ""}`,
		},
		{
			name: "a city for a region", ranking: `{"group_by": "region", "top": 3}`,
			projects: `{"id": "P1", "region": "Dakhla"}, {"id": "P2", "region": "Casablanca"}, {"id": "P3", "region": "Dakhla"}`,
			want: []string{
				`projects[0].region: "Dakhla": did you mean dakhla-oued-ed-dahab? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`,
				`projects[1].region: "Casablanca": did you mean casablanca-settat? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`,
				`projects[2].region: "Dakhla": did you mean dakhla-oued-ed-dahab? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`,
			},
			codes: []string{
				"group.unknown allowed=regions closest=dakhla-oued-ed-dahab field=region value=Dakhla",
				"group.unknown allowed=regions closest=casablanca-settat field=region value=Casablanca",
				"group.unknown allowed=regions closest=dakhla-oued-ed-dahab field=region value=Dakhla",
			},
		},
		{
			name: "a code in capitals", ranking: `{"group_by": "region"}`,
			projects: `{"id": "P1", "region": "Souss-Massa"}`,
			want:     []string{`projects[0].region: "Souss-Massa": did you mean souss-massa? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`},
		},
		{
			name: "regions are free without group_by region", ranking: `{"group_by": "sector"}`,
			projects: `{"id": "P1", "region": "Dakhla", "sector": "fishing"}`,
		},
		{
			name: "the dataset's own groups", ranking: `{"group_by": "region", "groups": ["Dakhla city", "Laayoune city"]}`,
			projects: `{"id": "P1", "region": "Dakhla city"}, {"id": "P2", "region": "dakhla"}, {"id": "P3", "region": "dakhla-oued-ed-dahab"}`,
			want: []string{
				`projects[1].region: "dakhla": did you mean "Dakhla city"? (expected one of ranking.groups)`,
				`projects[2].region: "dakhla-oued-ed-dahab": did you mean "Dakhla city"? (expected one of ranking.groups)`,
			},
			codes: []string{
				"group.unknown allowed=ranking.groups closest=Dakhla city field=region value=dakhla",
				"group.unknown allowed=ranking.groups closest=Dakhla city field=region value=dakhla-oued-ed-dahab",
			},
		},
		{
			name: "an attribute's groups", ranking: `{"group_by": "attributes.women_led", "groups": ["yes", "no"]}`,
			projects: `{"id": "P1", "attributes": {"women_led": "Yes"}}, {"id": "P2", "attributes": {"women_led": "no"}}, {"id": "P3", "attributes": {}}`,
			want:     []string{`projects[0].attributes.women_led: "Yes": did you mean "yes"? (expected one of ranking.groups)`},
		},
		{
			name: "letter case alone, no list", ranking: `{"group_by": "sector"}`,
			projects: `{"id": "P1", "sector": "agri"}, {"id": "P2", "sector": "Agri"}, {"id": "P3", "sector": "agri"}, {"id": "P4", "sector": "AGRI"}`,
			want: []string{
				`projects[1].sector: "Agri" differs only in letter case from "agri" (first at projects[0]): they would be two groups`,
				`projects[3].sector: "AGRI" differs only in letter case from "agri" (first at projects[0]): they would be two groups`,
			},
			codes: []string{
				"group.case field=sector first=projects[0] other=agri value=Agri",
				"group.case field=sector first=projects[0] other=agri value=AGRI",
			},
		},
		{
			name: "an empty list", ranking: `{"group_by": "sector", "groups": []}`,
			projects: `{"id": "P1", "sector": "agri"}, {"id": "P2"}`,
			want:     []string{`projects[0].sector: "agri": expected one of ranking.groups, which is empty`},
		},
		{
			name: "the list's own problems", ranking: `{"groups": ["agri", "", "agri", "Agri"]}`,
			projects: `{"id": "P1", "sector": "x"}`,
			want: []string{
				`ranking.groups: a list of groups needs ranking.group_by (region, sector, cooperative or attributes.<key>)`,
				`ranking.groups[1]: expected a group name, found an empty string`,
				`ranking.groups[2]: duplicate group "agri" (first at ranking.groups[0])`,
				`ranking.groups[3]: "Agri" differs only in letter case from "agri" (first at ranking.groups[0])`,
			},
			codes: []string{
				"groups.no_group_by",
				"groups.empty",
				"groups.duplicate first=ranking.groups[0] other=agri value=agri",
				"groups.duplicate first=ranking.groups[0] other=agri value=Agri",
			},
		},
		{
			name: "a list that cannot be read checks no value", ranking: `{"group_by": "sector", "groups": "agri"}`,
			projects: `{"id": "P1", "sector": "fishing"}`,
			want:     []string{`ranking.groups: expected an array, found the string "agri"`},
		},
		{
			name: "a value of the list that is not a string", ranking: `{"group_by": "sector", "groups": ["agri", 7, "fishing"]}`,
			projects: `{"id": "P1", "sector": "fishing"}`,
			want:     []string{`ranking.groups[1]: expected a string, found the number 7`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := afkar.Decode([]byte(fmt.Sprintf(grouped, tt.ranking, tt.projects)))
			if tt.want == nil {
				require.NoError(t, err)
				require.NoError(t, ds.Validate())
				return
			}
			if diff := cmp.Diff(tt.want, problemsOf(t, err)); diff != "" {
				t.Fatalf("problems (-want +got):\n%s", diff)
			}
			if tt.codes != nil {
				if diff := cmp.Diff(tt.codes, codesOf(t, err)); diff != "" {
					t.Fatalf("codes (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// A thousand projects with mistyped values get a thousand lines and one
// more that says the rest are not listed.
func TestGroupValuesCapped(t *testing.T) {
	var ps []string
	for i := range 1500 {
		ps = append(ps, fmt.Sprintf(`{"id": "P%d", "region": "Dakhla %d"}`, i+1, i))
	}
	_, err := afkar.Decode([]byte(fmt.Sprintf(grouped, `{"group_by": "region"}`, strings.Join(ps, ", "))))
	got := problemsOf(t, err)
	require.Len(t, got, 1001)
	require.Equal(t, `projects[999].region: "Dakhla 999": did you mean dakhla-oued-ed-dahab? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`, got[999])
	require.Equal(t, "projects: more than 1000 problems of group values; the rest are not listed", got[1000])
}

// ranking.groups is part of the digest when listed, in its order; a
// dataset without it keeps the digest it had (the conformance cases'
// digests are checked by wasm/bridge's golden file).
func TestGroupsDigest(t *testing.T) {
	digest := func(ranking string) string {
		ds, err := afkar.Decode([]byte(fmt.Sprintf(grouped, ranking, `{"id": "P1", "sector": "agri"}`)))
		require.NoError(t, err)
		out, err := ds.MarshalJSON()
		require.NoError(t, err)
		back, err := afkar.Decode(out)
		require.NoError(t, err, "%s", out)
		require.Equal(t, ds.Digest(), back.Digest(), "encoded and decoded again: %s", out)
		return ds.Digest()
	}
	none := digest(`{"group_by": "sector"}`)
	ab := digest(`{"group_by": "sector", "groups": ["agri", "crafts"]}`)
	require.NotEqual(t, none, ab)
	require.NotEqual(t, ab, digest(`{"group_by": "sector", "groups": ["crafts", "agri"]}`), "the order counts")
	require.NotEqual(t, none, digest(`{"group_by": "sector", "groups": ["agri"]}`))
	require.Equal(t, ab, digest(`{"groups": ["agri", "crafts"], "group_by": "sector"}`), "key order does not")
}

// Evaluate checks group values as Validate does, for a dataset built or
// changed in Go.
func TestEvaluateChecksGroupValues(t *testing.T) {
	ds, err := afkar.Decode([]byte(fmt.Sprintf(grouped, `{"group_by": "region"}`, `{"id": "P1", "region": "oriental"}`)))
	require.NoError(t, err)
	ds.Projects[0].Region = "Oujda"
	want := []string{`projects[0].region: "Oujda": did you mean oriental? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`}
	_, err = afkar.Evaluate(context.Background(), ds)
	require.Equal(t, want, problemsOf(t, err))
	require.Equal(t, want, problemsOf(t, ds.Validate()))
}
