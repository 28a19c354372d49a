package jsontree

import (
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
