package tour

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/jsontree"
	"github.com/afkarlab/afkar/scoring"
)

// Format is the tour format this package reads and writes.
const Format = "afkar-tour/1"

// Tour is a tour document (docs/tour.md). The zero Tour has no stages.
type Tour struct {
	Format string // if empty, Format
	ID     string // optional, informative
	Title  string // optional, informative
	Stages []Stage
	Rule   Rule
	// Advanced lists the projects that advanced to the final, as the
	// organiser published them: each stage's top in stage order and rank
	// order, then the wildcards in wildcard order. Nil before [Build].
	Advanced []Advance
}

// Stage is one stage of a tour.
type Stage struct {
	// ID names the stage: a lowercase letter or digit, then up to 63 of
	// a-z, 0-9, '_' and '-'; unique in the tour.
	ID string
	// Dataset is the path of the stage's afkar/1 dataset, slash-separated
	// and relative to the tour file's folder (an [io/fs.FS] path).
	Dataset string
	// DatasetDigest is the dataset's [afkar.Dataset.Digest]; if empty,
	// not yet sealed.
	DatasetDigest string
	// ResultDigest is [ResultDigest] of the stage's result; if empty, not
	// yet sealed.
	ResultDigest string
}

// Rule is how projects advance to the final (docs/tour.md).
type Rule struct {
	// Top is the number of places of each stage that advance: the
	// eligible projects whose overall rank in their stage is at most Top
	// (ties that the stage's rules left shared all advance). At least 1.
	Top int
	// Wildcards is the number of further projects that advance from the
	// eligible projects left, across all stages, highest published total
	// first, then the better stage rank, then the smaller id (bytes). If
	// zero, none.
	Wildcards int
	// MaxPerStage, if positive, is the most projects one stage may send to
	// the final: a wildcard from a stage that already sends that many is
	// passed over. It must be at least Top.
	MaxPerStage int
}

// Way says how a project advanced.
type Way string

// The ways to advance.
const (
	ByTop      Way = "top"      // within its stage's top
	ByWildcard Way = "wildcard" // as a wildcard
)

// Advance is one project that advanced to the final.
type Advance struct {
	Project string // the project id
	Stage   string // the stage id
	By      Way
}

// MaxBytes is the largest tour document [Decode] reads: 16 MiB, far more
// than the few lines per stage a tour needs.
const MaxBytes = 16 << 20

var stageID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Decode reads a tour document from JSON, strictly as [afkar.Decode] reads
// a dataset: unknown or duplicate keys, values of the wrong type and
// broken rules are all reported, each as an [afkar.Problem] at its JSON
// path, in an [afkar.Problems]. It reads no dataset file.
func Decode(data []byte) (*Tour, error) {
	if len(data) > MaxBytes {
		return nil, afkar.Problems{{Path: "$", Message: fmt.Sprintf("the input is %d bytes, more than the limit of %d",
			len(data), MaxBytes), Code: scoring.CodeInputTooLarge,
			Params: scoring.Params{"bytes": strconv.Itoa(len(data)), "max": strconv.Itoa(MaxBytes)}}}
	}
	root, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: 64, MaxStringBytes: 1 << 16})
	if err != nil {
		return nil, afkar.Problems{afkar.ProblemAt("$", err)}
	}
	d := &decoder{}
	t := &Tour{}
	var hasStages, hasRule bool
	d.object(root, "", map[string]func(*jsontree.Value, string){
		"format": func(v *jsontree.Value, at string) {
			t.Format = d.str(v, at)
			if t.Format != Format && v.Kind == jsontree.String {
				d.add(at, scoring.CodeFormatUnsupported, scoring.Params{"expected": Format, "found": t.Format},
					"expected %q, found %q", Format, t.Format)
			}
		},
		"id":    func(v *jsontree.Value, at string) { t.ID = d.str(v, at) },
		"title": func(v *jsontree.Value, at string) { t.Title = d.str(v, at) },
		"stages": func(v *jsontree.Value, at string) {
			hasStages = true
			for i := range d.array(v, at) {
				t.Stages = append(t.Stages, d.stage(&v.Elems[i], index(at, i)))
			}
		},
		"advancement": func(v *jsontree.Value, at string) { hasRule = true; d.rule(v, at, &t.Rule) },
		"advanced": func(v *jsontree.Value, at string) {
			t.Advanced = []Advance{}
			for i := range d.array(v, at) {
				t.Advanced = append(t.Advanced, d.advance(&v.Elems[i], index(at, i)))
			}
		},
	}, "format", "id", "title", "stages", "advancement", "advanced")
	if root.Kind == jsontree.Object {
		if !hasStages {
			d.required("stages", "stages")
		}
		if !hasRule {
			d.required("advancement", "advancement")
		}
	}
	d.ps = append(d.ps, t.validate(hasStages, hasRule)...)
	if len(d.ps) > 0 {
		return nil, d.ps
	}
	return t, nil
}

