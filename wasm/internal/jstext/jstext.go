//go:build js && wasm

// Package jstext moves text between JavaScript strings and Go bytes for
// the WebAssembly program, with as few copies as the platform allows.
//
// js.Value.String encodes a string with TextEncoder.encode, which
// allocates a fresh ArrayBuffer and, in Chromium, encodes at about
// 65 MB/s; the bytes are then copied into Go memory, and once more into
// a string. A 33 MB dataset so cost 0.6 s in Chromium before the engine
// read it. [Bytes] encodes with TextEncoder.encodeInto straight into a
// Go slice: about 16 ms for the same text.
package jstext

import (
	"slices"
	"syscall/js"
)

// Encoder encodes JavaScript strings as UTF-8 into Go memory. An Encoder
// is not safe for concurrent use, which js/wasm, with one thread, never
// asks of it.
type Encoder struct {
	enc  js.Value // a TextEncoder
	obj  js.Value // Object, which wraps a string to read its length
	sub  js.Value // String.prototype.substring
	grab js.Value // a Uint8Array of no bytes whose set method keeps what it is given
	kept js.Value // the array grab.set appends to
	// fallbacks counts the strings copied with js.Value.String, for the
	// tests.
	fallbacks int
}

// NewEncoder returns an Encoder.
func NewEncoder() *Encoder {
	g := js.Global()
	e := &Encoder{enc: g.Get("TextEncoder").New(), obj: g.Get("Object"), sub: g.Get("String").Get("prototype").Get("substring"),
		grab: g.Get("Uint8Array").New(0), kept: g.Get("Array").New()}
	// js.CopyBytesToJS(dst, src) runs dst.set(src.subarray(0,
	// dst.length)), src being a Uint8Array over the Go memory of the
	// slice: grab's own set, Array.prototype.push bound to kept, keeps
	// that view, and grab's own length says how much of it to take (a
	// Uint8Array's length is otherwise a getter of its bytes). There is no
	// other way to give JavaScript a view of Go memory. A wasm_exec.js
	// that copied otherwise would keep nothing, and Bytes falls back to
	// js.Value.String.
	desc := g.Get("Object").New()
	desc.Set("value", 0)
	desc.Set("writable", true)
	g.Get("Object").Call("defineProperty", e.grab, "length", desc)
	e.grab.Set("set", g.Get("Array").Get("prototype").Get("push").Call("bind", e.kept))
	return e
}

// Bytes returns the UTF-8 encoding of the JavaScript string s, as []byte(s.String())
// does: a lone surrogate becomes U+FFFD. It encodes into one slice that it
// grows only for text outside ASCII, by at most half the length of what
// is left a time.
func (e *Encoder) Bytes(s js.Value) []byte {
	n := e.obj.Invoke(s).Length() // UTF-16 code units: as many bytes when all are ASCII
	if n == 0 {
		return []byte{}
	}
	buf := make([]byte, n)
	written := 0
	rest := s
	for left := n; left > 0; {
		read, w, ok := e.encodeInto(rest, buf[written:])
		if !ok || read == 0 {
			e.fallbacks++
			return []byte(s.String())
		}
		written += w
		left -= read
		if left == 0 {
			break
		}
		// At least 4 bytes free: any code point fits, so the next round
		// reads something.
		buf = slices.Grow(buf[:written], max(left+left/2, 4))
		buf = buf[:cap(buf)]
		rest = e.sub.Call("call", s, n-left)
	}
	return buf[:written]
}

// encodeInto encodes s into dst with TextEncoder.encodeInto, and returns
// how many UTF-16 code units it read and bytes it wrote; ok is false when
// dst could not be given to JavaScript.
func (e *Encoder) encodeInto(s js.Value, dst []byte) (read, written int, ok bool) {
	e.grab.Set("length", len(dst))
	js.CopyBytesToJS(e.grab, dst) // keeps a view of dst, copies nothing
	defer e.kept.Set("length", 0)
	if e.kept.Length() != 1 {
		return 0, 0, false
	}
	// Should Go grow the wasm memory before the view is used (the calls
	// here allocate a few bytes), the view's buffer is detached, the view
	// empty, and encodeInto reads nothing: Bytes then falls back.
	r := e.enc.Call("encodeInto", s, e.kept.Index(0))
	return r.Get("read").Int(), r.Get("written").Int(), true
}
