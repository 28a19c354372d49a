package ranking

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/afkarlab/afkar/internal/parallel"
)

// PairsError reports that head_to_head would compare more pairs of
// distinct ballots than Config.MaxHeadToHeadPairs allows. It is returned
// before those pairs are compared.
type PairsError struct {
	// Pairs is the number of pairs counted when the limit was passed:
	// those of the tied sets already split and of the one that passed it.
	// Tied sets not reached yet may add more.
	Pairs int64
	Max   int // Config.MaxHeadToHeadPairs
	// Projects is the size of the tied set that passed the limit, and
	// Distinct its number of distinct ballots.
	Projects, Distinct int
}

func (e *PairsError) Error() string {
	return fmt.Sprintf("ranking: head_to_head would compare at least %d pairs of distinct ballots "+
		"(a tied set of %d projects has %d distinct ballots), more than the limit of %d",
		e.Pairs, e.Projects, e.Distinct, e.Max)
}

// headToHead computes head_to_head's verdicts for the tied sets of one
// Order call, within its budget of pairs, giving up when ctx is done.
//
// A tied set of n projects is split in four steps, each linear in the
// ballots but the last:
//
//  1. The judges of the set are numbered, and each judge's totals are
//     replaced by int64 keys that order them as the totals do: their
//     numerators when the judge's totals are all held inline over one
//     denominator (as they usually are), else their places in the judge's
//     totals sorted exactly (exact.Num.Cmp).
//  2. Each project's ballot becomes its (judge, key) pairs in judge order.
//     Projects with the same pairs have identical ballots: they tie each
//     other (no judge prefers either) and fare alike against every other
//     project, so they form one class, counted once with its size.
//  3. The budget is charged k(k−1)/2 pairs for the k classes, before any
//     is compared.
//  4. Each pair of classes is compared by walking their (judge, key) lists
//     together; a class's wins are the sizes of the classes it beats. The
//     rows are shared among the cores, and ctx is checked every
//     checkEvery steps of the walks.
//
// An equal-score flood is then one class and linear work; only projects
// whose ballots differ cost pairs.
type headToHead struct {
	ctx   context.Context
	table Table
	max   int   // the budget of pairs; 0: none
	used  int64 // pairs charged so far
	// wins holds, for each entry of the tied set last split, the entries
	// of the set it beats (indexed by entry; other slots are stale).
	wins []int32
	// ballots holds each entry's ballots, read from the table on every
	// core when the first tied set is split: an entry's tied set is split
	// overall and again in its group, tied sets are often small, and a
	// table may compute ballots when asked.
	ballots [][]Ballot
}

// checkEvery is how many steps of the pairwise walks run between two
// looks at the context: at a few nanoseconds a step, well under a
// millisecond.
const checkEvery = 1 << 16

// split computes the wins of the entries of block, a tied set, into h.wins.
func (h *headToHead) split(block []int) error {
	if h.wins == nil {
		n := h.table.Len()
		h.wins, h.ballots = make([]int32, n), make([][]Ballot, n)
		es, inPlace := h.table.(entryTable) // only read: no copy
		err := parallel.For(h.ctx, n, 1024, func(lo, hi int) error {
			for i := lo; i < hi; i++ {
				if inPlace {
					h.ballots[i] = es[i].Ballots
				} else {
					h.ballots[i] = h.table.AppendBallots(nil, i)
				}
			}
			return nil
		})
		if err != nil {
			h.wins = nil
			return err
		}
	}
	b, err := newBallots(h.ctx, h.ballots, block)
	if err != nil {
		return err
	}
	if err := b.keys(h.ctx); err != nil {
		return err
	}
	class, reps, size, err := b.classes(h.ctx)
	if err != nil {
		return err
	}
	k := int64(len(reps))
	pairs := k * (k - 1) / 2
	if h.max > 0 && h.used+pairs > int64(h.max) {
		return &PairsError{Pairs: h.used + pairs, Max: h.max, Projects: len(block), Distinct: len(reps)}
	}
	h.used += pairs
	classWins, err := b.classWins(h.ctx, reps, size)
	if err != nil {
		return err
	}
	for pos, i := range block {
		h.wins[i] = classWins[class[pos]]
	}
	return nil
}

