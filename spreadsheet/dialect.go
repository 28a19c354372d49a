package spreadsheet

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/internal/dectext"
)

// Dialect is how a spreadsheet program writes a CSV file: what separates
// the cells, what separates the integer part of a decimal from its
// fraction, and whether the file starts with a byte order mark.
//
// The zero Dialect reads any of the dialects below, telling them apart by
// the file's header, and writes the canonical one: ",", a decimal point,
// no byte order mark.
//
//	Excel, English locale; Google Sheets   ,    15.5
//	Excel, French locale (Morocco)         ;    15,5   ("CSV UTF-8" adds a byte order mark)
//	LibreOffice, French locale             ,    "15,5" (quoted, since the cell holds the delimiter)
//	tab-separated ("Unicode text")         tab  15.5 or 15,5
type Dialect struct {
	// Comma separates the cells of a row: ',', ';' or '\t'. When reading,
	// zero means: detect it from the header line (see [Options]); when
	// writing, ','.
	Comma rune
	// Decimal separates a decimal's integer part from its fraction: '.'
	// or ','. When reading, zero accepts either, cell by cell (a cell
	// holding both is a problem), and a set Decimal makes the other one a
	// problem; when writing, zero means '.'. A decimal comma in a file
	// whose Comma is ',' needs its cell quoted, as spreadsheets do.
	Decimal rune
	// BOM, when writing, starts the file with a UTF-8 byte order mark,
	// which Excel needs to read the file as UTF-8 (Arabic titles are
	// garbled without it). Reading accepts a file with or without one,
	// whatever BOM says; a [Layout] says whether the file had one.
	BOM bool
}

// check reports a Dialect field outside its values.
func (d Dialect) check() error {
	switch d.Comma {
	case 0, ',', ';', '\t':
	default:
		return fmt.Errorf("spreadsheet: Dialect.Comma %q: expected ',', ';' or a tab", d.Comma)
	}
	switch d.Decimal {
	case 0, '.', ',':
	default:
		return fmt.Errorf("spreadsheet: Dialect.Decimal %q: expected '.' or ','", d.Decimal)
	}
	return nil
}

// writing returns d with its zero fields set as a writer takes them.
func (d Dialect) writing() Dialect {
	if d.Comma == 0 {
		d.Comma = ','
	}
	if d.Decimal == 0 {
		d.Decimal = '.'
	}
	return d
}

// AppendCell appends s to dst as a cell of a row in d, quoted exactly when
// encoding/csv's Writer with d's Comma would quote it: when it holds the
// delimiter, a quote, a CR or LF, begins with white space, or is \. .
// It does not neutralise formulas: free text should go through a
// writer of this package, or be made safe first.
func (d Dialect) AppendCell(dst []byte, s string) []byte {
	comma := byte(d.writing().Comma)
	quote := s == `\.`
	for i := 0; i < len(s) && !quote; i++ {
		switch s[i] {
		case comma, '"', '\r', '\n':
			quote = true
		}
	}
	if !quote && s != "" {
		r, _ := utf8.DecodeRuneInString(s)
		quote = unicode.IsSpace(r)
	}
	if !quote {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// AppendDecimal appends the decimal text num, written with a point (as
// decimal.Decimal and the result's totals spell it), as a cell in d: the
// point becomes a comma when d's Decimal is ',', and the cell is quoted
// when that comma is also the delimiter.
func (d Dialect) AppendDecimal(dst []byte, num string) []byte {
	d = d.writing()
	if d.Decimal != ',' || strings.IndexByte(num, '.') < 0 {
		return d.AppendCell(dst, num)
	}
	return d.AppendCell(dst, strings.Replace(num, ".", ",", 1))
}

// delimiterName names a delimiter in messages: "','", "';'" or "tabs".
func delimiterName(r rune) string {
	if r == '\t' {
		return "tabs"
	}
	return "'" + string(r) + "'"
}

// delimiterFlag spells a delimiter as afkar's --delimiter takes it.
func delimiterFlag(r rune) string {
	if r == '\t' {
		return "tab"
	}
	return "'" + string(r) + "'"
}

// delimiters are the delimiters a reader tells apart, in the order they
// are counted.
const delimiters = ",;\t"

// sniffed is what the first lines of a file say about its dialect.
type sniffed struct {
	comma rune
	// sepLine is true when the file starts with a "sep=;" line, which
	// Excel reads as the delimiter to use, and which is not the header.
	sepLine int
	// problem, if not empty, is why the delimiter cannot be told.
	problem string
}

// sniff works out the delimiter of a file from head, its first bytes
// after the byte order mark, given want, the delimiter asked for (zero:
// any). A first line "sep=X" names the delimiter, as Excel takes it; the
// next line is the header. Otherwise the delimiter is the one of ',', ';'
// and tab that the header line holds most often outside quotes, ',' when
// it holds none (a file of one column), and a problem when two are tied.
// A wanted delimiter that the header does not hold while it holds another
// one is a problem too: the reader would see a single column.
func sniff(head []byte, want rune) sniffed {
	var s sniffed
	if rest, ok := strings.CutPrefix(string(firstLine(head)), "sep="); ok && len(rest) == 1 && strings.ContainsRune(delimiters, rune(rest[0])) {
		s.sepLine = 1
		s.comma = rune(rest[0])
		head = head[len(firstLine(head)):]
		if len(head) > 0 && head[0] == '\r' {
			head = head[1:]
		}
		if len(head) > 0 && head[0] == '\n' {
			head = head[1:]
		}
		if want == 0 {
			return s
		}
	}
	var counts [3]int
	quoted := false
scan:
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			break scan
		case c == ',':
			counts[0]++
		case c == ';':
			counts[1]++
		case c == '\t':
			counts[2]++
		}
	}
	best := 0
	for k := range counts {
		if counts[k] > counts[best] {
			best = k
		}
	}
	if want != 0 {
		s.comma = want
		if counts[strings.IndexRune(delimiters, want)] == 0 && counts[best] > 0 {
			d := rune(delimiters[best])
			s.problem = fmt.Sprintf("the header has %s between names, not %s (--delimiter): %s Leave out --delimiter to detect it, or set --delimiter %s",
				delimiterName(d), delimiterName(want), guess(d), delimiterFlag(d))
		}
		return s
	}
	s.comma = rune(delimiters[best])
	if counts[best] == 0 {
		s.comma = ','
		return s
	}
	for k := range counts {
		if k != best && counts[k] == counts[best] {
			a, b := min(k, best), max(k, best)
			s.problem = fmt.Sprintf("cannot tell what separates the header's names: it has %s and %s: set --delimiter",
				countOf(counts[a], rune(delimiters[a])), countOf(counts[b], rune(delimiters[b])))
			return s
		}
	}
	return s
}

