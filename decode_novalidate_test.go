package afkar_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestDecodeNoValidate: decoded with NoValidate and then evaluated, every
// dataset gets Decode's problems, all at once and in the same order (or,
// valid, the same result): the invalid datasets of testdata, the
// conformance cases and the Dakhla stage broken in one place or in
// several.
func TestDecodeNoValidate(t *testing.T) {
	inputs := map[string][]byte{}
	read := func(pattern string) {
		names, err := filepath.Glob(pattern)
		require.NoError(t, err)
		require.NotEmpty(t, names, pattern)
		for _, name := range names {
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			inputs[name] = data
		}
	}
	read("testdata/bad/*.json")
	read("testdata/conformance/*/dataset.json")
	read("testdata/dakhla/dataset.json")
	dakhla := string(inputs["testdata/dakhla/dataset.json"])
	breaks := map[string][2]string{ // each replaces its first occurrence
		"format":            {`"afkar/1"`, `"afkar/9"`},
		"weight":            {`"weight": "0.25"`, `"weight": "0.35"`},
		"score":             {`"score": "19"`, `"score": "21"`},
		"step":              {`"score": "19"`, `"score": "18.75"`},
		"unknown judge":     {`{"judge": "J1", "project": "DAK-01"`, `{"judge": "J9", "project": "DAK-01"`},
		"unknown project":   {`"project": "DAK-02", "criterion": "social"`, `"project": "DAK-99", "criterion": "social"`},
		"unknown criterion": {`"criterion": "economic", "score"`, `"criterion": "economy", "score"`},
		"duplicate judge":   {`{"id": "J2"}`, `{"id": "J1"}`},
		"duplicate project": {`{"id": "DAK-02"`, `{"id": "DAK-01"`},
		"tie-break":         {`"criterion:social"`, `"criterion:nope"`},
		"style":             {`"style": "competition"`, `"style": "olympic"`},
		"group_by":          {`"group_by": "region"`, `"group_by": "city"`},
		"top":               {`"top": 3`, `"top": -1`},
		"min_judges":        {`"min_judges": 1`, `"min_judges": 9`},
		"title":             {`"Camel milk cheese"`, `"Camel milk\u0007 cheese"`},
	}
	all := dakhla
	for name, b := range breaks {
		require.Contains(t, dakhla, b[0], name)
		inputs["dakhla, "+name] = []byte(strings.Replace(dakhla, b[0], b[1], 1))
		all = strings.Replace(all, b[0], b[1], 1)
	}
	inputs["dakhla, all broken"] = []byte(all)
	inputs["dakhla, all broken and a key unknown"] = []byte(strings.Replace(all, `"format"`, `"formats": 1, "format"`, 1))

	deferred := 0 // inputs read without problems, found invalid by Evaluate
	for name, data := range inputs {
		want, wantErr := evaluateJSON(afkar.Decode(data))
		ds, err := afkar.DecodeOptions{NoValidate: true}.Decode(data)
		got, gotErr := evaluateJSON(ds, err)
		if diff := cmp.Diff(wantErr, gotErr); diff != "" {
			t.Errorf("%s: problems (-Decode +NoValidate):\n%s", name, diff)
		}
		require.Equal(t, string(want), string(got), name)
		if ds != nil && gotErr != nil {
			deferred++
		}
	}
	require.Greater(t, deferred, len(breaks)/2, "most broken inputs read without problems")
}

// evaluateJSON evaluates what Decode returned: the result's JSON, or
// the error.
func evaluateJSON(ds *afkar.Dataset, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	res, err := afkar.Evaluate(context.Background(), ds)
	if err != nil {
		return nil, err
	}
	return res.MarshalJSON()
}
