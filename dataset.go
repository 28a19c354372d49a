package afkar

import (
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// Format is the dataset format this package reads.
const Format = "afkar/1"

// ResultFormat is the format of the results this package writes.
const ResultFormat = "afkar-result/1"

// Dataset is a whole ideathon's data: the rubric, the ranking rules, the
// projects, the judges and their scores (SPEC.md section 1). A Dataset can
// be decoded from JSON with [Decode] or built in Go; [Dataset.Validate]
// checks it either way, and [Evaluate] scores and ranks it.
//
// Evaluate, Validate, Digest and MarshalJSON only read a Dataset: any
// number of goroutines may call them at once on the same one. Merge writes
// it, and must not run while anything else uses it.
type Dataset struct {
	Format   string         // if empty, Format
	Ideathon *Ideathon      // optional description
	Rubric   scoring.Rubric // the criteria and how totals are computed
	Ranking  Ranking        // how projects are ordered
	Projects []bank.Project // in input order, which settles remaining ties
	// Judges, if nil, are the distinct judges named by Scores, with no
	// cooperative and no conflicts.
	Judges []bank.Judge
	// Scores is a table: copies of a Dataset share it (Scores.Clone makes
	// an independent one), so Merge on a copy changes the original's too.
	Scores scoring.Scores
}

// Ideathon describes the event a dataset comes from. Every field is
// optional and informative: it plays no part in scores or ranks.
type Ideathon struct {
	ID    string
	Title string
	Stage *Stage
}

// Stage is where and when an ideathon stage took place.
type Stage struct {
	City   string
	Region string // a region code, such as "dakhla-oued-ed-dahab"
	Date   string // a date, YYYY-MM-DD
}

// TieOn says which totals and aggregates count as equal when ordering.
type TieOn string

// The tie_on values. The empty TieOn means TieOnRounded.
const (
	// TieOnRounded compares the published, rounded values.
	TieOnRounded TieOn = "rounded"
	// TieOnExact compares the exact values.
	TieOnExact TieOn = "exact"
)

// Ranking is how scored projects are ordered, ranked and selected.
// The zero Ranking orders by rounded total alone, in competition style,
// with no groups and no selection.
type Ranking struct {
	TieBreak []ranking.Rule // applied in order to split ties
	Style    ranking.Style  // if empty, competition
	TieOn    TieOn          // if empty, rounded
	// GroupBy is "region", "sector", "cooperative", or "attributes.<key>";
	// if empty, there are no groups.
	GroupBy string
	// Groups, if not nil, lists the values the GroupBy field may take
	// (SPEC.md section 7.1), distinct and not empty: every project's
	// value, when present, must be one of them. If nil, a project's region
	// must be one of the 12 region codes of package bank when GroupBy is
	// "region", and any value is allowed otherwise. Either way, two
	// values that differ only in letter case are invalid. Tables list the
	// groups in this order.
	Groups []string
	// Top, if positive, selects the projects ranked at most Top in their
	// group (overall without GroupBy).
	Top int
}
