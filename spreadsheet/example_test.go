package spreadsheet_test

import (
	"fmt"
	"strings"

	"github.com/afkarlab/afkar/spreadsheet"
)

func ExampleReadScores() {
	// The wide form: a row per project and judge, a column per criterion.
	// J2 gave P001 no social score.
	const wide = "project,judge,social,economic\n" +
		"P001,J1,8,7.5\n" +
		"P001,J2,,6\n"
	scores, err := spreadsheet.ReadScores(strings.NewReader(wide), "scores.csv", []string{"social", "economic"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range scores {
		fmt.Printf("%s %s %s=%s at %d:%d\n", s.Project, s.Judge, s.Criterion, s.Value, s.Line, s.Column)
	}
	// Output:
	// P001 J1 social=8 at 2:3
	// P001 J1 economic=7.5 at 2:4
	// P001 J2 economic=6 at 3:4
}

func ExampleReadScores_problems() {
	// The long form, with a decimal comma and a row a cell short: every
	// problem is reported, with its line and column.
	const long = "project,judge,criterion,score\n" +
		"P001,J1,social,\"7,5\"\n" +
		"P001,J1,economic\n"
	_, err := spreadsheet.ReadScores(strings.NewReader(long), "scores.csv", nil)
	fmt.Println(err)
	// Output:
	// scores.csv:2:4: score for criterion "social": "7,5" is not a decimal: unexpected ","
	// scores.csv:3: expected 4 cells, found 3
}

func ExampleReadProjects() {
	const projects = "id,title,region\n" +
		"P001,\"Solar fish drying, Dakhla\",dakhla-oued-ed-dahab\n"
	ps, err := spreadsheet.ReadProjects(strings.NewReader(projects), "projects.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ps {
		fmt.Printf("%s %q %s (line %d, title in column %d)\n", p.ID, p.Title, p.Region, p.Line, p.Columns["title"])
	}
	// Output:
	// P001 "Solar fish drying, Dakhla" dakhla-oued-ed-dahab (line 2, title in column 2)
}
