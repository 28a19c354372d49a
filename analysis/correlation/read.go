package correlation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// ResultFormat is the format of the results ReadRanks reads, as
// "afkar rank --format json" writes them (SPEC.md section 5).
const ResultFormat = "afkar-result/1"

// ReadRanks reads the overall ranks of a result in the afkar-result/1
// format: the projects with a rank, in the result's order. Keys it does
// not use are ignored, so that it reads results with more fields too. An
// invalid result yields a [scoring.Problems] (the type afkar.Problems
// names) listing every problem at its JSON path: a malformed document, a
// format other than afkar-result/1, a project without an id, a repeated
// id, a rank that is not a positive whole number or half, or an eligible
// project without a rank.
func ReadRanks(data []byte) ([]Ranked, error) {
	var ps scoring.Problems
	add := func(path, format string, args ...any) {
		ps = append(ps, scoring.Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		add("$", "expected a JSON object in the %s format: %v", ResultFormat, err)
		return nil, ps
	}
	var format string
	if raw, ok := doc["format"]; !ok {
		add("format", "missing (expected %q)", ResultFormat)
	} else if json.Unmarshal(raw, &format) != nil || format != ResultFormat {
		add("format", "expected %q, found %s", ResultFormat, clip(raw))
	}
	var projects []json.RawMessage
	if raw, ok := doc["projects"]; !ok {
		add("projects", "missing (expected a list of projects)")
	} else if json.Unmarshal(raw, &projects) != nil {
		add("projects", "expected a list of projects, found %s", clip(raw))
	}
	var out []Ranked
	seen := map[string]int{}
	for i, raw := range projects {
		at := "projects[" + strconv.Itoa(i) + "]"
		var p map[string]json.RawMessage
		if json.Unmarshal(raw, &p) != nil {
			add(at, "expected a project object, found %s", clip(raw))
			continue
		}
		var id string
		if json.Unmarshal(p["id"], &id) != nil || id == "" {
			add(at+".id", "expected a project id (a non-empty string), found %s", clip(p["id"]))
			continue
		}
		if j, dup := seen[id]; dup {
			add(at+".id", "duplicate project id %q (first at projects[%d])", id, j)
			continue
		}
		seen[id] = i
		var eligible bool
		if raw, ok := p["eligible"]; ok && json.Unmarshal(raw, &eligible) != nil {
			add(at+".eligible", "expected true or false, found %s", clip(raw))
		}
		var rank ranking.Rank
		raw, ok := p["rank"]
		if ok && rank.UnmarshalJSON(bytes.TrimSpace(raw)) != nil {
			add(at+".rank", "expected a rank (a positive number such as 3 or 2.5) or null, found %s", clip(raw))
			continue
		}
		switch {
		case !rank.IsZero():
			out = append(out, Ranked{ID: id, Rank: rank})
		case eligible:
			add(at+".rank", "an eligible project needs a rank, found %s", clip(raw))
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return out, nil
}

// clip returns a JSON value for a message, shortened, or "nothing".
func clip(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	switch {
	case s == "":
		return "nothing"
	case utf8.RuneCountInString(s) > 40:
		return string([]rune(s)[:37]) + "..."
	}
	return s
}
