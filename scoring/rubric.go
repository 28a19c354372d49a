package scoring

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// Method says how the counted scores of one project on one criterion are
// combined into its aggregate.
type Method string

// The aggregation methods. The empty Method means [Mean].
const (
	// Mean is the exact mean of the counted scores.
	Mean Method = "mean"
	// Median is the middle counted score, or the exact mean of the two
	// middle ones.
	Median Method = "median"
	// TrimmedMean drops the Trim lowest and Trim highest counted scores and
	// takes the exact mean of the rest. A project needs more than 2·Trim
	// scores on a criterion.
	TrimmedMean Method = "trimmed_mean"
	// ZScore rescales each judge's scores on a criterion to the mean and
	// population standard deviation of all counted scores on it, clamps them
	// to the criterion's range, and takes their mean.
	ZScore Method = "zscore"
)

// Methods lists the aggregation methods in the order SPEC.md names them.
func Methods() []Method { return []Method{Mean, Median, TrimmedMean, ZScore} }

// Aggregation says how judges' scores are combined.
// The zero Aggregation is the mean.
type Aggregation struct {
	Method Method // if empty, Mean
	Trim   int    // scores dropped at each end by TrimmedMean (≥ 1); checked, and ignored by other methods
}

// WeightMode says how criterion weights become effective weights.
type WeightMode string

// The weight modes. The empty WeightMode means [ExactWeights].
const (
	// ExactWeights uses the weights as they are; they must sum to exactly 1.
	ExactWeights WeightMode = "exact"
	// RelativeWeights divides each weight by the sum of all weights.
	RelativeWeights WeightMode = "relative"
)

// Scale is the range and step of the criteria that set none of their own.
// The zero Scale is 0 to 20 with no step.
type Scale struct {
	Min, Max decimal.Decimal // if both zero, 0 and 20
	Step     decimal.Decimal // if zero, any value in range is allowed
}

// Label is a criterion's display name: either one text for every language,
// under the key "", or texts by language tag ("ar", "fr", "en").
type Label map[string]string

// In returns the label in the language lang (a tag such as "fr" or "ar-MA"),
// falling back to English, then to the one text, then to fallback.
func (l Label) In(lang, fallback string) string {
	if len(lang) > 2 && (lang[2] == '-' || lang[2] == '_') {
		lang = lang[:2]
	}
	for _, k := range []string{lang, "en", ""} {
		if s, ok := l[k]; ok && s != "" {
			return s
		}
	}
	return fallback
}

// Criterion is one scored criterion of a rubric.
type Criterion struct {
	// ID names the criterion in scores: ^[a-z][a-z0-9_-]{0,31}$.
	ID string
	// Label is its display name; if empty, the ID.
	Label Label
	// Weight is its weight, ≥ 0. At least one criterion has a positive
	// weight.
	Weight decimal.Decimal
	// Min and Max bound the scores; Min < Max. If both are zero, they are
	// the rubric's Scale.
	Min, Max decimal.Decimal
	// Step, if positive, requires every score minus Min to be a whole
	// multiple of it. If zero, the criterion takes the Scale's step.
	Step decimal.Decimal
	// Threshold, if valid, is the least published aggregate an eligible
	// project may have on this criterion; it lies within [Min, Max].
	Threshold decimal.NullDecimal
}

// RoundingMode says which way a value halfway between two published values
// goes, or that values are truncated.
type RoundingMode string

// The rounding modes.
const (
	// HalfUp rounds halves away from zero: 2.345 → 2.35, −2.345 → −2.35.
	HalfUp RoundingMode = "half_up"
	// HalfEven rounds halves to the even neighbour: 2.345 → 2.34, 2.355 → 2.36.
	HalfEven RoundingMode = "half_even"
	// Down truncates toward zero: 2.349 → 2.34.
	Down RoundingMode = "down"
)

// Rounding says how published totals and aggregates are rounded.
// The zero Rounding means 2 places, half up: when Mode is empty, Places is
// ignored (and Validate reports a non-zero one).
type Rounding struct {
	Places int          // decimal places, 0 to 12
	Mode   RoundingMode // if empty, the whole Rounding is the default
}

// effective returns the places and mode in force.
func (r Rounding) effective() (int, RoundingMode) {
	if r.Mode == "" {
		return 2, HalfUp
	}
	return r.Places, r.Mode
}

