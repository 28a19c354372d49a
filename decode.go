package afkar

import (
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/internal/freetext"
	"github.com/afkarlab/afkar/internal/jsontree"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// Decode reads a dataset from JSON (SPEC.md section 1) and validates it. It
// is strict: unknown keys (anywhere but in a project's attributes) and
// duplicate keys are errors, decimals are read from their literal text
// (never through float64), integer fields must be JSON integers. On any
// problem it returns a nil Dataset and a [Problems] listing every problem
// found, each at its JSON path; malformed JSON is one problem at "$" giving
// the line and column.
func Decode(data []byte) (*Dataset, error) {
	return DecodeOptions{}.Decode(data)
}

// DecodeOptions adjusts [Decode]. The zero DecodeOptions decodes and
// validates a whole dataset.
type DecodeOptions struct {
	// Partial allows a dataset without projects or scores, to be
	// completed by the caller (the command line reads them from CSV), and
	// skips the validation of the whole: the caller runs
	// [Dataset.Validate] once the dataset is complete. Problems reading
	// the values present are still reported.
	Partial bool
	// NoValidate skips the validation of the whole when the input reads
	// without a problem, for a caller that passes the dataset to
	// [Evaluate], which validates it again and reports the same problems
	// in the same order: the second validation of a large dataset costs
	// as much as the first. Input with problems reading it is validated
	// as without NoValidate, so that every problem is reported at once.
	// A dataset decoded with NoValidate may be invalid; Partial overrides
	// it.
	NoValidate bool
	// Limits bound the input; the zero Limits applies the defaults.
	Limits Limits

	// keepArrays keeps the scores and projects in the tree of the whole
	// input and reads every score the long way, as Decode did before
	// issue 13, rather than reading them again one at a time and plain
	// scores without their paths: the tests compare both ways.
	keepArrays bool
}

// Decode reads a dataset from JSON as [Decode] does, with the options o.
func (o DecodeOptions) Decode(data []byte) (*Dataset, error) {
	ds, decodeProblems := decode(data, o.Partial, o.Limits.OrDefault(), o.keepArrays)
	if ds == nil || (o.Partial && len(decodeProblems) > 0) {
		return nil, decodeProblems
	}
	if o.Partial || (o.NoValidate && len(decodeProblems) == 0) {
		return ds, nil
	}
	ps := decodeProblems
	groupsBroken := relatedToAny("ranking.groups", decodeProblems) || relatedToAny("ranking.group_by", decodeProblems)
	for _, p := range ds.validate() {
		if relatedToAny(p.Path, decodeProblems) {
			continue
		}
		if groupsBroken && (p.Code == scoring.CodeGroupUnknown || p.Code == scoring.CodeGroupCase) {
			continue // checked against a list that could not be read
		}
		if repeatsScale(p, decodeProblems) {
			continue
		}
		ps = append(ps, p)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return ds, nil
}

// relatedToAny reports whether path is at, inside or above the path of a
// problem already reported, whose value could not be read: a rule checked
// on that value would only repeat it.
func relatedToAny(path string, ps Problems) bool {
	for _, p := range ps {
		if within(path, p.Path) || within(p.Path, path) {
			return true
		}
	}
	return false
}

// repeatsScale reports whether p is a criterion's range problem that
// repeats the scale's, already reported: a criterion that sets neither
// min nor max has the scale's range, and one problem gets one line.
func repeatsScale(p Problem, ps Problems) bool {
	if p.Code != scoring.CodeRangeOrder || !strings.HasPrefix(p.Path, "rubric.criteria[") {
		return false
	}
	for _, q := range ps {
		if q.Path == "rubric.scale.max" && q.Code == scoring.CodeRangeOrder &&
			q.Params["min"] == p.Params["min"] && q.Params["max"] == p.Params["max"] {
			return true
		}
	}
	return false
}

// within reports whether path is base or inside it.
func within(path, base string) bool {
	if base == "$" {
		return true
	}
	if !strings.HasPrefix(path, base) {
		return false
	}
	rest := path[len(base):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

type decoder struct {
	ps  Problems
	lim Limits
	dec dectext.Limits
	// data and tree are the input and the limits it was parsed with, to
	// read its deferred arrays again.
	data []byte
	tree jsontree.Limits
	// longWay: every score is read by decoder.object, none by
	// decoder.plainScore (see DecodeOptions.keepArrays).
	longWay bool
	// tooManyJudges: the judges listed are past Limits.MaxJudges, and
	// were not read.
	tooManyJudges bool
	// decimals holds the decimals read so far, by their text, up to
	// maxCachedDecimals of them: scores repeat a few values (41 on a
	// 0-20 scale by halves), and reading one allocates. A Decimal is
	// immutable, so that scores may share one.
	decimals map[string]decimal.Decimal
	// last holds the judge, project and criterion of the last plain
	// score read (see decoder.recent).
	last [3]string
}

const maxCachedDecimals = 1024

// add reports a problem without a code.
func (d *decoder) add(path, format string, args ...any) {
	d.coded(path, "", nil, format, args...)
}

// coded reports a problem with its code and parameters.
func (d *decoder) coded(path string, code scoring.Code, params scoring.Params, format string, args ...any) {
	d.ps = append(d.ps, Problem{Path: path, Message: fmt.Sprintf(format, args...), Code: code, Params: params})
}

// required reports the missing required field at path.
func (d *decoder) required(path string) {
	field := path
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		field = strings.Trim(path[i:], ".[]\"")
	}
	d.coded(path, scoring.CodeFieldRequired, scoring.Params{"field": field}, "required, missing")
}

// wrongType reports a value of the wrong JSON type: expected names the
// type (see [scoring.CodeJSONType]), message the whole message.
func (d *decoder) wrongType(path, expected string, v *jsontree.Value, format string, args ...any) {
	d.coded(path, scoring.CodeJSONType, scoring.Params{"expected": expected, "found": kindName(v)}, format, args...)
}

// parse checks the size of data and parses it as JSON, within lim; it
// returns a decoder for the tree, or the one problem that stops it. The
// arrays of the root members named in deferred are checked but not kept:
// the decoder reads them with [decoder.elements].
func parse(data []byte, lim Limits, deferred ...string) (*decoder, *jsontree.Value, Problems) {
	if len(data) > lim.MaxBytes {
		return nil, nil, Problems{{Path: "$", Message: fmt.Sprintf("the input is %d bytes, more than the limit of %d (Limits.MaxBytes)", len(data), lim.MaxBytes),
			Code: scoring.CodeInputTooLarge, Params: scoring.Params{"bytes": strconv.Itoa(len(data)), "max": strconv.Itoa(lim.MaxBytes)}}}
	}
	tree := jsontree.Limits{MaxDepth: lim.MaxDepth, MaxStringBytes: lim.MaxStringBytes}
	root, err := jsontree.ParseDeferring(data, tree, deferred...)
	if err != nil {
		return nil, nil, Problems{ProblemAt("$", err)} // a *jsontree.SyntaxError: malformed JSON
	}
	d := &decoder{lim: lim, dec: dectext.Limits{MaxDigits: lim.MaxDecimalDigits, MaxExponent: lim.MaxDecimalMagnitude},
		data: data, tree: tree}
	return d, root, nil
}

// decode reads data into a Dataset, reporting what cannot be read. It
// returns a nil Dataset only when data is not JSON at all.
func decode(data []byte, partial bool, lim Limits, keepArrays bool) (*Dataset, Problems) {
	// The arrays of scores and projects, long and of small values, are
	// read one element at a time (see jsontree.ParseDeferring), so that
	// the decoder never holds a tree of them all.
	deferred := []string{"scores", "projects"}
	if keepArrays {
		deferred = nil
	}
	d, root, ps := parse(data, lim, deferred...)
	if ps != nil {
		return nil, ps
	}
	d.longWay = keepArrays
	ds := &Dataset{}
	var hasRubric, hasProjects, hasScores bool
	keys := []string{"format", "ideathon", "rubric", "ranking", "projects", "judges", "scores"}
	d.object(root, "", keys, func(key string, v *jsontree.Value, at string) {
		switch key {
		case "format":
			ds.Format = d.str(v, at)
		case "ideathon":
			ds.Ideathon = &Ideathon{}
			d.ideathon(v, at, ds.Ideathon)
		case "rubric":
			hasRubric = true
			d.rubric(v, at, &ds.Rubric)
		case "ranking":
			d.ranking(v, at, &ds.Ranking)
		case "projects":
			hasProjects = true
			ds.Projects = d.projects(v, at)
		case "judges":
			ds.Judges = d.judges(v, at)
		case "scores":
			hasScores = true
			d.scores(v, at, &ds.Scores)
		}
	})
	switch {
	case d.tooManyJudges:
		ds.Scores = scoring.Scores{} // not checked against a jury that was not read
	case ds.Judges == nil:
		// The jury is the judges the scores name: as many as a list.
		if p, ok := judgesNamedProblem(ds.Scores, lim.MaxJudges); ok {
			d.ps = append(d.ps, p)
			ds.Scores = scoring.Scores{} // as for a list past its limit: not checked further
		}
	}
	if root.Kind == jsontree.Object {
		for _, k := range []struct {
			name string
			has  bool
		}{{"rubric", hasRubric}, {"projects", hasProjects}, {"scores", hasScores}} {
			if !k.has && (!partial || k.name == "rubric") {
				d.required(k.name)
			}
		}
	}
	return ds, d.ps
}

// object checks that v is an object without duplicate or unknown keys and
// calls field for each member whose key is one of keys, in input order,
// with the member's key, value and path. keys lists the allowed keys (at
// most 64) in the order messages show them. It allocates nothing for an
// object without problems: a dataset holds one object per score.
func (d *decoder) object(v *jsontree.Value, path string, keys []string, field func(key string, v *jsontree.Value, at string)) bool {
	if v.Kind != jsontree.Object {
		d.wrongType(pathOr(path), "object", v, "expected an object, found %s", describe(v))
		return false
	}
	var seen uint64             // bit k: keys[k] met
	var unknown map[string]bool // the unknown keys met, made at the first
	var buf [8]string
	ats := childPaths(buf[:0], path, v.Members)
	for i := range v.Members {
		m := &v.Members[i]
		at := ats[i]
		k := slices.Index(keys, m.Key)
		if k >= 0 && seen&(1<<k) != 0 || k < 0 && unknown[m.Key] {
			d.duplicateKey(at, m.Key)
			continue
		}
		if k < 0 {
			if unknown == nil {
				unknown = make(map[string]bool)
			}
			unknown[m.Key] = true
			d.coded(at, scoring.CodeJSONUnknownKey, scoring.Params{"key": m.Key, "expected": strings.Join(keys, ", ")},
				"unknown key %q (expected one of %s)", m.Key, strings.Join(keys, ", "))
			continue
		}
		seen |= 1 << k
		field(m.Key, &m.Value, at)
	}
	return true
}

func (d *decoder) duplicateKey(path, key string) {
	d.coded(path, scoring.CodeJSONDuplicateKey, scoring.Params{"key": key}, "duplicate key %q", key)
}

func (d *decoder) array(v *jsontree.Value, path string) []jsontree.Value {
	if v.Kind != jsontree.Array {
		d.wrongType(path, "array", v, "expected an array, found %s", describe(v))
		return nil
	}
	return v.Elems
}

// limitedLen returns the number of elements of the array v, kept or
// deferred, or 0, with a problem, when v is not an array or has more than
// max elements; ok tells whether to read them.
func (d *decoder) limitedLen(v *jsontree.Value, path string, max int, what, limit string) (n int, ok bool) {
	if v.Kind != jsontree.Array {
		d.wrongType(path, "array", v, "expected an array, found %s", describe(v))
		return 0, false
	}
	if v.Len() > max {
		d.ps = append(d.ps, tooMany(path, v.Len(), max, what, limit))
		return 0, false
	}
	return v.Len(), true
}

// elements returns an iterator over the elements of the array v, kept
// or deferred: a deferred element is valid only until the next.
func (d *decoder) elements(v *jsontree.Value) iter.Seq2[int, *jsontree.Value] {
	return jsontree.Elements(d.data, v, d.tree)
}

// limited returns the elements of the array v, or none, with a problem,
// when there are more than max of them.
func (d *decoder) limited(v *jsontree.Value, path string, max int, what, limit string) []jsontree.Value {
	elems := d.array(v, path)
	if len(elems) > max {
		d.ps = append(d.ps, tooMany(path, len(elems), max, what, limit))
		return nil
	}
	return elems
}

func (d *decoder) str(v *jsontree.Value, path string) string {
	if v.Kind != jsontree.String {
		d.wrongType(path, "string", v, "expected a string, found %s", describe(v))
		return ""
	}
	return v.Text
}

// decimal reads a decimal written as a JSON number or string.
func (d *decoder) decimal(v *jsontree.Value, path string) (decimal.Decimal, bool) {
	switch v.Kind {
	case jsontree.Number, jsontree.String:
		x, err := d.parseDecimal(v.Text)
		if err != nil {
			d.ps = append(d.ps, ProblemAt(path, err))
			return decimal.Decimal{}, false
		}
		return x, true
	}
	d.wrongType(path, "decimal", v, "expected a decimal (a number or a string such as \"15.5\"), found %s", describe(v))
	return decimal.Decimal{}, false
}

// parseDecimal reads the text of a decimal, within the limits, from
// d.decimals when it is there.
func (d *decoder) parseDecimal(text string) (decimal.Decimal, error) {
	if x, ok := d.decimals[text]; ok {
		return x, nil
	}
	x, err := dectext.ParseLimited(text, d.dec)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if d.decimals == nil {
		d.decimals = make(map[string]decimal.Decimal)
	}
	if len(d.decimals) < maxCachedDecimals {
		d.decimals[text] = x
	}
	return x, nil
}

// integer reads a JSON integer within [lo, hi].
func (d *decoder) integer(v *jsontree.Value, path string, lo, hi int, what string) (int, bool) {
	if v.Kind != jsontree.Number {
		d.wrongType(path, "integer", v, "expected %s, found %s", what, describe(v))
		return 0, false
	}
	n, err := strconv.Atoi(v.Text)
	if err != nil || n < lo || n > hi {
		// hi only keeps the value within reason; what states lo.
		d.coded(path, scoring.CodeIntegerRange, scoring.Params{"value": v.Text, "min": strconv.Itoa(lo)},
			"expected %s, found %s", what, v.Text)
		return 0, false
	}
	return n, true
}

func (d *decoder) ideathon(v *jsontree.Value, path string, id *Ideathon) {
	d.object(v, path, []string{"id", "title", "stage"}, func(key string, v *jsontree.Value, at string) {
		switch key {
		case "id":
			id.ID = d.str(v, at)
		case "title":
			id.Title = d.str(v, at)
		case "stage":
			st := &Stage{}
			id.Stage = st
			d.object(v, at, []string{"city", "region", "date"}, func(key string, v *jsontree.Value, at string) {
				switch key {
				case "city":
					st.City = d.str(v, at)
				case "region":
					st.Region = d.str(v, at)
				case "date":
					st.Date = d.str(v, at)
					if _, err := time.Parse(time.DateOnly, st.Date); st.Date != "" && err != nil {
						d.coded(at, scoring.CodeDateInvalid, scoring.Params{"text": st.Date}, "%q is not a date (expected YYYY-MM-DD)", st.Date)
					}
				}
			})
		}
	})
}

// optDecimal is a decimal field that may be absent.
type optDecimal struct {
	d      decimal.Decimal
	set    bool // present in the input
	broken bool // present but unreadable
}

// optDecimal reads the decimal v, present, into o.
func (d *decoder) optDecimal(o *optDecimal, v *jsontree.Value, at string) {
	o.d, o.set = d.decimal(v, at)
	o.broken = !o.set
}

func (d *decoder) rubric(v *jsontree.Value, path string, r *scoring.Rubric) {
	var scaleMin, scaleMax, scaleStep, totalMax, totalThreshold optDecimal
	type rawCriterion struct {
		min, max, step optDecimal
		path           string
	}
	var raws []rawCriterion
	keys := []string{"criteria", "scale", "weights", "aggregation", "min_judges", "total_max", "total_threshold", "rounding"}
	d.object(v, path, keys, func(key string, v *jsontree.Value, at string) {
		switch key {
		case "criteria":
			elems := d.array(v, at)
			r.Criteria = make([]scoring.Criterion, len(elems))
			raws = make([]rawCriterion, len(elems))
			for i := range elems {
				c, raw := &r.Criteria[i], &raws[i]
				raw.path = index(at, i)
				var weightSet bool
				keys := []string{"id", "label", "weight", "min", "max", "step", "threshold"}
				d.object(&elems[i], raw.path, keys, func(key string, v *jsontree.Value, at string) {
					switch key {
					case "id":
						c.ID = d.str(v, at)
					case "label":
						c.Label = d.label(v, at)
					case "weight":
						weightSet = true
						c.Weight, _ = d.decimal(v, at)
					case "min":
						d.optDecimal(&raw.min, v, at)
					case "max":
						d.optDecimal(&raw.max, v, at)
					case "step":
						d.optDecimal(&raw.step, v, at)
					case "threshold":
						if x, ok := d.decimal(v, at); ok {
							c.Threshold = decimal.NewNullDecimal(x)
						}
					}
				})
				if elems[i].Kind == jsontree.Object && !weightSet {
					d.required(child(raw.path, "weight"))
				}
				if elems[i].Kind == jsontree.Object && !hasKey(&elems[i], "id") {
					d.required(child(raw.path, "id"))
				}
			}
		case "scale":
			d.object(v, at, []string{"min", "max", "step"}, func(key string, v *jsontree.Value, at string) {
				switch key {
				case "min":
					d.optDecimal(&scaleMin, v, at)
				case "max":
					d.optDecimal(&scaleMax, v, at)
				case "step":
					d.optDecimal(&scaleStep, v, at)
				}
			})
		case "weights":
			r.Weights = scoring.WeightMode(d.str(v, at))
		case "aggregation":
			d.object(v, at, []string{"method", "trim"}, func(key string, v *jsontree.Value, at string) {
				switch key {
				case "method":
					r.Aggregation.Method = scoring.Method(d.str(v, at))
				case "trim":
					r.Aggregation.Trim, _ = d.integer(v, at, 1, 1<<20, "an integer >= 1")
					if r.Aggregation.Trim == 0 {
						r.Aggregation.Trim = 1 // reported; keep "trimmed_mean without trim" quiet
					}
				}
			})
		case "min_judges":
			r.MinJudges, _ = d.integer(v, at, 1, 1<<20, "an integer >= 1")
		case "total_max":
			d.optDecimal(&totalMax, v, at)
		case "total_threshold":
			d.optDecimal(&totalThreshold, v, at)
		case "rounding":
			r.Rounding.Mode = scoring.HalfUp
			r.Rounding.Places = 2
			d.object(v, at, []string{"places", "mode"}, func(key string, v *jsontree.Value, at string) {
				switch key {
				case "places":
					d.places(v, at, &r.Rounding.Places)
				case "mode":
					r.Rounding.Mode = scoring.RoundingMode(d.str(v, at))
				}
			})
		}
	})
	if v.Kind == jsontree.Object && !hasKey(v, "criteria") {
		d.required(child(path, "criteria"))
	}

	// The scale, with its defaults, and each criterion's missing min, max
	// and step taken from it.
	sMin, sMax := decimal.Zero, decimal.NewFromInt(20)
	if scaleMin.set {
		sMin = scaleMin.d
	}
	if scaleMax.set {
		sMax = scaleMax.d
	}
	if !scaleMin.broken && !scaleMax.broken && sMin.Cmp(sMax) >= 0 {
		d.coded(child(child(path, "scale"), "max"), scoring.CodeRangeOrder, scoring.Params{"min": sMin.String(), "max": sMax.String()},
			"min %s must be below max %s", sMin, sMax)
	}
	r.Scale = scoring.Scale{Min: sMin, Max: sMax, Step: scaleStep.d}
	if scaleStep.set && !scaleStep.d.IsPositive() {
		d.coded(child(child(path, "scale"), "step"), scoring.CodeStepNotPositive, scoring.Params{"value": scaleStep.d.String()},
			"expected a step > 0, found %s", scaleStep.d)
	}
	for i := range raws {
		c, raw := &r.Criteria[i], &raws[i]
		c.Min, c.Max, c.Step = sMin, sMax, scaleStep.d
		if raw.min.set {
			c.Min = raw.min.d
		}
		if raw.max.set {
			c.Max = raw.max.d
		}
		if raw.step.set {
			c.Step = raw.step.d
			if !raw.step.d.IsPositive() {
				d.coded(child(raw.path, "step"), scoring.CodeStepNotPositive, criterionParams(c, "value", raw.step.d.String()),
					"expected a step > 0, found %s", raw.step.d)
			}
		}
		if c.Min.IsZero() && c.Max.IsZero() && !raw.min.broken && !raw.max.broken {
			d.coded(child(raw.path, "max"), scoring.CodeRangeOrder, criterionParams(c, "min", "0", "max", "0"),
				"min 0 must be below max 0")
		}
	}
	if totalMax.set {
		r.TotalMax = totalMax.d
		if !totalMax.d.IsPositive() {
			d.coded(child(path, "total_max"), scoring.CodeTotalMaxNotPositive, scoring.Params{"value": totalMax.d.String()},
				"expected a decimal > 0, found %s", totalMax.d)
		}
	}
	if totalThreshold.set {
		r.TotalThreshold = decimal.NewNullDecimal(totalThreshold.d)
	}
}

// places reads rounding.places into p: its range is checked by
// Rubric.Validate.
func (d *decoder) places(v *jsontree.Value, at string, p *int) {
	if v.Kind == jsontree.Number {
		if n, err := strconv.Atoi(v.Text); err == nil {
			*p = n
			return
		}
		d.coded(at, scoring.CodeIntegerRange, scoring.Params{"value": v.Text, "min": "0", "max": "12"},
			"expected an integer 0 to 12, found %s", describe(v))
		return
	}
	d.wrongType(at, "integer", v, "expected an integer 0 to 12, found %s", describe(v))
}

func (d *decoder) label(v *jsontree.Value, path string) scoring.Label {
	switch v.Kind {
	case jsontree.String:
		return scoring.Label{"": v.Text}
	case jsontree.Object:
		l := make(scoring.Label, len(v.Members))
		for i := range v.Members {
			m := &v.Members[i]
			at := child(path, m.Key)
			if _, dup := l[m.Key]; dup {
				d.duplicateKey(at, m.Key)
				continue
			}
			if m.Key == "" {
				d.coded(at, scoring.CodeLabelEmptyKey, nil, "expected a language tag such as \"ar\", \"fr\" or \"en\", found an empty key")
				continue
			}
			l[m.Key] = d.str(&m.Value, at)
		}
		return l
	}
	d.wrongType(path, "label", v, "expected a string or an object of language tag to string, found %s", describe(v))
	return nil
}

func (d *decoder) ranking(v *jsontree.Value, path string, rk *Ranking) {
	keys := []string{"tie_break", "style", "tie_on", "group_by", "groups", "top"}
	d.object(v, path, keys, func(key string, v *jsontree.Value, at string) {
		switch key {
		case "tie_break":
			elems := d.array(v, at)
			rk.TieBreak = make([]ranking.Rule, 0, len(elems))
			for i := range elems {
				s := d.str(&elems[i], index(at, i))
				if elems[i].Kind != jsontree.String {
					continue
				}
				r, err := ranking.ParseRule(s)
				if err != nil {
					d.ps = append(d.ps, ProblemAt(index(at, i), err))
					continue
				}
				rk.TieBreak = append(rk.TieBreak, r)
			}
		case "style":
			rk.Style = ranking.Style(d.str(v, at))
		case "tie_on":
			rk.TieOn = TieOn(d.str(v, at))
		case "group_by":
			rk.GroupBy = d.str(v, at)
		case "groups":
			elems := d.limited(v, at, d.lim.MaxGroups, "groups", "MaxGroups")
			rk.Groups = make([]string, 0, len(elems))
			for i := range elems {
				// Not a string: "" keeps the indexes of the others (the
				// problem is reported; the check for "" defers to it).
				rk.Groups = append(rk.Groups, d.str(&elems[i], index(at, i)))
			}
		case "top":
			rk.Top, _ = d.integer(v, at, 1, 1<<30, "an integer >= 1")
		}
	})
}

func (d *decoder) projects(v *jsontree.Value, path string) []bank.Project {
	n, ok := d.limitedLen(v, path, d.lim.MaxProjects, "projects", "MaxProjects")
	out := make([]bank.Project, n)
	if !ok {
		return out
	}
	for i, e := range d.elements(v) {
		p, at := &out[i], index(path, i)
		keys := []string{"id", "title", "region", "sector", "cooperative", "submitted_at", "attributes"}
		d.object(e, at, keys, func(key string, v *jsontree.Value, at string) {
			switch key {
			case "id":
				p.ID = d.str(v, at)
			case "title":
				p.Title = d.str(v, at)
			case "region":
				p.Region = d.str(v, at)
			case "sector":
				p.Sector = d.str(v, at)
			case "cooperative":
				p.Cooperative = d.str(v, at)
			case "submitted_at":
				s := d.str(v, at)
				if v.Kind == jsontree.String {
					t, err := ParseTime(s)
					if err != nil {
						d.coded(at, scoring.CodeTimeInvalid, scoring.Params{"text": s}, "%s", err.Error())
					}
					p.SubmittedAt = t
				}
			case "attributes":
				if v.Kind != jsontree.Object {
					d.wrongType(at, "attributes", v, "expected an object of strings, found %s", describe(v))
					return
				}
				p.Attributes = make(map[string]string, len(v.Members))
				for k := range v.Members {
					m := &v.Members[k]
					if _, dup := p.Attributes[m.Key]; dup {
						d.duplicateKey(child(at, m.Key), m.Key)
						continue
					}
					p.Attributes[m.Key] = d.str(&m.Value, child(at, m.Key))
				}
			}
		})
		if e.Kind == jsontree.Object && !hasKey(e, "id") {
			d.required(child(at, "id"))
		}
	}
	return out
}

// ParseTime reads an RFC 3339 timestamp, such as 2025-04-16T09:30:00Z or
// 2025-04-16T10:30:00.125+01:00.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp (expected e.g. 2025-04-16T09:30:00Z)", s)
	}
	return t, nil
}

func (d *decoder) judges(v *jsontree.Value, path string) []bank.Judge {
	elems := d.limited(v, path, d.lim.MaxJudges, "judges", "MaxJudges")
	d.tooManyJudges = v.Kind == jsontree.Array && elems == nil && len(v.Elems) > 0
	if v.Kind != jsontree.Array {
		return nil // reported; checking scores against no jury would only repeat it
	}
	out := make([]bank.Judge, len(elems))
	for i := range elems {
		j, at := &out[i], index(path, i)
		keys := []string{"id", "name", "cooperative", "conflicts", "abstains"}
		d.object(&elems[i], at, keys, func(key string, v *jsontree.Value, at string) {
			switch key {
			case "id":
				j.ID = d.str(v, at)
			case "name":
				j.Name = d.str(v, at)
			case "cooperative":
				j.Cooperative = d.str(v, at)
			case "conflicts":
				j.Conflicts = d.strings(v, at)
			case "abstains":
				j.Abstains = d.strings(v, at)
			}
		})
		if elems[i].Kind == jsontree.Object && !hasKey(&elems[i], "id") {
			d.required(child(at, "id"))
		}
	}
	return out // not nil, even when empty: a listed empty jury
}

// strings reads an array of strings, skipping (and reporting) the others.
func (d *decoder) strings(v *jsontree.Value, path string) []string {
	elems := d.array(v, path)
	out := make([]string, 0, len(elems))
	for k := range elems {
		if s := d.str(&elems[k], index(path, k)); elems[k].Kind == jsontree.String {
			out = append(out, s)
		}
	}
	return out
}

// plainScore reads into s the score e when it is plain: an object of the
// four keys, once each, three strings and a decimal that reads. It
// builds none of the paths that only problems need, and reports nothing:
// false leaves the score to be read the long way, which finds the
// problems.
func (d *decoder) plainScore(e *jsontree.Value, s *scoring.Score) bool {
	if e.Kind != jsontree.Object || len(e.Members) != 4 {
		return false
	}
	var seen uint8
	for i := range e.Members {
		m := &e.Members[i]
		var bit uint8
		switch m.Key {
		case "judge":
			bit, s.Judge = 1, m.Value.Text
		case "project":
			bit, s.Project = 2, m.Value.Text
		case "criterion":
			bit, s.Criterion = 4, m.Value.Text
		case "score":
			bit = 8
			if m.Value.Kind != jsontree.Number && m.Value.Kind != jsontree.String {
				return false
			}
			x, err := d.parseDecimal(m.Value.Text)
			if err != nil {
				return false
			}
			s.Value = x
		default:
			return false
		}
		if seen&bit != 0 || bit != 8 && m.Value.Kind != jsontree.String {
			return false
		}
		seen |= bit
	}
	return seen == 15
}

// flatScore reads into s the score ms, the members of a flat object
// read by r (see [jsontree.Reader.Flat]), when it is plain, as
// plainScore reads the same object's tree: the four keys, once each,
// three strings and a decimal that reads. It reports nothing: false
// leaves the score to be read from its tree.
func (d *decoder) flatScore(r *jsontree.Reader, ms []jsontree.Scalar, s *scoring.Score) bool {
	if len(ms) != 4 {
		return false
	}
	var seen uint8
	for i := range ms {
		m := &ms[i]
		var bit uint8
		switch string(m.Key) {
		case "judge":
			bit = 1
		case "project":
			bit = 2
		case "criterion":
			bit = 4
		case "score":
			bit = 8
		default:
			return false
		}
		if seen&bit != 0 || bit != 8 && m.Kind != jsontree.String {
			return false
		}
		seen |= bit
		switch bit {
		case 1:
			s.Judge = d.recent(r, 0, m.Text)
		case 2:
			s.Project = d.recent(r, 1, m.Text)
		case 4:
			s.Criterion = d.recent(r, 2, m.Text)
		case 8:
			x, ok := d.decimals[string(m.Text)]
			if !ok {
				var err error
				if x, err = d.parseDecimal(string(m.Text)); err != nil {
					return false
				}
			}
			s.Value = x
		}
	}
	return true // four distinct keys of four
}

// recent returns b as a string: the last one returned for field, a
// judge (0), a project (1) or a criterion (2), when it is the same, as
// it is for most scores in a row, else b interned by r.
func (d *decoder) recent(r *jsontree.Reader, field int, b []byte) string {
	if last := d.last[field]; last == string(b) {
		return last
	}
	d.last[field] = r.String(b)
	return d.last[field]
}

// scoreSink receives the scores read: a dataset's table
// (*scoring.Scores) or a sheet's list (*scoreList).
type scoreSink interface {
	// Grow makes room for n more scores, and makes the table or list,
	// even empty, as for a listed empty array.
	Grow(n int)
	Append(ss ...scoring.Score)
}

// scoreList is a sheet's list of scores.
type scoreList []scoring.Score

func (l *scoreList) Grow(n int) {
	if *l == nil {
		*l = make(scoreList, 0, n)
	}
	*l = slices.Grow(*l, n)
}

func (l *scoreList) Append(ss ...scoring.Score) { *l = append(*l, ss...) }

// scores reads the array of scores v, one score at a time, into out: a
// score that cannot be read whole is reported, and added with the fields
// read. With v deferred, the decoder holds one score's nodes at a time.
func (d *decoder) scores(v *jsontree.Value, path string, out scoreSink) {
	n, ok := d.limitedLen(v, path, d.lim.MaxScores, "scores", "MaxScores")
	out.Grow(n)
	if !ok {
		return
	}
	// Added in batches: a Score passed alone through the interface
	// would cost an allocation.
	var batch [256]scoring.Score
	k := 0
	keys := []string{"judge", "project", "criterion", "score"}
	r := jsontree.NewReader(d.data, v, d.tree)
	var flat [4]jsontree.Scalar
	for i := 0; r.More(); i++ {
		if k == len(batch) {
			out.Append(batch[:]...)
			k = 0
		}
		s := &batch[k]
		if !d.longWay {
			if ms, ok := r.Flat(flat[:0]); ok && d.flatScore(r, ms, s) {
				r.Skip()
				k++
				continue // it set all four fields
			}
		}
		e := r.Value()
		if e == nil {
			break // never: d.data is the input v was parsed from
		}
		k++
		if !d.longWay && d.plainScore(e, s) {
			continue // it set all four fields
		}
		*s = scoring.Score{} // what flatScore or plainScore read before it gave up, or a slot used before
		at := index(path, i)
		ok := d.object(e, at, keys, func(key string, v *jsontree.Value, at string) {
			switch key {
			case "judge":
				s.Judge = d.str(v, at)
			case "project":
				s.Project = d.str(v, at)
			case "criterion":
				s.Criterion = d.str(v, at)
			case "score":
				s.Value, _ = d.decimal(v, at)
			}
		})
		if ok {
			for _, k := range keys {
				if !hasKey(e, k) {
					d.required(child(at, k))
				}
			}
		}
	}
	out.Append(batch[:k]...)
}

func hasKey(v *jsontree.Value, key string) bool {
	for i := range v.Members {
		if v.Members[i].Key == key {
			return true
		}
	}
	return false
}

// child returns the path of key inside path: path.key, or path["key"]
// when the key is not a plain name (empty, or with dots, spaces...).
func child(path, key string) string {
	if !plainKey(key) {
		// JSON escapes control characters, and Visible the characters it
		// leaves that would act in a terminal (a bidi override), so that
		// a path only shows.
		q, _ := json.Marshal(key) // a string always marshals
		return path + "[" + freetext.Visible(string(q)) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// childPaths appends to dst the paths of the members ms of the object at
// path, as child returns them, and returns the extended slice. The plain
// ones share one string: one allocation for an object's paths, not one a
// member.
func childPaths(dst []string, path string, ms []jsontree.Member) []string {
	n := 0
	for i := range ms {
		n += len(path) + 1 + len(ms[i].Key)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range ms {
		if !plainKey(ms[i].Key) || path == "" {
			continue
		}
		b.WriteString(path)
		b.WriteByte('.')
		b.WriteString(ms[i].Key)
	}
	all, end := b.String(), 0
	for i := range ms {
		if !plainKey(ms[i].Key) || path == "" {
			dst = append(dst, child(path, ms[i].Key))
			continue
		}
		start := end
		end += len(path) + 1 + len(ms[i].Key)
		dst = append(dst, all[start:end])
	}
	return dst
}

// plainKey reports whether key can stand in a dotted path as it is.
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for i, c := range key {
		ok := c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9'
		if !ok && (c < 0x80 || !unicode.IsLetter(c)) {
			return false
		}
	}
	return true
}

// index returns the path of the element i of the array at path.
func index(path string, i int) string {
	var buf [64]byte
	b := append(append(buf[:0], path...), '[')
	return string(append(strconv.AppendInt(b, int64(i), 10), ']')) // one allocation, where + and Itoa take two
}

func pathOr(path string) string {
	if path == "" {
		return "$"
	}
	return path
}

// criterionParams returns the parameters kv (name, value, name, value...)
// and the criterion's id, unless empty.
func criterionParams(c *scoring.Criterion, kv ...string) scoring.Params {
	p := make(scoring.Params, len(kv)/2+1)
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	if c.ID != "" {
		p["criterion"] = c.ID
	}
	return p
}

// kindName names the JSON type of v for [scoring.CodeJSONType]: null,
// boolean, number, string, array or object.
func kindName(v *jsontree.Value) string {
	switch v.Kind {
	case jsontree.Null:
		return "null"
	case jsontree.Bool:
		return "boolean"
	case jsontree.Number:
		return "number"
	case jsontree.String:
		return "string"
	case jsontree.Array:
		return "array"
	}
	return "object"
}

// describe names a JSON value for a message: "a boolean (true)".
func describe(v *jsontree.Value) string {
	switch v.Kind {
	case jsontree.Null:
		return "null"
	case jsontree.Bool:
		return fmt.Sprintf("a boolean (%t)", v.Bool)
	case jsontree.Number:
		return "the number " + abbreviate(v.Text)
	case jsontree.String:
		return "the string " + strconv.Quote(abbreviate(v.Text))
	case jsontree.Array:
		return "an array"
	}
	return "an object"
}

func abbreviate(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:30] + "…"
}
