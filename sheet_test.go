package afkar_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

const sheetRubric = `{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}, "projects": [{"id": "P1"}, {"id": "P2"}], "scores": [
	{"judge": "J1", "project": "P1", "criterion": "c", "score": "9"},
	{"judge": "J1", "project": "P2", "criterion": "c", "score": "8"},
	{"judge": "J2", "project": "P1", "criterion": "c", "score": "7"}]}`

func TestStageDigestIgnoresScores(t *testing.T) {
	ds, err := afkar.Decode([]byte(sheetRubric))
	require.NoError(t, err)
	stage := ds.StageDigest()
	require.NotEqual(t, ds.Digest(), stage, "the digest covers the scores")
	sh, err := afkar.DecodeSheet([]byte(`{"judge": "J3", "scores": [{"judge": "J3", "project": "P2", "criterion": "c", "score": "5"}]}`))
	require.NoError(t, err)
	ds.Merge(sh)
	require.Equal(t, stage, ds.StageDigest(), "merging scores leaves the stage digest")
	ds.Projects[0].Title = "renamed"
	require.NotEqual(t, stage, ds.StageDigest(), "a changed project changes it")
}

func TestMergeSheetsVersionedReplacesTheJudgesScores(t *testing.T) {
	ds, err := afkar.Decode([]byte(sheetRubric))
	require.NoError(t, err)
	// J1's second version withdrew the score of P2 and changed P1's.
	sh, err := afkar.DecodeSheet(fmt.Appendf(nil, `{"judge": "J1", "dataset": %q, "seq": 2, "signed_off": true,
		"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "10"}]}`, ds.StageDigest()))
	require.NoError(t, err)
	require.True(t, sh.SignedOff)
	reports, err := ds.MergeSheets([]*afkar.Sheet{sh})
	require.NoError(t, err)
	require.Equal(t, []afkar.SheetReport{{Judge: "J1", Seq: 2, SignedOff: true, Scores: 1, Status: afkar.SheetMerged, By: -1}}, reports)
	var got []string
	for _, s := range ds.Scores.All() {
		got = append(got, s.Judge+" "+s.Project+" "+s.Value.String())
	}
	require.Equal(t, []string{"J2 P1 7", "J1 P1 10"}, got)
}

func TestMergeSheetsUnversioned(t *testing.T) {
	ds, err := afkar.Decode([]byte(sheetRubric))
	require.NoError(t, err)
	sh, err := afkar.DecodeSheet([]byte(`{"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "10"}]}`))
	require.NoError(t, err)
	reports, err := ds.MergeSheets([]*afkar.Sheet{sh})
	require.NoError(t, err)
	require.True(t, reports[0].Unverified)
	require.Equal(t, 3, ds.Scores.Len(), "an unversioned sheet merges score by score, as Merge does")
	require.Equal(t, "10", ds.Scores.At(0).Value.String())
}

func TestDecodeSheet(t *testing.T) {
	tests := []struct {
		name, in string
		want     *afkar.Sheet
		err      string
	}{
		{
			name: "identity",
			in: `{"judge": "J1", "dataset": "sha256:` + strings.Repeat("0", 64) + `", "seq": 7, "time": "2026-12-06T18:02:11+01:00", "signed_off": false,
				"scores": []}`,
			want: &afkar.Sheet{Judge: "J1", Dataset: "sha256:" + strings.Repeat("0", 64), Seq: 7,
				Time: time.Date(2026, 12, 6, 17, 2, 11, 0, time.UTC), Scores: []scoring.Score{}},
		},
		{
			name: "bad identity",
			in:   `{"dataset": "md5:1", "seq": 0, "time": "yesterday", "signed_off": "yes", "scores": []}`,
			err: `dataset: expected a dataset digest such as "sha256:" and 64 hex digits, found "md5:1"` + "\n" +
				`seq: expected a whole number from 1 (the sheet's version), found 0` + "\n" +
				`time: "yesterday" is not an RFC 3339 timestamp (expected e.g. 2025-04-16T09:30:00Z)` + "\n" +
				`signed_off: expected true or false, found the string "yes"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := afkar.DecodeSheet([]byte(tc.in))
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Empty(t, cmp.Diff(tc.want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })))
		})
	}
}

func TestDecodeSheetCSV(t *testing.T) {
	digest := "sha256:" + strings.Repeat("a", 64)
	sh, err := afkar.DecodeSheetCSV([]byte("\ufeffjudge,project,criterion,score,comment,dataset,seq\r\n" +
		"J1,P1,c,15.5,fine,\"" + digest + "\",4\r\n" +
		"J1,P2,c,\"12\",,\"" + digest + "\",4\r\n\r\n"))
	require.NoError(t, err)
	require.Equal(t, "J1", sh.Judge)
	require.Equal(t, digest, sh.Dataset)
	require.Equal(t, 4, sh.Seq)
	require.Len(t, sh.Scores, 2)
	require.Equal(t, "P2", sh.Scores[1].Project)
	require.Equal(t, "12", sh.Scores[1].Value.String())

	for _, tc := range []struct{ name, in, err string }{
		{"empty", "", `line 1: expected a header (project,judge,criterion,score), found an empty file`},
		{"no score column", "project,judge,criterion\nP1,J1,c\n", `line 1: missing column "score" (expected a header with project,judge,criterion,score)`},
		{"bad quote", "project,judge,criterion,score\nP1,J1,c,\"1\"2\n", `line 2, column 11: extraneous or missing " in quoted-field`},
		{"bad values", "project,judge,criterion,score,signed_off\nP1,J1,,1e999,maybe\n",
			"line 2, column 3 (criterion): required, empty\n" +
				"line 2, column 4 (score): \"1e999\" is out of range: its magnitude must lie within 1e-60 and 1e60\n" +
				"line 2, column 5 (signed_off): expected true or false, found \"maybe\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := afkar.DecodeSheetCSV([]byte(tc.in))
			require.EqualError(t, err, tc.err)
		})
	}
}
