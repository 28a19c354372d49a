package csvsafe

import "testing"

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1":                "'+1",
		"-cmd":              "'-cmd",
		"@SUM(A1)":          "'@SUM(A1)",
		"\t=1":              "'\t=1",
		"'=1":               "''=1", // so that Restore gives back '=1
		"'quoted":           "'quoted",
		"Solar fish drying": "Solar fish drying",
		"":                  "",
		"تجفيف السمك":       "تجفيف السمك",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if back := Restore(Text(in)); back != in {
			t.Errorf("Restore(Text(%q)) = %q", in, back)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("=1")
	f.Add("''-x")
	f.Fuzz(func(t *testing.T, s string) {
		safe := Text(s)
		if formulaStart(safe) && safe[0] != '\'' {
			t.Fatalf("Text(%q) = %q still starts like a formula", s, safe)
		}
		if Restore(safe) != s {
			t.Fatalf("Restore(Text(%q)) = %q", s, Restore(safe))
		}
	})
}
