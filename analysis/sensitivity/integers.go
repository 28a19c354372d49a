package sensitivity

import "math/big"

// integers holds the model's N(P,c) as integers over one common
// denominator, so that a sample's totals are integer sums: the fast path
// of MonteCarlo. The results are the same as with rationals (the tests
// check it); only the arithmetic differs.
type integers struct {
	den  int64   // common denominator of every N(P,c)
	n    []int64 // N(P,c)·den, project by project, criterion by criterion
	maxN int64
	// The judges' own N, for head_to_head: per project, per judge slot and
	// criterion (−1: no counted score), over their own denominator.
	judgeDen  int64
	judgeN    [][]int64
	maxJudgeN int64
}

// denLimit bounds the common denominators of the fast path.
const denLimit = 1 << 62

// newIntegers returns the integer form of m's N(P,c), or nil when a
// common denominator or a numerator would not fit in 62 bits.
func newIntegers(m *Model) *integers {
	var all, judges []*big.Rat
	for _, p := range m.projects {
		all = append(all, p.norm...)
		for _, j := range p.judges {
			for _, n := range j.norm {
				if n != nil {
					judges = append(judges, n)
				}
			}
		}
	}
	den, ok := commonDenominator(all)
	if !ok {
		return nil
	}
	jden, ok := commonDenominator(judges)
	if !ok {
		return nil
	}
	f := &integers{den: den, judgeDen: jden}
	nc := len(m.criteria)
	f.n = make([]int64, 0, len(m.projects)*nc)
	for _, p := range m.projects {
		for _, x := range p.norm {
			v, ok := scaled(x, den)
			if !ok {
				return nil
			}
			f.n = append(f.n, v)
			f.maxN = max(f.maxN, v)
		}
	}
	if m.h2h {
		f.judgeN = make([][]int64, len(m.projects))
		for i, p := range m.projects {
			row := make([]int64, 0, len(p.judges)*nc)
			for _, j := range p.judges {
				for _, x := range j.norm {
					v := int64(-1)
					if x != nil {
						if v, ok = scaled(x, jden); !ok {
							return nil
						}
						f.maxJudgeN = max(f.maxJudgeN, v)
					}
					row = append(row, v)
				}
			}
			f.judgeN[i] = row
		}
	}
	return f
}

// commonDenominator returns the least common multiple of the denominators
// of xs, when it is at most denLimit.
func commonDenominator(xs []*big.Rat) (int64, bool) {
	d := big.NewInt(1)
	var g, q, r big.Int
	limit := big.NewInt(denLimit)
	for _, x := range xs {
		den := x.Denom()
		if r.Rem(d, den).Sign() == 0 {
			continue
		}
		g.GCD(nil, nil, d, den)
		d.Mul(d, q.Quo(den, &g))
		if d.Cmp(limit) > 0 {
			return 0, false
		}
	}
	return d.Int64(), true
}

// scaled returns x·den, an integer when den is a multiple of x's
// denominator, if it is in [0, denLimit].
func scaled(x *big.Rat, den int64) (int64, bool) {
	v := new(big.Int).Mul(x.Num(), big.NewInt(den))
	v.Quo(v, x.Denom())
	if v.Sign() < 0 || v.Cmp(big.NewInt(denLimit)) > 0 {
		return 0, false
	}
	return v.Int64(), true
}

// fits reports whether samples whose integer weights sum to at most
// maxSum can be ranked on the fast path: every total's numerator, times
// 10^places for rounding, and every denominator fit in an int64.
func (f *integers) fits(maxSum *big.Int, places int, h2h bool) bool {
	limit := new(big.Int).Lsh(big.NewInt(1), 62)
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	checks := [][]*big.Int{
		{big.NewInt(f.maxN), maxSum, pow},
		{big.NewInt(f.den), maxSum},
	}
	if h2h {
		checks = append(checks, []*big.Int{big.NewInt(f.maxJudgeN), maxSum}, []*big.Int{big.NewInt(f.judgeDen), maxSum})
	}
	for _, factors := range checks {
		p := big.NewInt(1)
		for _, x := range factors {
			p.Mul(p, x)
		}
		if p.Cmp(limit) > 0 {
			return false
		}
	}
	return true
}
