package afkar

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/cases"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/freetext"
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
	ps = append(ps, ds.validateInput()...)
	return append(ps, ds.validateGroupValues()...)
}

// validateOwn checks what package scoring does not: the format, the
// ranking rules and the free text.
func (ds *Dataset) validateOwn() Problems {
	var ps Problems
	if ds.Format != "" && ds.Format != Format {
		ps = append(ps, Problem{Path: "format", Message: fmt.Sprintf("expected %q, found %q", Format, ds.Format),
			Code: scoring.CodeFormatUnsupported, Params: scoring.Params{"expected": Format, "found": ds.Format}})
	}
	ps = append(ps, ds.validateRanking()...)
	return append(ps, ds.validateText()...)
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
	ps = append(ps, ds.validateGroupList()...)
	if rk.Top < 0 {
		add("ranking.top", scoring.CodeIntegerRange, scoring.Params{"value": strconv.Itoa(rk.Top), "min": "1"},
			"expected an integer >= 1, found %d", rk.Top)
	}
	return ps
}

// validateInput checks projects, judges and scores against the rubric.
func (ds *Dataset) validateInput() Problems {
	in := ds.evaluationInput()
	err := ds.Rubric.ValidateInputOnly(in)
	if err == nil {
		return nil
	}
	return err.(Problems)
}

// ScoringInput returns the dataset's projects, judges and scores as
// package scoring takes them, index for index: what Evaluate scores.
func (ds *Dataset) ScoringInput() scoring.Input {
	in := ds.scoringJudges()
	in.Projects = make([]scoring.Project, len(ds.Projects))
	for i, p := range ds.Projects {
		in.Projects[i] = scoring.Project{ID: p.ID, Cooperative: p.Cooperative}
	}
	return in
}

// evaluationInput is ScoringInput, with the dataset's projects read in
// place (a bankProjects) instead of copied (32 bytes a project).
func (ds *Dataset) evaluationInput() scoring.Input {
	in := ds.scoringJudges()
	in.ProjectList = bankProjects(ds.Projects) // not nil, even for no projects: none listed
	return in
}

// bankProjects is a dataset's projects as package scoring reads them.
type bankProjects []bank.Project

func (ps bankProjects) Len() int { return len(ps) }

func (ps bankProjects) At(i int) scoring.Project {
	return scoring.Project{ID: ps[i].ID, Cooperative: ps[i].Cooperative}
}

// scoringJudges is ScoringInput without its projects.
func (ds *Dataset) scoringJudges() scoring.Input {
	in := scoring.Input{Scores: ds.Scores}
	if ds.Judges != nil {
		in.Judges = make([]scoring.Judge, len(ds.Judges))
		for i, j := range ds.Judges {
			in.Judges[i] = scoring.Judge{ID: j.ID, Cooperative: j.Cooperative, Conflicts: j.Conflicts, Abstains: j.Abstains}
		}
	}
	return in
}

// maxGroupProblems caps the problems of group values one validation
// reports.
const maxGroupProblems = 1000

// validateGroupList checks ranking.groups (SPEC.md section 7.1): distinct
// non-empty strings, no two equal but for letter case, and a group_by to
// apply to.
func (ds *Dataset) validateGroupList() Problems {
	rk := &ds.Ranking
	if rk.Groups == nil {
		return nil
	}
	var ps Problems
	if rk.GroupBy == "" {
		ps = append(ps, Problem{Path: "ranking.groups", Code: scoring.CodeGroupsNoGroupBy,
			Message: "a list of groups needs ranking.group_by (region, sector, cooperative or attributes.<key>)"})
	}
	fold := cases.Fold()
	seen := make(map[string]int, len(rk.Groups)) // by folded value: the first index
	for i, g := range rk.Groups {
		at := index("ranking.groups", i)
		if g == "" {
			ps = append(ps, Problem{Path: at, Code: scoring.CodeGroupsEmpty, Message: "expected a group name, found an empty string"})
			continue
		}
		f := fold.String(g)
		j, dup := seen[f]
		if !dup {
			seen[f] = i
			continue
		}
		first := index("ranking.groups", j)
		params := scoring.Params{"value": g, "other": rk.Groups[j], "first": first}
		msg := fmt.Sprintf("duplicate group %q (first at %s)", g, first)
		if rk.Groups[j] != g {
			msg = fmt.Sprintf("%q differs only in letter case from %q (first at %s)", g, rk.Groups[j], first)
		}
		ps = append(ps, Problem{Path: at, Code: scoring.CodeGroupsDuplicate, Params: params, Message: msg})
	}
	return ps
}

