package fold

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestKey(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain arabic", "تعاونية", "تعاونيه"},
		{"tashkeel removed", "تَعَاوُنِيَّةٌ", "تعاونيه"},
		{"superscript alef removed", "هٰذا", "هذا"},
		{"tatweel removed", "تعـــاونية", "تعاونيه"},
		{"alef with hamza above", "أركان", "اركان"},
		{"alef with hamza below", "إنتاج", "انتاج"},
		{"alef with madda", "آسفي", "اسفي"},
		{"alef wasla", "ٱلزيت", "الزيت"},
		{"alef maksura", "مستشفى", "مستشفي"},
		{"hamza on waw", "مؤسسة", "موسسه"},
		{"hamza on yeh", "بيئة", "بييه"},
		{"persian yeh and keheh", "کوپراتیف", "كوپراتيف"},
		{"arabic-indic digits", "٢٠٢٥", "2025"},
		{"latin case and accents", "Coopérative FÈS-Meknès", "cooperative fes meknes"},
		{"cedilla", "Façon", "facon"},
		{"punctuation and spaces", "  Argan,  oil! ", "argan oil"},
		{"mixed scripts", "Amlou أملو", "amlou املو"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Key(tt.in); got != tt.want {
				t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	key := Key("تَعاوُنيّة أركان النساء — Coopérative d'argan des femmes")
	tests := []struct {
		query string
		want  bool
	}{
		{"تعاونية", true},
		{"تعاونيه", true}, // teh marbuta typed as heh
		{"اركان", true},   // bare alef for أ
		{"إركان", true},   // another hamza form
		{"الـنساء", true}, // tatweel in the query
		{"cooperative", true},
		{"ARGAN femmes", true},
		{"argan saffron", false}, // every word must match
		{"", true},
	}
	for _, tt := range tests {
		if got := Match(key, Words(tt.query)); got != tt.want {
			t.Errorf("Match(%q, %q) = %t, want %t", key, tt.query, got, tt.want)
		}
	}
}

// FuzzKey checks that folding is idempotent and keeps valid UTF-8 without
// spaces at the ends.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"تَعَاوُنِيَّةٌ", "Coopérative", "٢٠٢٥ آسفي", "a\u0301", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if !utf8.ValidString(k) && utf8.ValidString(s) {
			t.Fatalf("Key(%q) = %q is not valid UTF-8", s, k)
		}
		if strings.TrimSpace(k) != k {
			t.Fatalf("Key(%q) = %q has spaces at an end", s, k)
		}
		if again := Key(k); again != k {
			t.Fatalf("Key is not idempotent: Key(%q) = %q, Key of that = %q", s, k, again)
		}
	})
}
