package jsontree

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// deferredInputs are inputs where the deferred arrays are, or are not,
// what ParseDeferring skips: in the root, twice, nested, empty, holding
// containers, scalars, escapes and errors.
var deferredInputs = []string{
	`{"scores": [{"judge": "J1", "score": 7.5}, {"judge": "J\u00e9", "score": "8"}], "rubric": {}}`,
	`{"rubric": {"scores": [1, 2]}, "scores": [[1, [2, {"a": []}]], {}, [], "x", null, true, -0.5e3]}`,
	`{"scores": [], "projects": [ ], "x": {}}`,
	`{"scores": [1], "scores": [2, 3], "projects": [{"id": "P1", "attributes": {"k": "v"}}]}`,
	`{"scores": {"a": [1, 2]}, "projects": "P"}`,
	`[{"scores": [1, 2]}, [3]]`,
	` { "scores" : [ 1 , 2 ] } `,
	`{"scores": [1, 2,]}`,
	`{"scores": [1 2]}`,
	`{"scores": [,]}`,
	`{"scores": [{"a": 1,}]}`,
	`{"scores": [{"a" 1}]}`,
	`{"scores": [01]}`,
	`{"scores": ["` + "\x01" + `"]}`,
	`{"scores": [[[[[[1]]]]]]}`,
	`{"scores": ["abcdefghijklmnopqrstuvwxyz"]}`,
	`{"scores": [tru]}`,
	`{"scores": [1]`,
	`{"scores": [`,
	`{"scores": [] }x`,
	// What the plain elements' loop (skipPlain) passes over, and where it
	// gives way to parse: each at the start, in the middle and at the end.
	`{"scores": [{"a": "b", "c": [1, -2, 0.5, -0.25, true, false, null, {}, []]}, {"a": "b"}, 3]}`,
	`{"scores": [{"a": "b"}, {"a": "\u00e9"}, {"a": "b"}, {"é": 1}, {"a": "é"}, 1]}`,
	`{"scores": [1e3, 1, 2E-1, 3, -0, 0.0, 10]}`,
	`{"scores": [1, 01, 2]}`, `{"scores": [1, 1., 2]}`, `{"scores": [1, -, 2]}`, `{"scores": [1, 1.2.3, 2]}`, `{"scores": [1, -x]}`,
	`{"scores": [1, 2x, 3]}`, `{"scores": [1, 0x1]}`, `{"scores": [1, +1]}`, `{"scores": [1, .5]}`,
	`{"scores": [true, truex, 1]}`, `{"scores": [null, nul]}`, `{"scores": [false, False]}`, `{"scores": [null,null]}`,
	`{"scores": [1, 2, 3,]}`, `{"scores": [1, 2, 3 ]}`, `{"scores": [1, 2, 3,` + "\n\t\r " + `]}`, `{"scores": [1,2,,3]}`,
	`{"scores": [{"a": 1}, {"a": 1,}, {"a": 1}]}`, `{"scores": [{"a": 1}, {"a" 1}, {"a": 1}]}`, `{"scores": [{"a": 1}, {a: 1}]}`,
	`{"scores": [{"a": 1}, {"a": 1}}, 1]}`, `{"scores": [{"a": 1}, [1}, 1]}`, `{"scores": [{}, [], {"a": []}, [{}]]}`,
	`{"scores": [{"a": 1}, {"a": 1} {"a": 1}]}`, `{"scores": [{"a": 1}, {"a": 1} /* c */, 1]}`,
	`{"scores": ["` + "0123456789abcdef" + `", "` + "0123456789abcdefg" + `", "x"]}`,
	`{"scores": ["` + "0123456789abcde" + `", "` + "0123456789abcdef" + `"]}`,
	`{"scores": [1, "a` + "\t" + `b", 2]}`, `{"scores": [1, "a` + "\x7f" + `", 2]}`, `{"scores": [1, "a`,
	`{"scores": [[[[1]]], [[[[1]]]], [[[[[1]]]]], 1]}`, `{"scores": [{"a": {"b": {"c": {}}}}, {"a": {"b": {"c": {"d": 1}}}}]}`,
	`{"scores": [1, 2`, `{"scores": [1, 2,`, `{"scores": [{"a": 1`, `{"scores": [{"a"`, `{"scores": [tr`,
	`{"scores": [1, 2], "projects": [{"id": "P1"}, {"id": "P2"}]}`,
	`{"scores": [[1, 2], 3], "x": [[1, 2], 3]}`,
	` {"scores" :[` + "\n  " + `{"judge": "J1" , "score" : "7.5"} ,` + "\n  " + `{"judge":"J2","score":7.5}` + "\n" + `]}`,
}

