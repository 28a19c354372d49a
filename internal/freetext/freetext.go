// Package freetext says what free text (a title, a name, a label) may
// hold, and shows any text so that a terminal or a document displays it
// and nothing more.
//
// Text from a dataset reaches an organiser's terminal, tables and charts.
// Some characters act there rather than show: control characters (ESC
// starts the escape sequences that clear a screen or move the cursor,
// NUL, line breaks that end a table's row) and the bidirectional
// embeddings, overrides and isolates of Unicode (UAX #9), which reorder
// the text after them ("Trojan Source", CVE-2021-42574). Others show
// nothing: a title of spaces or zero-width characters looks empty.
// [Check] finds them in text to refuse; [Visible] writes them as escapes
// (\x1b, \u202e) in text to show.
package freetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fault is what is wrong with a text. The zero Fault is none.
type Fault uint8

// The faults, in the order Check looks for them.
const (
	// InvalidUTF8: a byte sequence that is not UTF-8.
	InvalidUTF8 Fault = iota + 1
	// Control: a control character (Unicode category Cc: U+0000–U+001F,
	// U+007F–U+009F), tab and line breaks included.
	Control
	// Bidi: a bidirectional embedding, override or isolate (U+202A–U+202E,
	// U+2066–U+2069), which reorders the text after it. The marks LRM,
	// RLM and ALM (U+200E, U+200F, U+061C) are not: they are strong
	// characters of no width, common in Arabic text, and reorder nothing
	// past their neighbours.
	Bidi
	// Blank: a text that is not empty but has no visible character: only
	// white space and characters that show nothing (format characters
	// such as zero-width spaces and joiners, fillers).
	Blank
)

// Check returns the first fault of s and, for InvalidUTF8, Control and
// Bidi, the character at fault (utf8.RuneError for a byte that is not
// UTF-8; its byte is at offset). The empty string has no fault: it is
// no text.
func Check(s string) (fault Fault, r rune, offset int) {
	// Printable ASCII, the usual case, byte by byte.
	visible := s == ""
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			ascii = false
			break
		}
		visible = visible || c != ' '
	}
	if ascii {
		if !visible {
			return Blank, 0, 0
		}
		return 0, 0, 0
	}
	visible = s == ""
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			return InvalidUTF8, c, i
		case unicode.Is(unicode.Cc, c):
			return Control, c, i
		case isBidiControl(c):
			return Bidi, c, i
		case !visible && !Invisible(c):
			visible = true
		}
		i += size
	}
	if !visible {
		return Blank, 0, 0
	}
	return 0, 0, 0
}

// isBidiControl reports whether r is a bidirectional embedding, override
// or isolate, or their pop.
func isBidiControl(r rune) bool {
	return '\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069'
}

// Invisible reports whether r shows nothing by itself: white space,
// format characters (Cf: zero-width spaces and joiners, bidi marks, the
// byte order mark, soft hyphens, tags), line and paragraph separators,
// controls, and the fillers and selectors that Unicode makes default
// ignorable (U+034F, U+115F, U+1160, U+17B4, U+17B5, U+180B–U+180F,
// U+3164, U+FE00–U+FE0F, U+FFA0, U+E0100–U+E01EF) or that render blank
// (U+2800).
func Invisible(r rune) bool {
	switch {
	case unicode.IsSpace(r), unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Zs):
		return true
	case r == '\u034f', r == '\u115f', r == '\u1160', r == '\u17b4', r == '\u17b5', '\u180b' <= r && r <= '\u180f',
		r == '\u2800', r == '\u3164', '\ufe00' <= r && r <= '\ufe0f', r == '\uffa0', '\U000e0100' <= r && r <= '\U000e01ef':
		return true
	}
	return false
}

// Name names r for a message: "U+001B", with its name when it is one of
// the characters Check refuses most often ("U+202E RIGHT-TO-LEFT
// OVERRIDE").
func Name(r rune) string {
	code := fmt.Sprintf("U+%04X", r)
	if n := name(r); n != "" {
		return code + " " + n
	}
	return code
}

func name(r rune) string {
	switch r {
	case 0x00:
		return "NULL"
	case 0x07:
		return "BELL"
	case 0x08:
		return "BACKSPACE"
	case 0x09:
		return "CHARACTER TABULATION"
	case 0x0a:
		return "LINE FEED"
	case 0x0d:
		return "CARRIAGE RETURN"
	case 0x1b:
		return "ESCAPE"
	case 0x7f:
		return "DELETE"
	case 0x9b:
		return "CONTROL SEQUENCE INTRODUCER"
	case 0x202a:
		return "LEFT-TO-RIGHT EMBEDDING"
	case 0x202b:
		return "RIGHT-TO-LEFT EMBEDDING"
	case 0x202c:
		return "POP DIRECTIONAL FORMATTING"
	case 0x202d:
		return "LEFT-TO-RIGHT OVERRIDE"
	case 0x202e:
		return "RIGHT-TO-LEFT OVERRIDE"
	case 0x2066:
		return "LEFT-TO-RIGHT ISOLATE"
	case 0x2067:
		return "RIGHT-TO-LEFT ISOLATE"
	case 0x2068:
		return "FIRST STRONG ISOLATE"
	case 0x2069:
		return "POP DIRECTIONAL ISOLATE"
	}
	return ""
}

// Visible returns s as it may be shown: every character that would act
// rather than show, or show nothing (controls, format characters such as
// bidi controls and zero-width characters, line and paragraph separators,
// the invisible fillers of [Invisible] but spaces), written as a Go
// escape: \t, \n, \r, \x1b (below U+0080), \u0085, \u202e, \U000e0001;
// a byte that is not UTF-8 as \xff; and U+FFFE and U+FFFF, which XML
// does not allow. Other text, spaces and any script included, is kept as
// it is.
// Visible(Visible(s)) is Visible(s): a backslash is kept as it is.
func Visible(s string) string {
	clean := true
	for _, r := range s {
		if shownEscaped(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case shownEscaped(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case shownEscaped(r) && r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		case shownEscaped(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// shownEscaped reports whether Visible escapes r: RuneError stands for a
// byte that is not UTF-8 (a literal U+FFFD is escaped too, harmlessly),
// and the noncharacters U+FFFE and U+FFFF are not characters of XML.
func shownEscaped(r rune) bool {
	return r == utf8.RuneError || r == 0xfffe || r == 0xffff || (Invisible(r) && !unicode.Is(unicode.Zs, r))
}
