// Package jsontree is a strict, position-aware JSON parser.
//
// Parse reads exactly one JSON value as defined by RFC 8259 and returns it
// as a tree of Value nodes that remember where in the input each value
// starts. It is meant for decoders that must report every problem with a
// location, so it differs from encoding/json in a few deliberate ways:
//
//   - numbers are kept as their literal text ("155e-1" stays "155e-1");
//     nothing is ever converted to float64, and the range of a number is
//     left to the caller;
//   - object members are kept in input order, and duplicate keys are kept,
//     so the caller can report them;
//   - the input must be valid UTF-8, and \u escapes must not encode lone
//     surrogates (encoding/json silently replaces both with U+FFFD);
//   - nesting depth is limited (see Limits);
//   - malformed input is reported as a *SyntaxError carrying the line and
//     column of the problem and a message that says what was expected and
//     what was found.
//
// The parser is iterative: deeply nested input cannot exhaust the goroutine
// stack, and Parse never panics.
package jsontree

import (
	"fmt"
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/afkarlab/afkar/internal/freetext"
)

// Kind is the type of a JSON value. The zero Kind is Null.
type Kind uint8

// The kinds of JSON value.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// String returns the JSON name of the kind: "null", "boolean", "number",
// "string", "array" or "object", and "Kind(N)" for an unknown kind.
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Value is one JSON value. Which fields are meaningful depends on Kind; the
// others are zero. The zero Value is a JSON null at offset 0.
type Value struct {
	// Kind is the type of the value.
	Kind Kind
	// Bool is the value of a Bool.
	Bool bool
	// Offset is the byte offset in the input of the value's first byte
	// (the quote of a string, the bracket of an array or object, the sign or
	// first digit of a number). Position converts it to a line and column.
	Offset int
	// Text is, for a String, the unescaped string (always valid UTF-8),
	// and for a Number, the literal text exactly as written, such as
	// "155e-1" or "-0.50".
	Text string
	// Members holds the members of an Object in input order, duplicate keys
	// included. It is nil for an empty object.
	Members []Member
	// Elems holds the elements of an Array in input order. It is nil for an
	// empty array, and for a deferred one (see ParseDeferring).
	Elems []Value
	// DeferredLen is, for an Array whose elements ParseDeferring checked
	// but did not keep, the number of its elements; zero otherwise.
	DeferredLen int
}

// Len returns the number of elements of an Array, kept or deferred.
func (v *Value) Len() int {
	return len(v.Elems) + v.DeferredLen
}

// Member is one key/value pair of a JSON object.
type Member struct {
	// Key is the unescaped key.
	Key string
	// KeyOffset is the byte offset in the input of the key's opening quote.
	KeyOffset int
	// Value is the member's value.
	Value Value
}

// DefaultMaxDepth is the nesting depth allowed when Limits.MaxDepth is zero
// or negative.
const DefaultMaxDepth = 64

// Limits bounds the resources Parse may use on hostile input. The zero
// Limits applies the defaults.
type Limits struct {
	// MaxDepth is the deepest nesting of arrays and objects allowed: "[]"
	// has depth 1, "[[]]" depth 2, and a scalar depth 0. If zero or
	// negative, DefaultMaxDepth (64) applies.
	MaxDepth int
	// MaxStringBytes is the longest string (key or value) allowed, in
	// bytes as written between the quotes. If zero or negative,
	// DefaultMaxStringBytes (64 KiB) applies.
	MaxStringBytes int
}

// DefaultMaxStringBytes is the longest string allowed when
// Limits.MaxStringBytes is zero or negative.
const DefaultMaxStringBytes = 64 << 10

// SyntaxError reports malformed input. Parse returns every error as a
// *SyntaxError.
type SyntaxError struct {
	// Offset is the byte offset in the input where the problem was found;
	// for a truncated input it is the length of the input.
	Offset int
	// Line and Column are the 1-based position of Offset, as computed by
	// Position: Column counts characters (runes), not bytes.
	Line, Column int
	// Msg describes the problem without the position: what was expected
	// and what was found.
	Msg string
}

