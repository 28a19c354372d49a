// Package memory implements [stage.Store] in memory: the same rules as
// stage/sqlite (the checks of package stage, and the constraints that
// the SQLite schema holds, kept here by hand), for tests and trials that
// need no file. Nothing survives the process: a stage that runs for real
// runs on stage/sqlite.
//
// Every method holds the store's lock for its whole work, so each change
// is atomic and isolated as a transaction is; a change that fails changes
// nothing. stage/storetest runs the same suite on both stores, and
// compares their transcripts of one scenario.
package memory

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/stage"
)

// Store is a stage.Store in memory. Create it with [New]; it is safe for
// concurrent use.
type Store struct {
	clock func() time.Time

	mu       sync.Mutex
	users    []stage.User // by ID − 1
	sessions map[string]stage.Session
	codes    []code        // by ID − 1
	stages   []*stageState // by ID − 1
	audit    []entry
}

var _ stage.Store = (*Store)(nil)

type code struct {
	stage.Code
	hash string
}

type entry struct {
	stage int64
	stage.Entry
}

type scoreKey struct{ project, criterion string }

type sheetState struct {
	version   int
	device    time.Time
	signedOff bool
	updated   time.Time
}

// event is a score event, kept append-only as the SQLite store keeps it.
type event struct {
	judge, project, criterion string
	value                     *decimal.Decimal // nil: withdrawn
	version                   int
	device, at                time.Time
	by                        int64
	reason                    string
}

// stageState is a stage and everything of it.
type stageState struct {
	st          stage.Stage
	ideas       []stage.Idea // in dataset order: submission time, then ID
	jurors      map[string]*stage.Juror
	assignments map[[2]string]int // judge, project → round
	sheets      map[string]*sheetState
	scores      map[string]map[scoreKey]decimal.Decimal // judge → scores
	events      []event
	results     []stage.Result
	digest      string // the stage digest; empty when it must be computed
}

// New returns an empty store. A nil clock means time.Now.
func New(clock func() time.Time) *Store {
	if clock == nil {
		clock = time.Now
	}
	return &Store{clock: clock, sessions: map[string]stage.Session{}}
}

func (s *Store) now() time.Time { return s.clock().UTC() }

// timeLayout is the SQLite store's, for the audit log's details.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func (s *Store) log(stageID int64, at time.Time, by stage.Actor, action, reason, detail string) {
	s.audit = append(s.audit, entry{stage: stageID, Entry: stage.Entry{ID: int64(len(s.audit) + 1), At: at, By: by.Login, Action: action, Reason: reason, Detail: detail}})
}

func (s *Store) stage(id int64) (*stageState, error) {
	if id < 1 || id > int64(len(s.stages)) {
		return nil, fmt.Errorf("stage %d: %w", id, stage.ErrNotFound)
	}
	return s.stages[id-1], nil
}

// CreateUser adds u, as the SQLite schema allows.
func (s *Store) CreateUser(ctx context.Context, u stage.User, by stage.Actor) (stage.User, error) {
	if !u.Role.Valid() {
		return stage.User{}, fmt.Errorf("%w: role %q (expected admin, organiser, juror or observer)", stage.ErrInvalid, u.Role)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.users {
		if o.Login == u.Login {
			return stage.User{}, fmt.Errorf("user %q: %w", u.Login, stage.ErrExists)
		}
	}
	bad := len(u.Login) < 1 || len(u.Login) > 128 ||
		(u.Role == stage.RoleJuror) != (u.Judge != "") ||
		u.Role == stage.RoleJuror && (u.Stage == 0 || u.PasswordHash != "") ||
		u.Role == stage.RoleAdmin && u.Stage != 0
	if !bad && u.Stage != 0 {
		st, err := s.stage(u.Stage)
		bad = err != nil
		if !bad && u.Judge != "" {
			_, known := st.jurors[u.Judge]
			bad = !known || slices.ContainsFunc(s.users, func(o stage.User) bool { return o.Stage == u.Stage && o.Judge == u.Judge })
		}
	}
	if bad {
		return stage.User{}, fmt.Errorf("%w: user %q: a constraint of the users table", stage.ErrInvalid, u.Login)
	}
	u.ID = int64(len(s.users) + 1)
	s.users = append(s.users, u)
	s.log(u.Stage, s.now(), by, "user.create", "", fmt.Sprintf("%s (%s)", u.Login, u.Role))
	return u, nil
}

// User returns the user with id.
func (s *Store) User(ctx context.Context, id int64) (stage.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id < 1 || id > int64(len(s.users)) {
		return stage.User{}, fmt.Errorf("user %d: %w", id, stage.ErrNotFound)
	}
	return s.users[id-1], nil
}

// UserByLogin returns the user with login.
func (s *Store) UserByLogin(ctx context.Context, login string) (stage.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.Login == login {
			return u, nil
		}
	}
	return stage.User{}, fmt.Errorf("user %q: %w", login, stage.ErrNotFound)
}

