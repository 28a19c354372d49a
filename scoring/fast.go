package scoring

import (
	"math"
	"math/big"
	"math/bits"
	"slices"

	"github.com/afkarlab/afkar/exact"
)

// The int64 path.
//
// A project's aggregate on criterion c is A/(k·E) for an integer A (a sum
// of scaled scores) and count k, where E = 10^exp[c] is the criterion's
// scale. Its contribution coef(c)·(A/(k·E) − min) is then
//
//	K(c)·(A − L(c)·k) / (D·k)
//
// with D the least common denominator of every coef(c)/E(c), K(c) the
// integer coef(c)·D/E(c), and L(c) = min·E(c). The total is the sum of the
// contributions over the denominator D·M, M the least common multiple of
// the counts. All of it is integer arithmetic, checked for overflow: a
// project whose numbers do not fit takes the big.Rat path instead, with
// the same exact results.

// fastRubric holds the rubric's constants of the int64 path.
type fastRubric struct {
	scale []int64 // per criterion: E(c) = 10^exp[c]
	lo    []int64 // per criterion: L(c)
	k     []int64 // per criterion: K(c)
	d     int64   // D
}

// fastRubric returns the constants of the int64 path, or nil when they do
// not fit (or a criterion's scores are held as big integers).
func (e *evaluation) fastRubric() *fastRubric {
	res, s := e.res, e.res.scaled
	nc := res.ncrit
	f := &fastRubric{scale: make([]int64, nc), lo: make([]int64, nc), k: make([]int64, nc)}
	ks := make([]*big.Rat, nc)
	d := big.NewInt(1)
	var g, q big.Int
	for c := range nc {
		if s.wide[c] || s.exp[c] >= len(powers10) {
			return nil
		}
		f.scale[c] = powers10[s.exp[c]]
		ks[c] = new(big.Rat).Quo(res.coef[c], new(big.Rat).SetInt(s.denom[c]))
		den := ks[c].Denom()
		g.GCD(nil, nil, d, den)
		d.Mul(d, q.Quo(den, &g))
		lo := new(big.Rat).Mul(res.lo[c], new(big.Rat).SetInt(s.denom[c]))
		if !lo.IsInt() || !lo.Num().IsInt64() || lo.Num().Int64() == math.MinInt64 {
			return nil
		}
		f.lo[c] = lo.Num().Int64()
	}
	if !d.IsInt64() {
		return nil
	}
	f.d = d.Int64()
	for c := range nc {
		k := new(big.Int).Mul(ks[c].Num(), q.Quo(d, ks[c].Denom()))
		if !k.IsInt64() || k.Int64() == math.MinInt64 {
			return nil
		}
		f.k[c] = k.Int64()
	}
	return f
}

// fastValues sets the aggregates, contributions and total of a project,
// whose counted scores ps holds, on int64s, using buf as scratch space. It
// reports false, leaving o to be overwritten, when a number does not fit.
func (e *evaluation) fastValues(ps *projectScores, o *Outcome, trim int, buf []int64) (bool, []int64) {
	res, f := e.res, e.res.fast
	m := e.r.method()
	var total, lcm int64 = 0, 1 // the total is total/(D·lcm)
	defined := true
	for c := range res.ncrit {
		xs := ps.of[c]
		agg := &o.Criteria[c]
		if len(xs) == 0 || len(xs) <= 2*trim {
			agg.Value = exact.NullNum{}
			defined = false
			continue
		}
		buf = buf[:0]
		if res.scaled.ints != nil {
			for _, i := range xs {
				buf = append(buf, res.scaled.ints[i])
			}
		} else {
			nc, byValue := res.scaled.nc, res.scaled.byValue
			for _, v := range ps.values[c] {
				buf = append(buf, byValue[int(v)*nc+c])
			}
		}
		sum, n, ok := aggregateInt(buf, m, trim)
		if !ok {
			return false, buf
		}
		den, ok1 := mul(n, f.scale[c])
		lk, ok2 := mul(f.lo[c], n)
		diff, ok3 := add(sum, -lk)
		num, ok4 := mul(f.k[c], diff)
		// total/(D·lcm) + num/(D·n) over the new lcm.
		next, ok6 := mul(lcm/gcd(lcm, n), n)
		t1, ok7 := mul(total, next/lcm)
		t2, ok8 := mul(num, next/n)
		total, ok = add(t1, t2)
		if !(ok && ok1 && ok2 && ok3 && ok4 && ok6 && ok7 && ok8) {
			return false, buf
		}
		lcm = next
		agg.Value = valid(exact.Frac(sum, den))
	}
	o.Total, o.Rounded = exact.NullNum{}, exact.NullNum{}
	if defined {
		den, ok := mul(f.d, lcm)
		if !ok {
			return false, buf
		}
		o.Total = valid(exact.Frac(total, den))
		o.Rounded = valid(o.Total.Num.Round(e.places, e.mode))
	}
	return true, buf
}

// ballot returns Σ coef(c)·(s − min(c)) over one judge's counted scores xs
// (indices in Input.Scores) of values vs (indices in the table) and
// criteria cs, on int64s; ok is false when f is nil or a number does not
// fit.
func (f *fastRubric) ballot(s *scaledScores, cs []int, xs, vs []int32) (exact.Num, bool) {
	if f == nil {
		return exact.Num{}, false
	}
	var total int64
	for i, x := range xs {
		c := cs[i]
		diff, ok1 := add(s.at(x, vs[i], c), -f.lo[c])
		v, ok2 := mul(f.k[c], diff)
		t, ok3 := add(total, v)
		if !(ok1 && ok2 && ok3) {
			return exact.Num{}, false
		}
		total = t
	}
	return exact.Frac(total, f.d), true
}

// aggregateInt returns the aggregate of vs by method m as sum/n; it may
// reorder vs, and ok is false when the sum overflows.
func aggregateInt(vs []int64, m Method, trim int) (sum, n int64, ok bool) {
	lo, hi := 0, len(vs)
	switch m {
	case Median:
		slices.Sort(vs)
		mid := len(vs) / 2
		if len(vs)%2 == 1 {
			return vs[mid], 1, true
		}
		lo, hi = mid-1, mid+1
	case TrimmedMean:
		slices.Sort(vs)
		lo, hi = trim, len(vs)-trim
	}
	for _, v := range vs[lo:hi] {
		if sum, ok = add(sum, v); !ok {
			return 0, 0, false
		}
	}
	return sum, int64(hi - lo), true
}

// mul returns a·b, and false if it does not fit in an int64 other than
// math.MinInt64 (which exact.Num keeps out of its inline form).
func mul(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(absInt(a), absInt(b))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

// add returns a+b, and false if it does not fit in an int64 other than
// math.MinInt64.
func add(a, b int64) (int64, bool) {
	c := a + b
	if (c > a) != (b > 0) || c == math.MinInt64 {
		return 0, false
	}
	return c, true
}

func absInt(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Exact returns package exact's rounding mode for m; the empty mode is
// HalfUp.
func (m RoundingMode) Exact() exact.Mode {
	switch m {
	case HalfEven:
		return exact.HalfEven
	case Down:
		return exact.Down
	}
	return exact.HalfUp
}