// ballots are the ballots of one tied set, as cells: one per (project,
// judge), grouped by project (pos, the position in the block) in judge
// order once keys has run.
type ballots struct {
	judges int      // distinct judges
	off    []int32  // the cells of position pos are [off[pos], off[pos+1])
	judge  []int32  // each cell's judge
	key    []int64  // each cell's key (after keys)
	ballot []Ballot // each cell's ballot (before keys)
}

// checkPositions is how many positions of a tied set the linear steps
// handle between two looks at the context.
const checkPositions = 4096

// newBallots returns the ballots of block, each entry's in of[entry].
func newBallots(ctx context.Context, of [][]Ballot, block []int) (*ballots, error) {
	b := &ballots{off: make([]int32, len(block)+1)}
	for pos, i := range block {
		if pos%checkPositions == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b.ballot = append(b.ballot, of[i]...)
		b.off[pos+1] = int32(len(b.ballot))
	}
	b.judge = make([]int32, len(b.ballot))
	ids := map[string]int32{}
	for x, bal := range b.ballot {
		j, ok := ids[bal.Judge]
		if !ok {
			j = int32(len(ids))
			ids[bal.Judge] = j
		}
		b.judge[x] = j
	}
	b.judges = len(ids)
	return b, nil
}

// total returns the ballot of cell x (before keys).
func (b *ballots) total(x int32) *Ballot { return &b.ballot[x] }

// keys sets each cell's key, and orders each position's cells by judge.
func (b *ballots) keys(ctx context.Context) error {
	// The cells of each judge, in position order (a counting sort).
	start := make([]int32, b.judges+1)
	for _, j := range b.judge {
		start[j+1]++
	}
	for j := range b.judges {
		start[j+1] += start[j]
	}
	byJudge := make([]int32, len(b.judge)) // cells
	pos := make([]int32, len(b.judge))     // each cell's position
	fill := slices.Clone(start[:b.judges])
	for p := range len(b.off) - 1 {
		for x := b.off[p]; x < b.off[p+1]; x++ {
			j := b.judge[x]
			byJudge[fill[j]] = x
			pos[x] = int32(p)
			fill[j]++
		}
	}
	b.key = make([]int64, len(b.judge))
	for j := range b.judges {
		if j%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		b.judgeKeys(ctx, byJudge[start[j]:start[j+1]])
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Each position's cells in judge order: visiting the judges in order
	// and appending each cell to its position keeps that order.
	judge := make([]int32, len(b.judge))
	key := make([]int64, len(b.key))
	fill = slices.Clone(b.off[:len(b.off)-1])
	for _, x := range byJudge {
		p := pos[x]
		judge[fill[p]], key[fill[p]] = b.judge[x], b.key[x]
		fill[p]++
	}
	b.judge, b.key, b.ballot = judge, key, nil
	return nil
}

// judgeKeys sets the keys of one judge's cells: the numerators of the
// judge's totals when every one is held inline over one denominator, else
// their places (equal totals share one) in the totals sorted exactly.
// Once ctx is done, the sort stops comparing (its comparisons answer 0)
// and the keys are meaningless: the caller checks ctx.
func (b *ballots) judgeKeys(ctx context.Context, cells []int32) {
	var den int64
	inline := true
	for _, x := range cells {
		n, d, ok := b.total(x).Total.Frac64()
		if !ok || (den != 0 && d != den) {
			inline = false
			break
		}
		b.key[x], den = n, d
	}
	if inline {
		return
	}
	total := b.total
	sorted := slices.Clone(cells)
	calls, done := 0, false
	slices.SortFunc(sorted, func(x, y int32) int {
		if calls++; calls%checkPositions == 0 && ctx.Err() != nil {
			done = true
		}
		if done {
			return 0
		}
		return total(x).Total.Cmp(total(y).Total)
	})
	place := int64(0)
	for k, x := range sorted {
		if k > 0 && total(x).Total.Cmp(total(sorted[k-1]).Total) != 0 {
			place++
		}
		b.key[x] = place
	}
}

// classes groups the positions by identical ballots: class[pos] is the
// class of each position, reps the first position of each class (classes
// numbered in order of first position), size the positions of each.
func (b *ballots) classes(ctx context.Context) (class, reps, size []int32, err error) {
	class = make([]int32, len(b.off)-1)
	ids := map[string]int32{}
	var buf []byte
	for p := range class {
		if p%checkPositions == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, nil, err
			}
		}
		buf = buf[:0]
		for x := b.off[p]; x < b.off[p+1]; x++ {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(b.judge[x]))
			buf = binary.LittleEndian.AppendUint64(buf, uint64(b.key[x]))
		}
		c, ok := ids[string(buf)]
		if !ok {
			c = int32(len(reps))
			ids[string(buf)] = c
			reps = append(reps, int32(p))
			size = append(size, 0)
		}
		class[p] = c
		size[c]++
	}
	return class, reps, size, nil
}