// guess says what kind of export a file with delimiter d likely is.
func guess(d rune) string {
	switch d {
	case ';':
		return "is this a French-locale Excel export?"
	case '\t':
		return "is this a tab-separated export?"
	}
	return "is this an English-locale export?"
}

// countOf says "2 ','" or "3 tabs".
func countOf(n int, d rune) string {
	if d == '\t' {
		if n == 1 {
			return "1 tab"
		}
		return fmt.Sprintf("%d tabs", n)
	}
	return fmt.Sprintf("%d %s", n, delimiterName(d))
}

// firstLine returns head up to its first LF or CR.
func firstLine(head []byte) []byte {
	for i, c := range head {
		if c == '\n' || c == '\r' {
			return head[:i]
		}
	}
	return head
}

// oneName reports whether a header of the single name name is most likely
// several names with another separator ("project|judge|score"): it holds
// a character that no column name of this package has.
func oneName(name string) bool {
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' && r != '.' {
			return true
		}
	}
	return false
}

// oneNameMessage is the problem with a header that is a single name
// holding other separators.
func oneNameMessage(name string) string {
	return fmt.Sprintf("the header is one name, %q: expected names separated by ',', ';' or a tab", abbreviate(name))
}

// numbers parses the decimal cells of one file in its dialect, caching
// them by text, and keeps what they show of the decimal separator.
// Sharing a Decimal between scores is safe: shopspring/decimal never
// changes a value in place.
type numbers struct {
	decimal rune // '.', ',' or 0: either
	cache   map[string]decimal.Decimal
	// sawPoint and sawComma say whether a cell parsed had a decimal point
	// or a decimal comma.
	sawPoint, sawComma bool
}

func newNumbers(sep rune) *numbers {
	return &numbers{decimal: sep, cache: make(map[string]decimal.Decimal)}
}

// parse returns the decimal s spells (s trimmed, not empty).
func (n *numbers) parse(s string) (decimal.Decimal, error) {
	if d, ok := n.cache[s]; ok {
		return d, nil
	}
	comma, point := strings.IndexByte(s, ',') >= 0, strings.IndexByte(s, '.') >= 0
	var (
		d   decimal.Decimal
		err error
	)
	switch {
	case comma && point:
		return d, fmt.Errorf("%q has both a point and a comma: expected a single decimal separator and no thousands separator", abbreviate(s))
	case comma && n.decimal == '.':
		return d, fmt.Errorf("%q has a decimal comma, but the file is read with a decimal point (as in 7.5)", abbreviate(s))
	case point && n.decimal == ',':
		return d, fmt.Errorf("%q has a decimal point, but the file is read with a decimal comma (as in 7,5)", abbreviate(s))
	case comma:
		d, err = dectext.ParseComma(s, dectext.Limits{})
	default:
		d, err = dectext.Parse(s)
	}
	if err != nil {
		return d, err
	}
	n.sawComma = n.sawComma || comma
	n.sawPoint = n.sawPoint || point
	if len(n.cache) < maxCachedValues {
		n.cache[strings.Clone(s)] = d
	}
	return d, nil
}

// merge adds what o saw to n.
func (n *numbers) merge(o *numbers) {
	n.sawComma = n.sawComma || o.sawComma
	n.sawPoint = n.sawPoint || o.sawPoint
}

// decimalOf returns the decimal separator of a file read with want (zero:
// either) and delimiter comma, as its cells showed it: want when set, else
// ',' when a cell had a decimal comma, else '.' when one had a point, else
// ',' for a file separated by ';' (the locales that separate cells by ';'
// write decimals with a comma), else '.'.
func (n *numbers) decimalOf(want, comma rune) rune {
	switch {
	case want != 0:
		return want
	case n.sawComma:
		return ','
	case n.sawPoint:
		return '.'
	case comma == ';':
		return ','
	}
	return '.'
}

// ambiguous reports whether s, a decimal comma read in a file separated by
// ',', could also be a number with a thousands separator: one comma
// followed by exactly three digits, as in "1,500".
func ambiguous(s string) bool {
	i := strings.IndexByte(s, ',')
	if i < 1 || len(s)-i-1 != 3 {
		return false
	}
	for _, c := range []byte(s[i+1:]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// abbreviate shortens long cell text for a message.
func abbreviate(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:30]) + "…"
}
