package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/scoring"
)

// sheets is the corpus of spreadsheet exports: one stage's scores,
// projects and judges as each spreadsheet program writes them (see its
// README), with the rubric and the same data as a JSON dataset.
const sheets = "../../testdata/spreadsheets/"

// csvArgs returns the CSV flags for the files of the corpus folder dir.
func csvArgs(dir string) []string {
	return []string{"--scores", dir + "scores.csv", "--projects", dir + "projects.csv", "--judges", dir + "judges.csv"}
}

// golden compares got with the file path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file; run go test -update")
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestSpreadsheetCorpus ranks each export of the corpus and compares the
// result with the JSON dataset's, byte for byte (digest included): the
// dialect changes nothing. The notices (the columns ignored) and the CSV
// result, written in the export's own dialect, are golden files.
func TestSpreadsheetCorpus(t *testing.T) {
	want := afkarCmd(t, "", "rank", "--format", "json", sheets+"dataset.json")
	require.Equal(t, 0, want.code, want.stderr)
	data, err := os.ReadFile(sheets + "dataset.json")
	require.NoError(t, err)
	ds, err := afkar.Decode(data)
	require.NoError(t, err)
	dirs, err := filepath.Glob(sheets + "*/scores.csv")
	require.NoError(t, err)
	require.Len(t, dirs, 6)
	for _, scores := range dirs {
		dir := filepath.Dir(scores) + "/"
		t.Run(filepath.Base(dir), func(t *testing.T) {
			args := append([]string{"rank", "--format", "json"}, csvArgs(dir)...)
			got := afkarCmd(t, "", append(args, sheets+"rubric.json")...)
			require.Equal(t, 0, got.code, got.stderr)
			require.Equal(t, want.stdout, got.stdout)
			golden(t, dir+"rank.stderr", strings.ReplaceAll(got.stderr, dir, "DIR/"))

			// The CSV result opens in the spreadsheet that wrote the scores.
			args = append([]string{"rank", "--format", "csv"}, csvArgs(dir)...)
			res := afkarCmd(t, "", append(args, sheets+"rubric.json")...)
			require.Equal(t, 0, res.code, res.stderr)
			golden(t, dir+"rank.csv", res.stdout)

			// The same files make the same dataset, digest and all.
			conv := afkarCmd(t, "", append(append([]string{"convert"}, csvArgs(dir)...), sheets+"rubric.json")...)
			require.Equal(t, 0, conv.code, conv.stderr)
			back, err := afkar.Decode([]byte(conv.stdout))
			require.NoError(t, err)
			require.Equal(t, ds.Digest(), back.Digest())

			// validate, analyze and sensitivity read them too.
			v := afkarCmd(t, "", append(append([]string{"validate"}, csvArgs(dir)...), sheets+"rubric.json")...)
			require.Equal(t, 0, v.code, v.stderr)
			require.Equal(t, "valid\n", v.stdout)
			a := afkarCmd(t, "", append(append([]string{"analyze", "--format", "json"}, csvArgs(dir)...), sheets+"rubric.json")...)
			require.Equal(t, 0, a.code, a.stderr)
			aw := afkarCmd(t, "", "analyze", "--format", "json", sheets+"dataset.json")
			require.Equal(t, aw.stdout, a.stdout)
			s := afkarCmd(t, "", append(append([]string{"sensitivity", "--samples", "200", "--format", "json"}, csvArgs(dir)...), sheets+"rubric.json")...)
			require.Equal(t, 0, s.code, s.stderr)
			sw := afkarCmd(t, "", "sensitivity", "--samples", "200", "--format", "json", sheets+"dataset.json")
			require.Equal(t, sw.stdout, s.stdout)
		})
	}
}

