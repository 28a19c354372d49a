// Package sample holds the built-in sample dataset: a whole Afkar ideathon
// tour of 12 regional stages, in the afkar/1 format of SPEC.md section 1.
//
// The data is SYNTHETIC. It was invented for demonstration and testing by
// [Generate]; the projects, cooperatives, judges and scores are made up, and
// any resemblance of a name to a real person or cooperative is coincidence.
// The stage dates behind the submission times are invented too.
//
// The sample has 6 to 10 projects and 3 to 5 judges per stage, every judge
// scoring every project of the stage on every criterion, and is built to
// exercise the rules: declared conflicts and same-cooperative exclusions, a
// project that fails the quorum because of them, projects under the total
// threshold, and ties in a region decided by each rule of the tie-break
// chain. plan.go says which projects and judges play which part.
//
// sample.json is regenerated with
//
//	go run ./internal/sample/gen > internal/sample/sample.json
package sample

import _ "embed"

//go:embed sample.json
var sampleJSON []byte

// JSON returns the sample dataset, a fresh copy on every call: the caller
// may change it.
func JSON() []byte {
	return append([]byte(nil), sampleJSON...)
}
