package spreadsheet

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

// careful reads data with ReadScores, as scoring.Scores, and its layout;
// ok is false when it finds a problem.
func careful(data []byte, o Options) ([]scoring.Score, Layout, bool) {
	ss, layout, err := ReadScores(bytes.NewReader(data), o)
	if err != nil {
		return nil, layout, false
	}
	out := make([]scoring.Score, len(ss))
	for i, s := range ss {
		out[i] = s.Score
	}
	return out, layout, true
}

// same compares scores by their text, as decimals print, and exponents.
func same(t *testing.T, want, got []scoring.Score) {
	t.Helper()
	text := func(ss []scoring.Score) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = fmt.Sprintf("%s %s %s %s e%d", s.Project, s.Judge, s.Criterion, s.Value, s.Value.Exponent())
		}
		return out
	}
	if diff := cmp.Diff(text(want), text(got)); diff != "" {
		t.Fatalf("(-ReadScores +ReadScoresFast):\n%s", diff)
	}
}

// sameLayout compares the layouts of both readers.
func sameLayout(t *testing.T, want, got Layout) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("layout (-careful +fast):\n%s", diff)
	}
}

// dialects are the options the equivalence tests read with: detected, and
// each setting that the command line can force.
var dialects = []Dialect{{}, {Comma: ';'}, {Comma: '\t'}, {Decimal: ','}, {Decimal: '.'}, {Comma: ';', Decimal: ','}}

// TestReadScoresFastMatches: on plain files of every shape (wide and long,
// each delimiter, decimal points and commas, extra columns, missing
// scores, blank lines, CRLF, a BOM, no final newline, large enough for
// many chunks), the fast reader gives what ReadScores gives, layout and
// all.
func TestReadScoresFastMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	criteria := []string{"social", "innovation", "youth"}
	for i := range 30 {
		var b strings.Builder
		long := i%2 == 0
		eol := []string{"\n", "\r\n"}[i%4/2]
		comma := []string{",", ";", "\t"}[i%3]
		point := "."
		if comma != "," && i%6 < 3 {
			point = "," // a French-locale export
		}
		extra := i%5 == 1
		if i%5 == 0 {
			b.WriteString("\uFEFF")
		}
		head := []string{"project", "judge", "youth", "social", "innovation"}
		if long {
			head = []string{"project", "judge", "criterion", "score"}
		}
		if extra {
			head = append(head, "total")
		}
		b.WriteString(strings.Join(head, comma) + eol)
		rows := 10 + rng.IntN(3000)
		if i%11 == 0 {
			rows = 200_000 // several chunks of 1 MiB
		}
		for r := range rows {
			p, j := fmt.Sprintf("P-%d", r/5), fmt.Sprintf("J%d", r%5)
			v := func() string {
				if rng.IntN(20) == 0 {
					return "" // a missing score
				}
				return strings.Replace([]string{"12", "17.5", "0", "20", "3.25", "19.75", "07.50"}[rng.IntN(7)], ".", point, 1)
			}
			cells := []string{p, j, v(), v(), v()}
			if long {
				cells = []string{p, j, criteria[r%3], v()}
			}
			if extra {
				cells = append(cells, strings.Replace("55.5", ".", point, 1))
			}
			b.WriteString(strings.Join(cells, comma) + eol)
			if rng.IntN(500) == 0 {
				b.WriteString(eol) // a blank line
			}
		}
		data := []byte(b.String())
		if i%3 == 0 {
			data = bytes.TrimSuffix(bytes.TrimSuffix(data, []byte("\n")), []byte("\r"))
		}
		o := Options{Name: "f.csv", Criteria: criteria}
		want, wantLayout, ok := careful(data, o)
		require.True(t, ok, "case %d", i)
		got, gotLayout, ok := ReadScoresFast(data, o)
		require.True(t, ok, "case %d: the fast reader declined a plain file", i)
		same(t, want, got.Slice())
		sameLayout(t, wantLayout, gotLayout)
		if extra {
			require.Equal(t, []string{"total"}, gotLayout.Ignored, "case %d", i)
		}
	}
}