// Users lists every account by ID.
func (s *Store) Users(ctx context.Context) ([]stage.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.users), nil
}

// CreateSession stores a session, and forgets the expired ones.
func (s *Store) CreateSession(ctx context.Context, sess stage.Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	maps.DeleteFunc(s.sessions, func(_ string, o stage.Session) bool { return !o.ExpiresAt.After(now) })
	if _, ok := s.sessions[sess.Hash]; ok || sess.UserID < 1 || sess.UserID > int64(len(s.users)) {
		return fmt.Errorf("%w: session", stage.ErrInvalid)
	}
	s.sessions[sess.Hash] = sess
	return nil
}

// Session returns a live session and its user.
func (s *Store) Session(ctx context.Context, hash string, now time.Time) (stage.Session, stage.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[hash]
	if ok && sess.ExpiresAt.After(now) {
		u := s.users[sess.UserID-1]
		revoked := sess.CodeID != 0 && s.codes[sess.CodeID-1].RevokedAt != nil
		dropped := false
		if u.Judge != "" {
			dropped = s.stages[u.Stage-1].jurors[u.Judge].Dropped
		}
		if !u.Disabled && !revoked && !dropped {
			return sess, u, nil
		}
	}
	return stage.Session{}, stage.User{}, fmt.Errorf("session: %w", stage.ErrNotFound)
}

// DeleteSession forgets a session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, hash)
	return nil
}

// CreateCode stores a one-time code by its hash.
func (s *Store) CreateCode(ctx context.Context, c stage.Code, hash string, by stage.Actor) (stage.Code, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(c.Stage)
	var j *stage.Juror
	if err == nil {
		j = st.jurors[c.Judge]
	}
	if j == nil {
		return stage.Code{}, fmt.Errorf("juror %s of stage %d: %w", c.Judge, c.Stage, stage.ErrNotFound)
	}
	if j.Dropped {
		return stage.Code{}, fmt.Errorf("%w: juror %s dropped out", stage.ErrInvalid, c.Judge)
	}
	now := s.now()
	c.CreatedAt, c.UsedAt, c.RevokedAt = now, nil, nil
	if !c.ExpiresAt.After(now) || slices.ContainsFunc(s.codes, func(o code) bool { return o.hash == hash }) {
		return stage.Code{}, fmt.Errorf("%w: code: a constraint of the codes table", stage.ErrInvalid)
	}
	c.ID = int64(len(s.codes) + 1)
	s.codes = append(s.codes, code{Code: c, hash: hash})
	s.log(c.Stage, now, by, "code.issue", "", fmt.Sprintf("code %d for juror %s, expires %s", c.ID, c.Judge, c.ExpiresAt.UTC().Format(timeLayout)))
	return c, nil
}

// RedeemCode uses a code once and returns the juror's account.
func (s *Store) RedeemCode(ctx context.Context, hash string, now time.Time) (stage.User, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.codes, func(o code) bool { return o.hash == hash })
	if i < 0 {
		return stage.User{}, 0, stage.ErrCode
	}
	c := &s.codes[i]
	if c.UsedAt != nil || c.RevokedAt != nil || s.stages[c.Stage-1].jurors[c.Judge].Dropped || !c.ExpiresAt.After(now) {
		return stage.User{}, 0, stage.ErrCode
	}
	at := now.UTC()
	c.UsedAt = &at
	k := slices.IndexFunc(s.users, func(u stage.User) bool { return u.Stage == c.Stage && u.Judge == c.Judge })
	if k < 0 {
		s.users = append(s.users, stage.User{ID: int64(len(s.users) + 1), Login: fmt.Sprintf("juror:%d:%s", c.Stage, c.Judge), Role: stage.RoleJuror, Stage: c.Stage, Judge: c.Judge})
		k = len(s.users) - 1
	}
	u := s.users[k]
	s.log(c.Stage, at, stage.Actor{UserID: u.ID, Login: u.Login}, "code.redeem", "", fmt.Sprintf("code %d", c.ID))
	return u, c.ID, nil
}

