package csvsafe

import "testing"

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1":                "'+1",
		"-cmd":              "'-cmd",
		"@SUM(A1)":          "'@SUM(A1)",
		"\t=1":              "'\t=1",
		"Solar fish drying": "Solar fish drying",
		"":                  "",
		"تجفيف السمك":       "تجفيف السمك",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