// TestCSVOutputDialect: the CSV result follows the scores' dialect unless
// the --out flags say otherwise.
func TestCSVOutputDialect(t *testing.T) {
	dir := sheets + "excel-fr/"
	rank := func(extra ...string) string {
		args := append(append([]string{"rank", "--format", "csv"}, csvArgs(dir)...), extra...)
		r := afkarCmd(t, "", append(args, sheets+"rubric.json")...)
		require.Equal(t, 0, r.code, r.stderr)
		return strings.SplitN(r.stdout, "\n", 3)[1]
	}
	require.Equal(t, "1;DAK-02;تثمين الطحالب البحرية بالداخلة;yes;1;83,71;16,83;15,67;16,83;17,00;9,00;3;true;true;total;", rank())
	require.Equal(t, "1,DAK-02,تثمين الطحالب البحرية بالداخلة,yes,1,83.71,16.83,15.67,16.83,17.00,9.00,3,true,true,total,",
		rank("--out-delimiter", ",", "--out-decimal-comma=false"))
	require.Equal(t, `1,DAK-02,تثمين الطحالب البحرية بالداخلة,yes,1,"83,71","16,83","15,67","16,83","17,00","9,00",3,true,true,total,`,
		rank("--out-delimiter", ","))
	require.Equal(t, "1\tDAK-02\tتثمين الطحالب البحرية بالداخلة\tyes\t1\t83.71\t16.83\t15.67\t16.83\t17.00\t9.00\t3\ttrue\ttrue\ttotal\t",
		rank("--out-delimiter", "tab", "--out-decimal-comma=false"))

	// A JSON dataset gives the canonical dialect, or the one asked for.
	r := afkarCmd(t, "", "rank", "--format", "csv", "--out-delimiter", ";", "--out-decimal-comma", "--out-bom", sheets+"dataset.json")
	require.Equal(t, 0, r.code, r.stderr)
	require.True(t, strings.HasPrefix(r.stdout, "\ufeffrank;id;title;group;group_rank;total;"), r.stdout[:40])
	r = afkarCmd(t, "", "rank", "--format", "csv", sheets+"dataset.json")
	require.True(t, strings.HasPrefix(r.stdout, "rank,id,title,group,group_rank,total,"), r.stdout[:40])
}

// TestSpreadsheetMessages: what the command line says about spreadsheets,
// word for word.
func TestSpreadsheetMessages(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		return path
	}
	rubric := write("rubric.json", `{"rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "economic", "weight": "0.5"}]}}`)
	french := write("fr.csv", "\ufeffproject;judge;social;economic\r\nP1;J1;15,5;14\r\nP2;J1;12;11,5\r\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"a French Excel file read as ','", []string{"rank", "--delimiter", ",", "--scores", french, rubric}, 2,
			"FILE:1: the header has ';' between names, not ',' (--delimiter): is this a French-locale Excel export? Leave out --delimiter to detect it, or set --delimiter ';'\n"},
		{"a decimal point where a comma is set", []string{"rank", "--decimal-comma",
			"--scores", write("pt.csv", "project;judge;social;economic\nP1;J1;15.5;14\n"), rubric}, 2,
			"FILE:2:3: score for criterion \"social\": \"15.5\" has a decimal point, but the file is read with a decimal comma (as in 7,5)\n"},
		{"a decimal comma where a point is set", []string{"validate", "--decimal-comma=false", "--scores", french, rubric}, 2,
			"FILE:2:3: score for criterion \"social\": \"15,5\" has a decimal comma, but the file is read with a decimal point (as in 7.5)\n" +
				"FILE:3:4: score for criterion \"economic\": \"11,5\" has a decimal comma, but the file is read with a decimal point (as in 7.5)\n"},
		{"the header in one name", []string{"rank", "--scores", write("pipe.csv", "project|judge|social\nP1|J1|1\nP2|J1|2\nP3|J1|3\n"), rubric}, 2,
			"FILE:1: the header is one name, \"project|judge|social\": expected names separated by ',', ';' or a tab\n"},
		{"extra columns and a typo", []string{"rank", "--scores", write("typo.csv", "project,judge,socail,economic,total\nP1,J1,1,2,3\n"), rubric}, 2,
			"afkar: FILE:1: ignored column \"total\": not criteria of the rubric (social, economic)\n" +
				"FILE:1:3: unknown column \"socail\": did you mean \"social\"?\n"},
		{"a judge's conflict with no project", []string{"validate", "--scores", french,
			"--judges", write("j.csv", "id,conflicts\nJ1,P1|P9\n"), rubric}, 2,
			"FILE:2:2: unknown project \"P9\"\n"},
		{"a bad --delimiter", []string{"rank", "--delimiter", "|", "--scores", french, rubric}, 2,
			"afkar: --delimiter: expected ',', ';' or tab, found \"|\"\n"},
		{"a bad --out-delimiter", []string{"rank", "--out-delimiter", "pipe", rubric}, 2,
			"afkar: --out-delimiter: expected ',', ';' or tab, found \"pipe\"\n"},
		{"a bad --decimal-comma", []string{"analyze", "--decimal-comma=oui", rubric}, 2,
			"invalid boolean value \"oui\" for -decimal-comma: expected true or false, found \"oui\"\n"}, // then the usage
		{"--judges without --scores", []string{"sensitivity", "--judges", "j.csv", rubric}, 2,
			"afkar: --judges goes with --scores\n"},
		{"--projects without --scores", []string{"validate", "--projects", "p.csv", rubric}, 2,
			"afkar: --projects goes with --scores\n"},
		{"an output dialect for a table", []string{"rank", "--out-bom", rubric}, 2,
			"afkar: --out-delimiter, --out-decimal-comma and --out-bom go with --format csv\n"},
		{"an output dialect for JSON", []string{"convert", "--scores", french, "--out-delimiter", ";", rubric}, 2,
			"afkar: --out-delimiter, --out-decimal-comma and --out-bom go with --to csv\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := afkarCmd(t, "", tt.args...)
			require.Equal(t, tt.code, r.code, r.stderr)
			got := r.stderr
			for _, a := range tt.args {
				if strings.HasPrefix(a, dir) && a != rubric {
					got = strings.ReplaceAll(got, a, "FILE")
				}
			}
			if strings.HasPrefix(tt.stderr, "invalid boolean") {
				got = strings.SplitN(got, "\n", 2)[0] + "\n"
			}
			require.Equal(t, tt.stderr, got)
		})
	}
}