// Error returns the position and message, for example
// "line 3, column 8: expected ':' after object key, found '1'".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Position returns the 1-based line and column of the byte at offset in
// data. Lines end at '\n' (so "\r\n" also ends one line); the column counts
// characters (runes) from the start of the line, a tab or an invalid UTF-8
// byte counting as one. An offset outside data is clamped to [0, len(data)];
// len(data) is the position just after the last byte.
func Position(data []byte, offset int) (line, column int) {
	if offset < 0 {
		offset = 0
	}
	if offset > len(data) {
		offset = len(data)
	}
	line = 1
	lineStart := 0
	for i, c := range data[:offset] {
		if c == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCount(data[lineStart:offset]) + 1
}

// Parse parses exactly one JSON value (RFC 8259) surrounded by optional
// whitespace (space, tab, line feed, carriage return) and returns its tree.
// The returned strings do not share memory with data.
//
// Parse is strict: it refuses trailing commas, comments, single quotes,
// leading zeros and plus signs in numbers, NaN and Infinity, control
// characters in strings, lone surrogates in \u escapes, invalid UTF-8,
// a byte order mark, UTF-16 input, and nesting deeper than lim.MaxDepth.
// Any error is a *SyntaxError.
func Parse(data []byte, lim Limits) (*Value, error) {
	return parse(data, lim, nil)
}

func newParser(data []byte, lim Limits) *parser {
	p := &parser{data: data, maxDepth: lim.MaxDepth, maxString: lim.MaxStringBytes}
	if p.maxDepth <= 0 {
		p.maxDepth = DefaultMaxDepth
	}
	if p.maxString <= 0 {
		p.maxString = DefaultMaxStringBytes
	}
	return p
}

func parse(data []byte, lim Limits, deferred []string) (*Value, error) {
	p := newParser(data, lim)
	p.deferred = deferred
	if err := p.checkEncoding(); err != nil {
		return nil, err
	}
	p.skipWS()
	if p.pos >= len(data) {
		return nil, p.errAt(len(data), "empty input: expected a JSON value")
	}
	v, err := p.parse()
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.pos < len(data) {
		return nil, p.errAt(p.pos, "unexpected data after the JSON value: found %s", p.found(p.pos))
	}
	return &v, nil
}

// ParseDeferring parses data as Parse does, with the same checks and
// errors, but does not keep the elements of an array that is the value of
// a member of the root object named one of keys: that array's Value has
// no Elems, and DeferredLen counts them. Elements reads them, one at a
// time. A decoder of a long array of small values so holds one of them
// at a time, not a tree of them all.
func ParseDeferring(data []byte, lim Limits, keys ...string) (*Value, error) {
	return parse(data, lim, keys)
}

// Elements returns an iterator over the elements of the array v, a Value
// of the tree that Parse or ParseDeferring returned for data with the
// limits lim, and their indexes. It yields the elements kept, or, for a
// deferred array, parses each again from data in turn: such an element
// and the slices under it are valid only until the iterator moves on
// (their strings may be kept). Elements yields nothing for a value that is
// not an array, and stops early, without an error, if data is not the
// input that v was parsed from.
func Elements(data []byte, v *Value, lim Limits) iter.Seq2[int, *Value] {
	return func(yield func(int, *Value) bool) {
		r := NewReader(data, v, lim)
		for i := 0; r.More(); i++ {
			e := r.Value()
			if e == nil || !yield(i, e) {
				return
			}
		}
	}
}

// A Reader reads the elements of an array in turn, as Elements yields
// them, and can also read an element that is a flat object straight from
// the input, without a tree (see Reader.Flat). A Reader is not safe for
// concurrent use.
type Reader struct {
	v    *Value
	p    *parser // nil for an array kept, or not to be read
	i    int     // the elements read
	cur  Value   // the last element parsed from the input
	flat int     // the end of the element Flat read, or -1
}

// NewReader returns a Reader of the elements of the array v, a Value of
// the tree that Parse or ParseDeferring returned for data with the limits
// lim. It reads nothing of a value that is not an array, and stops early
// if data is not the input that v was parsed from, as Elements does.
func NewReader(data []byte, v *Value, lim Limits) *Reader {
	r := &Reader{v: v, flat: -1}
	if v.Kind != Array || v.DeferredLen == 0 {
		return r
	}
	if v.Offset < 0 || v.Offset >= len(data) || data[v.Offset] != '[' {
		r.v = &Value{} // not an array: nothing to read
		return r
	}
	r.p = newParser(data, lim)
	r.p.reuse = true
	r.p.pos = v.Offset + 1
	return r
}

// More reports whether an element is next.
func (r *Reader) More() bool {
	r.flat = -1
	if r.v.Kind != Array {
		return false
	}
	if r.p == nil {
		return r.i < len(r.v.Elems)
	}
	p := r.p
	if r.i >= r.v.DeferredLen {
		return false
	}
	p.skipWS()
	return p.pos < len(p.data) && p.data[p.pos] != ']'
}

// Value reads the next element, which More reported, and moves past it.
// An element of a deferred array, parsed again from the input, and the
// slices under it are valid only until the next call of Value (its
// strings may be kept). Value returns nil if the element does not parse:
// data is not the input that the array was parsed from.
func (r *Reader) Value() *Value {
	r.flat = -1
	if r.p == nil {
		if r.v.Kind != Array || r.i >= len(r.v.Elems) {
			return nil
		}
		r.i++
		return &r.v.Elems[r.i-1]
	}
	p := r.p
	p.valBlock, p.memBlock = p.valReuse, p.memReuse
	e, err := p.parse()
	if err != nil {
		return nil
	}
	r.cur = e
	r.next()
	return &r.cur
}

// next moves past the ',' after the element just read, if there is one.
func (r *Reader) next() {
	p := r.p
	r.i++
	p.skipWS()
	if p.pos < len(p.data) && p.data[p.pos] == ',' {
		p.pos++
	}
}

// Scalar is a member of a flat object, as Reader.Flat finds it in the
// input: what a tree of it would hold, as bytes of the input.
type Scalar struct {
	// Key is the member's key, as written between its quotes.
	Key []byte
	// Kind is String or Number.
	Kind Kind
	// Text is a String's text, as written between its quotes, or a
	// Number's literal text.
	Text []byte
}

// Flat reads the next element, which More reported, when it is a flat
// object of at most cap(ms)-len(ms) members, without moving past it: it
// appends the members to ms, in input order, and returns the extended
// slice and true; Skip then moves past the element. A flat object has
// keys and string values without escapes, and numbers without an
// exponent; that is, its members are exactly what the tree that Value
// would return holds: Flat reads only what parse accepts, and reads it
// as parse does. Flat returns false for anything else, and for any
// element of an array kept in the tree; Value then reads the element.
func (r *Reader) Flat(ms []Scalar) ([]Scalar, bool) {
	p := r.p
	if p == nil || r.i >= r.v.DeferredLen {
		return ms, false
	}
	data := p.data
	i := p.pos
	if i >= len(data) || data[i] != '{' {
		return ms, false
	}
	// An object nests 1 deep, which any limit allows: Value parses the
	// element on its own, as Elements does.
	i = p.skipWSAt(i + 1)
	if i < len(data) && data[i] == '}' {
		r.flat = i + 1
		return ms, true
	}
	for len(ms) < cap(ms) {
		if i >= len(data) || data[i] != '"' {
			return ms, false
		}
		end := p.flatString(i)
		if end < 0 {
			return ms, false
		}
		key := data[i+1 : end-1]
		i = p.skipWSAt(end)
		if i >= len(data) || data[i] != ':' {
			return ms, false
		}
		i = p.skipWSAt(i + 1)
		if i >= len(data) {
			return ms, false
		}
		switch c := data[i]; {
		case c == '"':
			if end = p.flatString(i); end < 0 {
				return ms, false
			}
			ms = append(ms, Scalar{Key: key, Kind: String, Text: data[i+1 : end-1]})
		case c == '-' || isDigit(c):
			if end = plainNumber(data, i); end < 0 {
				return ms, false
			}
			ms = append(ms, Scalar{Key: key, Kind: Number, Text: data[i:end]})
		default:
			return ms, false
		}
		i = p.skipWSAt(end)
		if i >= len(data) {
			return ms, false
		}
		switch data[i] {
		case ',':
			i = p.skipWSAt(i + 1)
			continue
		case '}':
			r.flat = i + 1
			return ms, true
		}
		return ms, false
	}
	return ms, false // more members than room
}

// String returns b, such as the Text of a Scalar, as a string, interned
// as the strings of the elements Value reads are: a short string read
// before costs no allocation.
func (r *Reader) String(b []byte) string {
	if r.p == nil {
		return string(b)
	}
	return r.p.intern(b)
}

// Skip moves past the element that Flat has just read; it does nothing
// unless Flat returned true, without Value or More since.
func (r *Reader) Skip() {
	if r.flat < 0 {
		return
	}
	r.p.pos, r.flat = r.flat, -1
	r.next()
}

// frame is an array or object being built.
type frame struct {
	kind   Kind
	offset int
	start  int // index of its first element in parser.vals or member in parser.mems
	key    string
	keyOff int
	n      int // the elements of an array met so far
	// skip: the frame is, or is inside, a deferred array; its values are
	// checked but not kept.
	skip bool
}

type parser struct {
	data      []byte
	pos       int
	maxDepth  int
	maxString int
	stack     []frame
	vals      []Value              // elements of the open arrays, innermost last
	mems      []Member             // members of the open objects, innermost last
	buf       []byte               // scratch for unescaping strings
	strs      *[internSlots]string // recent short strings, by hash
	// valBlock and memBlock are what is left of the last blocks allocated
	// for the elements of small arrays and the members of objects: a tree
	// of many small objects costs one allocation per block, not one per
	// object, which counts most where allocation is dear (js/wasm).
	valBlock []Value
	memBlock []Member
	// deferred lists the keys of the root's members whose arrays are
	// not kept (ParseDeferring).
	deferred []string
	// reuse: the tree of each value parsed is dropped before the next
	// (Elements), which takes its small slices from the same blocks,
	// valReuse and memReuse, again.
	reuse    bool
	valReuse []Value
	memReuse []Member
}

// blockLen is the length of a block of values or members; a container of
// more than blockLen/8 gets its own allocation.
const blockLen = 512

// Strings of up to maxInternLen bytes are interned in internSlots slots:
// a string found in its slot costs no allocation, and one that is not
// takes the slot. Datasets repeat a few keys, judges and scores everywhere
// and a project's ID in each of its scores, which follow one another.
const (
	maxInternLen = 32
	internSlots  = 4096 // a power of two
)

// safe[c] is true for ASCII bytes that may appear unescaped in a string.
var safe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '_'
}

