package afkar

import (
	"fmt"
	"strconv"

	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// Problem is one problem of a dataset: a JSON path such as
// scores[12].score and a message saying what was expected and what was
// found. It is the same type as [scoring.Problem].
type Problem = scoring.Problem

// Problems is every problem of a dataset, in the order found; its Error
// lists them one per line as "path: message". It is the same type as
// [scoring.Problems].
type Problems = scoring.Problems

// Validate reports every problem of the dataset (SPEC.md section 1), each at
// its JSON path. It returns nil or a [Problems].
func (ds *Dataset) Validate() error {
	if ps := ds.validate(); len(ps) > 0 {
		return ps
	}
	return nil
}

func (ds *Dataset) validate() Problems {
	var ps Problems
	if err := ds.Rubric.Validate(); err != nil {
		ps = append(ps, err.(Problems).Prefix("rubric")...)
	}
	ps = append(ps, ds.validateOwn()...)
	return append(ps, ds.validateInput()...)
}

// validateOwn checks what package scoring does not: the format and the
// ranking rules.
func (ds *Dataset) validateOwn() Problems {
	var ps Problems
	if ds.Format != "" && ds.Format != Format {
		ps = append(ps, Problem{Path: "format", Message: fmt.Sprintf("expected %q, found %q", Format, ds.Format),
			Code: scoring.CodeFormatUnsupported, Params: scoring.Params{"expected": Format, "found": ds.Format}})
	}
	return append(ps, ds.validateRanking()...)
}

func (ds *Dataset) validateRanking() Problems {
	var ps Problems
	add := func(path string, code scoring.Code, params scoring.Params, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Message: fmt.Sprintf(format, args...), Code: code, Params: params})
	}
	enum := func(path, found, allowed, format string) {
		add(path, scoring.CodeEnumInvalid, scoring.Params{"found": found, "allowed": allowed}, format, found)
	}
	rk := &ds.Ranking
	for i, r := range rk.TieBreak {
		at := fmt.Sprintf("ranking.tie_break[%d]", i)
		switch r.Kind {
		case ranking.ByCriterion:
			if ds.Rubric.Index(r.Criterion) < 0 {
				add(at, scoring.CodeRuleUnknownCriterion, scoring.Params{"rule": r.String(), "criterion": r.Criterion},
					"rule %q names an unknown criterion %q", r.String(), r.Criterion)
			}
		case ranking.Lottery:
			if r.Seed == "" {
				add(at, scoring.CodeRuleEmptySeed, scoring.Params{"rule": "lottery:"},
					"rule \"lottery:\" has an empty seed (expected lottery:<seed>)")
			}
		case ranking.HeadToHead, ranking.SubmittedAt, ranking.ByID:
		default:
			add(at, scoring.CodeRuleUnknown, scoring.Params{"rule": r.String()},
				"not a tie-break rule (expected criterion:<id>, head_to_head, submitted_at, id or lottery:<seed>)")
		}
	}
	switch rk.Style {
	case "", ranking.Competition, ranking.Modified, ranking.Dense, ranking.Ordinal, ranking.Fractional:
	default:
		enum("ranking.style", string(rk.Style), "competition, modified, dense, ordinal, fractional",
			"expected one of competition, modified, dense, ordinal, fractional, found %q")
	}
	switch rk.TieOn {
	case "", TieOnRounded:
	case TieOnExact:
		if ds.Rubric.Aggregation.Method == scoring.ZScore {
			add("ranking.tie_on", scoring.CodeTieOnZScore, nil, "method \"zscore\" goes with tie_on \"rounded\" only, found \"exact\"")
		}
	default:
		enum("ranking.tie_on", string(rk.TieOn), "rounded, exact", "expected one of rounded, exact, found %q")
	}
	if g := rk.GroupBy; g != "" && !ValidGroupBy(g) {
		enum("ranking.group_by", g, "region, sector, cooperative, attributes.<key>",
			"expected region, sector, cooperative or attributes.<key>, found %q")
	}
	if rk.Top < 0 {
		add("ranking.top", scoring.CodeIntegerRange, scoring.Params{"value": strconv.Itoa(rk.Top), "min": "1"},
			"expected an integer >= 1, found %d", rk.Top)
	}
	return ps
}

// validateInput checks projects, judges and scores against the rubric.
func (ds *Dataset) validateInput() Problems {
	in := ds.ScoringInput()
	err := ds.Rubric.ValidateInputOnly(in)
	if err == nil {
		return nil
	}
	return err.(Problems)
}

// ScoringInput returns the dataset's projects, judges and scores as
// package scoring takes them, index for index: what Evaluate scores.
func (ds *Dataset) ScoringInput() scoring.Input {
	in := scoring.Input{Projects: make([]scoring.Project, len(ds.Projects)), Scores: ds.Scores}
	for i, p := range ds.Projects {
		in.Projects[i] = scoring.Project{ID: p.ID, Cooperative: p.Cooperative}
	}
	if ds.Judges != nil {
		in.Judges = make([]scoring.Judge, len(ds.Judges))
		for i, j := range ds.Judges {
			in.Judges[i] = scoring.Judge{ID: j.ID, Cooperative: j.Cooperative, Conflicts: j.Conflicts}
		}
	}
	return in
}
