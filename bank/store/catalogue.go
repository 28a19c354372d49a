package store

import (
	"context"
	"errors"
	"io"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
)

// ErrNotEmpty is returned by ImportSnapshot for a catalogue that already
// holds something: a snapshot is imported whole, into an empty catalogue.
var ErrNotEmpty = errors.New("the catalogue is not empty")

// Catalogue is the project bank's catalogue: the ideas with their versions
// and history, the cooperatives, and the juries of the tour's stages.
// [Bank] keeps one in memory; package bank/store/sqlite keeps one in a
// SQLite database file. Both follow the rules written here, check the
// same things and return the same errors, so that a program may take
// either, and a snapshot moves from one to the other.
//
// Every method that changes something does it whole or not at all (in one
// transaction, in a database), checked against the catalogue as it is
// when the change is made. Every idea has a version, 1 when added and one
// more at each change; an update names the version it read, and a stale
// one is refused with a [*ConflictError]. Status changes follow the
// lifecycle of package bank, each recorded in the idea's history, which
// only grows. Errors are those this package names ([ErrNotFound],
// [ErrExists], [ErrLifecycle], [ErrNoActor], [ErrCursor], [ErrNotEmpty],
// [*ConflictError], [validation.Errors], [scoring.Problems],
// [*bank.TransitionError], [LineErrors]), wrapped: test them with
// [errors.Is] and [errors.As]. A method also fails with the error of its
// context, or of the database under it.
//
// Implementations are safe for concurrent use. The methods are those of
// [Bank], which documents each.
type Catalogue interface {
	// Add adds an idea submitted by by (see [Bank.Add]).
	Add(ctx context.Context, p bank.Project, by string) (Idea, error)
	// Get returns the idea id (see [Bank.Get]).
	Get(ctx context.Context, id string) (Idea, error)
	// Len returns the number of ideas.
	Len(ctx context.Context) (int, error)
	// Update replaces an idea at a version (see [Bank.Update]).
	Update(ctx context.Context, p bank.Project, version int64) (Idea, error)
	// Move changes an idea's status by one step (see [Bank.Move]).
	Move(ctx context.Context, id string, version int64, t bank.Transition) (Idea, error)
	// Ideas returns every idea in order (submission time, then ID).
	Ideas(ctx context.Context) ([]Idea, error)
	// Query returns a page of the ideas a query selects (see [Query]).
	Query(ctx context.Context, q Query) (Page, error)

	// AddCooperative adds a cooperative (see [Bank.AddCooperative]).
	AddCooperative(ctx context.Context, c bank.Cooperative) (Cooperative, error)
	// Cooperative returns the cooperative id (see [Bank.Cooperative]).
	Cooperative(ctx context.Context, id string) (Cooperative, error)
	// UpdateCooperative replaces a cooperative at a version (see
	// [Bank.UpdateCooperative]).
	UpdateCooperative(ctx context.Context, c bank.Cooperative, version int64) (Cooperative, error)
	// Cooperatives returns every cooperative, by ID.
	Cooperatives(ctx context.Context) ([]Cooperative, error)

	// SetJudges sets the judges of a stage (see [Bank.SetJudges]).
	SetJudges(ctx context.Context, stage int, judges []bank.Judge) error
	// AddScores adds scores to a stage's jury (see [Bank.AddScores]).
	AddScores(ctx context.Context, stage int, scores []scoring.Score) (int, error)
	// Jury returns the jury of a stage (see [Bank.Jury]).
	Jury(ctx context.Context, stage int) (Jury, error)
	// Dataset returns the dataset of a stage (see [Bank.Dataset]).
	Dataset(ctx context.Context, stage int, rules *afkar.Dataset) (*afkar.Dataset, error)
	// ApplyResult records a stage's result (see [Bank.ApplyResult]).
	ApplyResult(ctx context.Context, res *afkar.Result, a Apply) (Applied, error)

	// WriteSnapshot writes the whole catalogue as a snapshot, as it is at
	// one instant (see [SnapshotFormat]).
	WriteSnapshot(ctx context.Context, w io.Writer) error
	// ImportSnapshot reads a snapshot into the catalogue, which must be
	// empty ([ErrNotEmpty] otherwise), keeping the versions and histories
	// it holds. It is as strict as [ReadSnapshot], and all or nothing.
	ImportSnapshot(ctx context.Context, r io.Reader) error
	// ExportIdeasCSV writes every idea as CSV (see [Bank.ExportIdeasCSV]).
	ExportIdeasCSV(ctx context.Context, w io.Writer) error
	// ExportCooperativesCSV writes every cooperative as CSV.
	ExportCooperativesCSV(ctx context.Context, w io.Writer) error
	// ImportIdeasCSV adds the ideas of a CSV file, all or nothing (see
	// [Bank.ImportIdeasCSV]).
	ImportIdeasCSV(ctx context.Context, r io.Reader, by string) (int, error)
	// ImportCooperativesCSV adds the cooperatives of a CSV file, all or
	// nothing.
	ImportCooperativesCSV(ctx context.Context, r io.Reader) (int, error)
}

var _ Catalogue = (*Bank)(nil)