// errAt returns the error at off. Its message quotes the input, which
// may hold anything: it is shown (freetext.Visible), so that it cannot act
// on the terminal it is printed to.
func (p *parser) errAt(off int, format string, args ...any) *SyntaxError {
	line, col := Position(p.data, off)
	return &SyntaxError{Offset: off, Line: line, Column: col, Msg: freetext.Visible(fmt.Sprintf(format, args...))}
}

// where returns "line L, column C" for off.
func (p *parser) where(off int) string {
	line, col := Position(p.data, off)
	return fmt.Sprintf("line %d, column %d", line, col)
}

// found describes the character at off for a message.
func (p *parser) found(off int) string {
	if off >= len(p.data) {
		return "end of input"
	}
	r, size := utf8.DecodeRune(p.data[off:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("invalid UTF-8 byte 0x%02x", p.data[off])
	case r == '\'':
		return `"'"`
	case r == ' ':
		return "' '"
	case !unicode.IsPrint(r):
		return fmt.Sprintf("U+%04X", r)
	}
	return "'" + string(r) + "'"
}

// clip shortens s for quoting in a message.
func clip(s string) string {
	const max = 32
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

func (p *parser) checkEncoding() error {
	d := p.data
	switch {
	case len(d) >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF:
		return p.errAt(0, "a UTF-8 byte order mark is not allowed at the start of the file")
	case len(d) >= 2 && (d[0] == 0xFE && d[1] == 0xFF || d[0] == 0xFF && d[1] == 0xFE),
		len(d) >= 2 && (d[0] == 0 || d[1] == 0):
		return p.errAt(0, "input looks like UTF-16: expected UTF-8")
	}
	return nil
}

func (p *parser) skipWS() {
	for p.pos < len(p.data) && isSpace(p.data[p.pos]) {
		p.pos++
	}
}

// eofErr reports the input ending inside the innermost open container.
func (p *parser) eofErr() *SyntaxError {
	if len(p.stack) == 0 {
		return p.errAt(len(p.data), "unexpected end of input: expected a JSON value")
	}
	f := p.stack[len(p.stack)-1]
	return p.errAt(len(p.data), "unexpected end of input: unterminated %s starting at %s", f.kind, p.where(f.offset))
}

// parse parses one value starting at p.pos, which is not whitespace or the
// end of input.
func (p *parser) parse() (Value, error) {
	data := p.data
	for {
		// p.pos is where a value is expected, after skipping whitespace.
		if p.pos >= len(data) {
			return Value{}, p.eofErr()
		}
		var v Value
		off := p.pos
		switch c := data[off]; c {
		case '[', '{':
			if len(p.stack) >= p.maxDepth {
				return Value{}, p.errAt(off, "nesting deeper than %d levels", p.maxDepth)
			}
			p.pos++
			skip := p.skipping() ||
				c == '[' && len(p.stack) == 1 && p.stack[0].kind == Object && slices.Contains(p.deferred, p.stack[0].key)
			if c == '[' {
				p.stack = append(p.stack, frame{kind: Array, offset: off, start: len(p.vals), skip: skip})
				p.skipWS()
				if p.pos < len(data) && data[p.pos] == ']' {
					p.pos++
					p.stack = p.stack[:len(p.stack)-1]
					v = Value{Kind: Array, Offset: off}
					break
				}
				if skip && len(p.stack) == 2 {
					p.skipPlain() // a deferred array
				}
				continue
			}
			p.stack = append(p.stack, frame{kind: Object, offset: off, start: len(p.mems), skip: skip})
			p.skipWS()
			if p.pos < len(data) && data[p.pos] == '}' {
				p.pos++
				p.stack = p.stack[:len(p.stack)-1]
				v = Value{Kind: Object, Offset: off}
				break
			}
			if err := p.parseKey(false); err != nil {
				return Value{}, err
			}
			continue
		case '"':
			s, err := p.parseString(true)
			if err != nil {
				return Value{}, err
			}
			v = Value{Kind: String, Offset: off, Text: s}
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			var err error
			if v, err = p.parseNumber(); err != nil {
				return Value{}, err
			}
		default:
			var err error
			if v, err = p.parseOther(); err != nil {
				return Value{}, err
			}
		}

		// v is complete: add it to the open containers, closing those that
		// end here, until one needs another value.
		for {
			if len(p.stack) == 0 {
				return v, nil
			}
			top := &p.stack[len(p.stack)-1]
			if top.kind == Array {
				top.n++
			}
			switch {
			case top.skip:
				// Checked, not kept.
			case top.kind == Array:
				if len(p.vals) == cap(p.vals) {
					// Double, where append grows a long slice by a
					// quarter: a dataset's arrays of scores are long, and
					// each growth copies them.
					p.vals = slices.Grow(p.vals, max(len(p.vals), 64))
				}
				p.vals = append(p.vals, v)
			default:
				p.mems = append(p.mems, Member{Key: top.key, KeyOffset: top.keyOff, Value: v})
			}
			p.skipWS()
			if p.pos >= len(data) {
				return Value{}, p.eofErr()
			}
			c := data[p.pos]
			if c == ',' {
				p.pos++
				p.skipWS()
				if top.kind == Object {
					if err := p.parseKey(true); err != nil {
						return Value{}, err
					}
				}
				break
			}
			if c == '/' {
				return Value{}, p.errAt(p.pos, "comments are not allowed in JSON")
			}
			switch {
			case top.kind == Array && c != ']':
				return Value{}, p.errAt(p.pos, "expected ',' or ']' after array element, found %s", p.found(p.pos))
			case top.kind == Object && c != '}':
				return Value{}, p.errAt(p.pos, "expected ',' or '}' after object member, found %s", p.found(p.pos))
			case top.skip:
				v = Value{Kind: top.kind, Offset: top.offset}
				if top.kind == Array {
					v.DeferredLen = top.n
				}
			case top.kind == Array:
				elems := p.values(len(p.vals) - top.start)
				copy(elems, p.vals[top.start:])
				p.vals = p.vals[:top.start]
				v = Value{Kind: Array, Offset: top.offset, Elems: elems}
			default:
				mems := p.members(len(p.mems) - top.start)
				copy(mems, p.mems[top.start:])
				p.mems = p.mems[:top.start]
				v = Value{Kind: Object, Offset: top.offset, Members: mems}
			}
			p.pos++
			p.stack = p.stack[:len(p.stack)-1]
		}
		// A ',' was consumed (and, in an object, the next key and ':'):
		// the next value follows.
	}
}

// skipPlain passes over the plain elements at the start of the deferred
// array just opened, or continued after a ',', p.pos at an element: it
// moves p.pos past each element and the ',' after it, and counts it in
// the array's frame, as parse would, but in one loop that does not build
// or check what parse must check. It stops at the first element that is
// not plain, or is the last, leaving it to parse, which finds every
// error where it always did. An element is plain when it nests within
// the depth allowed, and holds only strings of printable ASCII without
// escapes within the length allowed, numbers without an exponent, true,
// false, null and JSON's own punctuation and whitespace: what parse
// accepts, and would only check.
func (p *parser) skipPlain() {
	top := &p.stack[len(p.stack)-1]
	depth := p.maxDepth - len(p.stack) // the deepest an element may nest
	for {
		end, ok := p.plainValue(p.pos, depth)
		if !ok {
			return
		}
		end = p.skipWSAt(end)
		if end >= len(p.data) || p.data[end] != ',' {
			return // ']' or an error: parse reads the element again
		}
		p.pos = p.skipWSAt(end + 1)
		top.n++
	}
}

func (p *parser) skipWSAt(i int) int {
	for i < len(p.data) && isSpace(p.data[i]) {
		i++
	}
	return i
}

// plainValue returns the end of the plain value (see skipPlain) at i,
// nesting at most depth deep, or false if the value there is not plain.
func (p *parser) plainValue(i, depth int) (end int, ok bool) {
	data := p.data
	// open[k] is the k-th container open: '{' or '['.
	var open [64]byte
	n := 0
	depth = min(depth, len(open))
	for {
		// A value at i.
		if i >= len(data) {
			return 0, false
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if n >= depth {
				return 0, false
			}
			open[n] = c
			n++
			i = p.skipWSAt(i + 1)
			if i < len(data) && (c == '{' && data[i] == '}' || c == '[' && data[i] == ']') {
				i++
				n--
				break
			}
			if c == '{' {
				if i = p.plainKey(i); i < 0 {
					return 0, false
				}
			}
			continue
		case c == '"':
			if i = p.plainString(i); i < 0 {
				return 0, false
			}
		case c == '-' || isDigit(c):
			if i = plainNumber(data, i); i < 0 {
				return 0, false
			}
		case c == 't' && i+4 <= len(data) && string(data[i:i+4]) == "true",
			c == 'n' && i+4 <= len(data) && string(data[i:i+4]) == "null":
			i += 4
		case c == 'f' && i+5 <= len(data) && string(data[i:i+5]) == "false":
			i += 5
		default:
			return 0, false
		}
		if i < len(data) && isWordByte(data[i]) {
			return 0, false // "truex", "nullx": parse says what is wrong
		}
		// The value ends at i: close the containers that end here, until
		// one goes on.
		for {
			if n == 0 {
				return i, true
			}
			i = p.skipWSAt(i)
			if i >= len(data) {
				return 0, false
			}
			c, closer := data[i], byte(']')
			if open[n-1] == '{' {
				closer = '}'
			}
			if c == closer {
				i++
				n--
				continue
			}
			if c != ',' {
				return 0, false
			}
			i = p.skipWSAt(i + 1)
			if open[n-1] == '{' {
				if i = p.plainKey(i); i < 0 {
					return 0, false
				}
			}
			break
		}
	}
}

// plainKey returns the position of the value after the plain key, the
// ':' and whitespace at i, or -1.
func (p *parser) plainKey(i int) int {
	if i >= len(p.data) || p.data[i] != '"' {
		return -1
	}
	if i = p.plainString(i); i < 0 {
		return -1
	}
	i = p.skipWSAt(i)
	if i >= len(p.data) || p.data[i] != ':' {
		return -1
	}
	return p.skipWSAt(i + 1)
}

// plainString returns the end of the string of printable ASCII without
// escapes, within the length allowed, whose quote is at i, or -1.
func (p *parser) plainString(i int) int {
	data := p.data
	end := min(len(data), i+1+p.maxString+1)
	for j := i + 1; j < end; j++ {
		c := data[j]
		if !safe[c] {
			if c == '"' {
				return j + 1
			}
			return -1
		}
	}
	return -1
}

// flatString returns the end of the string without escapes, within the
// length allowed, whose quote is at i, or -1: what parseString accepts
// without escapes, UTF-8 included.
func (p *parser) flatString(i int) int {
	s := p.data[i+1 : min(len(p.data), i+1+p.maxString+1)]
	for j := 0; j < len(s); {
		c := s[j]
		if safe[c] {
			j++
			continue
		}
		if c == '"' {
			return i + 1 + j + 1
		}
		if c < utf8.RuneSelf {
			return -1 // an escape or a control character
		}
		r, size := utf8.DecodeRune(s[j:])
		if r == utf8.RuneError && size == 1 {
			return -1
		}
		j += size
	}
	return -1
}

// plainNumber returns the end of the number without an exponent at i, a
// '-' or a digit, or -1.
func plainNumber(data []byte, i int) int {
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data) || !isDigit(data[i]):
		return -1
	case data[i] == '0':
		i++
	default:
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		start := i
		for i < len(data) && isDigit(data[i]) {
			i++
		}
		if i == start {
			return -1
		}
	}
	if i < len(data) && (isWordByte(data[i]) || data[i] == '.' || data[i] == '+' || data[i] == '-') {
		return -1 // an exponent, "01", "1.2.3"...: parse reads them
	}
	return i
}