// Rubric is what a jury scores and how scores become totals.
// Its zero-valued fields take the defaults their comments name; a Rubric
// needs at least one criterion.
type Rubric struct {
	Criteria    []Criterion
	Scale       Scale       // range of criteria that set none
	Weights     WeightMode  // if empty, ExactWeights
	Aggregation Aggregation // if zero, the mean
	// MinJudges is the least number of counted scores an eligible project
	// has on every criterion; if zero, 1.
	MinJudges int
	// TotalMax is the total of a project with every criterion at its
	// maximum; if zero, 100.
	TotalMax decimal.Decimal
	// TotalThreshold, if valid, is the least published total an eligible
	// project may have; it lies within [0, TotalMax].
	TotalThreshold decimal.NullDecimal
	Rounding       Rounding
}

var (
	hundred = decimal.NewFromInt(100)
	twenty  = decimal.NewFromInt(20)
)

// criterionRange returns the effective min, max and step of criterion i.
func (r *Rubric) criterionRange(c *Criterion) (lo, hi, step decimal.Decimal) {
	lo, hi, step = c.Min, c.Max, c.Step
	if lo.IsZero() && hi.IsZero() {
		lo, hi = r.Scale.Min, r.Scale.Max
		if lo.IsZero() && hi.IsZero() {
			hi = twenty
		}
	}
	if step.IsZero() {
		step = r.Scale.Step
	}
	return lo, hi, step
}

// Range returns the effective minimum, maximum and step (zero: none) of the
// criterion with the given index, after the Scale's defaults are applied.
func (r *Rubric) Range(i int) (lo, hi, step decimal.Decimal) {
	return r.criterionRange(&r.Criteria[i])
}

func (r *Rubric) method() Method {
	if r.Aggregation.Method == "" {
		return Mean
	}
	return r.Aggregation.Method
}

func (r *Rubric) minJudges() int { return max(r.MinJudges, 1) }

func (r *Rubric) totalMax() decimal.Decimal {
	if r.TotalMax.IsZero() {
		return hundred
	}
	return r.TotalMax
}

// Mode returns the rounding mode of published values.
func (r *Rubric) Mode() RoundingMode { _, m := r.Rounding.effective(); return m }

// Places returns the number of decimal places of published values.
func (r *Rubric) Places() int { p, _ := r.Rounding.effective(); return p }

// MaxCriteria is the most criteria a rubric may have.
const MaxCriteria = 64

