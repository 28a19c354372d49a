// Package storetest is the conformance suite of stage.Store: every
// implementation runs it (Run), and two implementations give the same
// transcript of one scenario (Transcript). It is imported by tests only.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/stage"
)

// rules are two criteria on 0–20, at least one judge, top 1 per region.
const rules = `{"rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "economic", "weight": "0.5"}],
	"scale": {"min": "0", "max": "20", "step": "0.5"}},
	"ranking": {"tie_break": ["id"], "group_by": "region", "top": 1}}`

// clock is a test clock that moves one second a reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// Opener opens an empty store whose clock is clock, closed when t ends.
type Opener func(t testing.TB, clock func() time.Time) stage.Store

// newClock is the suite's clock: 2026-04-17 08:00 UTC, one second more at
// each reading.
func newClock() func() time.Time {
	c := &clock{t: time.Date(2026, 4, 17, 8, 0, 0, 0, time.UTC)}
	return c.now
}

// Run runs the suite on the stores that open makes.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, Opener)
	}{
		{"assignment respects conflicts", testAssignmentRespectsConflicts},
		{"sync", testSync},
		{"publish", testPublish},
		{"drop a juror and reassign", testDropJurorAndReassign},
		{"codes", testCodes},
		{"refuses", testRefuses},
		{"problems capped", testProblemsCapped},
		{"versions stay sendable", testVersionsStaySendable},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, open) })
	}
}