// validateGroupValues checks each project's value of the grouped field
// (SPEC.md section 7.1): with ranking.groups, one of them; without,
// grouping by region, one of the 12 region codes; and never two values
// equal but for letter case. An empty value is no value: the project is
// in the group "". Each value not allowed names the allowed value
// nearest to it (bank.Nearest, bank.NearestRegion).
func (ds *Dataset) validateGroupValues() Problems {
	rk := &ds.Ranking
	by := rk.GroupBy
	if by == "" || !ValidGroupBy(by) {
		return nil
	}
	var allowed map[string]bool
	var closest func(string) string
	list := "ranking.groups"
	switch {
	case rk.Groups != nil:
		allowed = make(map[string]bool, len(rk.Groups))
		for _, g := range rk.Groups {
			allowed[g] = true
		}
		var vocabulary *bank.Vocabulary // made when first needed
		closest = func(v string) string {
			if vocabulary == nil {
				vocabulary = bank.NewVocabulary(rk.Groups)
			}
			if i := vocabulary.Nearest(v); i >= 0 {
				return rk.Groups[i]
			}
			return ""
		}
	case by == "region":
		list = "regions"
		allowed = map[string]bool{}
		for _, r := range bank.Regions() {
			allowed[r.Code] = true
		}
		closest = func(v string) string { return bank.NearestRegion(v).Code }
	}
	var ps Problems
	add := func(p Problem) bool {
		if len(ps) == maxGroupProblems {
			ps = append(ps, Problem{Path: "projects", Code: scoring.CodeProblemsTruncated,
				Params:  scoring.Params{"max": strconv.Itoa(maxGroupProblems)},
				Message: fmt.Sprintf("more than %d problems of group values; the rest are not listed", maxGroupProblems)})
			return false
		}
		ps = append(ps, p)
		return true
	}
	suggested := map[string]string{} // the closest allowed value of each unknown value
	fold := cases.Fold()
	folded := map[string]string{} // each distinct value, folded
	first := map[string]int{}     // by folded value: the first project with it
	for i := range ds.Projects {
		p := &ds.Projects[i]
		v := GroupValue(p, by)
		if v == "" {
			continue
		}
		if allowed != nil && !allowed[v] {
			c, ok := suggested[v]
			if !ok {
				c = closest(v)
				suggested[v] = c
			}
			var msg string
			switch {
			case list == "regions":
				msg = fmt.Sprintf("%q: did you mean %s? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)", v, c)
			case c == "":
				msg = fmt.Sprintf("%q: expected one of ranking.groups, which is empty", v)
			default:
				msg = fmt.Sprintf("%q: did you mean %q? (expected one of ranking.groups)", v, c)
			}
			params := scoring.Params{"value": v, "field": by, "allowed": list}
			if c != "" {
				params["closest"] = c
			}
			if !add(Problem{Path: groupPath(i, by), Code: scoring.CodeGroupUnknown, Params: params, Message: msg}) {
				break
			}
			continue
		}
		f, ok := folded[v]
		if !ok {
			f = fold.String(v)
			folded[v] = f
		}
		j, seen := first[f]
		if !seen {
			first[f] = i
			continue
		}
		other := GroupValue(&ds.Projects[j], by)
		if other == v {
			continue
		}
		at := index("projects", j)
		if !add(Problem{Path: groupPath(i, by), Code: scoring.CodeGroupCase,
			Params:  scoring.Params{"value": v, "other": other, "field": by, "first": at},
			Message: fmt.Sprintf("%q differs only in letter case from %q (first at %s): they would be two groups", v, other, at)}) {
			break
		}
	}
	return ps
}

// groupPath is the path of project i's value of the group_by field by.
func groupPath(i int, by string) string {
	at := index("projects", i)
	if key, ok := strings.CutPrefix(by, "attributes."); ok {
		return child(child(at, "attributes"), key)
	}
	return child(at, by)
}

// maxTextProblems caps the problems of free text one validation reports.
const maxTextProblems = 1000

