package spreadsheet

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// careful reads data with ReadScores, as scoring.Scores; ok is false when
// it finds a problem.
func careful(data []byte, criteria []string) ([]scoring.Score, bool) {
	ss, err := ReadScores(bytes.NewReader(data), "f.csv", criteria)
	if err != nil {
		return nil, false
	}
	out := make([]scoring.Score, len(ss))
	for i, s := range ss {
		out[i] = scoring.Score{Project: s.Project, Judge: s.Judge, Criterion: s.Criterion, Value: s.Value}
	}
	return out, true
}

// same compares scores by their text, as decimals print.
func same(t *testing.T, want, got []scoring.Score) {
	t.Helper()
	text := func(ss []scoring.Score) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = s.Project + " " + s.Judge + " " + s.Criterion + " " + s.Value.String()
		}
		return out
	}
	if diff := cmp.Diff(text(want), text(got)); diff != "" {
		t.Fatalf("(-ReadScores +ReadScoresFast):\n%s", diff)
	}
}

// TestReadScoresFastMatches: on plain files of every shape (wide and long,
// missing scores, blank lines, CRLF, a BOM, no final newline, large enough
// for many chunks), the fast reader gives what ReadScores gives.
func TestReadScoresFastMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	criteria := []string{"social", "innovation", "youth"}
	for i := range 40 {
		var b strings.Builder
		long := i%2 == 0
		eol := []string{"\n", "\r\n"}[i%4/2]
		if i%5 == 0 {
			b.WriteString("\uFEFF")
		}
		if long {
			b.WriteString("project,judge,criterion,score" + eol)
		} else {
			b.WriteString("project,judge,youth,social,innovation" + eol)
		}
		rows := 10 + rng.IntN(3000)
		if i%7 == 0 {
			rows = 200_000 // several chunks of 1 MiB
		}
		for r := range rows {
			p, j := fmt.Sprintf("P-%d", r/5), fmt.Sprintf("J%d", r%5)
			v := func() string {
				if rng.IntN(20) == 0 {
					return "" // a missing score
				}
				return []string{"12", "17.5", "0", "20", "3.25", "19.75"}[rng.IntN(6)]
			}
			if long {
				fmt.Fprintf(&b, "%s,%s,%s,%s%s", p, j, criteria[r%3], v(), eol)
			} else {
				fmt.Fprintf(&b, "%s,%s,%s,%s,%s%s", p, j, v(), v(), v(), eol)
			}
			if rng.IntN(500) == 0 {
				b.WriteString(eol) // a blank line
			}
		}
		data := []byte(b.String())
		if i%3 == 0 {
			data = bytes.TrimSuffix(bytes.TrimSuffix(data, []byte("\n")), []byte("\r"))
		}
		want, ok := careful(data, criteria)
		require.True(t, ok, "case %d", i)
		got, ok := ReadScoresFast(data, criteria)
		require.True(t, ok, "case %d: the fast reader declined a plain file", i)
		same(t, want, got.Slice())
	}
}

// TestReadScoresFastDeclines: what is not plain, or has a problem, goes to
// the careful reader.
func TestReadScoresFastDeclines(t *testing.T) {
	for name, data := range map[string]string{
		"quotes":            "project,judge,social\n\"P1\",J1,3\n",
		"space":             "project,judge,social\nP1, J1,3\n",
		"ragged":            "project,judge,social\nP1,J1,3,4\n",
		"empty id":          "project,judge,social\n,J1,3\n",
		"bad score":         "project,judge,social\nP1,J1,3.5.1\n",
		"unknown column":    "project,judge,social,remarks\nP1,J1,3,ok\n",
		"bad header":        "projet,judge,social\nP1,J1,3\n",
		"no newline":        "project,judge,social",
		"not utf-8":         "project,judge,social\nP\xff,J1,3\n",
		"not a decimal":     "project,judge,social\nP1,J1,x\n",
		"two BOMs":          "\uFEFF\uFEFFproject,judge,social\nP1,J1,3\n",
		"unknown criterion": "project,judge,economy\nP1,J1,3\n",
	} {
		_, ok := ReadScoresFast([]byte(data), []string{"social"})
		require.False(t, ok, name)
	}
}

