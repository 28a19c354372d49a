package spreadsheet_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/spreadsheet"
	"github.com/shopspring/decimal"
)

func ExampleReadScores() {
	// The wide form: a row per project and judge, a column per criterion.
	// J2 gave P001 no social score.
	const wide = "project,judge,social,economic\n" +
		"P001,J1,8,7.5\n" +
		"P001,J2,,6\n"
	scores, _, err := spreadsheet.ReadScores(strings.NewReader(wide),
		spreadsheet.Options{Name: "scores.csv", Criteria: []string{"social", "economic"}})
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

func ExampleReadScores_frenchExcel() {
	// Excel in a French locale saves "CSV UTF-8" with a byte order mark,
	// ';' between cells, decimal commas and CRLF line ends. The organiser
	// added a column of totals, which is not read.
	const excel = "\ufeffproject;judge;social;economic;total\r\n" +
		"P001;J1;15,5;14;29,5\r\n" +
		"P001;J2;12,25;;12,25\r\n"
	scores, layout, err := spreadsheet.ReadScores(strings.NewReader(excel),
		spreadsheet.Options{Name: "notes.csv", Criteria: []string{"social", "economic"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range scores {
		fmt.Println(s.Project, s.Judge, s.Criterion, s.Value)
	}
	fmt.Printf("delimiter %q, decimal %q, BOM %v\n", layout.Dialect.Comma, layout.Dialect.Decimal, layout.Dialect.BOM)
	for _, n := range layout.Notices {
		fmt.Println(n)
	}
	// Output:
	// P001 J1 social 15.5
	// P001 J1 economic 14
	// P001 J2 social 12.25
	// delimiter ';', decimal ',', BOM true
	// notes.csv:1: ignored column "total": not criteria of the rubric (social, economic)
}

func ExampleReadScores_problems() {
	// The long form, with a score that is not a decimal and a row a cell
	// short: every problem is reported, with its line and column.
	const long = "project,judge,criterion,score\n" +
		"P001,J1,social,7.5.1\n" +
		"P001,J1,economic\n"
	_, _, err := spreadsheet.ReadScores(strings.NewReader(long), spreadsheet.Options{Name: "scores.csv"})
	fmt.Println(err)
	// Output:
	// scores.csv:2:4: score for criterion "social": "7.5.1" is not a decimal: unexpected "."
	// scores.csv:3: expected 4 cells, found 3
}

func ExampleReadProjects() {
	// A projects file fills attributes from attributes.<key> columns, so
	// that a ranking may group by attributes.women_led.
	const projects = "id,title,region,attributes.women_led\n" +
		"P001,\"Solar fish drying, Dakhla\",dakhla-oued-ed-dahab,yes\n"
	ps, _, err := spreadsheet.ReadProjects(strings.NewReader(projects), spreadsheet.Options{Name: "projects.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ps {
		fmt.Printf("%s %q %s women_led=%s (line %d, title in column %d)\n",
			p.ID, p.Title, p.Region, p.Attributes["women_led"], p.Line, p.Columns["title"])
	}
	// Output:
	// P001 "Solar fish drying, Dakhla" dakhla-oued-ed-dahab women_led=yes (line 2, title in column 2)
}

func ExampleReadJudges() {
	const judges = "id;name;cooperative;conflicts\n" +
		"J1;Amina Idrissi;coop-017;\"P003;P007\"\n" +
		"J2;Youssef Alami;;P001|P002\n"
	js, _, err := spreadsheet.ReadJudges(strings.NewReader(judges), spreadsheet.Options{Name: "judges.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, j := range js {
		fmt.Printf("%s %s %q %v\n", j.ID, j.Name, j.Cooperative, j.Conflicts)
	}
	// Output:
	// J1 Amina Idrissi "coop-017" [P003 P007]
	// J2 Youssef Alami "" [P001 P002]
}

func ExampleWriteScores() {
	var scores scoring.Scores
	scores.Append(
		scoring.Score{Judge: "J1", Project: "P001", Criterion: "social", Value: decimal.RequireFromString("15.50")},
		scoring.Score{Judge: "J1", Project: "P001", Criterion: "economic", Value: decimal.RequireFromString("14")},
	)
	// For a French-locale Excel: ';' and decimal commas.
	err := spreadsheet.WriteScores(os.Stdout, scores, spreadsheet.Dialect{Comma: ';', Decimal: ','})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// project;judge;criterion;score
	// P001;J1;social;15,5
	// P001;J1;economic;14
}

func ExampleWriteProjects() {
	ps := []bank.Project{
		{ID: "P001", Title: "=HYPERLINK(\"http://x\")", Attributes: map[string]string{"women_led": "yes"}},
		{ID: "P002", Title: "مشروع الأركان"},
	}
	if err := spreadsheet.WriteProjects(os.Stdout, ps, spreadsheet.Dialect{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id,title,region,sector,cooperative,submitted_at,attributes.women_led
	// P001,"'=HYPERLINK(""http://x"")",,,,,yes
	// P002,مشروع الأركان,,,,,
}

func ExampleOrigin_Place() {
	const scores = "project,judge,social\nP001,J1,25\n"
	ss, _, err := spreadsheet.ReadScores(strings.NewReader(scores), spreadsheet.Options{Criteria: []string{"social"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The dataset validator says "scores[0].score: 25 is above the
	// maximum 20 of criterion "social"": show it at its cell.
	o := spreadsheet.Origin{ScoresFile: "scores.csv", Scores: ss}
	fmt.Println(o.Place("scores[0].score"))
	// Output:
	// scores.csv:2:3
}
