package afkar

import (
	"fmt"
	"strconv"

	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/scoring"
)

// Limits bound what Decode accepts and the work Evaluate does, so that no
// input can make Afkar take minutes or gigabytes: an input past a limit is
// a problem naming the limit, found before the work it would cost.
// [DecodeOptions] and [EvaluateOptions] take them. A zero field takes the
// default that its comment gives; DefaultLimits returns them all.
//
// The defaults leave room for national registries (a million projects
// scored by five judges on six criteria is 30 million scores, about 2.5 GB
// of JSON: raise MaxBytes for that) while refusing what no real dataset
// has: strings of megabytes, decimals of hundreds of digits, nesting
// deeper than the format's five levels.
type Limits struct {
	MaxBytes            int // size of the input; if zero, 1 GiB
	MaxDepth            int // nesting of arrays and objects; if zero, 64
	MaxStringBytes      int // one string (a title, an id); if zero, 64 KiB
	MaxProjects         int // if zero, 2,000,000
	MaxJudges           int // listed, or named by the scores when none are listed; if zero, 100,000
	MaxScores           int // if zero, 100,000,000
	MaxGroups           int // values of ranking.groups; if zero, 10,000
	MaxDecimalDigits    int // significant digits of a decimal; if zero, 64
	MaxDecimalMagnitude int // |e| of a non-zero decimal d.ddd×10^e; if zero, 60
	// MaxHeadToHeadPairs bounds the work of the head_to_head tie-break
	// in Evaluate: the pairs of distinct ballots it compares, summed over
	// the tied sets it splits, overall and in each group. Projects with
	// identical ballots count once: a tied set of k distinct ballots is
	// k(k−1)/2 pairs, however many projects share them. If zero,
	// 50,000,000 (a tied set of 10,000 projects whose ballots all
	// differ: seconds of work).
	MaxHeadToHeadPairs int
}

// DefaultLimits returns the limits that a zero Limits applies.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:            1 << 30,
		MaxDepth:            64,
		MaxStringBytes:      64 << 10,
		MaxProjects:         2_000_000,
		MaxJudges:           100_000,
		MaxScores:           100_000_000,
		MaxGroups:           10_000,
		MaxDecimalDigits:    dectext.MaxDigits,
		MaxDecimalMagnitude: dectext.MaxExponent,
		MaxHeadToHeadPairs:  50_000_000,
	}
}

// OrDefault returns l with every zero field set to its default: the
// limits that apply.
func (l Limits) OrDefault() Limits {
	d := DefaultLimits()
	pick := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	return Limits{
		MaxBytes:            pick(l.MaxBytes, d.MaxBytes),
		MaxDepth:            pick(l.MaxDepth, d.MaxDepth),
		MaxStringBytes:      pick(l.MaxStringBytes, d.MaxStringBytes),
		MaxProjects:         pick(l.MaxProjects, d.MaxProjects),
		MaxJudges:           pick(l.MaxJudges, d.MaxJudges),
		MaxScores:           pick(l.MaxScores, d.MaxScores),
		MaxGroups:           pick(l.MaxGroups, d.MaxGroups),
		MaxDecimalDigits:    pick(l.MaxDecimalDigits, d.MaxDecimalDigits),
		MaxDecimalMagnitude: pick(l.MaxDecimalMagnitude, d.MaxDecimalMagnitude),
		MaxHeadToHeadPairs:  pick(l.MaxHeadToHeadPairs, d.MaxHeadToHeadPairs),
	}
}

// Check reports the parts of ds past l's counts, each a problem naming
// its limit: the projects (MaxProjects), the judges listed or, when none
// are listed, the judges the scores name (MaxJudges), the scores
// (MaxScores) and the values of ranking.groups (MaxGroups). [Decode]
// checks them as it reads; Check is for datasets put together otherwise,
// as the command line does from CSV files. It returns nil or a
// [Problems].
func (l Limits) Check(ds *Dataset) error {
	l = l.OrDefault()
	var ps Problems
	add := func(path string, count, max int, what, limit string) {
		if count > max {
			ps = append(ps, tooMany(path, count, max, what, limit))
		}
	}
	add("ranking.groups", len(ds.Ranking.Groups), l.MaxGroups, "groups", "MaxGroups")
	add("projects", len(ds.Projects), l.MaxProjects, "projects", "MaxProjects")
	add("judges", len(ds.Judges), l.MaxJudges, "judges", "MaxJudges")
	add("scores", ds.Scores.Len(), l.MaxScores, "scores", "MaxScores")
	if ds.Judges == nil {
		if p, ok := judgesNamedProblem(ds.Scores, l.MaxJudges); ok {
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// tooMany is the problem of count items at path, more than the limit max
// (the field limit of Limits).
func tooMany(path string, count, max int, what, limit string) Problem {
	return Problem{Path: path, Code: scoring.CodeInputTooMany,
		Params:  scoring.Params{"items": what, "count": strconv.Itoa(count), "max": strconv.Itoa(max)},
		Message: fmt.Sprintf("%d %s, more than the limit of %d (Limits.%s)", count, what, max, limit)}
}

// judgesNamedProblem reports, at "scores", more than max distinct judges
// named by scores: the jury of a dataset that lists none.
func judgesNamedProblem(scores scoring.Scores, max int) (Problem, bool) {
	judges, _, _, _ := scores.Distinct()
	if len(judges) <= max {
		return Problem{}, false // Distinct holds every judge a score names, maybe more
	}
	named := make([]bool, len(judges))
	count := 0
	for i := range scores.Len() {
		if j, _, _, _ := scores.Ref(i); !named[j] {
			named[j] = true
			count++
		}
	}
	if count <= max {
		return Problem{}, false
	}
	p := tooMany("scores", count, max, "judges", "MaxJudges")
	p.Message = fmt.Sprintf("%d judges named by the scores, more than the limit of %d (Limits.MaxJudges)", count, max)
	return p, true
}
