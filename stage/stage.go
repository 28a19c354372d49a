// Package stage holds the domain of the stage server (afkar serve): the
// stages of an ideathon tour, the people who run and judge them, the
// assignment of jurors to ideas, the jurors' score sheets as they sync
// from their phones, and the sealed results.
//
// The types here are plain data; [Store] says what a store of them must
// do, and what it must refuse. Package stage/sqlite implements it on a
// SQLite database; package stage/http serves it over HTTP with accounts,
// sessions and roles. [Assign] computes an assignment and is pure.
//
// The package has no mutable state; every function is safe for
// concurrent use.
package stage

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/afkarlab/afkar/scoring"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	// RoleAdmin manages accounts and may do anything an organiser of every
	// stage may do.
	RoleAdmin Role = "admin"
	// RoleOrganiser runs one stage (User.Stage) or every stage (User.Stage
	// zero): its ideas, jurors, codes, assignment, live view and
	// publication. Only organisers see personal data, of their stages.
	RoleOrganiser Role = "organiser"
	// RoleJuror scores the ideas assigned to one judge of one stage. A
	// juror account is made when a code the organiser issued is redeemed.
	RoleJuror Role = "juror"
	// RoleObserver watches one stage or every stage (progress, live
	// ranking, results), without personal data and without changing
	// anything.
	RoleObserver Role = "observer"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleOrganiser, RoleJuror, RoleObserver:
		return true
	}
	return false
}

// User is an account. Admins, organisers and observers log in with a
// password; jurors with a one-time code.
type User struct {
	ID    int64  `json:"id"`
	Login string `json:"login"` // unique; for a juror, "juror:<stage>:<judge>"
	Name  string `json:"name"`  // the person's name: personal data
	Role  Role   `json:"role"`
	// Stage is the stage an organiser, observer or juror belongs to; zero
	// means every stage (never for a juror).
	Stage int64 `json:"stage,omitempty"`
	// Judge is a juror's judge ID in its stage; empty for other roles.
	Judge string `json:"judge,omitempty"`
	// PasswordHash is the argon2id hash of the password in PHC form;
	// empty for jurors, who have none.
	PasswordHash string `json:"-"`
	// Disabled users cannot log in, and their sessions stop working.
	Disabled bool `json:"disabled,omitempty"`
}

// Organises reports whether u may run stage id: an admin, or an organiser
// of that stage or of every stage.
func (u *User) Organises(id int64) bool {
	return u.Role == RoleAdmin || u.Role == RoleOrganiser && (u.Stage == 0 || u.Stage == id)
}

// Observes reports whether u may watch stage id (progress, live ranking,
// audit, results): whoever organises it, and its observers.
func (u *User) Observes(id int64) bool {
	return u.Organises(id) || u.Role == RoleObserver && (u.Stage == 0 || u.Stage == id)
}

// Judges reports whether u is the juror of judge in stage id.
func (u *User) Judges(id int64, judge string) bool {
	return u.Role == RoleJuror && u.Stage == id && u.Judge == judge
}

// Actor is who makes a change, as the audit log records it.
type Actor struct {
	UserID int64
	Login  string
}

