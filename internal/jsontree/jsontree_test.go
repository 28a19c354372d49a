package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func num(off int, text string) Value { return Value{Kind: Number, Offset: off, Text: text} }
func str(off int, text string) Value { return Value{Kind: String, Offset: off, Text: text} }

func TestParseValid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Value
	}{
		{"null", "null", Value{Kind: Null}},
		{"true with whitespace", " \t\r\ntrue \n", Value{Kind: Bool, Offset: 4, Bool: true}},
		{"false", "false", Value{Kind: Bool}},
		{"integer", "42", num(0, "42")},
		{"negative zero", "-0", num(0, "-0")},
		{"fraction kept as written", "-0.50", num(0, "-0.50")},
		{"exponent kept as written", "155e-1", num(0, "155e-1")},
		{"exponent upper case plus", "1E+2", num(0, "1E+2")},
		{"huge exponent kept", "1e400", num(0, "1e400")},
		{"long integer kept", "123456789012345678901234567890", num(0, "123456789012345678901234567890")},
		{"empty string", `""`, str(0, "")},
		{"plain string", `"abc"`, str(0, "abc")},
		{"arabic string", `"مرحبا"`, str(0, "مرحبا")},
		{"simple escapes", `"a\"b\\c\/d\be\ff\ng\rh\ti"`, str(0, "a\"b\\c/d\be\ff\ng\rh\ti")},
		{"unicode escapes", `"\u00e9\u0645\ud83d\ude00"`, str(0, "éم😀")},
		{"escaped NUL", `"\u0000"`, str(0, "\x00")},
		{"DEL is allowed", "\"\x7f\"", str(0, "\x7f")},
		{"empty array", "[]", Value{Kind: Array}},
		{"empty array with space", "[ \n ]", Value{Kind: Array}},
		{"empty object", "{ }", Value{Kind: Object}},
		{"array of scalars", `[1, "a", null, true]`, Value{Kind: Array, Elems: []Value{
			num(1, "1"), str(4, "a"), {Kind: Null, Offset: 9}, {Kind: Bool, Offset: 15, Bool: true},
		}}},
		{"nested", `{"a": {"b": [true, []]}, "c": {}}`, Value{Kind: Object, Members: []Member{
			{Key: "a", KeyOffset: 1, Value: Value{Kind: Object, Offset: 6, Members: []Member{
				{Key: "b", KeyOffset: 7, Value: Value{Kind: Array, Offset: 12, Elems: []Value{
					{Kind: Bool, Offset: 13, Bool: true}, {Kind: Array, Offset: 19},
				}}},
			}}},
			{Key: "c", KeyOffset: 25, Value: Value{Kind: Object, Offset: 30}},
		}}},
		{"escaped key", `{"k\u00e9y": 1}`, Value{Kind: Object, Members: []Member{
			{Key: "kéy", KeyOffset: 1, Value: num(13, "1")},
		}}},
		{"duplicate keys kept in order", `{"a": 1, "b": 2, "a": 3}`, Value{Kind: Object, Members: []Member{
			{Key: "a", KeyOffset: 1, Value: num(6, "1")},
			{Key: "b", KeyOffset: 9, Value: num(14, "2")},
			{Key: "a", KeyOffset: 17, Value: num(22, "3")},
		}}},
		{"dataset-like", "{\n  \"scores\": [\n    {\"judge\": \"J1\", \"score\": \"7.5\"}\n  ]\n}", Value{Kind: Object, Members: []Member{
			{Key: "scores", KeyOffset: 4, Value: Value{Kind: Array, Offset: 14, Elems: []Value{
				{Kind: Object, Offset: 20, Members: []Member{
					{Key: "judge", KeyOffset: 21, Value: str(30, "J1")},
					{Key: "score", KeyOffset: 36, Value: str(45, "7.5")},
				}},
			}}},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in), Limits{})
			require.NoError(t, err)
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestNumberTextPreserved(t *testing.T) {
	for _, lit := range []string{"155e-1", "-0.50", "1e400", "0.000", "-1E-400", "10", "0", "1.0e+0"} {
		got, err := Parse([]byte("[ "+lit+" ]"), Limits{})
		require.NoError(t, err, lit)
		require.Len(t, got.Elems, 1)
		if diff := cmp.Diff(num(2, lit), got.Elems[0]); diff != "" {
			t.Errorf("number %s mismatch (-want +got):\n%s", lit, diff)
		}
	}
}

func TestDuplicateKeysKept(t *testing.T) {
	got, err := Parse([]byte(`{"x": 1, "x": "two", "y": null, "x": [3]}`), Limits{})
	require.NoError(t, err)
	var keys []string
	for _, m := range got.Members {
		keys = append(keys, m.Key+"="+m.Value.Kind.String())
	}
	if diff := cmp.Diff([]string{"x=number", "x=string", "y=null", "x=array"}, keys); diff != "" {
		t.Errorf("members mismatch (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name      string
		in        string
		lim       Limits
		msg       string
		line, col int
	}{
		// Encoding and framing.
		{"empty input", "", Limits{}, "empty input: expected a JSON value", 1, 1},
		{"only whitespace", " \n  ", Limits{}, "empty input: expected a JSON value", 2, 3},
		{"UTF-8 BOM", "\xef\xbb\xbf{}", Limits{}, "a UTF-8 byte order mark is not allowed at the start of the file", 1, 1},
		{"UTF-16LE BOM", "\xff\xfe{\x00}\x00", Limits{}, "input looks like UTF-16: expected UTF-8", 1, 1},
		{"UTF-16BE BOM", "\xfe\xff\x00{\x00}", Limits{}, "input looks like UTF-16: expected UTF-8", 1, 1},
		{"UTF-16LE without BOM", "{\x00}\x00", Limits{}, "input looks like UTF-16: expected UTF-8", 1, 1},
		{"UTF-16BE without BOM", "\x00[\x00]", Limits{}, "input looks like UTF-16: expected UTF-8", 1, 1},
		{"data after value", "{} {}", Limits{}, "unexpected data after the JSON value: found '{'", 1, 4},
		{"two scalars", "1\n2", Limits{}, "unexpected data after the JSON value: found '2'", 2, 1},
		{"invalid UTF-8 outside string", "[\xff]", Limits{}, "expected a value or ']' after '[', found invalid UTF-8 byte 0xff", 1, 2},
		{"NBSP as whitespace", "[1,\u00a02]", Limits{}, "expected a value after ',' in array, found U+00A0", 1, 4},

		// Structure.
		{"trailing comma in array", "[1,]", Limits{}, "trailing comma is not allowed: expected a value after ',', found ']'", 1, 4},
		{"trailing comma in object", `{"a":1,}`, Limits{}, "trailing comma is not allowed: expected a string key after ',', found '}'", 1, 8},
		{"missing comma in object", `{"a":1 "b":2}`, Limits{}, `expected ',' or '}' after object member, found '"'`, 1, 8},
		{"missing comma in array", `[1 2]`, Limits{}, `expected ',' or ']' after array element, found '2'`, 1, 4},
		{"missing colon", `{"a" 1}`, Limits{}, `expected ':' after object key, found '1'`, 1, 6},
		{"missing value in object", `{"a":}`, Limits{}, `expected a value after ':', found '}'`, 1, 6},
		{"leading comma in array", `[,1]`, Limits{}, `expected a value or ']' after '[', found ','`, 1, 2},
		{"double comma", `[1,,2]`, Limits{}, `expected a value after ',' in array, found ','`, 1, 4},
		{"bad key start", `{1:2}`, Limits{}, `object keys must be strings in double quotes, found 1`, 1, 2},
		{"bad key after comma", `{"a":1,[]}`, Limits{}, `expected a string key after ',' in object, found '['`, 1, 8},
		{"bad key after brace", `{:1}`, Limits{}, `expected a string key or '}' after '{', found ':'`, 1, 2},
		{"unquoted key", `{name: 1}`, Limits{}, `object keys must be strings in double quotes, found name`, 1, 2},
		{"single-quoted key", `{'a': 1}`, Limits{}, `single-quoted strings are not allowed: object keys must be in double quotes`, 1, 2},
		{"single-quoted value", `['a']`, Limits{}, `single-quoted strings are not allowed: use double quotes`, 1, 2},
		{"line comment before value", "// c\n{}", Limits{}, "comments are not allowed in JSON", 1, 1},
		{"comment after element", "[1 /* c */]", Limits{}, "comments are not allowed in JSON", 1, 4},
		{"mismatched bracket", `[1}`, Limits{}, `expected ',' or ']' after array element, found '}'`, 1, 3},
		{"unterminated array", "[1,\n 2", Limits{}, "unexpected end of input: unterminated array starting at line 1, column 1", 2, 3},
		{"unterminated object", "{\n \"a\": [1],", Limits{}, "unexpected end of input: unterminated object starting at line 1, column 1", 2, 11},
		{"unterminated object after key", `{"a"`, Limits{}, "unexpected end of input: unterminated object starting at line 1, column 1", 1, 5},
		{"nested unterminated", `{"a": [`, Limits{}, "unexpected end of input: unterminated array starting at line 1, column 7", 1, 8},

		// Depth.
		{"too deep default", deep(65), Limits{}, "nesting deeper than 64 levels", 1, 65},
		{"too deep custom", `{"a": [[1]]}`, Limits{MaxDepth: 2}, "nesting deeper than 2 levels", 1, 8},
		{"a million brackets", strings.Repeat("[", 1_000_000), Limits{}, "nesting deeper than 64 levels", 1, 65},

		// Literals.
		{"NaN", "NaN", Limits{}, `NaN is not valid JSON: write a decimal such as "1.5"`, 1, 1},
		{"Infinity", "[Infinity]", Limits{}, `Infinity is not valid JSON: write a decimal such as "1.5"`, 1, 2},
		{"-Infinity", `{"x": -Infinity}`, Limits{}, `-Infinity is not valid JSON: write a decimal such as "1.5"`, 1, 7},
		{"capitalised literal", "True", Limits{}, `invalid literal "True": JSON literals are lower case: write true`, 1, 1},
		{"misspelt literal", "[nul]", Limits{}, `invalid literal "nul": expected null`, 1, 2},
		{"literal with suffix", "falsey", Limits{}, `invalid literal "falsey": expected false`, 1, 1},
		{"truncated literal", "[tru", Limits{}, `unexpected end of input: incomplete literal "tru" (expected true)`, 1, 5},
		{"bare word", "[undefined]", Limits{}, `invalid value "undefined": expected a JSON value (strings must be in double quotes)`, 1, 2},

		// Numbers.
		{"leading zero", "07", Limits{}, `invalid number "07": leading zeros are not allowed`, 1, 1},
		{"negative leading zero", "[-007]", Limits{}, `invalid number "-007": leading zeros are not allowed`, 1, 2},
		{"leading plus", "+1", Limits{}, `invalid number "+1": a leading '+' is not allowed`, 1, 1},
		{"leading point", "[.5]", Limits{}, `invalid number ".5": a digit is required before the decimal point`, 1, 2},
		{"negative leading point", "-.5", Limits{}, `invalid number "-.5": a digit is required before the decimal point`, 1, 1},
		{"trailing point", "1.", Limits{}, `invalid number "1.": expected a digit after the decimal point`, 1, 1},
		{"empty exponent", "[1e]", Limits{}, `invalid number "1e": expected a digit in the exponent`, 1, 2},
		{"signed empty exponent", "1e+", Limits{}, `invalid number "1e+": expected a digit in the exponent`, 1, 1},
		{"lone minus", "-", Limits{}, `invalid number "-": expected a digit after '-'`, 1, 1},
		{"minus then bracket", "[-]", Limits{}, `invalid number: expected a digit after '-', found ']'`, 1, 3},
		{"hexadecimal", "0x1F", Limits{}, `invalid number "0x1F": hexadecimal is not allowed`, 1, 1},
		{"two points", "1.5.3", Limits{}, `invalid number "1.5.3": unexpected '.'`, 1, 1},
		{"decimal comma", `{"a": 1,5}`, Limits{}, `object keys must be strings in double quotes, found 5`, 1, 9},

		// Strings.
		{"unterminated string", "{\n  \"ab", Limits{}, "unexpected end of input: unterminated string starting at line 2, column 3", 2, 6},
		{"unterminated after escape", `"ab\`, Limits{}, "unexpected end of input: unterminated string starting at line 1, column 1", 1, 5},
		{"unterminated in unicode escape", `"\u12`, Limits{}, "unexpected end of input: unterminated string starting at line 1, column 1", 1, 6},
		{"newline in string", "[\"abc\n\"]", Limits{}, `invalid line break in string starting at line 1, column 2: close the string with '"' or write \n`, 1, 6},
		{"tab in string", "\"a\tb\"", Limits{}, `invalid tab character in string: write \t`, 1, 3},
		{"control character in string", "\"a\x01\"", Limits{}, `invalid control character U+0001 in string: write \u0001`, 1, 3},
		{"control character after escape", "\"\\n\x1f\"", Limits{}, `invalid control character U+001F in string: write \u001f`, 1, 4},
		{"invalid escape", `"a\x"`, Limits{}, `invalid escape '\x' in string: valid escapes are \" \\ \/ \b \f \n \r \t \uXXXX`, 1, 3},
		{"invalid hex digit", `"\u12G4"`, Limits{}, `invalid \u escape: expected 4 hexadecimal digits, found 'G'`, 1, 6},
		{"lone high surrogate", `"\ud800"`, Limits{}, `invalid \u escape: lone surrogate \ud800 must be followed by a low surrogate \udc00-\udfff`, 1, 2},
		{"high surrogate then letter", `"\uD800\u0041"`, Limits{}, `invalid \u escape: lone surrogate \ud800 must be followed by a low surrogate \udc00-\udfff, found \u0041`, 1, 2},
		{"lone low surrogate", `"x\udc00"`, Limits{}, `invalid \u escape: low surrogate \udc00 without a preceding high surrogate`, 1, 3},
		{"invalid UTF-8 in string", "\"a\xffb\"", Limits{}, `invalid UTF-8 byte 0xff in string`, 1, 3},
		{"invalid UTF-8 after escape", "\"\\t\xc3\"", Limits{}, `invalid UTF-8 byte 0xc3 in string`, 1, 4},
		{"UTF-8 encoded surrogate", "\"\xed\xa0\x80\"", Limits{}, `invalid UTF-8 byte 0xed in string`, 1, 2},
		{"arabic then error", `{"اسم": tru}`, Limits{}, `invalid literal "tru": expected true`, 1, 9},
		{"arabic on second line", "{\"a\": 1,\n \"عمر\": 2 3}", Limits{}, `expected ',' or '}' after object member, found '3'`, 2, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got, err := Parse([]byte(tt.in), tt.lim)
			require.Nil(t, got)
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "error %v is not a *SyntaxError", err)
			want := fmt.Sprintf("line %d, column %d: %s", tt.line, tt.col, tt.msg)
			require.Equal(t, want, err.Error())
			require.Equal(t, tt.msg, se.Msg)
			line, col := Position([]byte(tt.in), se.Offset)
			require.Equal(t, [2]int{tt.line, tt.col}, [2]int{line, col}, "Position of Offset %d", se.Offset)
			require.Less(t, time.Since(start), time.Second)
		})
	}
}

func TestDepthLimit(t *testing.T) {
	ok := strings.Repeat("[", 64) + strings.Repeat("]", 64)
	_, err := Parse([]byte(ok), Limits{})
	require.NoError(t, err)

	// A large custom limit works without recursion.
	const n = 200_000
	deep := strings.Repeat(`{"a":[`, n) + strings.Repeat("]}", n)
	v, err := Parse([]byte(deep), Limits{MaxDepth: 2 * n})
	require.NoError(t, err)
	for d := 0; d < 2*n; d += 2 {
		require.Equal(t, Object, v.Kind)
		v = &v.Members[0].Value
		require.Equal(t, Array, v.Kind)
		if d+2 < 2*n {
			v = &v.Elems[0]
		}
	}
	_, err = Parse([]byte(deep), Limits{MaxDepth: 2*n - 1})
	require.EqualError(t, err, fmt.Sprintf("line 1, column %d: nesting deeper than %d levels", 6*n, 2*n-1))
}

func TestPosition(t *testing.T) {
	data := []byte("{\n  \"اسم\": \"سعاد\",\r\n\t\"x\": 1\n}")
	tests := []struct {
		name      string
		sub       string // the first occurrence of sub gives the offset
		line, col int
	}{
		{"start", "{", 1, 1},
		{"key quote", `"اسم"`, 2, 3},
		{"colon after arabic key", ":", 2, 8},
		{"arabic value", `"سعاد"`, 2, 10},
		{"comma after arabic value", ",", 2, 16},
		{"carriage return counts as a character", "\r", 2, 17},
		{"tab counts as one", `"x"`, 3, 2},
		{"last brace", "}", 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := bytes.Index(data, []byte(tt.sub))
			require.GreaterOrEqual(t, off, 0)
			line, col := Position(data, off)
			require.Equal(t, [2]int{tt.line, tt.col}, [2]int{line, col})
		})
	}
	// Clamping and the end of input.
	line, col := Position(data, -5)
	require.Equal(t, [2]int{1, 1}, [2]int{line, col})
	line, col = Position(data, len(data)+10)
	require.Equal(t, [2]int{4, 2}, [2]int{line, col})
	line, col = Position(nil, 0)
	require.Equal(t, [2]int{1, 1}, [2]int{line, col})
}

func TestKindString(t *testing.T) {
	got := []string{Null.String(), Bool.String(), Number.String(), String.String(), Array.String(), Object.String(), Kind(9).String()}
	want := []string{"null", "boolean", "number", "string", "array", "object", "Kind(9)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Kind.String mismatch (-want +got):\n%s", diff)
	}
}