// validate checks the rules between the fields that were read.
func (t *Tour) validate(hasStages, hasRule bool) afkar.Problems {
	var ps afkar.Problems
	if hasStages && len(t.Stages) == 0 {
		ps = append(ps, afkar.Problem{Path: "stages", Message: "expected at least one stage, found none",
			Code: scoring.CodeTourStagesEmpty})
	}
	first := map[string]int{}
	for i, s := range t.Stages {
		if s.ID == "" {
			continue // reported as missing
		}
		if !stageID.MatchString(s.ID) {
			ps = append(ps, afkar.Problem{Path: index("stages", i) + ".id",
				Message: fmt.Sprintf("%q is not a stage id (expected a lowercase letter or digit, then up to 63 of a-z, 0-9, _ and -)", s.ID),
				Code:    scoring.CodeTourStageInvalidID, Params: scoring.Params{"id": s.ID}})
			continue
		}
		if j, ok := first[s.ID]; ok {
			ps = append(ps, afkar.Problem{Path: index("stages", i) + ".id",
				Message: fmt.Sprintf("duplicate stage id %q (first at stages[%d])", s.ID, j),
				Code:    scoring.CodeTourStageDuplicate, Params: scoring.Params{"stage": s.ID, "first": index("stages", j)}})
			continue
		}
		first[s.ID] = i
	}
	if hasRule && t.Rule.MaxPerStage > 0 && t.Rule.Top > 0 && t.Rule.MaxPerStage < t.Rule.Top {
		ps = append(ps, afkar.Problem{Path: "advancement.max_per_stage",
			Message: fmt.Sprintf("expected an integer >= top (%d), found %d", t.Rule.Top, t.Rule.MaxPerStage),
			Code:    scoring.CodeIntegerRange, Params: scoring.Params{"value": strconv.Itoa(t.Rule.MaxPerStage), "min": strconv.Itoa(t.Rule.Top)}})
	}
	for i, a := range t.Advanced {
		if _, ok := first[a.Stage]; !ok && a.Stage != "" && hasStages {
			ps = append(ps, afkar.Problem{Path: index("advanced", i) + ".stage",
				Message: fmt.Sprintf("unknown stage %q (not in stages)", a.Stage),
				Code:    scoring.CodeTourStageUnknown, Params: scoring.Params{"stage": a.Stage}})
		}
	}
	return ps
}

type decoder struct{ ps afkar.Problems }

func (d *decoder) add(path string, code scoring.Code, params scoring.Params, format string, args ...any) {
	d.ps = append(d.ps, afkar.Problem{Path: path, Message: fmt.Sprintf(format, args...), Code: code, Params: params})
}

func (d *decoder) required(path, field string) {
	d.add(path, scoring.CodeFieldRequired, scoring.Params{"field": field}, "required, missing")
}