// RevokeCode revokes a code and ends its sessions.
func (s *Store) RevokeCode(ctx context.Context, stageID, id int64, by stage.Actor) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id < 1 || id > int64(len(s.codes)) || s.codes[id-1].Stage != stageID || s.codes[id-1].RevokedAt != nil {
		return fmt.Errorf("code %d of stage %d, not revoked yet: %w", id, stageID, stage.ErrNotFound)
	}
	now := s.now()
	s.codes[id-1].RevokedAt = &now
	maps.DeleteFunc(s.sessions, func(_ string, o stage.Session) bool { return o.CodeID == id })
	s.log(stageID, now, by, "code.revoke", "", fmt.Sprintf("code %d", id))
	return nil
}

// Codes lists a stage's codes, newest first.
func (s *Store) Codes(ctx context.Context, stageID int64) ([]stage.Code, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []stage.Code{}
	for i := len(s.codes) - 1; i >= 0; i-- {
		if c := s.codes[i].Code; c.Stage == stageID {
			out = append(out, c)
		}
	}
	return out, nil
}

// CreateStage adds a stage, its rules checked and stored canonically.
func (s *Store) CreateStage(ctx context.Context, st stage.Stage, by stage.Actor) (stage.Stage, error) {
	if !stage.ValidSlug(st.Slug) {
		return stage.Stage{}, fmt.Errorf("%w: slug %q (expected 1 to 64 of a-z, 0-9 and -, starting with a letter or digit)", stage.ErrInvalid, st.Slug)
	}
	if strings.TrimSpace(st.Title) == "" || st.JurorsPerIdea < 1 || st.CapPerJuror < 0 || st.Seed == "" {
		return stage.Stage{}, fmt.Errorf("%w: a stage needs a title, jurors_per_idea ≥ 1, cap_per_juror ≥ 0 and a seed", stage.ErrInvalid)
	}
	_, canonical, err := stage.ParseRules(st.Rules)
	if err != nil {
		return stage.Stage{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.ContainsFunc(s.stages, func(o *stageState) bool { return o.st.Slug == st.Slug }) {
		return stage.Stage{}, fmt.Errorf("stage %q: %w", st.Slug, stage.ErrExists)
	}
	st.Rules, st.Published, st.CreatedAt = canonical, 0, s.now()
	st.ID = int64(len(s.stages) + 1)
	s.stages = append(s.stages, &stageState{st: st, jurors: map[string]*stage.Juror{}, assignments: map[[2]string]int{},
		sheets: map[string]*sheetState{}, scores: map[string]map[scoreKey]decimal.Decimal{}})
	s.log(st.ID, st.CreatedAt, by, "stage.create", "", fmt.Sprintf("%s: k=%d cap=%d seed=%q", st.Slug, st.JurorsPerIdea, st.CapPerJuror, st.Seed))
	return st, nil
}

// Stage returns the stage with id.
func (s *Store) Stage(ctx context.Context, id int64) (stage.Stage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(id)
	if err != nil {
		return stage.Stage{}, err
	}
	return st.st, nil
}

// StageBySlug returns the stage with slug.
func (s *Store) StageBySlug(ctx context.Context, slug string) (stage.Stage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.stages {
		if st.st.Slug == slug {
			return st.st, nil
		}
	}
	return stage.Stage{}, fmt.Errorf("stage %q: %w", slug, stage.ErrNotFound)
}

// Stages lists every stage by ID.
func (s *Store) Stages(ctx context.Context) ([]stage.Stage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]stage.Stage, len(s.stages))
	for i, st := range s.stages {
		out[i] = st.st
	}
	return out, nil
}

// change runs fn on a copy of the stage's state, when the stage exists,
// and keeps the copy when fn and, after publication, the new seal
// succeed: a failed change leaves the stage as it was. After publication
// a reason is needed.
func (s *Store) change(ctx context.Context, stageID int64, by stage.Actor, reason string, fn func(st *stageState, now time.Time) error) error {
	cur, err := s.stage(stageID)
	if err != nil {
		return err
	}
	if cur.st.Published > 0 && strings.TrimSpace(reason) == "" {
		return stage.ErrPublished
	}
	next := cur.clone()
	now := s.now()
	mark := len(s.audit)
	next.digest = ""
	if err := fn(next, now); err == nil && next.st.Published > 0 {
		err = s.reseal(ctx, next, now, by, reason)
		if err != nil {
			s.audit = s.audit[:mark]
			return err
		}
	} else if err != nil {
		s.audit = s.audit[:mark]
		return err
	}
	s.stages[stageID-1] = next
	return nil
}

