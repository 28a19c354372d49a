// Package tour links the regional stages of an ideathon tour into one
// verifiable ledger (docs/tour.md, format afkar-tour/1): a [Tour] lists the
// stages, each with its dataset file and the digests of that dataset and of
// its result, the [Rule] by which projects advance to the final stage, and
// the projects that advanced.
//
// [Build] evaluates every stage, seals the tour (fills in the digests and
// the advanced projects) and returns the final stage's dataset skeleton:
// the advanced projects, with the first stage's rubric and ranking rules,
// and no scores yet. [Verify] does the same work again from the files and
// lists every place where the tour does not match them, the first first:
// a file that cannot be read, a dataset or result digest, an advanced
// project.
//
// Advancement is exact: a project's place in its stage is its rank in the
// stage's [afkar.Result], and wildcards are ordered by published total
// (compared exactly, as decimals), then stage rank, then project id. A cut
// that only a lottery or an id decided is reported as a [Tie].
//
// Files are read through an [io/fs.FS], so that a tour can be verified
// from a folder (os.DirFS), from memory, or in a browser.
package tour