// Stage is one stage of the tour as the server runs it.
type Stage struct {
	ID int64 `json:"id"`
	// Slug names the stage in public addresses (/s/<slug>): 1 to 64 of
	// a-z, 0-9 and -, starting with a letter or digit.
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Region string `json:"region,omitempty"` // a region code, such as "souss-massa"
	Date   string `json:"date,omitempty"`   // YYYY-MM-DD; empty means not set
	// Rules is an afkar/1 dataset holding the rubric and the ranking rules
	// (its projects, judges and scores, if any, are ignored), as the
	// library writes it.
	Rules []byte `json:"rules"`
	// JurorsPerIdea is k, how many jurors each idea gets (at least 1).
	JurorsPerIdea int `json:"jurors_per_idea"`
	// CapPerJuror is the most ideas a juror gets; zero means no cap.
	CapPerJuror int `json:"cap_per_juror"`
	// Seed is the published seed that makes the assignment deterministic.
	Seed string `json:"seed"`
	// Published is the latest result version; zero means not published.
	// Once published, every change needs a reason and seals a new version.
	Published int       `json:"published"`
	CreatedAt time.Time `json:"created_at"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// ValidSlug reports whether s is a stage slug.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// Carrier is who brings an idea: personal data, shown only to the
// organisers of its stage and left out of every public export (Morocco's
// law 09-08 on the protection of personal data).
type Carrier struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Idea is a project idea pitched at a stage.
type Idea struct {
	ID          string            `json:"id"` // a project ID, unique in its stage
	Title       string            `json:"title,omitempty"`
	Summary     string            `json:"summary,omitempty"`
	Region      string            `json:"region,omitempty"`
	Sector      string            `json:"sector,omitempty"`
	Cooperative string            `json:"cooperative,omitempty"`
	Attributes  map[string]string `json:"attributes,omitempty"`
	// Carrier is personal data; nil means none given, and it is nil in
	// whatever a juror, an observer or the public sees.
	Carrier *Carrier `json:"carrier,omitempty"`
	// SubmittedAt is set by the server when the idea is added; it may
	// break ties (submitted_at) and no client sets it.
	SubmittedAt time.Time `json:"submitted_at"`
}

// Juror is a judge of a stage, as the dataset lists it, and whether the
// judge dropped out.
type Juror struct {
	ID          string   `json:"id"`             // a judge ID, unique in its stage
	Name        string   `json:"name,omitempty"` // personal data, never in a dataset
	Cooperative string   `json:"cooperative,omitempty"`
	Conflicts   []string `json:"conflicts,omitempty"` // idea IDs
	Abstains    []string `json:"abstains,omitempty"`  // idea IDs
	// Dropped jurors get no new ideas; the scores they gave stay.
	Dropped bool `json:"dropped,omitempty"`
}

// Code is a one-time code that lets a juror in. Only its hash is stored.
type Code struct {
	ID        int64      `json:"id"`
	Stage     int64      `json:"stage"`
	Judge     string     `json:"judge"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Session is a logged-in browser. Only the hash of its token is stored.
type Session struct {
	Hash   string // hex SHA-256 of the cookie's token
	UserID int64
	CSRF   string // the token every change must carry
	// CodeID is the one-time code a juror's session came from; revoking
	// the code ends the session. Zero for password logins.
	CodeID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Sheet is a juror's score sheet as the server holds it.
type Sheet struct {
	Stage int64  `json:"stage"`
	Judge string `json:"judge"`
	// Version is the sheet's version; zero before the first sync. Each
	// accepted sync sets it to the sheet's seq, and each change an
	// organiser makes adds one.
	Version    int             `json:"version"`
	DeviceTime time.Time       `json:"device_time,omitzero"`
	SignedOff  bool            `json:"signed_off"`
	Scores     []scoring.Score `json:"-"`
	UpdatedAt  time.Time       `json:"updated_at,omitzero"`
}

// Assignment is one juror given one idea.
type Assignment struct {
	Judge   string `json:"judge"`
	Project string `json:"project"`
	Round   int    `json:"round"` // the assignment run that made it, from 1
}

// Result is a sealed result of a stage: the dataset as ranked and the
// result, bytes as served.
type Result struct {
	Stage       int64     `json:"stage"`
	Version     int       `json:"version"`
	InputDigest string    `json:"input_digest"`
	Dataset     []byte    `json:"-"` // afkar/1, without personal data
	Result      []byte    `json:"-"` // afkar-result/1
	At          time.Time `json:"at"`
	By          string    `json:"by"`
	Reason      string    `json:"reason,omitempty"`
}

// Entry is a line of a stage's audit log.
type Entry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"`
	Reason string    `json:"reason,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Errors a caller tests with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrExists    = errors.New("already exists")
	ErrInvalid   = errors.New("invalid")
	ErrPublished = errors.New("the stage's result is published: the change needs a reason, and makes a new version")
	ErrSignedOff = errors.New("the sheet is signed off")
	ErrStarted   = errors.New("scoring has started: the rules are fixed")
	ErrCode      = errors.New("the code is unknown, used, expired or revoked")
	// ErrForbidden is a change that the actor may not make, whatever
	// the handler said: a sheet for another juror, a dropped juror's sync.
	ErrForbidden = errors.New("forbidden")
)

// DigestError refuses to publish a ranking other than the one the
// organiser saw: the stage's data changed since.
type DigestError struct {
	Want, Current string
}

// Error names both digests.
func (e *DigestError) Error() string {
	return fmt.Sprintf("the stage changed since the ranking %s (it now ranks as %s): rank it again and check before publishing", e.Want, e.Current)
}

// StaleError refuses a sheet built on a version that is no longer the
// server's; Current is the server's sheet, for the client to build on.
type StaleError struct {
	Base    int // the version the client built on
	Current Sheet
}

// Error says which version is stale.
func (e *StaleError) Error() string {
	return fmt.Sprintf("sheet version %d is stale: the server has version %d", e.Base, e.Current.Version)
}

// StageChangedError refuses a sheet made for another dataset of the
// stage (an idea or a juror was added since): the client loads the stage
// again and syncs once more.
type StageChangedError struct {
	Sheet, Current string // stage digests
}

// Error names both digests.
func (e *StageChangedError) Error() string {
	return fmt.Sprintf("the sheet was made for stage data %s, the stage now has %s: load it again", e.Sheet, e.Current)
}
