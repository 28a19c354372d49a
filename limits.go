package afkar

import "github.com/afkarlab/afkar/internal/dectext"

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

// orDefault returns l with every zero field set to its default.
func (l Limits) orDefault() Limits {
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
