package stage

import (
	"context"
	"iter"
	"time"

	"github.com/afkarlab/afkar"
)

// Store keeps the stages, their people and their scores. Every method
// that changes something does it in one transaction, durable when it
// returns without error (a change is never visible before), and records
// it in the stage's audit log with the actor. A store checks what must
// hold whoever calls it: IDs and slugs unique, scores only from the
// sheet's juror on ideas assigned to that juror and within the rubric,
// events append-only, a published stage changed only with a reason and a
// new result version.
//
// Implementations are safe for concurrent use.
type Store interface {
	// CreateUser adds u, with its PasswordHash set (empty for jurors),
	// and returns it with its ID. An existing login is ErrExists.
	CreateUser(ctx context.Context, u User, by Actor) (User, error)
	// User returns the user with id, or ErrNotFound.
	User(ctx context.Context, id int64) (User, error)
	// UserByLogin returns the user with login, or ErrNotFound.
	UserByLogin(ctx context.Context, login string) (User, error)
	// Users lists every account by ID.
	Users(ctx context.Context) ([]User, error)

	// CreateSession stores s.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the unexpired session whose token hashes to hash,
	// and its user, or ErrNotFound (also for a disabled user).
	Session(ctx context.Context, hash string, now time.Time) (Session, User, error)
	// DeleteSession forgets a session; an unknown one is no error.
	DeleteSession(ctx context.Context, hash string) error

	// CreateCode stores a one-time code for judge of stage, by the hash
	// of its text, and returns it with its ID. The judge must be a juror
	// of the stage.
	CreateCode(ctx context.Context, c Code, hash string, by Actor) (Code, error)
	// RedeemCode uses the code whose text hashes to hash, once: it must be
	// unused, unrevoked and unexpired at now (else ErrCode). It returns
	// the juror's account, made on first use, and the code's ID.
	RedeemCode(ctx context.Context, hash string, now time.Time) (User, int64, error)
	// RevokeCode revokes code id of stage; its sessions end too.
	RevokeCode(ctx context.Context, stage, id int64, by Actor) error
	// Codes lists the codes of a stage, newest first.
	Codes(ctx context.Context, stage int64) ([]Code, error)

	// CreateStage adds s; its Rules must be a valid dataset's rubric and
	// ranking. An existing slug is ErrExists.
	CreateStage(ctx context.Context, s Stage, by Actor) (Stage, error)
	// Stage returns the stage with id, or ErrNotFound.
	Stage(ctx context.Context, id int64) (Stage, error)
	// StageBySlug returns the stage with slug, or ErrNotFound.
	StageBySlug(ctx context.Context, slug string) (Stage, error)
	// Stages lists every stage by ID.
	Stages(ctx context.Context) ([]Stage, error)

	// AddIdeas adds the ideas that next yields, in one transaction: all or
	// none, read one at a time (an import is never held whole). The
	// submission time is the store's clock, whatever the idea says. An
	// error from next, or a bad idea, is a problem: AddIdeas goes on
	// reading to report up to [MaxProblems] of them, then adds nothing
	// and returns them as afkar.Problems. After publication reason must
	// be given.
	AddIdeas(ctx context.Context, stage int64, next iter.Seq2[Idea, error], by Actor, reason string) (int, error)
	// Ideas lists a stage's ideas in dataset order (submission time, ID).
	Ideas(ctx context.Context, stage int64) ([]Idea, error)

	// PutJuror adds or replaces a juror of a stage (not its Dropped flag).
	PutJuror(ctx context.Context, stage int64, j Juror, by Actor, reason string) (Juror, error)
	// DropJuror marks a juror dropped out, with a reason; its sessions end.
	DropJuror(ctx context.Context, stage int64, judge string, by Actor, reason string) error
	// Jurors lists a stage's jurors by ID.
	Jurors(ctx context.Context, stage int64) ([]Juror, error)

	// Assign runs [Assign] on the stage as stored, with its k, cap and
	// seed, and records the plan in the same transaction.
	Assign(ctx context.Context, stage int64, by Actor) (Plan, error)
	// Assignments lists a stage's pairs, of one judge or (judge empty)
	// of every judge, by judge then project.
	Assignments(ctx context.Context, stage int64, judge string) ([]Assignment, error)

	// Sheet returns a juror's sheet; version zero when never synced.
	Sheet(ctx context.Context, stage int64, judge string) (Sheet, error)
	// Sync applies a juror's sheet (see [SyncRequest]).
	Sync(ctx context.Context, req SyncRequest) (SyncResult, error)
	// Withdraw withdraws a score for an organiser, with a reason; the
	// juror's sheet gets one version more, unless that would leave the
	// juror no version to send (CheckWithdraw: ErrInvalid).
	Withdraw(ctx context.Context, stage int64, judge, project, criterion string, by Actor, reason string) (Sheet, error)

	// Dataset returns the stage's dataset now: rules, ideas, jurors and
	// current scores, without personal data.
	Dataset(ctx context.Context, stage int64) (*afkar.Dataset, error)
	// StageDigest returns the stage digest (afkar.Dataset.StageDigest) of
	// the stage now: what a juror's sheet must name to be accepted.
	StageDigest(ctx context.Context, stage int64) (string, error)
	// Progress says how far the scoring is.
	Progress(ctx context.Context, stage int64) (Progress, error)

	// Publish ranks the stage and seals the result, when its input digest
	// is digest (the ranking the organiser saw); the check and the seal
	// are one transaction. A stage already published needs a reason.
	Publish(ctx context.Context, stage int64, digest string, by Actor, reason string) (Result, error)
	// Results lists a stage's sealed results, oldest first, without their
	// bytes.
	Results(ctx context.Context, stage int64) ([]Result, error)
	// Result returns a sealed result with its bytes; version zero means
	// the latest. ErrNotFound when there is none.
	Result(ctx context.Context, stage int64, version int) (Result, error)

	// Audit lists a stage's audit log, oldest first.
	Audit(ctx context.Context, stage int64) ([]Entry, error)
}