// skipping reports whether the values parsed now are inside a deferred
// array, checked but not kept.
func (p *parser) skipping() bool {
	return len(p.stack) > 0 && p.stack[len(p.stack)-1].skip
}

// values returns a slice of n zero values for an array's elements, taken
// from p.valBlock when n is small.
func (p *parser) values(n int) []Value {
	if n > blockLen/8 {
		return make([]Value, n)
	}
	if len(p.valBlock) < n {
		p.valBlock = make([]Value, blockLen)
		if p.reuse {
			p.valReuse = p.valBlock
		}
	}
	v := p.valBlock[:n:n]
	p.valBlock = p.valBlock[n:]
	return v
}

// members returns a slice of n zero members for an object, taken from
// p.memBlock when n is small.
func (p *parser) members(n int) []Member {
	if n > blockLen/8 {
		return make([]Member, n)
	}
	if len(p.memBlock) < n {
		p.memBlock = make([]Member, blockLen)
		if p.reuse {
			p.memReuse = p.memBlock
		}
	}
	m := p.memBlock[:n:n]
	p.memBlock = p.memBlock[n:]
	return m
}

// parseKey parses an object key and the ':' after it, at p.pos (whitespace
// skipped), storing the key in the innermost frame. afterComma tells
// whether the key follows '{' or ','.
func (p *parser) parseKey(afterComma bool) error {
	data := p.data
	if p.pos >= len(data) {
		return p.eofErr()
	}
	off := p.pos
	if c := data[off]; c != '"' {
		switch {
		case c == '}' && afterComma:
			return p.errAt(off, "trailing comma is not allowed: expected a string key after ',', found '}'")
		case c == '\'':
			return p.errAt(off, "single-quoted strings are not allowed: object keys must be in double quotes")
		case c == '/':
			return p.errAt(off, "comments are not allowed in JSON")
		case isWordByte(c):
			end := off
			for end < len(data) && isWordByte(data[end]) {
				end++
			}
			return p.errAt(off, "object keys must be strings in double quotes, found %s", clip(string(data[off:end])))
		case afterComma:
			return p.errAt(off, "expected a string key after ',' in object, found %s", p.found(off))
		default:
			return p.errAt(off, "expected a string key or '}' after '{', found %s", p.found(off))
		}
	}
	key, err := p.parseString(true)
	if err != nil {
		return err
	}
	p.skipWS()
	if p.pos >= len(data) {
		return p.eofErr()
	}
	if data[p.pos] != ':' {
		return p.errAt(p.pos, "expected ':' after object key, found %s", p.found(p.pos))
	}
	p.pos++
	p.skipWS()
	top := &p.stack[len(p.stack)-1]
	top.key, top.keyOff = key, off
	return nil
}

