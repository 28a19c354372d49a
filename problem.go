package afkar

import (
	"errors"
	"strconv"

	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/internal/jsontree"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// ProblemAt returns err as the problem at path, with the message Decode
// gives it. An error of the engine's own readers and checks carries its
// code and parameters: a decimal that does not parse ([scoring.Code]s
// decimal.*), a score out of range or off its step
// ([scoring.Rubric.CheckScore]), a tie-break rule that does not parse, or
// malformed JSON. Any other error gives a problem with its message and no
// code.
func ProblemAt(path string, err error) Problem {
	var (
		ve *scoring.ValueError
		de *dectext.Error
		re *ranking.RuleError
		se *jsontree.SyntaxError
	)
	switch {
	case errors.As(err, &ve):
		return ve.At(path)
	case errors.As(err, &de):
		return Problem{Path: path, Message: err.Error(), Code: decimalCode(de.Kind), Params: decimalParams(de)}
	case errors.As(err, &re):
		code := scoring.CodeRuleUnknown
		switch re.Kind {
		case ranking.ByCriterion:
			code = scoring.CodeRuleNoCriterion
		case ranking.Lottery:
			code = scoring.CodeRuleEmptySeed
		}
		return Problem{Path: path, Message: err.Error(), Code: code, Params: scoring.Params{"rule": re.Text}}
	case errors.As(err, &se):
		return Problem{Path: path, Message: "malformed JSON: " + se.Error(), Code: scoring.CodeJSONSyntax,
			Params: scoring.Params{"line": strconv.Itoa(se.Line), "column": strconv.Itoa(se.Column)}}
	}
	return Problem{Path: path, Message: err.Error()}
}

func decimalCode(k dectext.Kind) scoring.Code {
	switch k {
	case dectext.Empty:
		return scoring.CodeDecimalEmpty
	case dectext.TooLong:
		return scoring.CodeDecimalTooLong
	case dectext.NotFinite:
		return scoring.CodeDecimalNotFinite
	case dectext.TooManyDigits:
		return scoring.CodeDecimalDigits
	case dectext.OutOfRange:
		return scoring.CodeDecimalMagnitude
	}
	return scoring.CodeDecimalSyntax
}

func decimalParams(e *dectext.Error) scoring.Params {
	switch e.Kind {
	case dectext.Empty:
		return nil
	case dectext.TooLong:
		return scoring.Params{"length": strconv.Itoa(e.Count), "max": strconv.Itoa(e.Limit)}
	case dectext.TooManyDigits:
		return scoring.Params{"text": e.Text, "digits": strconv.Itoa(e.Count), "max": strconv.Itoa(e.Limit)}
	case dectext.OutOfRange:
		return scoring.Params{"text": e.Text, "max": strconv.Itoa(e.Limit)}
	case dectext.Syntax:
		if e.Found != "" {
			return scoring.Params{"text": e.Text, "found": e.Found}
		}
	}
	return scoring.Params{"text": e.Text}
}