func TestConformanceDatasets(t *testing.T) {
	for _, name := range []string{"000", "001", "002", "009"} {
		data, err := os.ReadFile("../../testdata/conformance/" + name + "/dataset.json")
		if err != nil {
			t.Skip(err)
		}
		v, err := Parse(data, Limits{})
		require.NoError(t, err, name)
		checkAgainstStdlib(t, data, v)
	}
}

// toAny converts a tree to what encoding/json produces with UseNumber:
// objects become maps in which the last duplicate wins.
func toAny(v *Value) any {
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		return json.Number(v.Text)
	case String:
		return v.Text
	case Array:
		a := make([]any, len(v.Elems))
		for i := range v.Elems {
			a[i] = toAny(&v.Elems[i])
		}
		return a
	case Object:
		m := make(map[string]any, len(v.Members))
		for i := range v.Members {
			m[v.Members[i].Key] = toAny(&v.Members[i].Value)
		}
		return m
	}
	return nil
}

func checkAgainstStdlib(t *testing.T, data []byte, v *Value) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("encoding/json cannot decode what Parse accepted: %v", err)
	}
	if diff := cmp.Diff(want, toAny(v)); diff != "" {
		t.Fatalf("tree differs from encoding/json (-want +got):\n%s", diff)
	}
}