func ideasOf(ps ...stage.Idea) iter.Seq2[stage.Idea, error] {
	return func(yield func(stage.Idea, error) bool) {
		for _, p := range ps {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// fixture is a stage with 4 ideas, 3 jurors and an admin, assigned.
type fixture struct {
	db    stage.Store
	admin stage.Actor
	st    stage.Stage
}

// NewFixture opens a store with a stage "agadir" of 4 ideas (P1 of
// coop-1, with a carrier), 3 jurors (J1 of coop-1, J2 in conflict with
// P2, J3), k=2, assigned, and an admin.
func newFixture(t testing.TB, open Opener) *fixture {
	t.Helper()
	return newFixtureAt(t, open, newClock())
}

// newFixtureAt is newFixture with the store's clock.
func newFixtureAt(t testing.TB, open Opener, clock func() time.Time) *fixture {
	t.Helper()
	ctx := context.Background()
	db := open(t, clock)
	u, err := db.CreateUser(ctx, stage.User{Login: "admin", Role: stage.RoleAdmin, PasswordHash: "x"}, stage.Actor{Login: "test"})
	require.NoError(t, err)
	admin := stage.Actor{UserID: u.ID, Login: u.Login}
	st, err := db.CreateStage(ctx, stage.Stage{Slug: "agadir", Title: "Agadir", Region: "souss-massa", Rules: []byte(rules), JurorsPerIdea: 2, Seed: "s1"}, admin)
	require.NoError(t, err)
	n, err := db.AddIdeas(ctx, st.ID, ideasOf(
		stage.Idea{ID: "P1", Title: "One", Region: "souss-massa", Cooperative: "coop-1", Carrier: &stage.Carrier{Name: "Fatima", Email: "f@example.org", Phone: "+212600000000"}},
		stage.Idea{ID: "P2", Title: "Two", Region: "souss-massa"},
		stage.Idea{ID: "P3", Title: "Three", Region: "oriental"},
		stage.Idea{ID: "P4", Title: "Four", Region: "oriental"},
	), admin, "")
	require.NoError(t, err)
	require.Equal(t, 4, n)
	for _, j := range []stage.Juror{{ID: "J1", Name: "Amina", Cooperative: "coop-1"}, {ID: "J2", Conflicts: []string{"P2"}}, {ID: "J3"}} {
		_, err := db.PutJuror(ctx, st.ID, j, admin, "")
		require.NoError(t, err)
	}
	_, err = db.Assign(ctx, st.ID, admin)
	require.NoError(t, err)
	return &fixture{db: db, admin: admin, st: st}
}

// sheet is judge's whole sheet at seq, every assigned idea scored v.
func (f *fixture) sheet(t testing.TB, judge string, seq int, v string) *afkar.Sheet {
	t.Helper()
	ctx := context.Background()
	digest, err := f.db.StageDigest(ctx, f.st.ID)
	require.NoError(t, err)
	as, err := f.db.Assignments(ctx, f.st.ID, judge)
	require.NoError(t, err)
	sh := &afkar.Sheet{Judge: judge, Dataset: digest, Seq: seq, Time: time.Date(2026, 4, 17, 9, 0, seq, 0, time.UTC)}
	for _, a := range as {
		for _, c := range []string{"social", "economic"} {
			sh.Scores = append(sh.Scores, scoring.Score{Judge: judge, Project: a.Project, Criterion: c, Value: decimal.RequireFromString(v)})
		}
	}
	return sh
}

func testAssignmentRespectsConflicts(t *testing.T, open Opener) {
	f := newFixture(t, open)
	as, err := f.db.Assignments(context.Background(), f.st.ID, "")
	require.NoError(t, err)
	require.Len(t, as, 8, "4 ideas × k=2")
	for _, a := range as {
		require.False(t, a.Judge == "J1" && a.Project == "P1", "same cooperative")
		require.False(t, a.Judge == "J2" && a.Project == "P2", "declared conflict")
	}
}

func testSync(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newFixture(t, open)
	j1 := stage.Actor{Login: "juror:J1"}
	u, err := f.db.CreateUser(ctx, stage.User{Login: "juror:1:J1", Role: stage.RoleJuror, Stage: f.st.ID, Judge: "J1"}, f.admin)
	require.NoError(t, err)
	j1.UserID = u.ID

	first := f.sheet(t, "J1", 1, "15")
	res, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 0, Sheet: first, By: j1})
	require.NoError(t, err)
	require.False(t, res.Duplicate)
	require.Equal(t, len(first.Scores), res.Events)
	require.Equal(t, 1, res.Sheet.Version)

	t.Run("a retried upload changes nothing", func(t *testing.T) {
		res, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 0, Sheet: first, By: j1})
		require.NoError(t, err)
		require.True(t, res.Duplicate)
		require.Equal(t, 0, res.Events)
	})
	t.Run("a stale version is refused with the newer one", func(t *testing.T) {
		_, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 0, Sheet: f.sheet(t, "J1", 2, "12"), By: j1})
		var stale *stage.StaleError
		require.ErrorAs(t, err, &stale)
		require.Equal(t, 1, stale.Current.Version)
		require.Len(t, stale.Current.Scores, len(first.Scores))
	})
	t.Run("another juror's sheet is forbidden", func(t *testing.T) {
		_, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 1, Sheet: f.sheet(t, "J2", 2, "12"), By: j1})
		require.ErrorIs(t, err, stage.ErrForbidden)
	})
	t.Run("a sheet for other stage data is refused", func(t *testing.T) {
		sh := f.sheet(t, "J1", 2, "12")
		sh.Dataset = "sha256:" + fmt.Sprintf("%064d", 0)
		_, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 1, Sheet: sh, By: j1})
		var changed *stage.StageChangedError
		require.ErrorAs(t, err, &changed)
	})
	t.Run("scores out of range or on unassigned ideas are problems", func(t *testing.T) {
		sh := f.sheet(t, "J1", 2, "21")
		sh.Scores = append(sh.Scores, scoring.Score{Judge: "J1", Project: "P1", Criterion: "social", Value: decimal.NewFromInt(1)})
		_, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 1, Sheet: sh, By: j1})
		var ps scoring.Problems
		require.ErrorAs(t, err, &ps)
		require.Contains(t, ps.Error(), "is not assigned to juror J1")
		require.Contains(t, ps.Error(), "above the maximum")
	})
	t.Run("a withdrawn score leaves the sheet, as an event", func(t *testing.T) {
		sh := f.sheet(t, "J1", 3, "15")
		sh.Scores = sh.Scores[1:]
		res, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 1, Sheet: sh, By: j1})
		require.NoError(t, err)
		require.Equal(t, 1, res.Events)
		require.Len(t, res.Sheet.Scores, len(first.Scores)-1)
	})
	t.Run("signed off is final", func(t *testing.T) {
		sh := f.sheet(t, "J1", 4, "16")
		sh.SignedOff = true
		_, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 3, Sheet: sh, By: j1})
		require.NoError(t, err)
		_, err = f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: 4, Sheet: f.sheet(t, "J1", 5, "10"), By: j1})
		require.ErrorIs(t, err, stage.ErrSignedOff)
	})
}

