package scoring

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestCodesListsEveryConstant: Codes, the list a translation table is
// checked against, holds every Code constant declared in code.go, once,
// each a dotted lowercase name.
func TestCodesListsEveryConstant(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "code.go", nil, 0)
	require.NoError(t, err)
	var declared []Code
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			for _, v := range vs.Values {
				s, err := strconv.Unquote(v.(*ast.BasicLit).Value)
				require.NoError(t, err)
				declared = append(declared, Code(s))
			}
		}
	}
	require.NotEmpty(t, declared)
	if diff := cmp.Diff(declared, Codes()); diff != "" {
		t.Errorf("Codes() and the constants of code.go differ (-declared +Codes):\n%s", diff)
	}
	form := regexp.MustCompile(`^[a-z_]+\.[a-z_]+$`)
	seen := map[Code]bool{}
	for _, c := range Codes() {
		require.False(t, seen[c], "code %q listed twice", c)
		seen[c] = true
		require.Regexp(t, form, string(c))
	}
}

func TestCheckScoreCodes(t *testing.T) {
	r := &Rubric{Criteria: []Criterion{
		{ID: "economic", Weight: d("0.5"), Step: d("0.5")}, // the scale's 0..20
		{ID: "youth", Weight: d("0.25"), Min: d("1"), Max: d("5"), Step: d("0.25")},
		{ID: "thirds", Weight: d("0.25"), Min: d("0"), Max: d("10"), Step: d("3")}, // 10 is off the grid
	}}
	tests := []struct {
		name      string
		criterion int
		value     string
		want      *ValueError // nil: valid
	}{
		{"on the grid", 0, "14.5", nil},
		{"trailing zeros", 0, "14.50", nil},
		{"off the grid", 0, "14.3", &ValueError{CodeScoreStep,
			Params{"value": "14.3", "criterion": "economic", "min": "0", "max": "20", "step": "0.5", "below": "14", "above": "14.5"},
			`14.3 is not min 0 plus a whole multiple of step 0.5 of criterion "economic"`}},
		{"grid from a minimum of 1", 1, "1.3", &ValueError{CodeScoreStep,
			Params{"value": "1.3", "criterion": "youth", "min": "1", "max": "5", "step": "0.25", "below": "1.25", "above": "1.5"},
			`1.3 is not min 1 plus a whole multiple of step 0.25 of criterion "youth"`}},
		// 9 + 3 = 12 is past the maximum 10: no valid score above 9.5.
		{"no valid score above", 2, "9.5", &ValueError{CodeScoreStep,
			Params{"value": "9.5", "criterion": "thirds", "min": "0", "max": "10", "step": "3", "below": "9"},
			`9.5 is not min 0 plus a whole multiple of step 3 of criterion "thirds"`}},
		{"below", 1, "0.75", &ValueError{CodeScoreBelowMin,
			Params{"value": "0.75", "criterion": "youth", "min": "1", "max": "5", "step": "0.25"},
			`0.75 is below the minimum 1 of criterion "youth"`}},
		{"above", 0, "21", &ValueError{CodeScoreAboveMax,
			Params{"value": "21", "criterion": "economic", "min": "0", "max": "20", "step": "0.5"},
			`21 is above the maximum 20 of criterion "economic"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.CheckScore(tt.criterion, d(tt.value))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			var got *ValueError
			require.ErrorAs(t, err, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			require.Equal(t, tt.want.Message, err.Error(), "the error is the English message")
		})
	}
}

func TestRubricProblemCodes(t *testing.T) {
	r := &Rubric{
		Criteria: []Criterion{
			{ID: "Social", Weight: d("0.5")},
			{ID: "eco", Weight: d("-0.5"), Min: d("5"), Max: d("5"), Step: d("-1")},
			{ID: "eco", Weight: d("0.25"), Threshold: decimal.NewNullDecimal(d("21"))},
		},
		Aggregation:    Aggregation{Method: TrimmedMean},
		MinJudges:      -1,
		TotalMax:       d("-100"),
		TotalThreshold: decimal.NewNullDecimal(d("1")),
		Rounding:       Rounding{Places: 2},
	}
	want := Problems{
		{"criteria[0].id", `"Social" is not a criterion id (expected a lowercase letter, then up to 31 of a-z, 0-9, _ and -)`,
			CodeCriterionInvalidID, Params{"id": "Social"}},
		{"criteria[1].weight", "expected a weight >= 0, found -0.5", CodeWeightNegative, Params{"value": "-0.5", "criterion": "eco"}},
		{"criteria[1].max", "min 5 must be below max 5", CodeRangeOrder, Params{"min": "5", "max": "5", "criterion": "eco"}},
		{"criteria[1].step", "expected a step > 0, found -1", CodeStepNotPositive, Params{"value": "-1", "criterion": "eco"}},
		{"criteria[2].id", `duplicate criterion id "eco" (first at criteria[1])`, CodeCriterionDuplicate,
			Params{"criterion": "eco", "first": "criteria[1]"}},
		{"criteria[2].threshold", "21 is outside the criterion's range [0, 20]", CodeThresholdRange,
			Params{"value": "21", "min": "0", "max": "20", "criterion": "eco"}},
		{"criteria", `weights must sum to exactly 1 under "exact" weights, they sum to 0.25 (set "weights": "relative" to divide each weight by their sum)`, CodeWeightsSum, Params{"sum": "0.25"}},
		{"aggregation.trim", `required by method "trimmed_mean" (an integer >= 1)`, CodeTrimRequired, nil},
		{"min_judges", "expected an integer >= 1, found -1", CodeIntegerRange, Params{"value": "-1", "min": "1"}},
		{"total_max", "expected a decimal > 0, found -100", CodeTotalMaxNotPositive, Params{"value": "-100"}},
		{"total_threshold", "1 is outside [0, total_max -100]", CodeTotalThresholdRange, Params{"value": "1", "max": "-100"}},
		{"rounding.mode", "places 2 given without a mode (expected half_up, half_even or down)", CodeRoundingModeMissing,
			Params{"places": "2"}},
	}
	err := r.Validate()
	require.Error(t, err)
	if diff := cmp.Diff(want, err.(Problems)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	r.Weights = "even" // no sum to check, a mode to report
	require.Contains(t, r.Validate().(Problems), Problem{"weights", `expected one of exact, relative, found "even"`, CodeEnumInvalid,
		Params{"found": "even", "allowed": "exact, relative"}})

	require.Equal(t, Problems{{"criteria", "expected 1 to 64 criteria, found none", CodeCriteriaCount,
		Params{"count": "0", "max": "64"}}}, (&Rubric{}).Validate())
}

func TestInputProblemCodes(t *testing.T) {
	r := oneCriterion(Aggregation{})
	in := Input{
		Projects: []Project{{ID: "P"}, {ID: "P"}, {ID: "-Q"}},
		Judges:   []Judge{{ID: "J", Conflicts: []string{"X"}, Abstains: []string{"Z"}}, {ID: "J"}, {ID: "", Conflicts: []string{"Y"}}},
		Scores: ScoresOf([]Score{
			{Judge: "K", Project: "P", Criterion: "c", Value: d("1")},
		}...),
	}
	want := Problems{
		{"projects[1].id", `duplicate project id "P" (first at projects[0])`, CodeProjectDuplicate,
			Params{"project": "P", "first": "projects[0]"}},
		{"projects[2].id", `"-Q" is not an id (expected a letter or digit, then up to 63 of A-Z, a-z, 0-9, '.', '_' and '-')`,
			CodeProjectInvalidID, Params{"id": "-Q"}},
		{"judges[0].conflicts[0]", `unknown project "X"`, CodeConflictUnknownProject, Params{"judge": "J", "project": "X"}},
		{"judges[0].abstains[0]", `unknown project "Z"`, CodeAbstentionUnknownProject, Params{"judge": "J", "project": "Z"}},
		{"judges[1].id", `duplicate judge id "J" (first at judges[0])`, CodeJudgeDuplicate, Params{"judge": "J", "first": "judges[0]"}},
		{"judges[2].id", `"" is not an id (expected a letter or digit, then up to 63 of A-Z, a-z, 0-9, '.', '_' and '-')`,
			CodeJudgeInvalidID, nil},
		{"judges[2].conflicts[0]", `unknown project "Y"`, CodeConflictUnknownProject, Params{"project": "Y"}},
		{"scores[0].judge", `unknown judge "K" (not in judges)`, CodeJudgeUnknown, Params{"judge": "K"}},
	}
	if diff := cmp.Diff(want, r.ValidateInputOnly(in).(Problems)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Without a list of judges, a score's judge must have the id form.
	in = Input{Projects: []Project{{ID: "P"}}, Scores: ScoresOf(Score{Judge: "J 1", Project: "P", Criterion: "c", Value: d("1")})}
	require.Equal(t, Problems{{"scores[0].judge", `"J 1" is not an id (expected a letter or digit, then up to 63 of A-Z, a-z, 0-9, '.', '_' and '-')`,
		CodeJudgeInvalidID, Params{"id": "J 1"}}}, r.ValidateInputOnly(in))
}

// TestPrefixKeepsCodes: a prefixed problem keeps its code and parameters.
func TestPrefixKeepsCodes(t *testing.T) {
	ps := Problems{{"criteria[0].weight", "m", CodeWeightNegative, Params{"value": "-1"}}, {"$", "n", "", nil}}
	require.Equal(t, Problems{
		{"rubric.criteria[0].weight", "m", CodeWeightNegative, Params{"value": "-1"}},
		{"rubric", "n", "", nil},
	}, ps.Prefix("rubric"))
	require.Equal(t, "rubric.criteria[0].weight: m\nrubric: n", ps.Prefix("rubric").Error(), "Error shows no code")
}
