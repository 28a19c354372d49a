package stage

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"slices"
)

// AssignInput is what [Assign] needs.
type AssignInput struct {
	// Ideas to assign, with their cooperatives (a juror of the same
	// non-empty cooperative is never given the idea).
	Ideas []Idea
	// Jurors of the stage, with their conflicts and abstentions (never
	// given those ideas) and whether they dropped out (given nothing new).
	Jurors []Juror
	// K is how many jurors each idea gets; it must be at least 1.
	K int
	// Cap is the most ideas one juror gets; zero means no cap.
	Cap int
	// Seed makes the assignment deterministic: the same input and seed
	// give the same assignment, on any machine.
	Seed string
	// Existing is the assignment so far (from earlier runs). Pairs of
	// active jurors stay; pairs of dropped jurors stay when Scored says
	// the juror scored the idea, and count towards K only when Complete
	// says the juror scored every criterion of it.
	Existing []Assignment
	// Scored reports whether judge gave any score on project.
	Scored func(judge, project string) bool
	// Complete reports whether judge scored every criterion of project.
	Complete func(judge, project string) bool
}

// Shortfall is an idea that got fewer than K jurors: too few jurors are
// free of conflicts with it, or under their cap.
type Shortfall struct {
	Project string `json:"project"`
	Have    int    `json:"have"`
	Want    int    `json:"want"`
}

// Plan is an assignment: the pairs to keep or add.
type Plan struct {
	// Keep are the existing pairs that stay, in the order of Existing.
	Keep []Assignment `json:"keep"`
	// Drop are the existing pairs removed: those of dropped jurors who
	// scored nothing on the idea.
	Drop []Assignment `json:"drop"`
	// Add are the new pairs, in the order chosen.
	Add []Assignment `json:"add"`
	// Short lists the ideas that still have fewer than K jurors, in idea
	// order.
	Short []Shortfall `json:"short"`
	// Loads is the number of ideas of each active juror after the plan,
	// by juror ID.
	Loads map[string]int `json:"loads"`
}

// Assign gives each idea K jurors, deterministically from the seed:
//
//   - never a juror with a declared conflict or abstention on the idea,
//     or of the idea's cooperative, or who dropped out;
//   - never more than Cap ideas to one juror;
//   - existing pairs stay (scores already given never move), so running
//     it again after a juror drops out only adds jurors where needed;
//   - loads balanced: slots are filled one round at a time, the ideas
//     with the fewest possible jurors first, each slot going to the
//     least-loaded possible juror, ties broken by SHA-256 of the seed,
//     the idea and the juror.
//
// Without conflicts or caps, the loads of active jurors differ by at most
// one when every run starts from no assignment.
func Assign(in AssignInput) Plan {
	k := max(in.K, 1)
	active := map[string]*Juror{}
	for i := range in.Jurors {
		if !in.Jurors[i].Dropped {
			active[in.Jurors[i].ID] = &in.Jurors[i]
		}
	}
	plan := Plan{Keep: []Assignment{}, Drop: []Assignment{}, Add: []Assignment{}, Short: []Shortfall{}, Loads: map[string]int{}}
	for id := range active {
		plan.Loads[id] = 0
	}
	assigned := map[[2]string]bool{} // judge, project
	have := map[string]int{}         // project → jurors counting towards k
	round := 1
	for _, a := range in.Existing {
		round = max(round, a.Round+1)
		_, isActive := active[a.Judge]
		switch {
		case isActive:
			plan.Keep = append(plan.Keep, a)
			plan.Loads[a.Judge]++
			have[a.Project]++
		case in.Scored != nil && in.Scored(a.Judge, a.Project):
			plan.Keep = append(plan.Keep, a)
			if in.Complete != nil && in.Complete(a.Judge, a.Project) {
				have[a.Project]++
			}
		default:
			plan.Drop = append(plan.Drop, a)
			continue
		}
		assigned[[2]string{a.Judge, a.Project}] = true
	}
	can := func(j *Juror, p *Idea) bool {
		if assigned[[2]string{j.ID, p.ID}] || slices.Contains(j.Conflicts, p.ID) || slices.Contains(j.Abstains, p.ID) {
			return false
		}
		return j.Cooperative == "" || j.Cooperative != p.Cooperative
	}
	jurorIDs := make([]string, 0, len(active))
	for id := range active {
		jurorIDs = append(jurorIDs, id)
	}
	slices.Sort(jurorIDs)
	// The most constrained ideas first, so that they get the jurors they
	// can have before the others take them; then in seeded order.
	possible := map[string]int{}
	for _, p := range in.Ideas {
		for _, id := range jurorIDs {
			if can(active[id], &p) {
				possible[p.ID]++
			}
		}
	}
	order := make([]*Idea, len(in.Ideas))
	for i := range in.Ideas {
		order[i] = &in.Ideas[i]
	}
	ideaKey := make(map[string]uint64, len(order))
	for _, p := range order {
		ideaKey[p.ID] = tieKey(in.Seed, p.ID, "")
	}
	slices.SortFunc(order, func(a, b *Idea) int {
		return cmp.Or(cmp.Compare(possible[a.ID], possible[b.ID]),
			cmp.Compare(ideaKey[a.ID], ideaKey[b.ID]), cmp.Compare(a.ID, b.ID))
	})
	for slot := 1; slot <= k; slot++ {
		for _, p := range order {
			if have[p.ID] >= slot {
				continue
			}
			best := ""
			for _, id := range jurorIDs {
				j := active[id]
				if !can(j, p) || in.Cap > 0 && plan.Loads[id] >= in.Cap {
					continue
				}
				if best == "" || cmp.Or(cmp.Compare(plan.Loads[id], plan.Loads[best]),
					cmp.Compare(tieKey(in.Seed, p.ID, id), tieKey(in.Seed, p.ID, best)), cmp.Compare(id, best)) < 0 {
					best = id
				}
			}
			if best == "" {
				continue
			}
			plan.Add = append(plan.Add, Assignment{Judge: best, Project: p.ID, Round: round})
			assigned[[2]string{best, p.ID}] = true
			plan.Loads[best]++
			have[p.ID]++
		}
	}
	for _, p := range in.Ideas {
		if have[p.ID] < k {
			plan.Short = append(plan.Short, Shortfall{Project: p.ID, Have: have[p.ID], Want: k})
		}
	}
	return plan
}

// tieKey is the first 8 bytes of SHA-256(seed NUL idea NUL juror), as a
// number: the seeded order that settles ties.
func tieKey(seed, idea, juror string) uint64 {
	h := sha256.New()
	h.Write([]byte(seed))
	h.Write([]byte{0})
	h.Write([]byte(idea))
	h.Write([]byte{0})
	h.Write([]byte(juror))
	return binary.BigEndian.Uint64(h.Sum(nil))
}