// deferredLimits keep strings and depth small, so that the inputs above
// reach them.
var deferredLimits = Limits{MaxDepth: 6, MaxStringBytes: 16}

// TestParseDeferring checks ParseDeferring against Parse: the same
// errors, and the same tree once Elements has filled in the deferred
// arrays.
func TestParseDeferring(t *testing.T) {
	for _, in := range deferredInputs {
		checkDeferring(t, []byte(in), deferredLimits)
		checkDeferring(t, []byte(in), Limits{})
	}
}

func FuzzParseDeferring(f *testing.F) {
	for _, in := range deferredInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDeferring(t, data, deferredLimits)
	})
}

func checkDeferring(t *testing.T, data []byte, lim Limits) {
	t.Helper()
	want, wantErr := Parse(data, lim)
	got, gotErr := ParseDeferring(data, lim, "scores", "projects")
	if diff := cmp.Diff(errText(wantErr), errText(gotErr)); diff != "" {
		t.Fatalf("%q: error (-Parse +ParseDeferring):\n%s", data, diff)
	}
	if wantErr != nil {
		return
	}
	if got.Kind == Object {
		for i := range got.Members {
			m := &got.Members[i]
			if (m.Key == "scores" || m.Key == "projects") && m.Value.Kind == Array {
				if m.Value.Elems != nil {
					t.Fatalf("%q: %s kept", data, m.Key)
				}
				m.Value = filled(data, &m.Value, lim)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%q: tree (-Parse +ParseDeferring, Elements):\n%s", data, diff)
	}
}

// filled returns the deferred array v with the elements Elements yields,
// copied out of the blocks it reuses.
func filled(data []byte, v *Value, lim Limits) Value {
	out := Value{Kind: Array, Offset: v.Offset}
	next := 0
	for i, e := range Elements(data, v, lim) {
		if i != next {
			panic("Elements skipped an index")
		}
		next++
		out.Elems = append(out.Elems, clone(e))
	}
	if next != v.Len() {
		out.DeferredLen = -1 // shows in the diff: not every element read
	}
	return out
}

func clone(v *Value) Value {
	c := *v
	c.Members, c.Elems = nil, nil
	for i := range v.Members {
		m := v.Members[i]
		m.Value = clone(&m.Value)
		c.Members = append(c.Members, m)
	}
	for i := range v.Elems {
		c.Elems = append(c.Elems, clone(&v.Elems[i]))
	}
	return c
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// scoresInput returns a dataset's shape: a long array of n scores,
// indented as internal/synth/gen writes them.
func scoresInput(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"rubric": {"criteria": [{"id": "c0", "weight": "1"}]}, "scores": [`)
	for i := range n {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "\n    {\n      \"judge\": \"J%02d\",\n      \"project\": \"P%07d\",\n      \"criterion\": \"c%d\",\n      \"score\": \"%d.5\"\n    }",
			i%5, i/30, i%6, i%20)
	}
	sb.WriteString("\n  ]\n}")
	return []byte(sb.String())
}

// BenchmarkParseDeferring parses a dataset's shape, a long array of
// scores deferred, as afkar.Decode does before it reads them one at a
// time: what skipPlain passes over.
func BenchmarkParseDeferring(b *testing.B) {
	data := scoresInput(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDeferring(data, Limits{}, "scores", "projects"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReader reads the scores that BenchmarkParseDeferring defers
// one at a time, as afkar.Decode does: flat, each one's strings as
// strings, or each one's tree.
func BenchmarkReader(b *testing.B) {
	data := scoresInput(100_000)
	root, err := ParseDeferring(data, Limits{}, "scores", "projects")
	if err != nil {
		b.Fatal(err)
	}
	v := &root.Members[1].Value
	b.Run("how=flat", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var ms [4]Scalar
		for b.Loop() {
			r, n := NewReader(data, v, Limits{}), 0
			for r.More() {
				m, ok := r.Flat(ms[:0])
				if !ok {
					b.Fatal("not flat")
				}
				for i := range m {
					if m[i].Kind == String {
						n += len(r.String(m[i].Text))
					}
				}
				r.Skip()
			}
		}
	})
	b.Run("how=tree", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			for _, e := range Elements(data, v, Limits{}) {
				if len(e.Members) != 4 {
					b.Fatal("not a score")
				}
			}
		}
	})
}
