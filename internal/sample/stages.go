package sample

import (
	"slices"

	"github.com/afkarlab/afkar"
)

// Stage is one regional stage of the sample tour, as its own dataset.
type Stage struct {
	Region string // the region code, such as "dakhla-oued-ed-dahab"
	JSON   []byte // an afkar/1 dataset holding that region's projects alone
}

// Stages splits the sample into its 12 regional stages, in the order
// their regions first appear among the projects. Each stage keeps the
// sample's rubric and ranking rules, the projects of its region, the
// judges who scored them (their conflicts and abstentions cut to those
// projects) and their scores; its stage description names its region.
// Each call returns fresh copies.
func Stages() []Stage {
	ds, err := afkar.Decode(sampleJSON)
	if err != nil { // the embedded sample is valid: a test checks it
		panic("sample: " + err.Error())
	}
	var regions []string
	for _, p := range ds.Projects {
		if !slices.Contains(regions, p.Region) {
			regions = append(regions, p.Region)
		}
	}
	stages := make([]Stage, len(regions))
	for i, region := range regions {
		s := *ds
		s.Ideathon = &afkar.Ideathon{ID: "afkar-sample-" + region, Title: "Afkar sample, " + region + " stage",
			Stage: &afkar.Stage{Region: region}}
		s.Projects = nil
		in := map[string]bool{}
		for _, p := range ds.Projects {
			if p.Region == region {
				s.Projects = append(s.Projects, p)
				in[p.ID] = true
			}
		}
		scored := map[string]bool{}
		s.Scores = afkar.Dataset{}.Scores
		for _, sc := range ds.Scores.All() {
			if in[sc.Project] {
				s.Scores.Append(sc)
				scored[sc.Judge] = true
			}
		}
		s.Judges = nil
		for _, j := range ds.Judges {
			if !scored[j.ID] {
				continue
			}
			j = j.Clone()
			keep := func(ids []string) []string {
				return slices.DeleteFunc(ids, func(id string) bool { return !in[id] })
			}
			j.Conflicts, j.Abstains = keep(j.Conflicts), keep(j.Abstains)
			s.Judges = append(s.Judges, j)
		}
		data, err := s.MarshalJSON()
		if err != nil {
			panic("sample: " + err.Error())
		}
		stages[i] = Stage{Region: region, JSON: data}
	}
	return stages
}