// validateText checks the free text of the dataset (internal/freetext):
// the ideathon's description, the criteria's labels, the projects'
// titles, regions, sectors, cooperatives and attributes (keys and
// values), the judges' names and cooperatives, the key of a group_by
// attributes.<key>, and ranking.groups. Text
// reaches tables, terminals and charts: it may hold no control character
// and no bidirectional embedding, override or isolate, and text that is
// not empty must show something. Ids are checked elsewhere, against their
// own form.
func (ds *Dataset) validateText() Problems {
	var ps Problems
	full := false
	check := func(path, s string) {
		if s == "" || full {
			return
		}
		p, ok := textProblem(path, s)
		if !ok {
			return
		}
		if len(ps) == maxTextProblems {
			ps = append(ps, Problem{Path: "$", Code: scoring.CodeProblemsTruncated,
				Params:  scoring.Params{"max": strconv.Itoa(maxTextProblems)},
				Message: fmt.Sprintf("more than %d problems of text; the rest are not listed", maxTextProblems)})
			full = true
			return
		}
		ps = append(ps, p)
	}
	if id := ds.Ideathon; id != nil {
		check("ideathon.id", id.ID)
		check("ideathon.title", id.Title)
		if st := id.Stage; st != nil {
			check("ideathon.stage.city", st.City)
			check("ideathon.stage.region", st.Region)
		}
	}
	for i, c := range ds.Rubric.Criteria {
		at := child(index("rubric.criteria", i), "label")
		if text, ok := c.Label[""]; ok && len(c.Label) == 1 {
			check(at, text) // a plain string
			continue
		}
		for _, lang := range slices.Sorted(maps.Keys(c.Label)) {
			check(child(at, lang), lang)
			check(child(at, lang), c.Label[lang])
		}
	}
	for i := range ds.Projects {
		p := &ds.Projects[i]
		if plainText(p.Title, p.Region, p.Sector, p.Cooperative) && len(p.Attributes) == 0 {
			continue // the usual project: no path to make
		}
		at := index("projects", i)
		check(child(at, "title"), p.Title)
		check(child(at, "region"), p.Region)
		check(child(at, "sector"), p.Sector)
		check(child(at, "cooperative"), p.Cooperative)
		for _, k := range slices.Sorted(maps.Keys(p.Attributes)) {
			kat := child(child(at, "attributes"), k)
			check(kat, k)
			check(kat, p.Attributes[k])
		}
	}
	for i := range ds.Judges {
		j := &ds.Judges[i]
		if plainText(j.Name, j.Cooperative) {
			continue
		}
		at := index("judges", i)
		check(child(at, "name"), j.Name)
		check(child(at, "cooperative"), j.Cooperative)
	}
	if key, ok := strings.CutPrefix(ds.Ranking.GroupBy, "attributes."); ok {
		check("ranking.group_by", key)
	}
	for i, g := range ds.Ranking.Groups {
		check(index("ranking.groups", i), g)
	}
	return ps
}

// plainText reports whether every s is free text without a problem, as
// validateText's check would find: the loops skip such records before
// making their paths, which would cost a string each.
func plainText(ss ...string) bool {
	for _, s := range ss {
		if s != "" {
			if fault, _, _ := freetext.Check(s); fault != 0 {
				return false
			}
		}
	}
	return true
}

// textProblem returns the problem of the free text s at path, if it has
// one.
func textProblem(path, s string) (Problem, bool) {
	fault, r, _ := freetext.Check(s)
	switch fault {
	case freetext.Control:
		return Problem{Path: path, Code: scoring.CodeTextControl, Params: scoring.Params{"char": fmt.Sprintf("U+%04X", r)},
			Message: fmt.Sprintf("contains %s, a control character (expected plain text: no escape sequences, tabs or line breaks)",
				freetext.Name(r))}, true
	case freetext.Bidi:
		return Problem{Path: path, Code: scoring.CodeTextBidi, Params: scoring.Params{"char": fmt.Sprintf("U+%04X", r)},
			Message: fmt.Sprintf("contains %s, which reorders the text after it (expected text without bidirectional "+
				"embeddings, overrides or isolates; the marks U+200E and U+200F are allowed)", freetext.Name(r))}, true
	case freetext.Blank:
		return Problem{Path: path, Code: scoring.CodeTextBlank,
			Message: fmt.Sprintf("%s shows nothing: only spaces or invisible characters (expected visible text, or none)", strconv.QuoteToASCII(s))}, true
	case freetext.InvalidUTF8:
		return Problem{Path: path, Code: scoring.CodeTextEncoding, Message: "is not UTF-8 text"}, true
	}
	return Problem{}, false
}