// depth returns the nesting depth of valid JSON.
func depth(data []byte) int {
	d, max, inString := 0, 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			d++
			if d > max {
				max = d
			}
		case c == ']' || c == '}':
			d--
		}
	}
	return max
}

// hasSurrogateEscape reports whether data contains a \u escape of a
// surrogate, which encoding/json accepts even when unpaired.
func hasSurrogateEscape(data []byte) bool {
	s := strings.ToLower(string(data))
	for i := strings.Index(s, `\ud`); i >= 0 && i+4 < len(s); {
		if c := s[i+3]; c >= '8' && c <= '9' || c >= 'a' && c <= 'f' {
			return true
		}
		j := strings.Index(s[i+1:], `\ud`)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"000", "002", "009"} {
		data, err := os.ReadFile("../../testdata/conformance/" + name + "/dataset.json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		`null`, `[1, -0.5e+3, "a\u00e9\ud83d\ude00", {"k": [true, false, {}]}]`,
		`{"a":1,"a":2}`, `"\ud800"`, "\"\xff\"", `[1,]`, `07`, `NaN`, "\xef\xbb\xbf{}",
		`"\"\\\/\b\f\n\r\t"`, `{"مفتاح": "قيمة"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data, Limits{})
		valid := json.Valid(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			if se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("error offset %d outside input of %d bytes", se.Offset, len(data))
			}
			if line, col := Position(data, se.Offset); line != se.Line || col != se.Column {
				t.Fatalf("error position %d:%d, Position gives %d:%d", se.Line, se.Column, line, col)
			}
			if !valid {
				return
			}
			// Where Parse is deliberately stricter than encoding/json.
			switch {
			case !utf8.Valid(data):
			case hasSurrogateEscape(data):
			case depth(data) > DefaultMaxDepth:
			default:
				t.Fatalf("Parse rejects what encoding/json accepts: %v", err)
			}
			return
		}
		if !valid {
			t.Fatalf("Parse accepts what encoding/json rejects")
		}
		checkAgainstStdlib(t, data, v)
	})
}

// benchDocument returns a dataset-like document of about size bytes.
func benchDocument(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"format": "afkar/1", "scores": [` + "\n")
	criteria := []string{"economic", "social", "innovation", "feasibility"}
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `    {"judge": "J%d", "project": "P%05d", "criterion": "%s", "score": "%d.%d"}`,
			i%17, i/68, criteria[i%len(criteria)], i%11, (i*7)%10)
	}
	b.WriteString("\n  ]\n}\n")
	return b.Bytes()
}

func BenchmarkParse(b *testing.B) {
	data := benchDocument(10 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMaxStringBytes(t *testing.T) {
	long := `["` + strings.Repeat("a", 100) + `"]`
	_, err := Parse([]byte(long), Limits{MaxStringBytes: 100})
	require.NoError(t, err, "exactly the limit")
	_, err = Parse([]byte(long), Limits{MaxStringBytes: 99})
	require.EqualError(t, err, "line 1, column 2: string longer than 99 bytes, the limit (Limits.MaxStringBytes)")
	escaped := `["\n` + strings.Repeat("a", 100) + `"]`
	_, err = Parse([]byte(escaped), Limits{MaxStringBytes: 50})
	require.EqualError(t, err, "line 1, column 2: string longer than 50 bytes, the limit (Limits.MaxStringBytes)")
	_, err = Parse([]byte(`["`+strings.Repeat("a", DefaultMaxStringBytes+1)+`"]`), Limits{})
	require.ErrorContains(t, err, "string longer than 65536 bytes")
}