// Validate reports every problem of the rubric, with paths relative to it
// (criteria[2].weight, rounding.mode). It returns nil or a [Problems].
func (r *Rubric) Validate() error {
	var ps Problems
	add := func(path string, code Code, params Params, format string, args ...any) {
		ps = append(ps, problemf(path, code, params, format, args...))
	}
	maxCriteria := strconv.Itoa(MaxCriteria)
	switch n := len(r.Criteria); {
	case n == 0:
		add("criteria", CodeCriteriaCount, Params{"count": "0", "max": maxCriteria},
			"expected 1 to %d criteria, found none", MaxCriteria)
	case n > MaxCriteria:
		add("criteria", CodeCriteriaCount, Params{"count": strconv.Itoa(n), "max": maxCriteria},
			"expected 1 to %d criteria, found %d", MaxCriteria, n)
	}
	if r.Scale.Min.Cmp(r.Scale.Max) >= 0 && !(r.Scale.Min.IsZero() && r.Scale.Max.IsZero()) {
		add("scale.max", CodeRangeOrder, Params{"min": r.Scale.Min.String(), "max": r.Scale.Max.String()},
			"min %s must be below max %s", r.Scale.Min, r.Scale.Max)
	}
	if r.Scale.Step.IsNegative() {
		add("scale.step", CodeStepNotPositive, Params{"value": r.Scale.Step.String()},
			"expected a step > 0, found %s", r.Scale.Step)
	}
	seen := make(map[string]int, len(r.Criteria))
	sum := decimal.Zero
	positive := false
	for i := range r.Criteria {
		c := &r.Criteria[i]
		at := fmt.Sprintf("criteria[%d]", i)
		// named adds the criterion's id to params, unless empty.
		named := func(params Params) Params {
			if c.ID != "" {
				params["criterion"] = c.ID
			}
			return params
		}
		if !validCriterionID(c.ID) {
			add(at+".id", CodeCriterionInvalidID, idParams(c.ID),
				"%q is not a criterion id (expected a lowercase letter, then up to 31 of a-z, 0-9, _ and -)", c.ID)
		} else if j, dup := seen[c.ID]; dup {
			add(at+".id", CodeCriterionDuplicate, Params{"criterion": c.ID, "first": fmt.Sprintf("criteria[%d]", j)},
				"duplicate criterion id %q (first at criteria[%d])", c.ID, j)
		} else {
			seen[c.ID] = i
		}
		if c.Weight.IsNegative() {
			add(at+".weight", CodeWeightNegative, named(Params{"value": c.Weight.String()}),
				"expected a weight >= 0, found %s", c.Weight)
		}
		sum = sum.Add(c.Weight)
		positive = positive || c.Weight.IsPositive()
		lo, hi, _ := r.criterionRange(c)
		if lo.Cmp(hi) >= 0 {
			add(at+".max", CodeRangeOrder, named(Params{"min": lo.String(), "max": hi.String()}),
				"min %s must be below max %s", lo, hi)
		}
		if c.Step.IsNegative() {
			add(at+".step", CodeStepNotPositive, named(Params{"value": c.Step.String()}),
				"expected a step > 0, found %s", c.Step)
		}
		if c.Threshold.Valid && (c.Threshold.Decimal.LessThan(lo) || c.Threshold.Decimal.GreaterThan(hi)) {
			add(at+".threshold", CodeThresholdRange,
				named(Params{"value": c.Threshold.Decimal.String(), "min": lo.String(), "max": hi.String()}),
				"%s is outside the criterion's range [%s, %s]", c.Threshold.Decimal, lo, hi)
		}
	}
	if len(r.Criteria) > 0 {
		switch {
		case !positive:
			add("criteria", CodeWeightsZero, nil, "at least one weight must be > 0, all are 0")
		case (r.Weights == "" || r.Weights == ExactWeights) && !sum.Equal(decimal.NewFromInt(1)):
			add("criteria", CodeWeightsSum, Params{"sum": sum.String()},
				"weights must sum to exactly 1 under \"exact\" weights, they sum to %s (set \"weights\": \"relative\" to divide each weight by their sum)", sum)
		}
	}
	// atLeastOne reports an integer field below 1.
	atLeastOne := func(path string, n int) {
		add(path, CodeIntegerRange, Params{"value": strconv.Itoa(n), "min": "1"}, "expected an integer >= 1, found %d", n)
	}
	switch r.Weights {
	case "", ExactWeights, RelativeWeights:
	default:
		add("weights", CodeEnumInvalid, Params{"found": string(r.Weights), "allowed": "exact, relative"},
			"expected one of exact, relative, found %q", r.Weights)
	}
	switch r.Aggregation.Method {
	case "", Mean, Median, ZScore:
		if r.Aggregation.Trim < 0 {
			atLeastOne("aggregation.trim", r.Aggregation.Trim)
		}
	case TrimmedMean:
		if r.Aggregation.Trim < 1 {
			if r.Aggregation.Trim == 0 {
				add("aggregation.trim", CodeTrimRequired, nil, "required by method \"trimmed_mean\" (an integer >= 1)")
			} else {
				atLeastOne("aggregation.trim", r.Aggregation.Trim)
			}
		}
	default:
		add("aggregation.method", CodeEnumInvalid,
			Params{"found": string(r.Aggregation.Method), "allowed": "mean, median, trimmed_mean, zscore"},
			"expected one of mean, median, trimmed_mean, zscore, found %q", r.Aggregation.Method)
	}
	if r.MinJudges < 0 {
		atLeastOne("min_judges", r.MinJudges)
	}
	if r.TotalMax.IsNegative() {
		add("total_max", CodeTotalMaxNotPositive, Params{"value": r.TotalMax.String()},
			"expected a decimal > 0, found %s", r.TotalMax)
	}
	if t := r.TotalThreshold; t.Valid && (t.Decimal.IsNegative() || t.Decimal.GreaterThan(r.totalMax())) {
		add("total_threshold", CodeTotalThresholdRange, Params{"value": t.Decimal.String(), "max": r.totalMax().String()},
			"%s is outside [0, total_max %s]", t.Decimal, r.totalMax())
	}
	switch r.Rounding.Mode {
	case "":
		if r.Rounding.Places != 0 {
			add("rounding.mode", CodeRoundingModeMissing, Params{"places": strconv.Itoa(r.Rounding.Places)},
				"places %d given without a mode (expected half_up, half_even or down)", r.Rounding.Places)
		}
	case HalfUp, HalfEven, Down:
		if r.Rounding.Places < 0 || r.Rounding.Places > 12 {
			add("rounding.places", CodeIntegerRange, Params{"value": strconv.Itoa(r.Rounding.Places), "min": "0", "max": "12"},
				"expected an integer 0 to 12, found %d", r.Rounding.Places)
		}
	default:
		add("rounding.mode", CodeEnumInvalid, Params{"found": string(r.Rounding.Mode), "allowed": "half_up, half_even, down"},
			"expected one of half_up, half_even, down, found %q", r.Rounding.Mode)
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Index returns the index of the criterion with the given id, or -1.
func (r *Rubric) Index(id string) int {
	for i := range r.Criteria {
		if r.Criteria[i].ID == id {
			return i
		}
	}
	return -1
}