// TestReadScoresFastDeclines: what is not plain, or has a problem, goes to
// the careful reader.
func TestReadScoresFastDeclines(t *testing.T) {
	for name, tt := range map[string]struct {
		data string
		d    Dialect
	}{
		"quotes":                   {data: "project,judge,social\n\"P1\",J1,3\n"},
		"space":                    {data: "project,judge,social\nP1, J1,3\n"},
		"ragged":                   {data: "project,judge,social\nP1,J1,3,4\n"},
		"empty id":                 {data: "project,judge,social\n,J1,3\n"},
		"bad score":                {data: "project,judge,social\nP1,J1,3.5.1\n"},
		"a typo of a criterion":    {data: "project,judge,socail\nP1,J1,3\n"},
		"bad header":               {data: "projet,judge,social\nP1,J1,3\n"},
		"no newline":               {data: "project,judge,social"},
		"not utf-8":                {data: "project,judge,social\nP\xff,J1,3\n"},
		"not a decimal":            {data: "project,judge,social\nP1,J1,x\n"},
		"two BOMs":                 {data: "\uFEFF\uFEFFproject,judge,social\nP1,J1,3\n"},
		"no criterion":             {data: "project,judge,economy\nP1,J1,3\n"},
		"a sep= line":              {data: "sep=;\nproject;judge;social\nP1;J1;3\n"},
		"tied delimiters":          {data: "project,judge;social\nP1,J1;3\n"},
		"the delimiter set wrong":  {data: "project;judge;social\nP1;J1;3\n", d: Dialect{Comma: ','}},
		"a point, a comma is set":  {data: "project;judge;social\nP1;J1;3.5\n", d: Dialect{Decimal: ','}},
		"a comma, a point is set":  {data: "project;judge;social\nP1;J1;3,5\n", d: Dialect{Decimal: '.'}},
		"both a point and a comma": {data: "project;judge;social\nP1;J1;1.003,5\n"},
	} {
		_, _, ok := ReadScoresFast([]byte(tt.data), Options{Criteria: []string{"social"}, Dialect: tt.d})
		require.False(t, ok, name)
	}
}

// FuzzReadScoresFast: on any input and in each dialect, when the fast
// reader accepts a file, ReadScores accepts it too and gives the same
// scores and layout.
func FuzzReadScoresFast(f *testing.F) {
	f.Add([]byte("project,judge,social,youth\nP1,J1,3,4\nP1,J2,,5\n"))
	f.Add([]byte("project,judge,criterion,score\r\nP1,J1,social,3\r\n\r\nP2,J1,youth,4.5"))
	f.Add([]byte("\uFEFFproject,judge,youth\n,,\nP,J,1\n"))
	f.Add([]byte("\uFEFF\uFEFFproject,judge,youth\nP,J,1\n"))
	f.Add([]byte("\uFEFFproject;judge;social;total;;youth\r\nP1;J1;15,5;;x;07\r\n"))
	f.Add([]byte("project\tjudge\tsocial\nP1\tJ1\t1,25\nP1\tJ2\t3.5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range dialects {
			o := Options{Criteria: []string{"social", "youth"}, Dialect: d}
			got, gotLayout, ok := ReadScoresFast(data, o)
			if !ok {
				continue
			}
			want, wantLayout, ok := careful(data, o)
			if !ok {
				t.Fatalf("dialect %+v: the fast reader accepted a file ReadScores rejects:\n%q", d, data)
			}
			same(t, want, got.Slice())
			sameLayout(t, wantLayout, gotLayout)
		}
	})
}