// clone copies a stage's state deeply enough for change to edit the copy.
func (st *stageState) clone() *stageState {
	c := *st
	c.ideas = slices.Clone(st.ideas)
	c.jurors = make(map[string]*stage.Juror, len(st.jurors))
	for id, j := range st.jurors {
		jc := *j
		jc.Conflicts, jc.Abstains = slices.Clone(j.Conflicts), slices.Clone(j.Abstains)
		c.jurors[id] = &jc
	}
	c.assignments = maps.Clone(st.assignments)
	c.sheets = make(map[string]*sheetState, len(st.sheets))
	for j, sh := range st.sheets {
		shc := *sh
		c.sheets[j] = &shc
	}
	c.scores = make(map[string]map[scoreKey]decimal.Decimal, len(st.scores))
	for j, m := range st.scores {
		c.scores[j] = maps.Clone(m)
	}
	c.events = slices.Clip(st.events)
	c.results = slices.Clip(st.results)
	return &c
}

// AddIdeas adds ideas read one at a time, all or none.
func (s *Store) AddIdeas(ctx context.Context, stageID int64, next iter.Seq2[stage.Idea, error], by stage.Actor, reason string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	err := s.change(ctx, stageID, by, reason, func(st *stageState, now time.Time) error {
		have := map[string]bool{}
		for _, p := range st.ideas {
			have[p.ID] = true
		}
		var ps scoring.Problems
		var added []stage.Idea
		i := 0
		for p, err := range next {
			if err := ctx.Err(); err != nil {
				return err
			}
			at := fmt.Sprintf("ideas[%d]", i)
			i++
			if err != nil {
				var read scoring.Problems
				if errors.As(err, &read) {
					ps = append(ps, read...)
				} else {
					ps = append(ps, scoring.Problem{Path: at, Message: err.Error()})
				}
			} else if bad := stage.IdeaProblems(at, p); len(bad) > 0 {
				ps = append(ps, bad...)
			} else if len(ps) == 0 {
				if have[p.ID] {
					ps = append(ps, scoring.Problem{Path: at + ".id", Message: fmt.Sprintf("idea %s is already in stage %s", p.ID, st.st.Slug)})
				} else {
					have[p.ID] = true
					p.SubmittedAt = now
					p.Attributes = maps.Clone(p.Attributes)
					if len(p.Attributes) == 0 {
						p.Attributes = nil
					}
					if p.Carrier != nil {
						c := *p.Carrier
						p.Carrier = &c
						if c == (stage.Carrier{}) {
							p.Carrier = nil
						}
					}
					added = append(added, p)
				}
			}
			if len(ps) >= stage.MaxProblems {
				ps = append(ps[:stage.MaxProblems], scoring.Problem{Path: "$", Message: fmt.Sprintf("more than %d problems: the first %d are listed, the rest was not read", stage.MaxProblems, stage.MaxProblems)})
				break
			}
		}
		if len(ps) > 0 {
			return ps
		}
		st.ideas = append(st.ideas, added...)
		slices.SortStableFunc(st.ideas, func(a, b stage.Idea) int {
			return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.ID, b.ID))
		})
		n = len(added)
		s.log(stageID, now, by, "ideas.add", reason, fmt.Sprintf("%d ideas", n))
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Ideas lists a stage's ideas in dataset order, with personal data.
func (s *Store) Ideas(ctx context.Context, stageID int64) ([]stage.Idea, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return []stage.Idea{}, nil // as a query over no rows
	}
	out := make([]stage.Idea, len(st.ideas))
	for i, p := range st.ideas {
		p.Attributes = maps.Clone(p.Attributes)
		if p.Carrier != nil {
			c := *p.Carrier
			p.Carrier = &c
		}
		out[i] = p
	}
	return out, nil
}