// TestConvertRoundTrip: every valid dataset of the conformance suite, and
// the built-in sample, written as CSV files and converted back, has its
// digest. A text that a cell cannot hold as it is stops the conversion
// with its place in the dataset.
func TestConvertRoundTrip(t *testing.T) {
	dir := t.TempDir()
	samplePath := filepath.Join(dir, "sample.json")
	require.NoError(t, os.WriteFile(samplePath, sample.JSON(), 0o644))
	paths, err := filepath.Glob(conformance + "[0-9]*/dataset.json")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	paths = append(paths, samplePath)
	dialects := [][]string{nil, {"--out-delimiter", ";", "--out-decimal-comma", "--out-bom"}, {"--out-delimiter", "tab"}}
	for i, path := range paths {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		ds, err := afkar.Decode(data)
		require.NoError(t, err, path)
		out := filepath.Join(dir, strings.ReplaceAll(filepath.Dir(path), "/", "_"))
		args := append([]string{"convert", "--dir", out}, dialects[i%len(dialects)]...)
		w := afkarCmd(t, "", append(args, path)...)
		require.Equal(t, 0, w.code, "%s: %s", path, w.stderr)
		in := []string{"convert", "--scores", filepath.Join(out, "scores.csv"), "--projects", filepath.Join(out, "projects.csv")}
		if ds.Judges != nil {
			in = append(in, "--judges", filepath.Join(out, "judges.csv"))
		} else {
			require.Equal(t, "afkar: the dataset lists no judges (its judges are those its scores name): no judges.csv written\n", w.stderr)
		}
		r := afkarCmd(t, "", append(in, filepath.Join(out, "rubric.json"))...)
		require.Equal(t, 0, r.code, "%s: %s", path, r.stderr)
		back, err := afkar.Decode([]byte(r.stdout))
		require.NoError(t, err, path)
		require.Equal(t, ds.Digest(), back.Digest(), path)
	}
}