// parseString parses a string whose opening quote is at p.pos. Short
// strings are interned (see internSlots), as datasets repeat the same few
// keys and values many times.
func (p *parser) parseString(intern bool) (string, error) {
	data := p.data
	start := p.pos
	i := start + 1
	end := min(len(data), start+1+p.maxString+1) // past it, the string is too long
	for i < end {
		c := data[i]
		if safe[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errAt(i, "invalid UTF-8 byte 0x%02x in string", c)
			}
			i += size
			continue
		}
		switch c {
		case '"':
			p.pos = i + 1
			return p.makeString(data[start+1:i], intern), nil
		case '\\':
			return p.parseEscaped(start, i, intern)
		}
		return "", p.controlErr(start, i)
	}
	if end < len(data) {
		return "", p.errAt(start, "string longer than %d bytes, the limit (Limits.MaxStringBytes)", p.maxString)
	}
	return "", p.errAt(len(data), "unexpected end of input: unterminated string starting at %s", p.where(start))
}

func (p *parser) makeString(b []byte, intern bool) string {
	if p.skipping() {
		return "" // not kept
	}
	if !intern {
		return string(b)
	}
	return p.intern(b)
}

// intern returns b as a string, interned when short (see internSlots).
func (p *parser) intern(b []byte) string {
	if len(b) > maxInternLen {
		return string(b)
	}
	if p.strs == nil {
		p.strs = new([internSlots]string)
	}
	// FNV-1a: a hash for a few bytes, the same on every platform.
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	slot := &p.strs[h&(internSlots-1)]
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot
}

