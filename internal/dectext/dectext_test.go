package dectext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "15.5", want: "15.5"},
		{in: "155e-1", want: "15.5"},
		{in: "+07", want: "7"},
		{in: "-0.50", want: "-0.5"},
		{in: "1E+2", want: "100"},
		{in: "0.1", want: "0.1"},
		{in: "0e999999", want: "0"},
		{in: "", err: "empty string is not a decimal"},
		{in: "NaN", err: `"NaN" is not allowed, expected a finite decimal`},
		{in: "-Infinity", err: `"-Infinity" is not allowed, expected a finite decimal`},
		{in: "1,5", err: `"1,5" is not a decimal: unexpected ","`},
		{in: ".5", err: `".5" is not a decimal: expected a digit before the point`},
		{in: "5.", err: `"5." is not a decimal: expected a digit after the point`},
		{in: "0x1F", err: `"0x1F" is not a decimal: unexpected "x"`},
		{in: " 1", err: `" 1" is not a decimal: expected a digit before the point`},
		{in: "1e", err: `"1e" is not a decimal: expected digits in the exponent`},
		{in: "1e400", err: `"1e400" is out of range: its magnitude must lie within 1e-60 and 1e60`},
		{in: "1e-400", err: `"1e-400" is out of range: its magnitude must lie within 1e-60 and 1e60`},
		{in: "1e9999999", err: `"1e9999999" is out of range: its magnitude must lie within 1e-60 and 1e60`},
		{in: strings.Repeat("9", 65), err: "has 65 significant digits, more than the 64 a decimal may have"},
		{in: "1" + strings.Repeat("0", 61), err: "is out of range"},
		{in: "0.00000000000000000000000000000000000000000000000000000000000000001500", err: "is out of range"},
		{in: "1." + strings.Repeat("0", 200), want: "1"},
		{in: strings.Repeat("1", 300), err: "is 300 characters long, more than the 256 a decimal may have"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := Parse(tt.in)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, d.String())
		})
	}
}

// FuzzParse: never a panic; an accepted text reads back the same value
// from the decimal's own spelling.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"15.5", "155e-1", "-0.50", "1e60", "NaN", "", "1,5", "0e-9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(d.String())
		if err != nil {
			t.Fatalf("%q parsed to %s, which does not parse: %v", s, d, err)
		}
		if !back.Equal(d) {
			t.Fatalf("%q: %s reads back as %s", s, d, back)
		}
	})
}

func TestParseComma(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "15,5", want: "15.5"},
		{in: "-0,50", want: "-0.5"},
		{in: "155e-1", want: "15.5"},
		{in: "1,5e1", want: "15"},
		{in: "7", want: "7"},
		{in: "15.5", err: `"15.5" is not a decimal: unexpected "."`},
		{in: "1,5,5", err: `"1,5,5" is not a decimal: unexpected ","`},
		{in: ",5", err: `",5" is not a decimal: expected a digit before the comma`},
		{in: "5,", err: `"5," is not a decimal: expected a digit after the comma`},
		{in: "1 500,5", err: `"1 500,5" is not a decimal: unexpected " "`},
		{in: "1,x", err: `"1,x" is not a decimal: expected a digit after the comma`},
		{in: "0," + strings.Repeat("0", 70) + "1", err: `"0,000000000000000000…0000000001" is out of range: its magnitude must lie within 1e-60 and 1e60`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseComma(tt.in, Limits{})
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, d.String())
		})
	}
}

// FuzzParseComma: a decimal comma reads as the same decimal, exponent and
// all, as the point it stands for, and refuses what the point refuses.
func FuzzParseComma(f *testing.F) {
	for _, s := range []string{"15.5", "155e-1", "-0.50", "1e60", "NaN", "", "1,5", "0.e-9", "1.5.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Contains(s, ",") {
			return
		}
		want, wantErr := Parse(s)
		got, gotErr := ParseComma(strings.Replace(s, ".", ",", 1), Limits{})
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("%q: with a point %v, with a comma %v", s, wantErr, gotErr)
		}
		if wantErr == nil && (!got.Equal(want) || got.Exponent() != want.Exponent()) {
			t.Fatalf("%q: %s (exponent %d) with a point, %s (exponent %d) with a comma", s, want, want.Exponent(), got, got.Exponent())
		}
	})
}

func TestParseLimited(t *testing.T) {
	_, err := ParseLimited("123.45", Limits{MaxDigits: 4})
	require.EqualError(t, err, `"123.45" has 5 significant digits, more than the 4 a decimal may have`)
	_, err = ParseLimited("1e7", Limits{MaxExponent: 6})
	require.EqualError(t, err, `"1e7" is out of range: its magnitude must lie within 1e-6 and 1e6`)
	d, err := ParseLimited("1e7", Limits{MaxExponent: 7})
	require.NoError(t, err)
	require.Equal(t, "10000000", d.String())
}

// TestErrorFields: a refused literal says what is wrong in fields too.
func TestErrorFields(t *testing.T) {
	tests := []struct {
		in   string
		want Error
	}{
		{"", Error{Kind: Empty}},
		{"14,5", Error{Kind: Syntax, Text: "14,5", Found: ","}},
		{"14٫5", Error{Kind: Syntax, Text: "14٫5", Found: "٫"}},
		{"5.", Error{Kind: Syntax, Text: "5."}},
		{"-inf", Error{Kind: NotFinite, Text: "-inf"}},
		{"1e400", Error{Kind: OutOfRange, Text: "1e400", Limit: MaxExponent}},
		{strings.Repeat("9", 65), Error{Kind: TooManyDigits, Text: strings.Repeat("9", 20) + "…" + strings.Repeat("9", 10), Count: 65, Limit: MaxDigits}},
		{strings.Repeat("1", 300), Error{Kind: TooLong, Text: strings.Repeat("1", 20) + "…" + strings.Repeat("1", 10), Count: 300, Limit: MaxLength}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in)
			var e *Error
			require.ErrorAs(t, err, &e)
			got := *e
			got.msg = ""
			require.Equal(t, tt.want, got)
		})
	}
}
