// Package afkar scores and ranks the project ideas of an ideathon exactly
// and in the open, as the cooperative project bank's "Afkar" tour needs:
// twelve regional stages where a jury scores cooperative projects on their
// social and economic impact, innovation, territorial and sustainable
// impact, and youth empowerment, and rewards the best.
//
// The pipeline, as SPEC.md (format afkar/1) defines it:
//
//  1. A [Dataset] holds a rubric (criteria, weights, ranges, aggregation,
//     rounding), ranking rules, projects, judges and scores. [Decode] reads
//     one from JSON strictly: unknown or duplicate keys, malformed decimals,
//     and every rule of the format are reported together, each at its JSON
//     path.
//
//  2. [Evaluate] validates it, then package [scoring] excludes conflicted
//     scores (a judge's declared conflicts, or a judge and a project of the
//     same cooperative), aggregates each project's counted scores per
//     criterion, and computes the exact total
//
//     T(P) = total_max · Σ_c w'(c) · (a(P,c) − min_c) / (max_c − min_c)
//
//     rounded once, at the end. No float64 is used anywhere on that path.
//
//  3. Package [ranking] orders eligible projects by total, splits ties with
//     the published tie-break chain (criterion:<id>, head_to_head,
//     submitted_at, id, lottery:<seed>), assigns ranks in one of five styles,
//     overall and per group, and selects the top of each group.
//
//  4. The [Result] says, for every project, its rank, total, criterion
//     aggregates, eligibility and why not, and what decided its place
//     (decided_by); its JSON is the afkar-result/1 format, with a digest of
//     the input so that anyone can check which data it came from. It holds
//     each project's line in columns (some 130 bytes at five criteria),
//     and makes a [ProjectResult] when asked ([Result.Project],
//     [Result.Projects]).
//
// Packages [scoring] and [ranking] can be used alone, with plain IDs; package
// [exact] holds their exact numbers; package [bank] holds the project-bank
// entities and Morocco's reference data (regions, the ideathon tour). The
// command afkar (cmd/afkar) ranks JSON or CSV datasets from the command
// line.
//
// # Scale
//
// Exactness costs little: scores are held in a compact table
// ([scoring.Scores]: two bytes a score when scores come grouped by
// project from a grid of values, as they do; 12 otherwise), the usual
// numbers are exact integers over common denominators rather than big
// rationals, and the work is spread over the machine's cores. A million projects scored by
// five judges on six criteria (30 million scores) are evaluated in memory
// in less time than the same pipeline in float64 on one core (0.57×, the
// digest included), allocating less (143 MB against 199); see
// BENCHMARKS.md.
package afkar