func testPublish(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newFixture(t, open)
	for _, j := range []string{"J1", "J2", "J3"} {
		u, err := f.db.CreateUser(ctx, stage.User{Login: "juror:" + j, Role: stage.RoleJuror, Stage: f.st.ID, Judge: j}, f.admin)
		require.NoError(t, err)
		_, err = f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: j, Sheet: f.sheet(t, j, 1, "14.5"), By: stage.Actor{UserID: u.ID, Login: u.Login}})
		require.NoError(t, err)
	}
	ds, err := f.db.Dataset(ctx, f.st.ID)
	require.NoError(t, err)
	res, err := afkar.Evaluate(ctx, ds)
	require.NoError(t, err)

	_, err = f.db.Publish(ctx, f.st.ID, "sha256:"+fmt.Sprintf("%064d", 1), f.admin, "")
	var de *stage.DigestError
	require.ErrorAs(t, err, &de, "a ranking the organiser did not see")

	r, err := f.db.Publish(ctx, f.st.ID, res.InputDigest, f.admin, "")
	require.NoError(t, err)
	require.Equal(t, 1, r.Version)
	want, err := res.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, string(want), string(r.Result))
	require.NotContains(t, string(r.Dataset), "Fatima", "personal data in the published dataset")
	require.NotContains(t, string(r.Dataset), "Amina")
	// The sealed dataset ranks to the sealed result.
	again, err := afkar.Decode(r.Dataset)
	require.NoError(t, err)
	res2, err := afkar.Evaluate(ctx, again)
	require.NoError(t, err)
	got, _ := res2.MarshalJSON()
	require.Equal(t, string(r.Result), string(got))

	t.Run("after publication a change needs a reason and makes a new version", func(t *testing.T) {
		sh, err := f.db.Sheet(ctx, f.st.ID, "J3")
		require.NoError(t, err)
		s := sh.Scores[0]
		_, err = f.db.Withdraw(ctx, f.st.ID, "J3", s.Project, s.Criterion, f.admin, "")
		require.ErrorIs(t, err, stage.ErrInvalid)
		_, err = f.db.PutJuror(ctx, f.st.ID, stage.Juror{ID: "J4"}, f.admin, "")
		require.ErrorIs(t, err, stage.ErrPublished)
		_, err = f.db.Withdraw(ctx, f.st.ID, "J3", s.Project, s.Criterion, f.admin, "score typed on the wrong idea")
		require.NoError(t, err)
		rs, err := f.db.Results(ctx, f.st.ID)
		require.NoError(t, err)
		require.Len(t, rs, 2)
		require.Equal(t, "score typed on the wrong idea", rs[1].Reason)
		require.NotEqual(t, rs[0].InputDigest, rs[1].InputDigest)
		log, err := f.db.Audit(ctx, f.st.ID)
		require.NoError(t, err)
		var actions []string
		for _, e := range log[len(log)-2:] {
			actions = append(actions, e.Action)
		}
		require.Empty(t, cmp.Diff([]string{"score.withdraw", "result.seal"}, actions))
	})
	t.Run("jurors cannot sync a published stage", func(t *testing.T) {
		_, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J2", Base: 1, Sheet: f.sheet(t, "J2", 2, "3"), By: f.admin})
		require.ErrorIs(t, err, stage.ErrPublished)
	})
}

func testDropJurorAndReassign(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newFixture(t, open)
	u, err := f.db.CreateUser(ctx, stage.User{Login: "juror:J3", Role: stage.RoleJuror, Stage: f.st.ID, Judge: "J3"}, f.admin)
	require.NoError(t, err)
	sh := f.sheet(t, "J3", 1, "11")
	sh.Scores = sh.Scores[:1] // J3 scored one criterion of one idea
	_, err = f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J3", Sheet: sh, By: stage.Actor{UserID: u.ID}})
	require.NoError(t, err)
	before, err := f.db.Assignments(ctx, f.st.ID, "")
	require.NoError(t, err)

	require.NoError(t, f.db.DropJuror(ctx, f.st.ID, "J3", f.admin, "ill"))
	plan, err := f.db.Assign(ctx, f.st.ID, f.admin)
	require.NoError(t, err)
	after, err := f.db.Assignments(ctx, f.st.ID, "")
	require.NoError(t, err)
	// The scored pair stays; J3's other pairs go; J1 and J2 keep theirs.
	for _, a := range before {
		kept := false
		for _, b := range after {
			kept = kept || a.Judge == b.Judge && a.Project == b.Project
		}
		switch {
		case a.Judge != "J3", a.Project == sh.Scores[0].Project:
			require.True(t, kept, "%v moved", a)
		default:
			require.False(t, kept, "%v of a dropped juror who scored nothing on it stays", a)
		}
	}
	require.NotEmpty(t, plan.Add)
	dsAfter, err := f.db.Dataset(ctx, f.st.ID)
	require.NoError(t, err)
	require.Equal(t, 1, dsAfter.Scores.Len(), "the given score did not move")
}