func (p *parser) controlErr(start, i int) *SyntaxError {
	switch c := p.data[i]; c {
	case '\n':
		return p.errAt(i, "invalid line break in string starting at %s: close the string with '\"' or write \\n", p.where(start))
	case '\r':
		return p.errAt(i, "invalid carriage return in string starting at %s: write \\r", p.where(start))
	case '\t':
		return p.errAt(i, "invalid tab character in string: write \\t")
	default:
		return p.errAt(i, "invalid control character U+%04X in string: write \\u%04x", c, c)
	}
}

// parseEscaped continues parseString from the backslash at i.
func (p *parser) parseEscaped(start, i int, intern bool) (string, error) {
	data := p.data
	buf := append(p.buf[:0], data[start+1:i]...)
	defer func() { p.buf = buf[:0] }()
	unterminated := func() (string, error) {
		return "", p.errAt(len(data), "unexpected end of input: unterminated string starting at %s", p.where(start))
	}
	for i < len(data) {
		if i-start > p.maxString+1 {
			return "", p.errAt(start, "string longer than %d bytes, the limit (Limits.MaxStringBytes)", p.maxString)
		}
		c := data[i]
		if safe[c] {
			j := i + 1
			for j < len(data) && safe[data[j]] {
				j++
			}
			buf = append(buf, data[i:j]...)
			i = j
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errAt(i, "invalid UTF-8 byte 0x%02x in string", c)
			}
			buf = append(buf, data[i:i+size]...)
			i += size
			continue
		}
		switch c {
		case '"':
			p.pos = i + 1
			return p.makeString(buf, intern), nil
		case '\\':
		default:
			return "", p.controlErr(start, i)
		}
		if i+1 >= len(data) {
			return unterminated()
		}
		switch e := data[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.hex4(i, start)
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 {
					return "", p.errAt(i, "invalid \\u escape: low surrogate \\u%04x without a preceding high surrogate", r)
				}
				j := i + 6
				if j+1 >= len(data) || data[j] != '\\' || data[j+1] != 'u' {
					if j >= len(data) || j+1 == len(data) && data[j] == '\\' {
						return unterminated()
					}
					return "", p.errAt(i, "invalid \\u escape: lone surrogate \\u%04x must be followed by a low surrogate \\udc00-\\udfff", r)
				}
				r2, err := p.hex4(j, start)
				if err != nil {
					return "", err
				}
				if r2 < 0xDC00 || r2 > 0xDFFF {
					return "", p.errAt(i, "invalid \\u escape: lone surrogate \\u%04x must be followed by a low surrogate \\udc00-\\udfff, found \\u%04x", r, r2)
				}
				r = utf16.DecodeRune(r, r2)
				i += 6
			}
			buf = utf8.AppendRune(buf, r)
			i += 6
			continue
		default:
			if e >= utf8.RuneSelf || e < 0x20 {
				return "", p.errAt(i, "invalid escape in string: '\\' followed by %s", p.found(i+1))
			}
			return "", p.errAt(i, "invalid escape '\\%c' in string: valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", e)
		}
		i += 2
	}
	return unterminated()
}