// TestReadProjectsFastMatches: on plain projects files (columns in any
// order, each delimiter, attribute columns, extra columns, cells kept from
// running as formulas, empty cells, blank lines, CRLF, many chunks), the
// fast reader gives what ReadProjects gives, lines and layout included.
func TestReadProjectsFastMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for i := range 12 {
		var b strings.Builder
		eol := []string{"\n", "\r\n"}[i%2]
		comma := []string{",", ";", "\t"}[i%3]
		b.WriteString(strings.Join([]string{"region", "id", "title", "submitted_at", "attributes.women_led", "summary"}, comma) + eol)
		rows := 5 + rng.IntN(500)
		if i%7 == 0 {
			rows = 60_000 // several chunks
		}
		for r := range rows {
			region := []string{"oriental", "souss-massa", ""}[rng.IntN(3)]
			title := []string{"Argan oil", "تعاونية", "", "Honey: bees", "'=1+2", "'plain"}[rng.IntN(6)]
			at := []string{"", "2026-03-01T09:00:00Z", "2026-03-01T10:00:00.5+01:00"}[rng.IntN(3)]
			women := []string{"", "yes", "no"}[rng.IntN(3)]
			b.WriteString(strings.Join([]string{region, fmt.Sprintf("P-%d", r), title, at, women, "x"}, comma) + eol)
			if rng.IntN(300) == 0 {
				b.WriteString(eol)
			}
		}
		data := []byte(b.String())
		{
			o := Options{Name: "p.csv", ExtraAsAttributes: i%4 < 2}
			want, wantLayout, err := ReadProjects(bytes.NewReader(data), o)
			require.NoError(t, err)
			got, gotLayout, ok := ReadProjectsFast(data, o)
			require.True(t, ok, "case %d", i)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("case %d (-ReadProjects +ReadProjectsFast):\n%s", i, diff)
			}
			sameLayout(t, wantLayout, gotLayout)
		}
	}
	for name, data := range map[string]string{
		"quotes":             "id,title\nP1,\"a, b\"\n",
		"empty id":           "id,title\n,x\n",
		"space":              "id,title\nP1, x\n",
		"ragged":             "id,title\nP1\n",
		"a typo":             "id,titel\nP1,red\n",
		"two BOMs":           "\uFEFF\uFEFFid\nP1\n",
		"a bad timestamp":    "id,submitted_at\nP1,yesterday\n",
		"a bad attributes":   "id,attributes\nP1,x\n",
		"an attribute twice": "id;attributes.a;attributes.a\nP1;x;y\n",
	} {
		_, _, ok := ReadProjectsFast([]byte(data), Options{})
		require.False(t, ok, name)
	}
}

// FuzzReadProjectsFast: when the fast reader accepts a file, ReadProjects
// accepts it and gives the same projects and layout, in each dialect.
func FuzzReadProjectsFast(f *testing.F) {
	f.Add([]byte("id,title,region\nP1,Argan,souss-massa\n\nP2,,\n"))
	f.Add([]byte("\uFEFFregion,id\r\noriental,P1\r\n,,\r\n"))
	f.Add([]byte("\uFEFF\uFEFFid\nP1\n"))
	f.Add([]byte("id;attributes.women_led;stage;attributes\nP1;yes;3;{}\nP2;;;\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range dialects {
			for _, extra := range []bool{false, true} {
				o := Options{Dialect: d, ExtraAsAttributes: extra}
				got, gotLayout, ok := ReadProjectsFast(data, o)
				if !ok {
					continue
				}
				want, wantLayout, err := ReadProjects(bytes.NewReader(data), o)
				if err != nil {
					t.Fatalf("the fast reader accepted a file ReadProjects rejects (%v):\n%q", err, data)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("(-ReadProjects +ReadProjectsFast):\n%s", diff)
				}
				sameLayout(t, wantLayout, gotLayout)
			}
		}
	})
}

// BenchmarkReadScoresFastWide reads BenchmarkReadScoresWide's file with
// the fast reader, on every core.
func BenchmarkReadScoresFastWide(b *testing.B) {
	data := wideFile(100_000)
	rubric := []string{"social", "economic", "innovation", "territorial", "youth"}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ss, _, ok := ReadScoresFast(data, Options{Criteria: rubric})
		if !ok {
			b.Fatal("declined")
		}
		if ss.Len() != 475_000 {
			b.Fatalf("%d scores", ss.Len())
		}
	}
}

// BenchmarkReadScoresFastFrench reads BenchmarkReadScoresWide's file as a
// French-locale Excel writes it (';', decimal commas, CRLF, a byte order
// mark) with the fast reader.
func BenchmarkReadScoresFastFrench(b *testing.B) {
	data := append([]byte("\ufeff"), bytes.ReplaceAll(bytes.ReplaceAll(bytes.ReplaceAll(wideFile(100_000), []byte(","), []byte(";")), []byte("."), []byte(",")), []byte("\n"), []byte("\r\n"))...)
	rubric := []string{"social", "economic", "innovation", "territorial", "youth"}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ss, layout, ok := ReadScoresFast(data, Options{Criteria: rubric})
		if !ok || layout.Dialect != (Dialect{Comma: ';', Decimal: ',', BOM: true}) {
			b.Fatal("declined")
		}
		if ss.Len() != 475_000 {
			b.Fatalf("%d scores", ss.Len())
		}
	}
}
