package tour_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/tour"
)

// Build seals a tour of the sample's 12 regional stages; Verify checks
// it against the same files.
func ExampleBuild() {
	fsys := fstest.MapFS{}
	tr := &tour.Tour{Rule: tour.Rule{Top: 2, Wildcards: 4, MaxPerStage: 3}}
	for _, s := range sample.Stages() {
		fsys[s.Region+".json"] = &fstest.MapFile{Data: s.JSON}
		tr.Stages = append(tr.Stages, tour.Stage{ID: s.Region, Dataset: s.Region + ".json"})
	}
	built, err := tour.Build(context.Background(), tr, fsys)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(built.Final.Projects), "projects in the final")
	for _, a := range built.Tour.Advanced[24:] {
		fmt.Println(a.Project, a.Stage, a.By)
	}
	rep, _ := tour.Verify(context.Background(), built.Tour, fsys)
	fmt.Println("verified:", rep.OK())
	// Output:
	// 28 projects in the final
	// BEN-05 beni-mellal-khenifra wildcard
	// FES-06 fes-meknes wildcard
	// TAN-04 tanger-tetouan-al-hoceima wildcard
	// LAA-06 laayoune-sakia-el-hamra wildcard
	// verified: true
}

// Verify names the first thing that does not match: here, a tour that
// records a stage whose file is missing.
func ExampleVerify() {
	tr, err := tour.Decode([]byte(`{"format": "afkar-tour/1",
		"stages": [{"id": "dakhla", "dataset": "dakhla.json"}],
		"advancement": {"top": 3}}`))
	if err != nil {
		panic(err)
	}
	rep, _ := tour.Verify(context.Background(), tr, fstest.MapFS{})
	fmt.Println(rep.Mismatches[0])
	// Output:
	// stages[0].dataset: stage "dakhla": cannot read "dakhla.json": open dakhla.json: file does not exist
}