func (d *decoder) wrongType(path, expected string, v *jsontree.Value) {
	d.add(path, scoring.CodeJSONType, scoring.Params{"expected": expected, "found": v.Kind.String()},
		"expected %s, found %s", article(expected), article(v.Kind.String()))
}

// article is "an object", "a string".
func article(kind string) string {
	switch kind {
	case "null", "true", "false", "":
		return kind
	case "object", "array", "integer":
		return "an " + kind
	}
	return "a " + kind
}

func (d *decoder) object(v *jsontree.Value, path string, fields map[string]func(*jsontree.Value, string), keys ...string) bool {
	if v.Kind != jsontree.Object {
		d.wrongType(pathOr(path), "object", v)
		return false
	}
	seen := map[string]bool{}
	for i := range v.Members {
		m := &v.Members[i]
		at := child(path, m.Key)
		if seen[m.Key] {
			d.add(at, scoring.CodeJSONDuplicateKey, scoring.Params{"key": m.Key}, "duplicate key %q", m.Key)
			continue
		}
		seen[m.Key] = true
		f, ok := fields[m.Key]
		if !ok {
			d.add(at, scoring.CodeJSONUnknownKey, scoring.Params{"key": m.Key, "expected": strings.Join(keys, ", ")},
				"unknown key %q (expected one of %s)", m.Key, strings.Join(keys, ", "))
			continue
		}
		f(&m.Value, at)
	}
	return true
}

func (d *decoder) array(v *jsontree.Value, path string) []jsontree.Value {
	if v.Kind != jsontree.Array {
		d.wrongType(path, "array", v)
		return nil
	}
	return v.Elems
}

func (d *decoder) str(v *jsontree.Value, path string) string {
	if v.Kind != jsontree.String {
		d.wrongType(path, "string", v)
		return ""
	}
	return v.Text
}

func (d *decoder) integer(v *jsontree.Value, path string, lo int) int {
	if v.Kind != jsontree.Number {
		d.wrongType(path, "integer", v)
		return 0
	}
	n, err := strconv.Atoi(v.Text)
	if err != nil || n < lo || n > 1<<20 {
		d.add(path, scoring.CodeIntegerRange, scoring.Params{"value": v.Text, "min": strconv.Itoa(lo)},
			"expected an integer >= %d, found %s", lo, v.Text)
		return 0
	}
	return n
}

func (d *decoder) stage(v *jsontree.Value, path string) Stage {
	var s Stage
	var hasID, hasDataset bool
	if !d.object(v, path, map[string]func(*jsontree.Value, string){
		"id":             func(v *jsontree.Value, at string) { hasID = true; s.ID = d.str(v, at) },
		"dataset":        func(v *jsontree.Value, at string) { hasDataset = true; s.Dataset = d.str(v, at) },
		"dataset_digest": func(v *jsontree.Value, at string) { s.DatasetDigest = d.digest(v, at) },
		"result_digest":  func(v *jsontree.Value, at string) { s.ResultDigest = d.digest(v, at) },
	}, "id", "dataset", "dataset_digest", "result_digest") {
		return s
	}
	if !hasID {
		d.required(path+".id", "id")
	}
	if !hasDataset {
		d.required(path+".dataset", "dataset")
	} else if s.Dataset != "" && !validPath(s.Dataset) {
		d.add(path+".dataset", scoring.CodeTourPathInvalid, scoring.Params{"text": s.Dataset},
			"%q is not a relative slash-separated path inside the tour's folder", s.Dataset)
	}
	return s
}

