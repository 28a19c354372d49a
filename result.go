package afkar

import (
	"bytes"
	"iter"
	"strconv"
	"unicode/utf8"

	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// Result is the outcome of [Evaluate] (SPEC.md section 5). Its JSON is the
// afkar-result/1 format. Evaluate never touches a Result again once it
// returns it: it is safe to read from many goroutines.
//
// A Result holds its projects' lines in columns (16 bytes a ranked
// project for its place, 32 with group_by, and package scoring's columns
// of exact values: 8 or 16 bytes an aggregate and 20 a project) and makes
// a [ProjectResult]
// when asked: [Result.Project], [Result.ReadProject] or
// [Result.Projects]. It keeps a view of the dataset's scores, as package
// scoring's Result does (see [scoring.Result]), and nothing else of the
// dataset: changing the dataset afterwards does not change it.
type Result struct {
	// InputDigest is "sha256:" and the hex SHA-256 of the dataset's
	// canonical form (see [Dataset.Digest]).
	InputDigest string
	// Excluded lists the scores that did not count, in input order.
	Excluded []ExcludedScore

	places   int
	mode     exact.Mode
	criteria []string

	scored *scoring.Result // the projects' values, by index in the dataset
	// order holds the dataset index of each project in the result's
	// order: the eligible projects in overall order, then the others in
	// input order; position k < ranked.Len() is the k-th of ranked.
	order  []int32
	ranked *ranking.Ordering
	titles []string // per project in the dataset; nil when none has a title
	// groupOf holds the index in groups of each project's group value,
	// by dataset index; nil without group_by.
	groupOf []int32
	groups  []string
}

// Places returns the number of decimal places of the published values.
func (r *Result) Places() int { return r.places }

// Criteria returns the criterion IDs in rubric order.
func (r *Result) Criteria() []string { return append([]string(nil), r.criteria...) }

// Len returns the number of projects of the result, eligible or not.
func (r *Result) Len() int { return len(r.order) }

// NumRanked returns the number of eligible projects: the first
// NumRanked() of the result, the ones with a rank.
func (r *Result) NumRanked() int { return r.ranked.Len() }

// Project returns the k-th project of the result (0 ≤ k < Len()): the
// eligible projects come first, in overall order, then the ineligible
// ones in input order. The ProjectResult is made for the call: the caller
// may keep and modify it.
func (r *Result) Project(k int) ProjectResult {
	var pr ProjectResult
	r.readProject(k, &pr, nil)
	if pr.Group != nil {
		g := *pr.Group
		pr.Group = &g
	}
	return pr
}

// ReadProject sets *pr to Project(k), with its Criteria in pr.Criteria's
// storage when it has room: a caller that goes through many projects,
// such as a writer of the standings, makes no allocation for each. Unlike
// Project's, the Group of pr points into storage the Result shares: the
// caller must not modify *pr.Group.
func (r *Result) ReadProject(k int, pr *ProjectResult) {
	r.readProject(k, pr, &scoring.Outcome{Criteria: pr.Criteria})
}

// readProject is ReadProject, with o as the storage of the criteria
// (nil: made for the call).
func (r *Result) readProject(k int, pr *ProjectResult, o *scoring.Outcome) {
	p := int(r.order[k])
	if o == nil {
		o = new(scoring.Outcome)
	}
	r.scored.ReadOutcome(p, o)
	*pr = ProjectResult{
		ID:       o.ID,
		Eligible: o.Eligible,
		Total:    o.Rounded,
		Criteria: o.Criteria,
		Judges:   o.Judges,
		Reasons:  o.Reasons,
	}
	if r.titles != nil {
		pr.Title = r.titles[p]
	}
	if r.groupOf != nil {
		pr.Group = &r.groups[r.groupOf[p]]
	}
	if ord := r.ranked; k < ord.Len() {
		pr.Rank, pr.GroupRank, pr.Selected = ord.Rank(k), ord.GroupRank(k), ord.Selected(k)
		pr.DecidedBy, pr.GroupDecidedBy = ord.DecidedBy(k), ord.GroupDecidedBy(k)
	}
}

// Projects returns an iterator over the projects of the result, in its
// order, as [Result.Project] returns them, with their positions.
func (r *Result) Projects() iter.Seq2[int, ProjectResult] {
	return func(yield func(int, ProjectResult) bool) {
		for k := range r.Len() {
			if !yield(k, r.Project(k)) {
				return
			}
		}
	}
}

// ProjectResult is one project's line of a result.
type ProjectResult struct {
	ID       string
	Title    string // not part of the JSON result; shown by tables
	Eligible bool
	// Rank is the overall rank; zero (null) when ineligible.
	Rank ranking.Rank
	// Group is the project's group_by value, nil without group_by.
	Group *string
	// GroupRank is the rank within the group; zero (null) when ineligible
	// or without group_by.
	GroupRank ranking.Rank
	// Total is the published total, rounded as the rubric says; invalid
	// (null) when undefined.
	Total exact.NullNum
	// Criteria holds the aggregate of every criterion, in rubric order
	// (Result.Criteria names them): Rounded() is the published value, Value
	// the exact one, both invalid (null) when undefined.
	Criteria []scoring.Aggregate
	// Judges counts the distinct judges with at least one counted score.
	Judges int
	// Selected reports whether the project is within the top of its group.
	Selected bool
	// DecidedBy says what put the project ahead of the next in the overall
	// order: "total", a tie-break rule, or "" (null) when nothing did.
	DecidedBy string
	// GroupDecidedBy is DecidedBy within the group.
	GroupDecidedBy string
	// Reasons lists the failed eligibility rules; empty when eligible.
	Reasons []string
}

// ExcludedScore is a score that does not count, and why.
type ExcludedScore struct {
	Judge, Project, Criterion string
	Reason                    scoring.Reason
}

// MarshalJSON writes the result in the afkar-result/1 format: keys in the
// documented order, decimals as strings with exactly the rubric's places,
// ranks as numbers, one project per line.
func (r *Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	// About 120 bytes a project and 30 a criterion's value; 90 an
	// excluded score: one allocation for most results.
	b.Grow(256 + r.Len()*(128+32*len(r.criteria)) + len(r.Excluded)*96)
	b.WriteString("{\n  \"format\": \"" + ResultFormat + "\",\n  \"input_digest\": ")
	writeString(&b, r.InputDigest)
	b.WriteString(",\n  \"projects\": [")
	var p ProjectResult // its storage of criteria used again
	for k := range r.Len() {
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		r.ReadProject(k, &p)
		r.writeProject(&b, &p)
	}
	if r.Len() > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("],\n  \"excluded_scores\": [")
	for i, x := range r.Excluded {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    {\"judge\": ")
		writeString(&b, x.Judge)
		b.WriteString(", \"project\": ")
		writeString(&b, x.Project)
		b.WriteString(", \"criterion\": ")
		writeString(&b, x.Criterion)
		b.WriteString(", \"reason\": ")
		writeString(&b, string(x.Reason))
		b.WriteByte('}')
	}
	if len(r.Excluded) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes(), nil
}

func (r *Result) writeProject(b *bytes.Buffer, p *ProjectResult) {
	b.WriteString(`{"id": `)
	writeString(b, p.ID)
	b.WriteString(`, "eligible": ` + strconv.FormatBool(p.Eligible))
	b.WriteString(`, "rank": ` + rankJSON(p.Rank))
	b.WriteString(`, "group": `)
	if p.Group == nil {
		b.WriteString("null")
	} else {
		writeString(b, *p.Group)
	}
	b.WriteString(`, "group_rank": ` + rankJSON(p.GroupRank))
	b.WriteString(`, "total": `)
	r.writeDecimal(b, p.Total)
	b.WriteString(`, "criteria": {`)
	for i, c := range p.Criteria {
		if i > 0 {
			b.WriteString(", ")
		}
		writeString(b, r.criteria[i])
		b.WriteString(": ")
		r.writeDecimal(b, c.Rounded())
	}
	b.WriteString(`}, "judges": ` + strconv.Itoa(p.Judges))
	b.WriteString(`, "selected": ` + strconv.FormatBool(p.Selected))
	b.WriteString(`, "decided_by": `)
	writeNullString(b, p.DecidedBy)
	b.WriteString(`, "group_decided_by": `)
	writeNullString(b, p.GroupDecidedBy)
	b.WriteString(`, "reasons": [`)
	for i, s := range p.Reasons {
		if i > 0 {
			b.WriteString(", ")
		}
		writeString(b, s)
	}
	b.WriteString("]}")
}

// Format returns x as published: rounded to the result's places with the
// rubric's mode (a published value, such as ProjectResult.Total, is
// unchanged), in decimal with exactly that many places ("71.50"); "" when
// x is undefined.
func (r *Result) Format(x exact.NullNum) string {
	if !x.Valid {
		return ""
	}
	return string(r.AppendFormat(nil, x))
}

// AppendFormat appends x to dst as Format returns it.
func (r *Result) AppendFormat(dst []byte, x exact.NullNum) []byte {
	if !x.Valid {
		return dst
	}
	return x.Num.Round(r.places, r.mode).AppendText(dst, r.places)
}

func (r *Result) writeDecimal(b *bytes.Buffer, x exact.NullNum) {
	if !x.Valid {
		b.WriteString("null")
		return
	}
	var buf [48]byte
	b.WriteByte('"')
	b.Write(r.AppendFormat(buf[:0], x))
	b.WriteByte('"')
}

func rankJSON(r ranking.Rank) string {
	if r.IsZero() {
		return "null"
	}
	return r.String()
}

func writeNullString(b *bytes.Buffer, s string) {
	if s == "" {
		b.WriteString("null")
		return
	}
	writeString(b, s)
}

func writeString(b *bytes.Buffer, s string) {
	var buf [64]byte
	b.Write(appendString(buf[:0], s))
}

// appendString appends s as a JSON string to dst, byte for byte as
// encoding/json marshals it: invalid UTF-8 as \ufffd, the control
// characters, <, > and & (its HTML escaping) and U+2028 and U+2029 as \u
// escapes, except \b, \f, \n, \r and \t. It costs no allocation beyond
// dst's growth, where json.Marshal costs two a string.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0 // s[start:i] is to be copied as it is
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}