// TestConvert: the files written, the usage mistakes, and a text a cell
// cannot hold.
func TestConvert(t *testing.T) {
	dir := t.TempDir()
	ds := `{"rubric": {"criteria": [{"id": "c", "weight": "1"}]},
	  "projects": [{"id": "P1", "title": " padded", "attributes": {"k": ""}}, {"id": "P2"}],
	  "judges": [{"id": "J", "name": "Amina"}],
	  "scores": [{"judge": "J", "project": "P1", "criterion": "c", "score": "10"}, {"judge": "J", "project": "P2", "criterion": "c", "score": "5"}]}`
	path := filepath.Join(dir, "ds.json")
	require.NoError(t, os.WriteFile(path, []byte(ds), 0o644))
	out := filepath.Join(dir, "out")
	r := afkarCmd(t, "", "convert", "--dir", out, path)
	require.Equal(t, 2, r.code)
	require.Equal(t, `projects[0].title: " padded" starts or ends with white space, which a spreadsheet cell does not keep`+"\n"+
		`projects[0].attributes.k: an empty value, which a spreadsheet reads as no attribute`+"\n", r.stderr)
	_, err := os.Stat(out)
	require.True(t, os.IsNotExist(err), "nothing written")

	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(strings.Replace(ds, `" padded"`, `"padded"`, 1), `""`, `"v"`, 1)), 0o644))
	r = afkarCmd(t, "", "convert", "--out-scores", filepath.Join(dir, "s.csv"), "--out-judges", filepath.Join(dir, "j.csv"), path)
	require.Equal(t, 0, r.code, r.stderr)
	require.Equal(t, "wrote "+filepath.Join(dir, "s.csv")+" (2 scores)\nwrote "+filepath.Join(dir, "j.csv")+" (1 judge)\n", r.stdout)
	b, err := os.ReadFile(filepath.Join(dir, "s.csv"))
	require.NoError(t, err)
	require.Equal(t, "project,judge,criterion,score\nP1,J,c,10\nP2,J,c,5\n", string(b))

	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"convert", path}, "afkar: --to csv needs --dir DIR, or the files to write (--out-scores, --out-projects, --out-judges, --out-rubric)\n"},
		{[]string{"convert", "--to", "xml", path}, "afkar: --to: expected json or csv, found \"xml\"\n"},
		{[]string{"convert", "--to", "json", "--dir", out, path}, "afkar: --dir and --out-scores, --out-projects, --out-judges, --out-rubric go with --to csv\n"},
		{[]string{"convert", "--to", "csv", "-o", "x.json", path}, "afkar: -o goes with --to json; with --to csv, use --dir or --out-scores, --out-projects, --out-judges, --out-rubric\n"},
		{[]string{"convert", "--out-judges", filepath.Join(dir, "j.csv"), conformance + "003/dataset.json"}, "afkar: --out-judges: the dataset lists no judges (its judges are those its scores name)\n"},
		{[]string{"convert", "--dir", out, "a.json", "b.json"}, "afkar: convert takes at most one dataset, found 2: a.json b.json\n"},
	} {
		r := afkarCmd(t, "", tt.args...)
		require.Equal(t, 2, r.code, r.stderr)
		require.Equal(t, tt.msg, r.stderr, "%q", tt.args)
	}
}

