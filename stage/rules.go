package stage

import (
	"fmt"

	"github.com/afkarlab/afkar"
)

// ParseRules reads a stage's rules: an afkar/1 dataset of which only the
// rubric and the ranking are kept (projects, judges and scores, when
// present, are ignored). It returns them as a dataset with no projects,
// and the canonical bytes to store, as the library writes them. Bad rules
// are an afkar.Problems.
func ParseRules(data []byte) (*afkar.Dataset, []byte, error) {
	ds, err := afkar.DecodeOptions{Partial: true}.Decode(data)
	if err != nil {
		return nil, nil, err
	}
	rules := &afkar.Dataset{Format: afkar.Format, Rubric: ds.Rubric, Ranking: ds.Ranking, Projects: nil, Judges: nil}
	if err := rules.Validate(); err != nil {
		return nil, nil, err
	}
	canonical, err := rules.MarshalJSON()
	if err != nil {
		return nil, nil, fmt.Errorf("writing the rules: %w", err)
	}
	return rules, canonical, nil
}