// PutJuror adds or replaces a juror.
func (s *Store) PutJuror(ctx context.Context, stageID int64, j stage.Juror, by stage.Actor, reason string) (stage.Juror, error) {
	if !scoring.ValidID(j.ID) {
		return stage.Juror{}, fmt.Errorf("%w: %q is not a judge id", stage.ErrInvalid, j.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.change(ctx, stageID, by, reason, func(st *stageState, now time.Time) error {
		for _, list := range [][]string{j.Conflicts, j.Abstains} {
			for _, p := range list {
				if !slices.ContainsFunc(st.ideas, func(i stage.Idea) bool { return i.ID == p }) {
					return fmt.Errorf("%w: juror %s names idea %q, not in stage %s", stage.ErrInvalid, j.ID, p, st.st.Slug)
				}
			}
		}
		j.Conflicts, j.Abstains = slices.Clone(j.Conflicts), slices.Clone(j.Abstains)
		if len(j.Conflicts) == 0 {
			j.Conflicts = nil
		}
		if len(j.Abstains) == 0 {
			j.Abstains = nil
		}
		j.Dropped = false
		if old, ok := st.jurors[j.ID]; ok {
			j.Dropped = old.Dropped
		}
		jc := j
		st.jurors[j.ID] = &jc
		conflicts, _ := json.Marshal(nonNil(j.Conflicts))
		abstains, _ := json.Marshal(nonNil(j.Abstains))
		s.log(stageID, now, by, "juror.put", reason, fmt.Sprintf("%s cooperative=%q conflicts=%s abstains=%s", j.ID, j.Cooperative, conflicts, abstains))
		return nil
	})
	return j, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// DropJuror marks a juror dropped out; its sessions stop working.
func (s *Store) DropJuror(ctx context.Context, stageID int64, judge string, by stage.Actor, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("%w: a reason is needed to drop a juror", stage.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.change(ctx, stageID, by, reason, func(st *stageState, now time.Time) error {
		j, ok := st.jurors[judge]
		if !ok || j.Dropped {
			return fmt.Errorf("juror %s of stage %d, not dropped yet: %w", judge, stageID, stage.ErrNotFound)
		}
		j.Dropped = true
		s.log(stageID, now, by, "juror.drop", reason, judge)
		return nil
	})
}

// Jurors lists a stage's jurors by ID, with their names.
func (s *Store) Jurors(ctx context.Context, stageID int64) ([]stage.Juror, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return []stage.Juror{}, nil
	}
	return st.jurorList(), nil
}

func (st *stageState) jurorList() []stage.Juror {
	out := make([]stage.Juror, 0, len(st.jurors))
	for _, id := range slices.Sorted(maps.Keys(st.jurors)) {
		j := *st.jurors[id]
		j.Conflicts, j.Abstains = slices.Clone(j.Conflicts), slices.Clone(j.Abstains)
		out = append(out, j)
	}
	return out
}

// assignmentList is the stage's pairs, of judge or (judge empty) of all,
// by judge then project.
func (st *stageState) assignmentList(judge string) []stage.Assignment {
	out := []stage.Assignment{}
	for k, round := range st.assignments {
		if judge == "" || k[0] == judge {
			out = append(out, stage.Assignment{Judge: k[0], Project: k[1], Round: round})
		}
	}
	slices.SortFunc(out, func(a, b stage.Assignment) int {
		return cmp.Or(strings.Compare(a.Judge, b.Judge), strings.Compare(a.Project, b.Project))
	})
	return out
}

// Assign runs stage.Assign on the stage and records the plan.
func (s *Store) Assign(ctx context.Context, stageID int64, by stage.Actor) (stage.Plan, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return stage.Plan{}, err
	}
	if st.st.Published > 0 {
		return stage.Plan{}, stage.ErrPublished
	}
	rules, _, err := stage.ParseRules(st.st.Rules)
	if err != nil {
		return stage.Plan{}, err
	}
	criteria := len(rules.Rubric.Criteria)
	given := func(j, p string) int {
		n := 0
		for k := range st.scores[j] {
			if k.project == p {
				n++
			}
		}
		return n
	}
	plan := stage.Assign(stage.AssignInput{
		Ideas: slices.Clone(st.ideas), Jurors: st.jurorList(), K: st.st.JurorsPerIdea, Cap: st.st.CapPerJuror, Seed: st.st.Seed,
		Existing: st.assignmentList(""),
		Scored:   func(j, p string) bool { return given(j, p) > 0 },
		Complete: func(j, p string) bool { return given(j, p) >= criteria },
	})
	for _, a := range plan.Drop {
		delete(st.assignments, [2]string{a.Judge, a.Project})
	}
	for _, a := range plan.Add {
		st.assignments[[2]string{a.Judge, a.Project}] = a.Round
	}
	s.log(stageID, s.now(), by, "assignment.run", "",
		fmt.Sprintf("seed=%q k=%d cap=%d: %d kept, %d added, %d dropped, %d ideas short", st.st.Seed, st.st.JurorsPerIdea, st.st.CapPerJuror, len(plan.Keep), len(plan.Add), len(plan.Drop), len(plan.Short)))
	return plan, nil
}

// Assignments lists a stage's pairs by judge then project.
func (s *Store) Assignments(ctx context.Context, stageID int64, judge string) ([]stage.Assignment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return []stage.Assignment{}, nil
	}
	return st.assignmentList(judge), nil
}

// sheet is a juror's sheet as stored.
func (st *stageState) sheet(judge string) (stage.Sheet, error) {
	if _, ok := st.jurors[judge]; !ok {
		return stage.Sheet{}, fmt.Errorf("juror %s of stage %d: %w", judge, st.st.ID, stage.ErrNotFound)
	}
	sh := stage.Sheet{Stage: st.st.ID, Judge: judge, Scores: []scoring.Score{}}
	if ss, ok := st.sheets[judge]; ok {
		sh.Version, sh.DeviceTime, sh.SignedOff, sh.UpdatedAt = ss.version, ss.device, ss.signedOff, ss.updated
	}
	for _, k := range slices.SortedFunc(maps.Keys(st.scores[judge]), func(a, b scoreKey) int {
		return cmp.Or(strings.Compare(a.project, b.project), strings.Compare(a.criterion, b.criterion))
	}) {
		sh.Scores = append(sh.Scores, scoring.Score{Judge: judge, Project: k.project, Criterion: k.criterion, Value: st.scores[judge][k]})
	}
	return sh, nil
}

// Sheet returns a juror's sheet.
func (s *Store) Sheet(ctx context.Context, stageID int64, judge string) (stage.Sheet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return stage.Sheet{}, fmt.Errorf("juror %s of stage %d: %w", judge, stageID, stage.ErrNotFound)
	}
	return st.sheet(judge)
}

