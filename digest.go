package afkar

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// Digest returns "sha256:" and the hex SHA-256 of the dataset's canonical
// form. Datasets that differ only in key order, whitespace, the spelling of
// equal decimals ("15.50" and 155e-1 are both 15.5), the writing of equal
// instants or defaults left implicit have the same digest; any other
// difference (a score, a weight, a rule, a title) changes it. The order of
// projects, judges and scores counts, since input order settles remaining
// ties and orders the excluded scores.
//
// The canonical form is, one per line: the JSON (sorted keys, no spaces) of
// the dataset without its projects, judges and scores and with every
// default filled in (ranking.groups only when listed, in its order); then each project, each judge and each score, as a
// line of Go-quoted fields, with decimals in their shortest spelling and
// timestamps in UTC.
func (ds *Dataset) Digest() string {
	d, _ := ds.digest(context.Background())
	return d
}

// digest is Digest; it gives up with ctx.Err() when ctx is done.
func (ds *Dataset) digest(ctx context.Context) (string, error) {
	h := sha256.New()
	w := bufio.NewWriterSize(h, 64<<10)
	head, err := json.Marshal(ds.canonical())
	if err != nil { // only strings, numbers, maps and slices: cannot fail
		panic("afkar: canonical form: " + err.Error())
	}
	w.Write(head)
	var line []byte
	field := func(s string) { line = appendQuoted(append(line, ' '), s) }
	for k, p := range ds.Projects {
		if k%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return "", err
			}
		}
		line = append(line[:0], "\np"...)
		field(p.ID)
		field(p.Title)
		field(p.Region)
		field(p.Sector)
		field(p.Cooperative)
		if p.SubmittedAt.IsZero() {
			line = append(line, " -"...)
		} else {
			line = p.SubmittedAt.UTC().AppendFormat(append(line, ' '), time.RFC3339Nano)
		}
		if len(p.Attributes) > 0 {
			for _, k := range slices.Sorted(maps.Keys(p.Attributes)) {
				field(k)
				field(p.Attributes[k])
			}
		}
		w.Write(line)
	}
	if ds.Judges == nil {
		w.WriteString("\nno judges list")
	}
	for _, j := range ds.Judges {
		line = append(line[:0], "\nj"...)
		field(j.ID)
		field(j.Name)
		field(j.Cooperative)
		for _, c := range j.Conflicts {
			field(c)
		}
		// Abstentions (SPEC.md section 7) follow an unquoted marker, which
		// no quoted field can be, and only when there are some: a dataset
		// without them keeps its digest.
		if len(j.Abstains) > 0 {
			line = append(line, " abstains"...)
			for _, a := range j.Abstains {
				field(a)
			}
		}
		w.Write(line)
	}
	// Each distinct ID and value of the scores is spelled once.
	judges, projects, criteria, values := ds.Scores.Distinct()
	quote := func(ids []string) spellings {
		size := 0
		for _, id := range ids {
			size += len(id) + 3 // ' ' and quotes: more only if escaped
		}
		return spell(len(ids), size, func(dst []byte, i int) []byte { return appendQuoted(dst, ids[i]) })
	}
	qj, qc := quote(judges), quote(criteria)
	qv := spell(len(values), 0, func(dst []byte, i int) []byte { return appendDecimal(dst, values[i]) })
	// A project's spelling is made when a run of its scores starts: the
	// scores come in one run a project in the datasets people have, and
	// a million projects' spellings kept would cost 18 MB. Scores in more
	// runs than there are projects have all the spellings made at once,
	// and kept: making one a run would cost 2.3× the time.
	var p, spelling []byte
	var qp spellings
	lastProject, runs := int32(-1), 0
	// The score lines go straight into one buffer, hashed when full: a
	// line is four spellings, and a call per line would cost more than the
	// hash.
	w.Flush()
	buf := make([]byte, 0, 256<<10)
	for i, r := range ds.Scores.Refs() {
		if i%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return "", err
			}
		}
		if r.Project != lastProject {
			if lastProject = r.Project; qp.start == nil {
				if runs++; runs > len(projects) {
					qp = quote(projects)
				}
			}
			if qp.start != nil {
				p = qp.at(r.Project)
			} else {
				spelling = appendQuoted(append(spelling[:0], ' '), projects[r.Project])
				p = spelling
			}
		}
		j, c, v := qj.at(r.Judge), qc.at(r.Criterion), qv.at(r.Value)
		if n := 2 + len(j) + len(p) + len(c) + len(v); len(buf)+n > cap(buf) {
			h.Write(buf)
			buf = buf[:0]
		}
		buf = append(buf, "\ns"...)
		buf = append(buf, j...)
		buf = append(buf, p...)
		buf = append(buf, c...)
		buf = append(buf, v...)
	}
	h.Write(buf)
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// spellings are the canonical spellings of a list of IDs or values, each
// after a space, end to end in one buffer: the i-th is
// text[start[i]:start[i+1]]. Beside 8 bytes of start an item, they cost
// no slice header each.
type spellings struct {
	text  []byte
	start []int // n+1 offsets, from 0
}

