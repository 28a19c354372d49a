// Package ranking orders scored projects: by total, then by a published
// chain of tie-break rules, and gives them ranks in one of five styles,
// overall and within groups, and selects the top of each group.
//
// It knows nothing of rubrics or datasets: an [Entry] is an ID with exact
// values ([exact.Num]) to compare. To tie on published (rounded)
// totals, give it rounded totals; to tie on exact totals, exact ones.
// Values held over one denominator, as published ones are, are compared
// as int64 keys.
//
// A caller that keeps its projects in its own form, in columns say, gives
// them to [OrderTable] through a [Table] instead of making an Entry each,
// and reads the standings from an [Ordering], which holds them in a few
// bytes a project: package afkar ranks a million projects this way.
// [Order] is OrderTable over a slice of entries.
//
// [Order] sorts by total, highest first. Projects with equal totals form a
// tied set, which the rules of [Config.TieBreak] split in turn: each rule
// orders only the projects still tied after the rules before it. Projects
// still tied after the last rule share a rank and keep their input order.
// Every comparison ends in a deterministic key (input position), so the
// result never depends on sort stability or map order. Without
// head_to_head, whose verdicts depend on the tied set, every rule compares
// two entries on their own: the order is then one sort on the whole key,
// and a group's order the overall order restricted to the group, which
// gives the same standings.
//
// The rules ([Rule]):
//
//	criterion:<id>   the higher value on that criterion first
//	head_to_head     more wins inside the tied set first: P beats Q when more
//	                 judges' own totals prefer P than prefer Q
//	submitted_at     the earlier instant first; none comes last
//	id               the smaller ID first, comparing bytes
//	lottery:<seed>   the smaller SHA-256 of "<seed>:<id>" first
//
// head_to_head compares pairs inside a tied set, work that can grow with
// the square of its size. Projects with identical ballots tie each other
// and fare alike against the rest, so they are counted once: an
// equal-score flood costs linear work. Each judge's totals are compared as
// int64 keys (numerators over the judge's one denominator, or places in
// the totals sorted exactly when they have none), and
// [Config.MaxHeadToHeadPairs] bounds the pairs of distinct ballots
// compared. [OrderContext] gives up when its context is done.
//
// # Concurrency
//
// Order reads its arguments and writes only its result: it may run in many
// goroutines at once. head_to_head shares a large tied set's pairs among
// the cores.
package ranking
