// Package csvsafe keeps text cells of exported CSV files from running as
// spreadsheet formulas (CSV injection, OWASP "CSV Injection").
package csvsafe

// Text returns s, prefixed with a single quote when it starts with a
// character that makes a spreadsheet read the cell as a formula: =, +, -,
// @, or a tab or carriage return. Use it on free text (titles, names), not
// on numbers, so that "-2.50" stays a number.
func Text(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
