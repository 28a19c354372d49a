// Package dectext reads decimal numbers from their literal text, strictly
// and without floating point.
//
// It accepts the grammar of a JSON number, with an optional leading plus
// sign and leading zeros allowed (spreadsheets write "07"):
//
//	[+-] digits [ "." digits ] [ (e|E) [+-] digits ]
//
// (ParseComma reads the same grammar with a decimal comma in place of the
// point) and refuses everything else with a message that says what was found:
// empty text, NaN, Infinity, hexadecimal, grouping commas, a decimal comma,
// spaces, and numbers beyond the limits below, which keep a crafted input
// from costing time or memory. A refused literal is an [*Error], which
// says what is wrong in fields as well as in its message.
package dectext

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

const (
	// MaxLength is the most characters a decimal literal may have.
	MaxLength = 256
	// MaxDigits is the most significant digits a decimal may have: the
	// digits from its first non-zero digit to its last.
	MaxDigits = 64
	// MaxExponent bounds the magnitude of a non-zero decimal: written
	// d.ddd×10^e, |e| must not exceed it.
	MaxExponent = 60
)

// Limits bounds the decimals ParseLimited accepts. A zero field takes the
// default constant of the same name.
type Limits struct {
	MaxDigits   int // significant digits; if zero, MaxDigits
	MaxExponent int // magnitude of a non-zero value; if zero, MaxExponent
}

// Kind says what is wrong with a literal Parse refuses.
type Kind uint8

// The kinds of [Error].
const (
	Empty         Kind = iota + 1 // the empty string
	TooLong                       // longer than MaxLength
	NotFinite                     // NaN or Infinity, in any case, signed or not
	Syntax                        // not of the grammar above
	TooManyDigits                 // more significant digits than the limit
	OutOfRange                    // a magnitude beyond the limit
)

// Error is a literal Parse refuses: what is wrong and the values the
// message names. Error returns the message.
type Error struct {
	Kind Kind
	// Text is the literal, abbreviated when long; empty for Empty.
	Text string
	// Found is, for Syntax, the first unexpected character ("," in
	// "14,5"), or "" when the literal ends too soon.
	Found string
	// Count is the length (TooLong) or the significant digits
	// (TooManyDigits) of the literal; Limit the limit it passes: MaxLength,
	// the digits limit, or the exponent limit (OutOfRange).
	Count, Limit int
	msg          string
}

// Error returns the message: the literal, quoted, and what is wrong.
func (e *Error) Error() string { return e.msg }

// Parse returns the decimal written in s, within the default limits. It
// never goes through float64, so "0.1" is exactly one tenth.
func Parse(s string) (decimal.Decimal, error) { return ParseLimited(s, Limits{}) }

// ParseLimited is Parse with the limits lim.
func ParseLimited(s string, lim Limits) (decimal.Decimal, error) { return parse(s, lim, '.') }

// ParseComma is ParseLimited for a decimal written with a decimal comma,
// as French-locale spreadsheets write it: "15,5" is 15.5, and a point is
// unexpected. The value is the same decimal, with the same exponent, as
// ParseLimited gives for the text with a point.
func ParseComma(s string, lim Limits) (decimal.Decimal, error) { return parse(s, lim, ',') }

// parse reads s with sep ('.' or ',') as its decimal separator.
func parse(s string, lim Limits, sep byte) (decimal.Decimal, error) {
	maxDigits, maxExponent := MaxDigits, MaxExponent
	if lim.MaxDigits > 0 {
		maxDigits = lim.MaxDigits
	}
	if lim.MaxExponent > 0 {
		maxExponent = lim.MaxExponent
	}
	if s == "" {
		return decimal.Decimal{}, &Error{Kind: Empty, msg: "empty string is not a decimal"}
	}
	if len(s) > MaxLength {
		return decimal.Decimal{}, &Error{Kind: TooLong, Text: abbrev(s), Count: len(s), Limit: MaxLength,
			msg: fmt.Sprintf("%s is %d characters long, more than the %d a decimal may have", quote(s), len(s), MaxLength)}
	}
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "nan", "inf", "infinity":
		return decimal.Decimal{}, &Error{Kind: NotFinite, Text: abbrev(s),
			msg: fmt.Sprintf("%s is not allowed, expected a finite decimal", quote(s))}
	}
	syntax := func(found, why string) *Error {
		return &Error{Kind: Syntax, Text: abbrev(s), Found: found, msg: quote(s) + " is not a decimal" + why}
	}
	outOfRange := func() *Error {
		return &Error{Kind: OutOfRange, Text: abbrev(s), Limit: maxExponent,
			msg: fmt.Sprintf("%s is out of range: its magnitude must lie within 1e-%d and 1e%d", quote(s), maxExponent, maxExponent)}
	}
	i := 0
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intDigits := i - intStart
	fracDigits := 0
	sepName := "point"
	if sep == ',' {
		sepName = "comma"
	}
	if i < len(s) && s[i] == sep {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fracDigits = i - fracStart
		if fracDigits == 0 {
			return decimal.Decimal{}, syntax("", ": expected a digit after the "+sepName)
		}
	}
	if intDigits == 0 {
		return decimal.Decimal{}, syntax("", ": expected a digit before the "+sepName)
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expStart := i
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		digitsStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == digitsStart {
			return decimal.Decimal{}, syntax("", ": expected digits in the exponent")
		}
		if i-digitsStart > 6 {
			return decimal.Decimal{}, outOfRange()
		}
		e, err := strconv.Atoi(s[expStart:i])
		if err != nil {
			return decimal.Decimal{}, syntax("", ": bad exponent")
		}
		exp = e
	}
	if i != len(s) {
		r, _ := utf8.DecodeRuneInString(s[i:])
		found := string(r)
		if r == utf8.RuneError {
			found = ""
		}
		return decimal.Decimal{}, syntax(found, ": unexpected "+quote(s[i:i+1]))
	}
	mantissa := s[intStart:i]
	if e := strings.IndexAny(mantissa, "eE"); e >= 0 {
		mantissa = mantissa[:e]
	}
	digits := strings.Trim(strings.Replace(mantissa, string(sep), "", 1), "0")
	if digits == "" {
		return decimal.Zero, nil
	}
	if len(digits) > maxDigits {
		return decimal.Decimal{}, &Error{Kind: TooManyDigits, Text: abbrev(s), Count: len(digits), Limit: maxDigits,
			msg: fmt.Sprintf("%s has %d significant digits, more than the %d a decimal may have", quote(s), len(digits), maxDigits)}
	}
	if mag := magnitude(mantissa, intDigits) + exp; mag > maxExponent || mag < -maxExponent {
		return decimal.Decimal{}, outOfRange()
	}
	text := strings.TrimPrefix(s, "+")
	if sep != '.' {
		text = strings.Replace(text, string(sep), ".", 1)
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Decimal{}, syntax("", "")
	}
	return d, nil
}

// magnitude returns the power of ten of the leading non-zero digit of the
// digits in s (which starts with intDigits digits, maybe a point and more
// digits, maybe an exponent), ignoring the exponent.
func magnitude(s string, intDigits int) int {
	pos := intDigits - 1
	for _, c := range []byte(s) {
		switch {
		case c == '.' || c == ',':
			continue
		case c == 'e' || c == 'E':
			return 0
		case c != '0':
			return pos
		}
		pos--
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func quote(s string) string { return strconv.Quote(abbrev(s)) }

// abbrev shortens a long literal for an error message.
func abbrev(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:20] + "…" + s[len(s)-10:]
}
