// Package csvsafe keeps text cells of exported CSV files from running as
// spreadsheet formulas (CSV injection, OWASP "CSV Injection"), reversibly.
package csvsafe

import "strings"

// formulaStart reports whether a spreadsheet would read s as a formula
// (it starts with =, +, -, @, a tab or a carriage return), or s is single
// quotes before such a start.
func formulaStart(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// Text returns s made safe for a spreadsheet: with a single quote before it
// when it starts like a formula, or with quotes before such a start (so
// that Restore can undo it exactly); s itself otherwise. Use it on free
// text (titles, names), not on numbers, so that "-2.50" stays a number.
func Text(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}

// Restore returns the cell s as it was before Text.
func Restore(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && formulaStart(rest) {
		return rest
	}
	return s
}
