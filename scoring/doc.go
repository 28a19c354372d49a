// Package scoring turns judges' scores into exact totals.
//
// A [Rubric] names the criteria a jury scores (social impact, economic
// impact, innovation...), each with a weight, a range and an optional step
// and threshold, and says how the scores of several judges are aggregated
// (mean, median, trimmed mean or z-score normalisation), how many judges a
// project needs, and how totals are rounded. [Rubric.Evaluate] takes the
// projects, the judges and their scores, identified by plain string IDs (the
// scores in a compact table, [Scores]), and returns a [Result]: for every project its exact total, its published
// (rounded) total and criterion aggregates, whether it is eligible and why
// not, plus the scores excluded for conflicts of interest.
//
// # Exactness
//
// No floating point is used. Scores are decimals; aggregates and totals are
// exact rational numbers ([exact.Num]), computed as
//
//	T(P) = total_max · Σ_c w'(c) · (a(P,c) − min_c) / (max_c − min_c)
//
// and rounded once, at the end, to the rubric's places and mode. The z-score
// method involves square roots: they are taken exactly when the ratio of
// variances is the square of a rational, and otherwise to 256 bits (more
// than 75 significant digits).
//
// The usual numbers take a path on machine integers. Every score of a
// criterion is scaled to an integer by one power of ten, and a project's
// total is an integer over the common denominator D·M (D that of the
// rubric's coefficients, M the least common multiple of the project's
// counts), every product and sum checked for overflow. A project whose
// numbers do not fit (scores of many digits, huge weights) is scored on
// [math/big.Rat] instead, with the same results; so are z-scores. Tests
// compare both paths on random rubrics and at the overflow boundary.
//
// Validation looks each distinct ID and value of the table up once, and
// spreads the scores, then the projects, over the machine's cores.
//
// A Result holds its numbers in columns: 8 bytes an aggregate when the
// rubric and the number of judges bound every one to a 32-bit numerator
// over a 16-bit denominator (as scores on a grid, averaged over fewer than
// a few thousand judges, are), else 16 (a 64-bit numerator over a 32-bit
// denominator), each with its count; and 20 a project (its exact total,
// its count of judges). A value that does not fit is held apart, exactly.
// It makes an [Outcome] when asked ([Result.Outcome],
// [Result.ReadOutcome]).
//
// # Concurrency
//
// A Rubric is read, never written, by Evaluate: one Rubric may be used by
// many goroutines at once. A Result is immutable once returned.
package scoring
