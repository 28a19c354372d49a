package withdrawal_test

import (
	"context"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/withdrawal"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// zscore is the package doc's hand-solved case.
const zscore = `{"rubric": {"criteria": [{"id": "social", "weight": "1"}], "aggregation": {"method": "zscore"}},
  "ranking": {"top": 2, "tie_break": ["id"]},
  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}, {"id": "P4"}],
  "judges": [{"id": "J1", "conflicts": ["P4"]}, {"id": "J2", "abstains": ["P1"]}],
  "scores": [
    {"judge": "J1", "project": "P1", "criterion": "social", "score": "10"},
    {"judge": "J1", "project": "P3", "criterion": "social", "score": "20"},
    {"judge": "J2", "project": "P2", "criterion": "social", "score": "12"},
    {"judge": "J2", "project": "P4", "criterion": "social", "score": "8"}]}`

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name string
		ds   string
		want *withdrawal.Report
	}{{
		// The conflict and the abstention name projects the judges did
		// not score: they change nothing, but must go with the project.
		name: "zscore",
		ds:   zscore,
		want: &withdrawal.Report{Withdrawals: []withdrawal.Withdrawal{
			{Project: "P1"},
			{Project: "P2", SelectionChanges: true, Selected: []string{"P4"}, Unselected: []string{"P1"},
				Moves: []withdrawal.Move{{Project: "P1", From: 2, To: 3}, {Project: "P4", From: 3, To: 2}}},
			{Project: "P3"},
			{Project: "P4", Moves: []withdrawal.Move{{Project: "P2", From: 1, To: 2}, {Project: "P3", From: 2, To: 1}}},
		}},
	}, {
		// The same scores under the mean: 10, 12, 20, 8; nothing moves.
		name: "mean",
		ds:   `{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}` + zscore[len(`{"rubric": {"criteria": [{"id": "social", "weight": "1"}], "aggregation": {"method": "zscore"}}`):],
		want: &withdrawal.Report{Withdrawals: []withdrawal.Withdrawal{{Project: "P1"}, {Project: "P2"}, {Project: "P3"}, {Project: "P4"}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := afkar.Decode([]byte(tt.ds))
			require.NoError(t, err)
			got, err := withdrawal.Analyze(context.Background(), ds)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Analyze (-want +got):\n%s", diff)
			}
		})
	}
}