// spell returns the spellings of n items, f appending the i-th's to dst;
// size is the room to make for them at first.
func spell(n, size int, f func(dst []byte, i int) []byte) spellings {
	sp := spellings{text: make([]byte, 0, size), start: make([]int, n+1)}
	for i := range n {
		sp.text = f(append(sp.text, ' '), i)
		sp.start[i+1] = len(sp.text)
	}
	return sp
}

// at returns the i-th spelling.
func (sp *spellings) at(i int32) []byte { return sp.text[sp.start[i]:sp.start[i+1]] }

type object = map[string]any

// appendQuoted appends s Go-quoted, as strconv.AppendQuote does, without
// its work when s needs no escape (IDs never do).
func appendQuoted(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.AppendQuote(dst, s)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// appendDecimal appends d as d.String() spells it (shortest form: no
// trailing zeros after the point, no exponent), without allocating when
// its coefficient fits in an int64.
func appendDecimal(dst []byte, d decimal.Decimal) []byte {
	if d.NumDigits() > 18 || d.Exponent() > 0 || d.Exponent() < -18 {
		return append(dst, d.String()...)
	}
	c, exp := d.CoefficientInt64(), int(-d.Exponent())
	for exp > 0 && c%10 == 0 {
		c /= 10
		exp--
	}
	if c < 0 {
		dst = append(dst, '-')
		c = -c
	}
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], c, 10)
	if exp == 0 {
		return append(dst, digits...)
	}
	if len(digits) <= exp {
		dst = append(dst, '0', '.')
		for range exp - len(digits) {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-exp]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-exp:]...)
}

func dec(d decimal.Decimal) string { return d.String() }

func nullDec(d decimal.NullDecimal) any {
	if !d.Valid {
		return nil
	}
	return d.Decimal.String()
}

func (ds *Dataset) canonical() object {
	r := &ds.Rubric
	criteria := make([]any, len(r.Criteria))
	for i, c := range r.Criteria {
		lo, hi, step := r.Range(i)
		label := map[string]string(c.Label)
		if len(label) == 0 {
			label = map[string]string{"": c.ID}
		}
		criteria[i] = object{"id": c.ID, "label": label, "weight": dec(c.Weight),
			"min": dec(lo), "max": dec(hi), "step": dec(step), "threshold": nullDec(c.Threshold)}
	}
	method := r.Aggregation.Method
	if method == "" {
		method = scoring.Mean
	}
	weights := r.Weights
	if weights == "" {
		weights = scoring.ExactWeights
	}
	places, mode := r.Places(), r.Rounding.Mode
	if mode == "" {
		mode = scoring.HalfUp
	}
	totalMax := r.TotalMax
	if totalMax.IsZero() {
		totalMax = decimal.NewFromInt(100)
	}
	rules := make([]string, len(ds.Ranking.TieBreak))
	for i, t := range ds.Ranking.TieBreak {
		rules[i] = t.String()
	}
	style, tieOn := string(ds.Ranking.Style), string(ds.Ranking.TieOn)
	if style == "" {
		style = "competition"
	}
	if tieOn == "" {
		tieOn = string(TieOnRounded)
	}
	var ideathon any
	if ds.Ideathon != nil {
		id := object{"id": ds.Ideathon.ID, "title": ds.Ideathon.Title}
		if st := ds.Ideathon.Stage; st != nil {
			id["stage"] = object{"city": st.City, "region": st.Region, "date": st.Date}
		}
		ideathon = id
	}
	rk := object{"tie_break": rules, "style": style, "tie_on": tieOn,
		"group_by": ds.Ranking.GroupBy, "top": ds.Ranking.Top}
	if ds.Ranking.Groups != nil {
		// Only when listed (SPEC.md section 7.1): a dataset without the key
		// keeps its digest. The order counts: tables follow it.
		rk["groups"] = ds.Ranking.Groups
	}
	return object{
		"format":   Format,
		"ideathon": ideathon,
		"rubric": object{
			"criteria":        criteria,
			"weights":         weights,
			"aggregation":     object{"method": method, "trim": r.Aggregation.Trim},
			"min_judges":      max(r.MinJudges, 1),
			"total_max":       dec(totalMax),
			"total_threshold": nullDec(r.TotalThreshold),
			"rounding":        object{"places": places, "mode": mode},
		},
		"ranking": rk,
	}
}