// TestBankExportIntoRank: the bank's ideas export (bank/store) is a
// projects file as it is: its extra columns are ignored with one notice,
// its attributes column fills the attributes, titles kept from running as
// formulas read as they were; the ranking is the one of the same projects
// in a JSON dataset.
func TestBankExportIntoRank(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2025, 4, 17, 8, 0, 0, 0, time.UTC)
	b := store.New(store.Config{Clock: func() time.Time { now = now.Add(time.Minute); return now }})
	_, err := b.AddCooperative(t.Context(), bank.Cooperative{ID: "coop-042", Name: "Tafyoucht", Region: "souss-massa", Sector: "argan", Members: 12, WomenMembers: 9})
	require.NoError(t, err)
	ideas := []bank.Project{
		{ID: "AGA-01", Title: "تعاونية أركان: زيت التجميل", Summary: "Huile d'argan, cosmétique; vente en ligne", Region: "souss-massa", Sector: "argan",
			Stage: 12, Cooperative: "coop-042", BudgetMAD: decimal.RequireFromString("120000.50"), Attributes: map[string]string{"women_led": "yes"},
			Carrier: &bank.Carrier{Name: "Fatima", Kind: bank.CarrierPerson, AgeBand: bank.Age18to24}, Tags: []string{"argan", "export"}},
		{ID: "AGA-02", Title: "=HYPERLINK(\"http://x\",\"Saffron\")", Region: "souss-massa", Sector: "agri-food", Stage: 12, Cooperative: "coop-042",
			SubmittedAt: time.Date(2025, 4, 16, 9, 30, 0, 0, time.FixedZone("", 3600)), Attributes: map[string]string{"women_led": "no"}},
		{ID: "AGA-03", Title: "Surf, eco-tourism \"Taghazout\"", Region: "souss-massa", Sector: "tourism", Stage: 12, Cooperative: "coop-042"},
	}
	for _, p := range ideas {
		_, err := b.Add(t.Context(), p, "organiser")
		require.NoError(t, err)
	}
	var export bytes.Buffer
	require.NoError(t, b.ExportIdeasCSV(t.Context(), &export))
	ideasCSV := filepath.Join(dir, "ideas.csv")
	require.NoError(t, os.WriteFile(ideasCSV, export.Bytes(), 0o644))
	scoresCSV := filepath.Join(dir, "scores.csv")
	require.NoError(t, os.WriteFile(scoresCSV, []byte("project,judge,social,economic\nAGA-01,J1,15,14\nAGA-01,J2,16,13\nAGA-02,J1,12,18\nAGA-02,J2,13,17\nAGA-03,J1,15,14\nAGA-03,J2,16,13.5\n"), 0o644))
	rubric := `{"rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "economic", "weight": "0.5"}]},
	  "ranking": {"group_by": "attributes.women_led", "tie_break": ["submitted_at", "id"]}}`
	rubricPath := filepath.Join(dir, "rubric.json")
	require.NoError(t, os.WriteFile(rubricPath, []byte(rubric), 0o644))

	got := afkarCmd(t, "", "rank", "--format", "json", "--scores", scoresCSV, "--projects", ideasCSV, rubricPath)
	require.Equal(t, 0, got.code, got.stderr)
	require.Equal(t, "afkar: "+ideasCSV+`:1: ignored columns "summary", "stage", "carrier_name", "carrier_kind", "carrier_age_band", "carrier_members", `+
		`"carrier_email", "budget_mad", "expected_jobs", "beneficiaries", "tags", "status", "adopter": not project fields `+
		"(name a column attributes.<key>, or use --extra-as-attributes, to read it as an attribute)\n", got.stderr)

	// The same projects, as the bank holds them, in a JSON dataset.
	ds, err := afkar.DecodeOptions{Partial: true}.Decode([]byte(rubric))
	require.NoError(t, err)
	all, err := b.Ideas(t.Context())
	require.NoError(t, err)
	for _, idea := range all {
		p := idea.Project
		ds.Projects = append(ds.Projects, bank.Project{ID: p.ID, Title: p.Title, Region: p.Region, Sector: p.Sector,
			Cooperative: p.Cooperative, SubmittedAt: p.SubmittedAt, Attributes: p.Attributes})
	}
	for _, row := range [][3]string{{"AGA-01", "J1", "15"}, {"AGA-01", "J1", "14"}, {"AGA-01", "J2", "16"}, {"AGA-01", "J2", "13"},
		{"AGA-02", "J1", "12"}, {"AGA-02", "J1", "18"}, {"AGA-02", "J2", "13"}, {"AGA-02", "J2", "17"},
		{"AGA-03", "J1", "15"}, {"AGA-03", "J1", "14"}, {"AGA-03", "J2", "16"}, {"AGA-03", "J2", "13.5"}} {
		crit := "social"
		if ds.Scores.Len()%2 == 1 {
			crit = "economic"
		}
		ds.Scores.Append(scoring.Score{Project: row[0], Judge: row[1], Criterion: crit, Value: decimal.RequireFromString(row[2])})
	}
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	want, err := res.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, string(want), got.stdout)
	require.Contains(t, got.stdout, `"group": "yes"`)

	// With --extra-as-attributes, the bank's other columns are attributes.
	extra := afkarCmd(t, "", "convert", "--extra-as-attributes", "--scores", scoresCSV, "--projects", ideasCSV, rubricPath)
	require.Equal(t, 0, extra.code, extra.stderr)
	require.Empty(t, extra.stderr)
	back, err := afkar.Decode([]byte(extra.stdout))
	require.NoError(t, err)
	require.Equal(t, map[string]string{"women_led": "yes", "summary": "Huile d'argan, cosmétique; vente en ligne", "stage": "12",
		"carrier_name": "Fatima", "carrier_kind": "person", "carrier_age_band": "18-24", "budget_mad": "120000.50",
		"tags": "argan;export", "status": "submitted"}, back.Projects[slices.IndexFunc(back.Projects, func(p bank.Project) bool { return p.ID == "AGA-01" })].Attributes)
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		r := afkarCmd(t, "", args...)
		require.Equal(t, 0, r.code, r.stderr)
		lines := strings.Split(r.stdout, "\n")
		require.Len(t, lines, 4, r.stdout)
		require.True(t, strings.HasPrefix(lines[0], "afkar "), lines[0])
		require.Contains(t, lines[0], "(module github.com/afkarlab/afkar, go1.")
		require.Equal(t, "reads:  datasets afkar/1 (JSON); scores, projects and judges as CSV (',', ';' or tab; decimal point or comma; UTF-8)", lines[1])
		require.Equal(t, "writes: results afkar-result/1 (JSON, CSV, tables); datasets afkar/1 (JSON); scores, projects and judges as CSV", lines[2])
	}
	r := afkarCmd(t, "", "version", "extra")
	require.Equal(t, 2, r.code)
	require.Equal(t, "afkar: version takes no arguments, found \"extra\"\n", r.stderr)
}