// hex4 decodes the four hex digits of the \u escape whose backslash is at i.
func (p *parser) hex4(i, start int) (rune, error) {
	var r rune
	for k := i + 2; k < i+6; k++ {
		if k >= len(p.data) {
			return 0, p.errAt(len(p.data), "unexpected end of input: unterminated string starting at %s", p.where(start))
		}
		c := p.data[k]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, p.errAt(k, "invalid \\u escape: expected 4 hexadecimal digits, found %s", p.found(k))
		}
		r = r<<4 | rune(d)
	}
	return r, nil
}

// numberToken returns the text of the number-like token at off, for messages.
func (p *parser) numberToken(off int) string {
	end := off
	for end < len(p.data) {
		c := p.data[end]
		if !(isWordByte(c) || c == '.' || c == '+' || c == '-') {
			break
		}
		end++
	}
	return clip(string(p.data[off:end]))
}

// parseNumber parses a number starting at p.pos with '-' or a digit.
func (p *parser) parseNumber() (Value, error) {
	data := p.data
	start := p.pos
	i := start
	bad := func(why string) (Value, error) {
		return Value{}, p.errAt(start, "invalid number %q: %s", p.numberToken(start), why)
	}
	if data[i] == '-' {
		i++
		if i >= len(data) {
			return bad("expected a digit after '-'")
		}
		if c := data[i]; !isDigit(c) {
			switch {
			case c == '.':
				return bad("a digit is required before the decimal point")
			case isWordByte(c):
				return p.parseOther()
			}
			return Value{}, p.errAt(i, "invalid number: expected a digit after '-', found %s", p.found(i))
		}
	}
	if data[i] == '0' {
		i++
		if i < len(data) && isDigit(data[i]) {
			return bad("leading zeros are not allowed")
		}
	} else {
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			return bad("expected a digit after the decimal point")
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return bad("expected a digit in the exponent")
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) {
		if c := data[i]; isWordByte(c) || c == '.' || c == '+' || c == '-' {
			if c == 'x' || c == 'X' {
				return bad("hexadecimal is not allowed")
			}
			return bad("unexpected " + p.found(i))
		}
	}
	p.pos = i
	// Interned as strings are: datasets repeat the same few scores.
	return Value{Kind: Number, Offset: start, Text: p.makeString(data[start:i], true)}, nil
}