// MaxProblems bounds the problems a store reports for one change, as the
// library bounds those of a file: the first thousand say enough.
const MaxProblems = 1000

// SyncRequest is a juror's sheet uploaded from a phone.
type SyncRequest struct {
	Stage int64
	Judge string // the session's juror; the sheet must name this judge
	// Base is the server version the client built on (its If-Match).
	Base int
	// Sheet is the client's sheet: its Seq, larger than Base, becomes the
	// version; its Dataset must be the stage's current stage digest; its
	// scores are the juror's whole sheet.
	Sheet *afkar.Sheet
	By    Actor
}

// SyncResult says what a sync did.
type SyncResult struct {
	Sheet Sheet `json:"sheet"`
	// Duplicate is true when the same sheet was already applied (a
	// retried upload): nothing changed.
	Duplicate bool `json:"duplicate"`
	// Events is how many score events the sync recorded.
	Events int `json:"events"`
}

// Progress is how far a stage's scoring is.
type Progress struct {
	Criteria int             `json:"criteria"`
	Jurors   []JurorProgress `json:"jurors"`
	Ideas    []IdeaProgress  `json:"ideas"`
}

// JurorProgress is one juror's part: ideas assigned, scores expected
// (ideas × criteria) and given, signed off.
type JurorProgress struct {
	Judge     string    `json:"judge"`
	Dropped   bool      `json:"dropped,omitempty"`
	Ideas     int       `json:"ideas"`
	Expected  int       `json:"expected"`
	Given     int       `json:"given"`
	SignedOff bool      `json:"signed_off"`
	Version   int       `json:"version"`
	LastSync  time.Time `json:"last_sync,omitzero"`
}

// IdeaProgress is one idea's part: jurors assigned, scores expected and
// given.
type IdeaProgress struct {
	Project  string `json:"project"`
	Jurors   int    `json:"jurors"`
	Expected int    `json:"expected"`
	Given    int    `json:"given"`
}
