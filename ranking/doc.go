// Package ranking orders scored projects: by total, then by a published
// chain of tie-break rules, and gives them ranks in one of five styles,
// overall and within groups, and selects the top of each group.
//
// It knows nothing of rubrics or datasets: an [Entry] is an ID with exact
// values ([math/big.Rat]) to compare. To tie on published (rounded)
// totals, give it rounded totals; to tie on exact totals, exact ones.
//
// [Order] sorts by total, highest first. Projects with equal totals form a
// tied set, which the rules of [Config.TieBreak] split in turn: each rule
// orders only the projects still tied after the rules before it. Projects
// still tied after the last rule share a rank and keep their input order.
// Every comparison ends in a deterministic key (input position), so the
// result never depends on sort stability or map order.
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
// # Concurrency
//
// Order reads its arguments and writes only its result: it may run in many
// goroutines at once.
package ranking