// isNaNInf reports whether w is a spelling of NaN or infinity.
func isNaNInf(w string) bool {
	return strings.EqualFold(w, "nan") || strings.EqualFold(w, "infinity") || strings.EqualFold(w, "inf")
}

// parseOther parses a literal at p.pos, or reports what is there instead of
// a value.
func (p *parser) parseOther() (Value, error) {
	data := p.data
	off := p.pos
	c := data[off]
	if c == '-' || c == '+' || isWordByte(c) {
		end := off
		if c == '-' || c == '+' {
			end++
		}
		for end < len(data) && isWordByte(data[end]) {
			end++
		}
		w := string(data[off:end])
		switch w {
		case "true":
			p.pos = end
			return Value{Kind: Bool, Offset: off, Bool: true}, nil
		case "false":
			p.pos = end
			return Value{Kind: Bool, Offset: off}, nil
		case "null":
			p.pos = end
			return Value{Kind: Null, Offset: off}, nil
		}
		if isNaNInf(strings.TrimLeft(w, "+-")) {
			return Value{}, p.errAt(off, "%s is not valid JSON: write a decimal such as \"1.5\"", w)
		}
		if c == '+' {
			return Value{}, p.errAt(off, "invalid number %q: a leading '+' is not allowed", p.numberToken(off))
		}
		for _, lit := range [...]string{"true", "false", "null"} {
			switch {
			case strings.EqualFold(w, lit):
				return Value{}, p.errAt(off, "invalid literal %q: JSON literals are lower case: write %s", w, lit)
			case w[0] != lit[0]:
			case end == len(data) && strings.HasPrefix(lit, w):
				return Value{}, p.errAt(len(data), "unexpected end of input: incomplete literal %q (expected %s)", w, lit)
			case strings.HasPrefix(lit, w) || strings.HasPrefix(w, lit):
				return Value{}, p.errAt(off, "invalid literal %q: expected %s", clip(w), lit)
			}
		}
		return Value{}, p.errAt(off, "invalid value %q: expected a JSON value (strings must be in double quotes)", clip(w))
	}
	switch c {
	case '\'':
		return Value{}, p.errAt(off, "single-quoted strings are not allowed: use double quotes")
	case '/':
		return Value{}, p.errAt(off, "comments are not allowed in JSON")
	case '.':
		return Value{}, p.errAt(off, "invalid number %q: a digit is required before the decimal point", p.numberToken(off))
	}
	// Say what was expected in this context.
	found := p.found(off)
	if len(p.stack) == 0 {
		return Value{}, p.errAt(off, "expected a JSON value, found %s", found)
	}
	top := p.stack[len(p.stack)-1]
	switch {
	case top.kind == Object:
		return Value{}, p.errAt(off, "expected a value after ':', found %s", found)
	case top.n == 0:
		return Value{}, p.errAt(off, "expected a value or ']' after '[', found %s", found)
	case c == ']':
		return Value{}, p.errAt(off, "trailing comma is not allowed: expected a value after ',', found ']'")
	}
	return Value{}, p.errAt(off, "expected a value after ',' in array, found %s", found)
}
