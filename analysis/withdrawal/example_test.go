package withdrawal_test

import (
	"context"
	"fmt"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/withdrawal"
)

func ExampleAnalyze() {
	ds, err := afkar.Decode([]byte(zscore))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := withdrawal.Analyze(context.Background(), ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range rep.Withdrawals {
		fmt.Printf("without %s: selection changes %t, %d places move\n", w.Project, w.SelectionChanges, len(w.Moves))
	}
	// Output:
	// without P1: selection changes false, 0 places move
	// without P2: selection changes true, 2 places move
	// without P3: selection changes false, 0 places move
	// without P4: selection changes false, 2 places move
}
