package jsontree

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReaderFlat checks which elements Reader.Flat reads straight from
// the input, and that what it reads is what the element's tree holds.
func TestReaderFlat(t *testing.T) {
	for _, c := range []struct {
		name, elem string
		lim        Limits
		flat       bool
	}{
		{"a score", `{"judge": "J1", "project": "P1", "criterion": "c", "score": "12.5"}`, Limits{}, true},
		{"compact", `{"judge":"J1","project":"P1","criterion":"c","score":12.5}`, Limits{}, true},
		{"all whitespace", "{ \t\r\n\"a\" \t\r\n: \t\r\n\"b\" \t\r\n, \"c\":1\n}", Limits{}, true},
		{"empty object", `{}`, Limits{}, true},
		{"empty object, spaced", "{ \n }", Limits{}, true},
		{"empty strings", `{"": ""}`, Limits{}, true},
		{"numbers", `{"a": 0, "b": -0, "c": -1.25, "d": 10, "e": 0.5}`, Limits{}, true},
		{"non-ASCII", `{"é": "مشروع", "😀": "x"}`, Limits{}, true},
		{"DEL", "{\"a\": \"\x7f\"}", Limits{}, true},
		{"string at the limit", `{"a": "0123456789abcdef"}`, Limits{MaxStringBytes: 16}, true},
		{"non-ASCII at the limit", `{"a": "0123456789abcdé"}`, Limits{MaxStringBytes: 16}, true},
		{"8 members", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8}`, Limits{}, true},
		{"duplicate keys", `{"a": 1, "a": 2}`, Limits{}, true},

		{"9 members", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}`, Limits{}, false},
		{"escape in a value", `{"a": "J\"1"}`, Limits{}, false},
		{"escape in a key", `{"\u0061": "b"}`, Limits{}, false},
		{"solidus escape", `{"a": "\/"}`, Limits{}, false},
		{"exponent", `{"a": 1e3}`, Limits{}, false},
		{"capital exponent", `{"a": 1E3}`, Limits{}, false},
		{"null", `{"a": null}`, Limits{}, false},
		{"true", `{"a": true}`, Limits{}, false},
		{"false", `{"a": false}`, Limits{}, false},
		{"nested object", `{"a": {}}`, Limits{}, false},
		{"nested array", `{"a": []}`, Limits{}, false},
		{"an array", `["a", 1]`, Limits{}, false},
		{"a string", `"a"`, Limits{}, false},
		{"a number", `1`, Limits{}, false},
		{"string past the limit", `{"a": "0123456789abcdefg"}`, Limits{MaxStringBytes: 16}, false},
		{"key past the limit", `{"0123456789abcdefg": 1}`, Limits{MaxStringBytes: 16}, false},
		{"non-ASCII past the limit", `{"a": "0123456789abcdeé"}`, Limits{MaxStringBytes: 16}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			// An array that was never parsed, as a string past the limit
			// would not.
			data := []byte(`[` + c.elem + `, ` + c.elem + "]")
			v := &Value{Kind: Array, DeferredLen: 2}
			if flats := checkReader(t, data, v, c.lim); flats != 2 && c.flat || flats != 0 && !c.flat {
				t.Fatalf("%s: read flat %d times, want flat %t", c.elem, flats, c.flat)
			}
		})
	}
}

// TestReaderInputs walks the deferred arrays of the inputs that
// TestParseDeferring parses with a Reader, and arrays of the same inputs
// that were never parsed, from the first '[': Flat reads only what
// parse accepts, and as it does.
func TestReaderInputs(t *testing.T) {
	for _, in := range deferredInputs {
		for _, lim := range []Limits{deferredLimits, {}} {
			checkReaderInput(t, []byte(in), lim)
		}
	}
}

func FuzzReader(f *testing.F) {
	for _, in := range deferredInputs {
		f.Add([]byte(in))
	}
	f.Add([]byte(`{"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "12.5"}, {"a": 1}, {"a": "é"}, {}, {"b": -0.5}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReaderInput(t, data, deferredLimits)
	})
}

// checkReaderInput checks a Reader of the deferred arrays of data, when
// it parses, and of the array of unchecked elements from the first '['.
func checkReaderInput(t *testing.T, data []byte, lim Limits) {
	t.Helper()
	if root, err := ParseDeferring(data, lim, "scores", "projects"); err == nil && root.Kind == Object {
		for i := range root.Members {
			if v := &root.Members[i].Value; v.DeferredLen > 0 {
				checkReader(t, data, v, lim)
			}
		}
	}
	if at := strings.IndexByte(string(data), '['); at >= 0 {
		checkReader(t, data, &Value{Kind: Array, Offset: at, DeferredLen: len(data)}, lim)
	}
}

// checkReader walks the array v of data with a Reader, reading each
// element with Flat where it can, then with Skip or, every other time,
// with Value, and checks it against Elements: the same elements, each
// one read flat holding what its tree holds. It returns how many were
// read flat.
func checkReader(t *testing.T, data []byte, v *Value, lim Limits) (flats int) {
	t.Helper()
	var want []Value
	for _, e := range Elements(data, v, lim) {
		want = append(want, clone(e))
	}
	r := NewReader(data, v, lim)
	var buf [8]Scalar
	i := 0
	for ; r.More(); i++ {
		if ms, ok := r.Flat(buf[:0]); ok {
			if i >= len(want) {
				t.Fatalf("%q: element %d read flat, and parse refuses it", data, i)
			}
			if diff := cmp.Diff(flatTree(&want[i]), flatScalars(r, ms)); diff != "" {
				t.Fatalf("%q: element %d (-tree +Flat):\n%s", data, i, diff)
			}
			flats++
			if flats%2 == 1 {
				r.Skip()
				continue
			}
		}
		e := r.Value()
		if i >= len(want) {
			if e != nil {
				t.Fatalf("%q: element %d read, and Elements stopped before it", data, i)
			}
			return flats
		}
		if e == nil {
			t.Fatalf("%q: element %d not read, and Elements read it", data, i)
		}
		if diff := cmp.Diff(want[i], clone(e)); diff != "" {
			t.Fatalf("%q: element %d (-Elements +Reader):\n%s", data, i, diff)
		}
	}
	if i != len(want) {
		t.Fatalf("%q: %d elements read, Elements read %d", data, i, len(want))
	}
	return flats
}

// scalar is a Scalar as text, to compare.
type scalar struct {
	Key  string
	Kind Kind
	Text string
}

// flatTree returns the members of the object v as scalars, or one that
// says what else v is.
func flatTree(v *Value) []scalar {
	if v.Kind != Object {
		return []scalar{{Key: "not an object: " + v.Kind.String()}}
	}
	out := []scalar{}
	for _, m := range v.Members {
		out = append(out, scalar{m.Key, m.Value.Kind, m.Value.Text})
	}
	return out
}

func flatScalars(r *Reader, ms []Scalar) []scalar {
	out := []scalar{}
	for _, m := range ms {
		out = append(out, scalar{string(m.Key), m.Kind, r.String(m.Text)})
	}
	return out
}