func testCodes(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newFixture(t, open)
	now := time.Date(2026, 4, 17, 9, 0, 0, 0, time.UTC)
	c, err := f.db.CreateCode(ctx, stage.Code{Stage: f.st.ID, Judge: "J1", ExpiresAt: now.Add(time.Hour)}, "h1", f.admin)
	require.NoError(t, err)
	_, _, err = f.db.RedeemCode(ctx, "h1", now.Add(2*time.Hour))
	require.ErrorIs(t, err, stage.ErrCode, "expired")
	u, id, err := f.db.RedeemCode(ctx, "h1", now)
	require.NoError(t, err)
	require.Equal(t, c.ID, id)
	require.Equal(t, stage.RoleJuror, u.Role)
	_, _, err = f.db.RedeemCode(ctx, "h1", now)
	require.ErrorIs(t, err, stage.ErrCode, "used twice")

	require.NoError(t, f.db.CreateSession(ctx, stage.Session{Hash: "s1", UserID: u.ID, CSRF: "t", CodeID: id, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	_, got, err := f.db.Session(ctx, "s1", now)
	require.NoError(t, err)
	require.Equal(t, u.ID, got.ID)
	require.NoError(t, f.db.RevokeCode(ctx, f.st.ID, c.ID, f.admin))
	_, _, err = f.db.Session(ctx, "s1", now)
	require.ErrorIs(t, err, stage.ErrNotFound, "a revoked code's session goes on")

	_, err = f.db.CreateCode(ctx, stage.Code{Stage: f.st.ID, Judge: "J1", ExpiresAt: now.Add(time.Hour)}, "h2", f.admin)
	require.NoError(t, err)
	require.NoError(t, f.db.RevokeCode(ctx, f.st.ID, c.ID+1, f.admin))
	_, _, err = f.db.RedeemCode(ctx, "h2", now)
	require.ErrorIs(t, err, stage.ErrCode, "revoked")
}

func testRefuses(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newFixture(t, open)
	_, err := f.db.CreateStage(ctx, stage.Stage{Slug: "agadir", Title: "Again", Rules: []byte(rules), JurorsPerIdea: 1, Seed: "x"}, f.admin)
	require.ErrorIs(t, err, stage.ErrExists)
	_, err = f.db.CreateUser(ctx, stage.User{Login: "j", Role: stage.RoleJuror}, f.admin)
	require.ErrorIs(t, err, stage.ErrInvalid, "a juror without a stage")
	_, err = f.db.AddIdeas(ctx, f.st.ID, ideasOf(stage.Idea{ID: "P5"}, stage.Idea{ID: "P1"}, stage.Idea{ID: "bad id"}), f.admin, "")
	var ps scoring.Problems
	require.ErrorAs(t, err, &ps)
	require.Len(t, ps, 2)
	ideas, err := f.db.Ideas(ctx, f.st.ID)
	require.NoError(t, err)
	require.Len(t, ideas, 4, "all or nothing")
}

func testProblemsCapped(t *testing.T, open Opener) {
	f := newFixture(t, open)
	bad := func(yield func(stage.Idea, error) bool) {
		for i := 0; i < 1_000_000; i++ {
			if !yield(stage.Idea{ID: "-"}, nil) {
				return
			}
		}
	}
	_, err := f.db.AddIdeas(context.Background(), f.st.ID, bad, f.admin, "")
	var ps scoring.Problems
	require.ErrorAs(t, err, &ps)
	require.Len(t, ps, stage.MaxProblems+1)
}

// Populate fills an empty store with stage 1 ("agadir": 4 ideas, 3
// jurors, assigned), every juror's sheet synced and the result published.
func Populate(ctx context.Context, db stage.Store) error {
	u, err := db.CreateUser(ctx, stage.User{Login: "admin", Role: stage.RoleAdmin, PasswordHash: "x"}, stage.Actor{Login: "test"})
	if err != nil {
		return err
	}
	admin := stage.Actor{UserID: u.ID, Login: u.Login}
	st, err := db.CreateStage(ctx, stage.Stage{Slug: "agadir", Title: "Agadir", Region: "souss-massa", Rules: []byte(rules), JurorsPerIdea: 2, Seed: "s1"}, admin)
	if err != nil {
		return err
	}
	if _, err := db.AddIdeas(ctx, st.ID, ideasOf(stage.Idea{ID: "P1", Region: "souss-massa"}, stage.Idea{ID: "P2", Region: "souss-massa"},
		stage.Idea{ID: "P3", Region: "oriental"}, stage.Idea{ID: "P4", Region: "oriental"}), admin, ""); err != nil {
		return err
	}
	for _, j := range []string{"J1", "J2", "J3"} {
		if _, err := db.PutJuror(ctx, st.ID, stage.Juror{ID: j}, admin, ""); err != nil {
			return err
		}
	}
	if _, err := db.Assign(ctx, st.ID, admin); err != nil {
		return err
	}
	digest, err := db.StageDigest(ctx, st.ID)
	if err != nil {
		return err
	}
	for i, j := range []string{"J1", "J2", "J3"} {
		ju, err := db.CreateUser(ctx, stage.User{Login: "juror:" + j, Role: stage.RoleJuror, Stage: st.ID, Judge: j}, admin)
		if err != nil {
			return err
		}
		as, err := db.Assignments(ctx, st.ID, j)
		if err != nil {
			return err
		}
		sh := &afkar.Sheet{Judge: j, Dataset: digest, Seq: 1}
		for _, a := range as {
			for _, c := range []string{"social", "economic"} {
				sh.Scores = append(sh.Scores, scoring.Score{Judge: j, Project: a.Project, Criterion: c, Value: decimal.NewFromInt(int64(10 + i))})
			}
		}
		if _, err := db.Sync(ctx, stage.SyncRequest{Stage: st.ID, Judge: j, Sheet: sh, By: stage.Actor{UserID: ju.ID, Login: ju.Login}}); err != nil {
			return err
		}
	}
	ds, err := db.Dataset(ctx, st.ID)
	if err != nil {
		return err
	}
	res, err := afkar.Evaluate(ctx, ds)
	if err != nil {
		return err
	}
	_, err = db.Publish(ctx, st.ID, res.InputDigest, admin, "")
	return err
}

// Transcript runs one scenario on an empty store (a stage set up, jurors
// syncing, stale and duplicate uploads, a juror dropped and the
// assignment run again, a withdrawal, publication and an amendment) and
// returns what each step gave, as text: two implementations of
// stage.Store must give the same transcript.
func Transcript(t testing.TB, open Opener) []string {
	t.Helper()
	ctx := context.Background()
	// A clock that stands still: two stores may read it a different number
	// of times, and the transcript must not depend on that.
	at := time.Date(2026, 4, 17, 8, 0, 0, 0, time.UTC)
	f := newFixtureAt(t, open, func() time.Time { return at })
	var out []string
	say := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	outcome := func(err error) string {
		var stale *stage.StaleError
		var ps scoring.Problems
		switch {
		case err == nil:
			return "ok"
		case errors.As(err, &stale):
			return fmt.Sprintf("stale, current version %d", stale.Current.Version)
		case errors.As(err, &ps):
			return "problems: " + ps.Error()
		}
		for _, e := range []error{stage.ErrForbidden, stage.ErrPublished, stage.ErrSignedOff, stage.ErrNotFound, stage.ErrInvalid, stage.ErrExists, stage.ErrCode} {
			if errors.Is(err, e) {
				return "refused: " + e.Error()
			}
		}
		return "error: " + err.Error()
	}
	as, err := f.db.Assignments(ctx, f.st.ID, "")
	require.NoError(t, err)
	say("assignment %v", as)
	users := map[string]stage.Actor{}
	for _, j := range []string{"J1", "J2", "J3"} {
		u, err := f.db.CreateUser(ctx, stage.User{Login: "juror:" + j, Role: stage.RoleJuror, Stage: f.st.ID, Judge: j}, f.admin)
		require.NoError(t, err)
		users[j] = stage.Actor{UserID: u.ID, Login: u.Login}
	}
	sync := func(j string, base, seq int, v string, signOff bool) {
		sh := f.sheet(t, j, seq, v)
		sh.SignedOff = signOff
		res, err := f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: j, Base: base, Sheet: sh, By: users[j]})
		say("sync %s base %d seq %d: %s, version %d, duplicate %t, events %d", j, base, seq, outcome(err), res.Sheet.Version, res.Duplicate, res.Events)
	}
	sync("J1", 0, 1, "12", false)
	sync("J1", 0, 1, "12", false)
	sync("J1", 0, 2, "13", false)
	sync("J1", 1, 2, "13.5", true)
	sync("J1", 2, 3, "14", false)
	sync("J2", 0, 1, "21", false)
	sync("J2", 0, 1, "9", false)
	require.NoError(t, f.db.DropJuror(ctx, f.st.ID, "J3", f.admin, "left"))
	plan, err := f.db.Assign(ctx, f.st.ID, f.admin)
	say("reassign: %s, keep %v, add %v, drop %v, short %v", outcome(err), plan.Keep, plan.Add, plan.Drop, plan.Short)
	sync("J3", 0, 1, "10", false)
	sh, err := f.db.Sheet(ctx, f.st.ID, "J2")
	require.NoError(t, err)
	_, err = f.db.Withdraw(ctx, f.st.ID, "J2", sh.Scores[0].Project, sh.Scores[0].Criterion, f.admin, "typed on the wrong idea")
	say("withdraw: %s", outcome(err))
	prog, err := f.db.Progress(ctx, f.st.ID)
	require.NoError(t, err)
	for _, p := range prog.Jurors {
		p.LastSync = time.Time{}
		say("progress %+v", p)
	}
	for _, p := range prog.Ideas {
		say("progress %+v", p)
	}
	ds, err := f.db.Dataset(ctx, f.st.ID)
	require.NoError(t, err)
	data, err := ds.MarshalJSON()
	require.NoError(t, err)
	say("dataset %s", data)
	res, err := afkar.Evaluate(ctx, ds)
	require.NoError(t, err)
	r, err := f.db.Publish(ctx, f.st.ID, res.InputDigest, f.admin, "")
	say("publish: %s, version %d, %s, %s", outcome(err), r.Version, r.InputDigest, r.Result)
	_, err = f.db.PutJuror(ctx, f.st.ID, stage.Juror{ID: "J4"}, f.admin, "")
	say("late juror without a reason: %s", outcome(err))
	_, err = f.db.AddIdeas(ctx, f.st.ID, ideasOf(stage.Idea{ID: "P5", Region: "oriental"}), f.admin, "a late idea")
	say("late idea with a reason: %s", outcome(err))
	rs, err := f.db.Results(ctx, f.st.ID)
	require.NoError(t, err)
	for _, r := range rs {
		say("result %d %s by %s: %q", r.Version, r.InputDigest, r.By, r.Reason)
	}
	log, err := f.db.Audit(ctx, f.st.ID)
	require.NoError(t, err)
	for _, e := range log {
		say("audit %s by %s: %q %q", e.Action, e.By, e.Reason, e.Detail)
	}
	return out
}

// testVersionsStaySendable: a juror's seq may jump only up to
// stage.MaxSeq (then one at a time), and an organiser's withdrawal never
// takes a sheet to a version after which the juror can send none.
func testVersionsStaySendable(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newFixture(t, open)
	u, err := f.db.CreateUser(ctx, stage.User{Login: "juror:1:J1", Role: stage.RoleJuror, Stage: f.st.ID, Judge: "J1"}, f.admin)
	require.NoError(t, err)
	j1 := stage.Actor{UserID: u.ID, Login: u.Login}
	sync := func(base, seq int) (stage.SyncResult, error) {
		return f.db.Sync(ctx, stage.SyncRequest{Stage: f.st.ID, Judge: "J1", Base: base, Sheet: f.sheet(t, "J1", seq, "15"), By: j1})
	}
	_, err = sync(0, stage.MaxVersion)
	var ps scoring.Problems
	require.ErrorAs(t, err, &ps, "a jump to the last version")
	require.Contains(t, ps.Error(), "at most")
	res, err := sync(0, stage.MaxSeq)
	require.NoError(t, err)
	require.Equal(t, stage.MaxSeq, res.Sheet.Version)

	withdraw := func() (stage.Sheet, error) {
		sh, err := f.db.Sheet(ctx, f.st.ID, "J1")
		require.NoError(t, err)
		return f.db.Withdraw(ctx, f.st.ID, "J1", sh.Scores[0].Project, sh.Scores[0].Criterion, f.admin, "typed on the wrong idea")
	}
	sh, err := withdraw()
	require.NoError(t, err)
	require.Equal(t, stage.MaxSeq+1, sh.Version)
	res, err = sync(stage.MaxSeq+1, stage.MaxSeq+2)
	require.NoError(t, err, "the juror goes on after the withdrawal")
	require.Equal(t, stage.MaxSeq+2, res.Sheet.Version)

	require.NoError(t, stage.CheckWithdraw(stage.MaxVersion-2))
	require.ErrorIs(t, stage.CheckWithdraw(stage.MaxVersion-1), stage.ErrInvalid, "no version left for the juror")
}
