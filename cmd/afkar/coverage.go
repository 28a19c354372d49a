package main

import "github.com/afkarlab/afkar"

// count is how many scores a project has against how many it should
// have.
type count struct {
	// has is the project's counted scores, over every criterion.
	has int
	// expected is the number of criteria times the judges of the
	// project's jury who may score it: its jury less the judges whose
	// scores of it would be excluded (scoring.Judge.Excludes).
	expected int
}

// short reports a project with fewer scores than expected.
func (c count) short() bool { return c.has < c.expected }

// coverage is how complete each project's scores are.
type coverage struct {
	of map[string]count // by project ID
	// silent lists the listed judges with no score at all, in the order
	// of the judges.
	silent []string
}

// coverageOf counts each project's scores against the number expected.
// A project's jury is every judge of the dataset (those listed, or those
// the scores name); with group_by, it is the judges with a score (counted
// or excluded) of some project of the project's group, since each stage
// of a tour has its own jury. A listed judge with no score at all is in
// no group's jury: coverage lists them apart.
func coverageOf(ds *afkar.Dataset, res *afkar.Result) coverage {
	cov := coverage{of: make(map[string]count, res.Len())}
	nc := len(ds.Rubric.Criteria)
	in := ds.ScoringInput()
	judges, projects, _, _ := ds.Scores.Distinct()

	// Judges as indexes: the listed ones first, then those only the
	// scores name (none when the jury is listed: validation saw to it).
	index := map[string]int{}
	var ids []string
	for _, j := range in.Judges {
		index[j.ID] = len(ids)
		ids = append(ids, j.ID)
	}
	judgeOf := make([]int, len(judges))
	for k, id := range judges {
		i, ok := index[id]
		if !ok {
			i = len(ids)
			index[id] = i
			ids = append(ids, id)
		}
		judgeOf[k] = i
	}

	// Groups as indexes, and each project's.
	by := ds.Ranking.GroupBy
	groupIndex := map[string]int{}
	groupOf := make([]int, len(ds.Projects)) // by project index
	projectIndex := make(map[string]int, len(ds.Projects))
	for p := range ds.Projects {
		projectIndex[ds.Projects[p].ID] = p
		g := ""
		if by != "" {
			g = afkar.GroupValue(&ds.Projects[p], by)
		}
		k, ok := groupIndex[g]
		if !ok {
			k = len(groupIndex)
			groupIndex[g] = k
		}
		groupOf[p] = k
	}
	scoredProject := make([]int, len(projects)) // the table's projects as project indexes
	for k, id := range projects {
		scoredProject[k] = projectIndex[id]
	}

	// Each group's jury.
	type member struct{ group, judge int }
	jury := map[member]bool{}
	size := make([]int, len(groupIndex))
	scored := make([]bool, len(ids))
	if by == "" {
		for j := range ids {
			jury[member{0, j}] = true
		}
		size[0] = len(ids)
	}
	last := member{-1, -1}
	for i := range ds.Scores.Len() {
		j, p, _, _ := ds.Scores.Ref(i)
		m := member{groupOf[scoredProject[p]], judgeOf[j]}
		scored[m.judge] = true
		if by == "" || m == last {
			continue
		}
		last = m
		if !jury[m] {
			jury[m] = true
			size[m.group]++
		}
	}
	for j, jd := range in.Judges {
		if !scored[j] {
			cov.silent = append(cov.silent, jd.ID)
		}
	}

	// The judges of a project's jury who may not score it.
	barred := make([]int, len(ds.Projects))
	if in.Judges != nil {
		coops := map[string][]int{}
		for p, pr := range in.Projects {
			if pr.Cooperative != "" {
				coops[pr.Cooperative] = append(coops[pr.Cooperative], p)
			}
		}
		for j := range in.Judges {
			jd := &in.Judges[j]
			seen := map[int]bool{}
			bar := func(p int) {
				if !seen[p] && jury[member{groupOf[p], j}] && jd.Excludes(&in.Projects[p]) != "" {
					seen[p] = true
					barred[p]++
				}
			}
			for _, c := range jd.Conflicts {
				if p, ok := projectIndex[c]; ok {
					bar(p)
				}
			}
			if jd.Cooperative != "" {
				for _, p := range coops[jd.Cooperative] {
					bar(p)
				}
			}
			for _, a := range jd.Abstains {
				if p, ok := projectIndex[a]; ok {
					bar(p)
				}
			}
		}
	}

	for _, p := range res.Projects() {
		c := count{}
		for _, a := range p.Criteria {
			c.has += a.Counted
		}
		if i, ok := projectIndex[p.ID]; ok {
			c.expected = nc * (size[groupOf[i]] - barred[i])
		}
		cov.of[p.ID] = c
	}
	return cov
}