// FuzzReadScoresFast: on any input, when the fast reader accepts a file,
// ReadScores accepts it too and gives the same scores.
func FuzzReadScoresFast(f *testing.F) {
	f.Add([]byte("project,judge,social,youth\nP1,J1,3,4\nP1,J2,,5\n"))
	f.Add([]byte("project,judge,criterion,score\r\nP1,J1,social,3\r\n\r\nP2,J1,youth,4.5"))
	f.Add([]byte("\uFEFFproject,judge,youth\n,,\nP,J,1\n"))
	f.Add([]byte("\uFEFF\uFEFFproject,judge,youth\nP,J,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		criteria := []string{"social", "youth"}
		got, ok := ReadScoresFast(data, criteria)
		if !ok {
			return
		}
		want, ok := careful(data, criteria)
		if !ok {
			t.Fatalf("the fast reader accepted a file ReadScores rejects:\n%q", data)
		}
		same(t, want, got.Slice())
	})
}

// TestReadProjectsFastMatches: on plain projects files (columns in any
// order, empty cells, blank lines, CRLF, many chunks), the fast reader
// gives what ReadProjects gives, lines included.
func TestReadProjectsFastMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for i := range 20 {
		var b strings.Builder
		eol := []string{"\n", "\r\n"}[i%2]
		b.WriteString("region,id,title,submitted_at" + eol)
		rows := 5 + rng.IntN(500)
		if i%4 == 0 {
			rows = 60_000
		}
		for r := range rows {
			region := []string{"oriental", "souss-massa", ""}[rng.IntN(3)]
			title := []string{"Argan oil", "تعاونية", "", "Honey; bees"}[rng.IntN(4)]
			fmt.Fprintf(&b, "%s,P-%d,%s,%s%s", region, r, title, []string{"", "2026-03-01T09:00:00Z"}[rng.IntN(2)], eol)
			if rng.IntN(300) == 0 {
				b.WriteString(eol)
			}
		}
		data := []byte(b.String())
		want, err := ReadProjects(bytes.NewReader(data), "p.csv")
		require.NoError(t, err)
		got, ok := ReadProjectsFast(data)
		require.True(t, ok, "case %d", i)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("case %d (-ReadProjects +ReadProjectsFast):\n%s", i, diff)
		}
	}
	for name, data := range map[string]string{
		"quotes":   "id,title\nP1,\"a, b\"\n",
		"empty id": "id,title\n,x\n",
		"space":    "id,title\nP1, x\n",
		"ragged":   "id,title\nP1\n",
		"unknown":  "id,colour\nP1,red\n",
		"two BOMs": "\uFEFF\uFEFFid\nP1\n",
	} {
		_, ok := ReadProjectsFast([]byte(data))
		require.False(t, ok, name)
	}
}

// FuzzReadProjectsFast: when the fast reader accepts a file, ReadProjects
// accepts it and gives the same projects.
func FuzzReadProjectsFast(f *testing.F) {
	f.Add([]byte("id,title,region\nP1,Argan,souss-massa\n\nP2,,\n"))
	f.Add([]byte("\uFEFFregion,id\r\noriental,P1\r\n,,\r\n"))
	f.Add([]byte("\uFEFF\uFEFFid\nP1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := ReadProjectsFast(data)
		if !ok {
			return
		}
		want, err := ReadProjects(bytes.NewReader(data), "p.csv")
		if err != nil {
			t.Fatalf("the fast reader accepted a file ReadProjects rejects (%v):\n%q", err, data)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("(-ReadProjects +ReadProjectsFast):\n%s", diff)
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
		ss, ok := ReadScoresFast(data, rubric)
		if !ok {
			b.Fatal("declined")
		}
		if ss.Len() != 475_000 {
			b.Fatalf("%d scores", ss.Len())
		}
	}
}