// validPath reports whether name is an io/fs path: relative, slash-separated,
// without . or .. elements.
func validPath(name string) bool {
	return name != "." && !strings.Contains(name, `\`) && fs.ValidPath(name)
}

var digestForm = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

func (d *decoder) digest(v *jsontree.Value, path string) string {
	s := d.str(v, path)
	if v.Kind == jsontree.String && !digestForm.MatchString(s) {
		d.add(path, scoring.CodeTourDigestForm, scoring.Params{"text": s},
			`%q is not a digest (expected "sha256:" and 64 lowercase hex digits)`, s)
	}
	return s
}

func (d *decoder) rule(v *jsontree.Value, path string, r *Rule) {
	var hasTop bool
	if !d.object(v, path, map[string]func(*jsontree.Value, string){
		"top":           func(v *jsontree.Value, at string) { hasTop = true; r.Top = d.integer(v, at, 1) },
		"wildcards":     func(v *jsontree.Value, at string) { r.Wildcards = d.integer(v, at, 0) },
		"max_per_stage": func(v *jsontree.Value, at string) { r.MaxPerStage = d.integer(v, at, 1) },
	}, "top", "wildcards", "max_per_stage") {
		return
	}
	if !hasTop {
		d.required(path+".top", "top")
	}
}

func (d *decoder) advance(v *jsontree.Value, path string) Advance {
	var a Advance
	var has [3]bool
	if !d.object(v, path, map[string]func(*jsontree.Value, string){
		"project": func(v *jsontree.Value, at string) { has[0] = true; a.Project = d.str(v, at) },
		"stage":   func(v *jsontree.Value, at string) { has[1] = true; a.Stage = d.str(v, at) },
		"by": func(v *jsontree.Value, at string) {
			has[2] = true
			a.By = Way(d.str(v, at))
			if v.Kind == jsontree.String && a.By != ByTop && a.By != ByWildcard {
				d.add(at, scoring.CodeEnumInvalid, scoring.Params{"found": string(a.By), "allowed": "top, wildcard"},
					"expected one of top, wildcard, found %q", string(a.By))
			}
		},
	}, "project", "stage", "by") {
		return a
	}
	for i, k := range []string{"project", "stage", "by"} {
		if !has[i] {
			d.required(path+"."+k, k)
		}
	}
	return a
}

func child(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func pathOr(path string) string {
	if path == "" {
		return "$"
	}
	return path
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// MarshalJSON writes the tour in the afkar-tour/1 format: keys in the
// documented order, one stage and one advanced project per line, digests
// left out while empty, "advanced" left out while nil.
func (t *Tour) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	str := func(s string) { q, _ := json.Marshal(s); b.Write(q) }
	b.WriteString("{\n  \"format\": ")
	str(Format)
	if t.ID != "" {
		b.WriteString(",\n  \"id\": ")
		str(t.ID)
	}
	if t.Title != "" {
		b.WriteString(",\n  \"title\": ")
		str(t.Title)
	}
	b.WriteString(",\n  \"stages\": [")
	for i, s := range t.Stages {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    {\"id\": ")
		str(s.ID)
		b.WriteString(", \"dataset\": ")
		str(s.Dataset)
		if s.DatasetDigest != "" {
			b.WriteString(", \"dataset_digest\": ")
			str(s.DatasetDigest)
		}
		if s.ResultDigest != "" {
			b.WriteString(", \"result_digest\": ")
			str(s.ResultDigest)
		}
		b.WriteByte('}')
	}
	b.WriteString("\n  ],\n  \"advancement\": {\"top\": " + strconv.Itoa(t.Rule.Top))
	if t.Rule.Wildcards > 0 {
		b.WriteString(", \"wildcards\": " + strconv.Itoa(t.Rule.Wildcards))
	}
	if t.Rule.MaxPerStage > 0 {
		b.WriteString(", \"max_per_stage\": " + strconv.Itoa(t.Rule.MaxPerStage))
	}
	b.WriteByte('}')
	if t.Advanced != nil {
		b.WriteString(",\n  \"advanced\": [")
		for i, a := range t.Advanced {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n    {\"project\": ")
			str(a.Project)
			b.WriteString(", \"stage\": ")
			str(a.Stage)
			b.WriteString(", \"by\": ")
			str(string(a.By))
			b.WriteByte('}')
		}
		if len(t.Advanced) > 0 {
			b.WriteString("\n  ")
		}
		b.WriteByte(']')
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}
