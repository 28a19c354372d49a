// Package fold turns text into a search key, so that a search finds a word
// whatever its diacritics, case and letter variants.
//
// For Arabic it removes the tashkeel (the harakat U+064B–U+0652 and the
// superscript alef U+0670) and the tatweel U+0640, writes every alef with
// hamza or madda, and alef wasla, as the bare alef (أ إ آ ٱ → ا), alef
// maksura as yeh (ى → ي), teh marbuta as heh (ة → ه), and hamza on waw or
// yeh as the bare letter (ؤ → و, ئ → ي); the Persian yeh and keheh that some
// keyboards type become the Arabic ones (ی → ي, ک → ك), and Arabic-Indic
// digits become ASCII digits. For Latin script it lowercases and removes
// accents (é → e, Ç → c), through the canonical decomposition (NFD) of
// Unicode.
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Key returns the search key of s: s folded as the package doc says, with
// every run of characters that are neither letters nor digits (spaces,
// punctuation) written as one space, and no space at either end.
func Key(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	// Invalid UTF-8 would stop NFD from decomposing what follows it: make
	// such bytes separators first.
	s = strings.ToValidUTF8(s, " ")
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) || r == '\u0640' { // marks (tashkeel, accents, hamza above/below, madda), tatweel
			continue
		}
		r = letter(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// letter maps the letter variants that NFD leaves as they are.
func letter(r rune) rune {
	switch {
	case r == 'ٱ': // alef wasla
		return 'ا'
	case r == 'ى', r == 'ی': // alef maksura, Persian yeh
		return 'ي'
	case r == 'ة': // teh marbuta
		return 'ه'
	case r == 'ک': // keheh
		return 'ك'
	case r >= '٠' && r <= '٩': // Arabic-Indic digits
		return '0' + (r - '٠')
	case r >= '۰' && r <= '۹': // extended Arabic-Indic digits
		return '0' + (r - '۰')
	}
	return r
}

// Words returns the words of the search key of s, in order.
func Words(s string) []string {
	return strings.Fields(Key(s))
}

// Match reports whether key, a search key, holds every word of words as a
// substring: "tiznit silver" matches "atelier d'argent de tiznit, silver
// jewellery", and an empty words matches everything.
func Match(key string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(key, w) {
			return false
		}
	}
	return true
}
