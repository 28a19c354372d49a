// Package scoring turns judges' scores into exact totals.
//
// A [Rubric] names the criteria a jury scores (social impact, economic
// impact, innovation...), each with a weight, a range and an optional step
// and threshold, and says how the scores of several judges are aggregated
// (mean, median, trimmed mean or z-score normalisation), how many judges a
// project needs, and how totals are rounded. [Rubric.Evaluate] takes the
// projects, the judges and their scores, identified by plain string IDs, and
// returns a [Result]: for every project its exact total, its published
// (rounded) total and criterion aggregates, whether it is eligible and why
// not, plus the scores excluded for conflicts of interest.
//
// # Exactness
//
// No floating point is used. Scores are decimals; aggregates and totals are
// exact rational numbers ([math/big.Rat]), computed as
//
//	T(P) = total_max · Σ_c w'(c) · (a(P,c) − min_c) / (max_c − min_c)
//
// and rounded once, at the end, to the rubric's places and mode. The z-score
// method involves square roots: they are taken exactly when the ratio of
// variances is the square of a rational, and otherwise to 256 bits (more
// than 75 significant digits).
//
// Internally the per-score work is done on integers: every score of a
// criterion is scaled to an integer by the same power of ten, so sums and
// sorts touch no big numbers; only the per-project aggregates and totals are
// rationals.
//
// # Concurrency
//
// A Rubric is read, never written, by Evaluate: one Rubric may be used by
// many goroutines at once. A Result is immutable once returned.
package scoring
