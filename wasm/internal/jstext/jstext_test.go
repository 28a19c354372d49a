//go:build js && wasm

package jstext

import (
	"bytes"
	"strings"
	"syscall/js"
	"testing"
)

// TestBytes checks Bytes against js.Value.String, the copy it replaces,
// on text that fits the first guess (ASCII) and text that does not
// (two-, three- and four-byte characters, lone surrogates, at the start,
// the end and throughout).
func TestBytes(t *testing.T) {
	fromCodes := js.Global().Get("String").Get("fromCharCode")
	cases := []struct {
		name string
		s    js.Value
	}{
		{"empty", js.ValueOf("")},
		{"ascii", js.ValueOf(`{"id": "P1", "score": "12.5"}`)},
		{"long ascii", js.ValueOf(strings.Repeat(`{"judge": "J01"}, `, 100_000))},
		{"arabic", js.ValueOf("مشروع التعاونية")},
		{"arabic first", js.ValueOf("م" + strings.Repeat("a", 10_000))},
		{"arabic last", js.ValueOf(strings.Repeat("a", 10_000) + "م")},
		{"emoji", js.ValueOf("🌴🐪 dates 🌴")},
		{"emoji throughout", js.ValueOf(strings.Repeat("a🌴", 5_000))},
		{"three-byte", js.ValueOf(strings.Repeat("€", 7_777))},
		{"lone high surrogate", concat(concat(js.ValueOf("a"), fromCodes.Invoke(0xD800)), js.ValueOf("b"))},
		{"lone low surrogate last", concat(js.ValueOf("ab"), fromCodes.Invoke(0xDC00))},
		{"lone high surrogate last", concat(js.ValueOf("ab"), fromCodes.Invoke(0xD83C))},
		{"lone high surrogate first", concat(fromCodes.Invoke(0xD83C), js.ValueOf(strings.Repeat("a", 100)))},
		{"pair split across a guess", js.ValueOf(strings.Repeat("é", 3) + "🌴")},
		{"nul", js.ValueOf("a\x00b")},
	}
	e := NewEncoder()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := []byte(c.s.String()) // a lone surrogate becomes U+FFFD
			for range 2 {                // the Encoder's state carries nothing over
				got := e.Bytes(c.s)
				if !bytes.Equal(got, want) {
					t.Fatalf("Bytes = %q, want %q", clip(got), clip(want))
				}
			}
		})
	}
	if e.fallbacks != 0 {
		t.Errorf("%d strings copied the slow way (js.Value.String), want none", e.fallbacks)
	}
	// The lone surrogates are still there for Bytes to meet.
	if n := js.Global().Call("Object", cases[9].s).Length(); n != 3 {
		t.Fatalf("the lone surrogate case has %d code units, want 3", n)
	}
}

// concat joins JavaScript strings in JavaScript: a lone surrogate does
// not survive a trip through Go.
func concat(a, b js.Value) js.Value {
	return js.Global().Get("String").Get("prototype").Get("concat").Call("call", a, b)
}

func clip(b []byte) []byte {
	if len(b) > 64 {
		return b[:64]
	}
	return b
}