// stageDigest returns the stage digest, computed once per change.
func (st *stageState) stageDigest() (string, error) {
	if st.digest == "" {
		ds, err := st.dataset(false)
		if err != nil {
			return "", err
		}
		st.digest = ds.StageDigest()
	}
	return st.digest, nil
}

// StageDigest returns the stage digest a juror's sheet must name.
func (s *Store) StageDigest(ctx context.Context, stageID int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return "", err
	}
	return st.stageDigest()
}

// Sync applies a juror's whole sheet.
func (s *Store) Sync(ctx context.Context, req stage.SyncRequest) (stage.SyncResult, error) {
	if req.Sheet == nil {
		return stage.SyncResult{}, fmt.Errorf("%w: no sheet", stage.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(req.Stage)
	if err != nil {
		return stage.SyncResult{}, err
	}
	j, ok := st.jurors[req.Judge]
	if !ok {
		return stage.SyncResult{}, fmt.Errorf("juror %s of stage %d: %w", req.Judge, req.Stage, stage.ErrNotFound)
	}
	state := stage.SyncState{Published: st.st.Published > 0, Dropped: j.Dropped, Assigned: map[string]bool{}}
	if state.Current, err = st.sheet(req.Judge); err != nil {
		return stage.SyncResult{}, err
	}
	if state.Digest, err = st.stageDigest(); err != nil {
		return stage.SyncResult{}, err
	}
	if state.Rules, _, err = stage.ParseRules(st.st.Rules); err != nil {
		return stage.SyncResult{}, err
	}
	for _, a := range st.assignmentList(req.Judge) {
		state.Assigned[a.Project] = true
	}
	ch, err := stage.CheckSync(req, state)
	if err != nil {
		return stage.SyncResult{}, err
	}
	if ch.Duplicate {
		return stage.SyncResult{Sheet: state.Current, Duplicate: true}, nil
	}
	sh, now := req.Sheet, s.now()
	scores := st.scores[req.Judge]
	if scores == nil {
		scores = map[scoreKey]decimal.Decimal{}
		st.scores[req.Judge] = scores
	}
	for _, x := range ch.Set {
		v := x.Value
		st.events = append(st.events, event{judge: req.Judge, project: x.Project, criterion: x.Criterion, value: &v, version: sh.Seq, device: sh.Time, at: now, by: req.By.UserID})
		scores[scoreKey{x.Project, x.Criterion}] = canonical(v)
	}
	for _, x := range ch.Withdraw {
		st.events = append(st.events, event{judge: req.Judge, project: x.Project, criterion: x.Criterion, version: sh.Seq, device: sh.Time, at: now, by: req.By.UserID})
		delete(scores, scoreKey{x.Project, x.Criterion})
	}
	st.sheets[req.Judge] = &sheetState{version: sh.Seq, device: sh.Time.UTC(), signedOff: sh.SignedOff, updated: now}
	if sh.Time.IsZero() {
		st.sheets[req.Judge].device = time.Time{}
	}
	if sh.SignedOff {
		s.log(req.Stage, now, req.By, "sheet.sign_off", "", fmt.Sprintf("juror %s, version %d, %d scores", req.Judge, sh.Seq, len(sh.Scores)))
	}
	out, err := st.sheet(req.Judge)
	return stage.SyncResult{Sheet: out, Events: len(ch.Set) + len(ch.Withdraw)}, err
}

// canonical is v as the SQLite store reads it back: its shortest text.
func canonical(v decimal.Decimal) decimal.Decimal {
	d, err := decimal.NewFromString(v.String())
	if err != nil {
		return v
	}
	return d
}

// Withdraw withdraws one score for an organiser, with a reason.
func (s *Store) Withdraw(ctx context.Context, stageID int64, judge, project, criterion string, by stage.Actor, reason string) (stage.Sheet, error) {
	if strings.TrimSpace(reason) == "" {
		return stage.Sheet{}, fmt.Errorf("%w: withdrawing a juror's score needs a reason", stage.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out stage.Sheet
	err := s.change(ctx, stageID, by, reason, func(st *stageState, now time.Time) error {
		cur, err := st.sheet(judge)
		if err != nil {
			return err
		}
		k := scoreKey{project, criterion}
		if _, ok := st.scores[judge][k]; !ok {
			return fmt.Errorf("score of juror %s on %s, %s: %w", judge, project, criterion, stage.ErrNotFound)
		}
		if err := stage.CheckWithdraw(cur.Version); err != nil {
			return err
		}
		st.events = append(st.events, event{judge: judge, project: project, criterion: criterion, version: cur.Version + 1, at: now, by: by.UserID, reason: reason})
		delete(st.scores[judge], k)
		if ss, ok := st.sheets[judge]; ok {
			ss.version++
			ss.updated = now
		}
		s.log(stageID, now, by, "score.withdraw", reason, fmt.Sprintf("juror %s, idea %s, criterion %s", judge, project, criterion))
		out, err = st.sheet(judge)
		return err
	})
	return out, err
}

// dataset builds the stage's dataset, with or without its scores.
func (st *stageState) dataset(withScores bool) (*afkar.Dataset, error) {
	rules, _, err := stage.ParseRules(st.st.Rules)
	if err != nil {
		return nil, fmt.Errorf("stage %d: stored rules: %w", st.st.ID, err)
	}
	var scores []scoring.Score
	if withScores {
		for _, j := range slices.Sorted(maps.Keys(st.scores)) {
			sh, _ := st.sheet(j)
			scores = append(scores, sh.Scores...)
		}
	}
	return stage.Dataset(st.st, rules, st.ideas, st.jurorList(), scores), nil
}

// Dataset returns the stage's dataset now, without personal data.
func (s *Store) Dataset(ctx context.Context, stageID int64) (*afkar.Dataset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return nil, err
	}
	return st.dataset(true)
}

// Progress counts the scores expected and given, per juror and per idea.
func (s *Store) Progress(ctx context.Context, stageID int64) (stage.Progress, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return stage.Progress{}, err
	}
	rules, _, err := stage.ParseRules(st.st.Rules)
	if err != nil {
		return stage.Progress{}, err
	}
	c := len(rules.Rubric.Criteria)
	p := stage.Progress{Criteria: c, Jurors: []stage.JurorProgress{}, Ideas: []stage.IdeaProgress{}}
	pairs := st.assignmentList("")
	for _, j := range st.jurorList() {
		jp := stage.JurorProgress{Judge: j.ID, Dropped: j.Dropped, Given: len(st.scores[j.ID])}
		for _, a := range pairs {
			if a.Judge == j.ID {
				jp.Ideas++
			}
		}
		if ss, ok := st.sheets[j.ID]; ok {
			jp.SignedOff, jp.Version, jp.LastSync = ss.signedOff, ss.version, ss.updated
		}
		jp.Expected = jp.Ideas * c
		p.Jurors = append(p.Jurors, jp)
	}
	for _, idea := range st.ideas {
		ip := stage.IdeaProgress{Project: idea.ID}
		for _, a := range pairs {
			if a.Project == idea.ID {
				ip.Jurors++
			}
		}
		for _, m := range st.scores {
			for k := range m {
				if k.project == idea.ID {
					ip.Given++
				}
			}
		}
		ip.Expected = ip.Jurors * c
		p.Ideas = append(p.Ideas, ip)
	}
	return p, nil
}

// seal stores res as the stage's next result version.
func (s *Store) seal(st *stageState, now time.Time, by stage.Actor, reason string, res *afkar.Result, ds *afkar.Dataset) (stage.Result, error) {
	data, err := ds.MarshalJSON()
	if err != nil {
		return stage.Result{}, fmt.Errorf("writing the dataset: %w", err)
	}
	out, err := res.MarshalJSON()
	if err != nil {
		return stage.Result{}, fmt.Errorf("writing the result: %w", err)
	}
	r := stage.Result{Stage: st.st.ID, Version: st.st.Published + 1, InputDigest: res.InputDigest, Dataset: data, Result: out, At: now, By: by.Login, Reason: reason}
	st.results = append(st.results, r)
	st.st.Published = r.Version
	s.log(st.st.ID, now, by, "result.seal", reason, fmt.Sprintf("version %d, %s", r.Version, r.InputDigest))
	return r, nil
}

// reseal seals a new version after a change to a published stage, when
// the change moved its input digest.
func (s *Store) reseal(ctx context.Context, st *stageState, now time.Time, by stage.Actor, reason string) error {
	ds, err := st.dataset(true)
	if err != nil {
		return err
	}
	if ds.Digest() == st.results[len(st.results)-1].InputDigest {
		return nil
	}
	res, err := afkar.Evaluate(ctx, ds)
	if err != nil {
		return fmt.Errorf("the change leaves the published stage unrankable, so it is refused: %w", err)
	}
	_, err = s.seal(st, now, by, reason, res, ds)
	return err
}

// Publish ranks the stage and seals the result when it is the ranking
// the organiser saw.
func (s *Store) Publish(ctx context.Context, stageID int64, digest string, by stage.Actor, reason string) (stage.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err != nil {
		return stage.Result{}, err
	}
	if st.st.Published > 0 && strings.TrimSpace(reason) == "" {
		return stage.Result{}, stage.ErrPublished
	}
	ds, err := st.dataset(true)
	if err != nil {
		return stage.Result{}, err
	}
	res, err := afkar.Evaluate(ctx, ds)
	if err != nil {
		return stage.Result{}, err
	}
	if res.InputDigest != digest {
		return stage.Result{}, &stage.DigestError{Want: digest, Current: res.InputDigest}
	}
	return s.seal(st, s.now(), by, reason, res, ds)
}

// Results lists a stage's sealed results, oldest first, without bytes.
func (s *Store) Results(ctx context.Context, stageID int64) ([]stage.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []stage.Result{}
	if st, err := s.stage(stageID); err == nil {
		for _, r := range st.results {
			r.Dataset, r.Result = nil, nil
			out = append(out, r)
		}
	}
	return out, nil
}

// Result returns a sealed result with its bytes; version zero is the
// latest.
func (s *Store) Result(ctx context.Context, stageID int64, version int) (stage.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(stageID)
	if err == nil && len(st.results) > 0 {
		if version == 0 {
			return st.results[len(st.results)-1], nil
		}
		if version >= 1 && version <= len(st.results) {
			return st.results[version-1], nil
		}
	}
	return stage.Result{}, fmt.Errorf("result %d of stage %d: %w", version, stageID, stage.ErrNotFound)
}

// Audit lists a stage's audit log, oldest first.
func (s *Store) Audit(ctx context.Context, stageID int64) ([]stage.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []stage.Entry{}
	for _, e := range s.audit {
		if e.stage == stageID {
			out = append(out, e.Entry)
		}
	}
	return out, nil
}