// classWins compares every pair of classes, given by their first
// positions reps and their sizes, and returns each class's wins: the
// number of entries in the classes it beats.
func (b *ballots) classWins(ctx context.Context, reps, size []int32) ([]int32, error) {
	k := len(reps)
	wins := make([]int32, k)
	if k < 2 {
		return wins, nil
	}
	// When every judge has a ballot of every class, as when each judge of
	// a stage scores each of its projects, the classes' keys are rows of
	// one matrix, compared column by column without matching judges.
	dense := true
	for _, p := range reps {
		if int(b.off[p+1]-b.off[p]) != b.judges {
			dense = false
			break
		}
	}
	var matrix []int64
	if dense {
		matrix = make([]int64, 0, k*b.judges)
		for _, p := range reps {
			matrix = append(matrix, b.key[b.off[p]:b.off[p+1]]...)
		}
	}
	// rows compares each class a in [lo, hi) with every class after it,
	// adding the wins to w; it stops with ctx.Err() once ctx is done.
	steps := 0
	rows := func(lo, hi int, w []int32, steps *int) error {
		nj := b.judges
		for a := lo; a < hi; a++ {
			pa := reps[a]
			ja, ka := b.judge[b.off[pa]:b.off[pa+1]], b.key[b.off[pa]:b.off[pa+1]]
			if dense {
				ka = matrix[a*nj : (a+1)*nj]
			}
			for c := a + 1; c < k; c++ {
				var verdict int
				if dense {
					verdict = preferDense(ka, matrix[c*nj:(c+1)*nj])
				} else {
					pc := reps[c]
					verdict = prefer(ja, ka, b.judge[b.off[pc]:b.off[pc+1]], b.key[b.off[pc]:b.off[pc+1]])
				}
				switch verdict {
				case 1:
					w[a] += size[c]
				case -1:
					w[c] += size[a]
				}
				if *steps += 2*len(ja) + 1; *steps >= checkEvery {
					*steps = 0
					if err := ctx.Err(); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), k/64)
	if workers < 2 {
		if err := rows(0, k, wins, &steps); err != nil {
			return nil, err
		}
		return wins, nil
	}
	// Several cores: rows are dealt out in small batches (a row's cost
	// falls as a grows), each core counts wins of its own, added up at
	// the end.
	const batch = 16
	var (
		mu     sync.Mutex
		next   int
		failed error
		wg     sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if failed != nil || next >= k {
			return 0, false
		}
		next += batch
		return next - batch, true
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]int32, k)
			steps := 0
			for {
				lo, ok := take()
				if !ok {
					break
				}
				if err := rows(lo, min(lo+batch, k), mine, &steps); err != nil {
					mu.Lock()
					failed = cmp.Or(failed, err)
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			for c, w := range mine {
				wins[c] += w
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failed != nil {
		return nil, failed
	}
	return wins, nil
}

// preferDense is prefer for two ballots of the same judges, in the same
// order: their keys.
func preferDense(ka, kb []int64) int {
	kb = kb[:len(ka)]
	first, second := 0, 0
	for x, v := range ka {
		w := kb[x]
		if v > w {
			first++
		}
		if v < w {
			second++
		}
	}
	return cmp.Compare(first, second)
}

// prefer compares two ballots, each its judges (ascending) and their keys:
// 1 when more of the judges common to both prefer the first, −1 when more
// prefer the second, 0 otherwise.
func prefer(ja []int32, ka []int64, jb []int32, kb []int64) int {
	first, second := 0, 0
	for x, y := 0, 0; x < len(ja) && y < len(jb); {
		switch {
		case ja[x] < jb[y]:
			x++
		case ja[x] > jb[y]:
			y++
		default:
			switch {
			case ka[x] > kb[y]:
				first++
			case ka[x] < kb[y]:
				second++
			}
			x++
			y++
		}
	}
	return cmp.Compare(first, second)
}
