package afkar

import (
	"encoding/json"
	"testing"
)

// stringCases are strings whose JSON differs from their text in every way
// encoding/json has: quotes and backslashes, the short and the \u escapes
// of control characters, HTML's <, > and &, U+2028 and U+2029, invalid
// UTF-8, and text that needs none.
var stringCases = []string{
	"", "P0000001", "plain ascii ~ DEL\x7f", `quote " backslash \ slash /`,
	"\b\f\n\r\t\x00\x01\x1f", "<script>&amp;</script>", "line\u2028para\u2029end",
	"\xff", "a\xc3", "\xed\xa0\x80 surrogate", "تعاونية الأمل", "é\u2027\u202a\U0001F600",
}

// TestAppendString checks appendString against json.Marshal; FuzzAppendString
// searches for a string where they differ.
func TestAppendString(t *testing.T) {
	for _, s := range stringCases {
		checkAppendString(t, s)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s)
	}
	f.Fuzz(checkAppendString)
}

func checkAppendString(t *testing.T, s string) {
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendString([]byte("x"), s); string(got) != "x"+string(want) {
		t.Errorf("appendString(%q) = %s, want %s", s, got[1:], want)
	}
}
