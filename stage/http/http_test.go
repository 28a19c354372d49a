package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/stage"
	"github.com/afkarlab/afkar/stage/memory"
	"github.com/afkarlab/afkar/stage/sqlite"
)

const testRules = `{"rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "economic", "weight": "0.5"}],
	"scale": {"min": "0", "max": "20", "step": "0.5"}},
	"ranking": {"tie_break": ["id"], "group_by": "region", "top": 1}}`

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a server over a fresh store with two stages: stage 1 with
// ideas P1..P4 and jurors J1..J3, assigned; stage 2 with juror J1.
type env struct {
	t     *testing.T
	db    stage.Store
	srv   *Server
	http  *httptest.Server
	clock *testClock
	admin stage.User
	users map[string]stage.User // persona → user
}

// newEnv is an env on the in-memory store: the HTTP side tested on its
// own (TestAuthorisationMatrixOnSQLite runs the matrix on SQLite too).
func newEnv(t *testing.T) *env {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 4, 17, 8, 0, 0, 0, time.UTC)}
	return newEnvOn(t, clock, memory.New(clock.now))
}

func newEnvOn(t *testing.T, clock *testClock, db stage.Store, opts ...func(*Config)) *env {
	t.Helper()
	ctx := context.Background()
	cfg := Config{Store: db, Clock: clock.now, Argon2: Argon2{Memory: 64, Time: 1}}
	for _, o := range opts {
		o(&cfg)
	}
	srv := New(cfg)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e := &env{t: t, db: db, srv: srv, http: hs, clock: clock, users: map[string]stage.User{}}
	hash, err := HashPassword("correct horse battery", Argon2{Memory: 64, Time: 1})
	require.NoError(t, err)
	e.admin, err = db.CreateUser(ctx, stage.User{Login: "admin", Role: stage.RoleAdmin, PasswordHash: hash}, stage.Actor{Login: "setup"})
	require.NoError(t, err)
	by := stage.Actor{UserID: e.admin.ID, Login: "admin"}
	s1, err := db.CreateStage(ctx, stage.Stage{Slug: "agadir", Title: "Agadir", Rules: []byte(testRules), JurorsPerIdea: 2, Seed: "s"}, by)
	require.NoError(t, err)
	s2, err := db.CreateStage(ctx, stage.Stage{Slug: "oujda", Title: "Oujda", Rules: []byte(testRules), JurorsPerIdea: 1, Seed: "s"}, by)
	require.NoError(t, err)
	require.Equal(t, int64(1), s1.ID)
	_, err = db.AddIdeas(ctx, 1, func(yield func(stage.Idea, error) bool) {
		for i, r := range []string{"souss-massa", "souss-massa", "oriental", "oriental"} {
			c := &stage.Carrier{Name: fmt.Sprintf("Carrier %d", i+1), Email: fmt.Sprintf("c%d@example.org", i+1), Phone: "+212600000000"}
			if !yield(stage.Idea{ID: fmt.Sprintf("P%d", i+1), Title: fmt.Sprintf("Idea %d", i+1), Region: r, Carrier: c}, nil) {
				return
			}
		}
	}, by, "")
	require.NoError(t, err)
	for _, j := range []string{"J1", "J2", "J3"} {
		_, err := db.PutJuror(ctx, 1, stage.Juror{ID: j, Name: "Juror " + j}, by, "")
		require.NoError(t, err)
	}
	_, err = db.PutJuror(ctx, s2.ID, stage.Juror{ID: "J1"}, by, "")
	require.NoError(t, err)
	_, err = db.Assign(ctx, 1, by)
	require.NoError(t, err)

	e.users["admin"] = e.admin
	for name, u := range map[string]stage.User{
		"orgAll":  {Login: "orgall", Role: stage.RoleOrganiser},
		"org1":    {Login: "org1", Role: stage.RoleOrganiser, Stage: 1},
		"org2":    {Login: "org2", Role: stage.RoleOrganiser, Stage: 2},
		"obs1":    {Login: "obs1", Role: stage.RoleObserver, Stage: 1},
		"obs2":    {Login: "obs2", Role: stage.RoleObserver, Stage: 2},
		"jurorJ1": {Login: "juror:1:J1", Role: stage.RoleJuror, Stage: 1, Judge: "J1"},
		"jurorJ2": {Login: "juror:1:J2", Role: stage.RoleJuror, Stage: 1, Judge: "J2"},
		"jurorS2": {Login: "juror:2:J1", Role: stage.RoleJuror, Stage: 2, Judge: "J1"},
	} {
		if u.Role != stage.RoleJuror {
			u.PasswordHash = hash
		}
		u, err := db.CreateUser(ctx, u, by)
		require.NoError(t, err)
		e.users[name] = u
	}
	return e
}

// client is a browser-like caller with a session of its own.
type client struct {
	e      *env
	cookie string
	csrf   string
}

// as opens a fresh session for persona ("anon" has none).
func (e *env) as(persona string) *client {
	e.t.Helper()
	c := &client{e: e}
	if persona == "anon" {
		return c
	}
	u, ok := e.users[persona]
	require.True(e.t, ok, persona)
	c.cookie, c.csrf = token(32), token(32)
	now := e.clock.now()
	require.NoError(e.t, e.db.CreateSession(context.Background(), stage.Session{Hash: hashToken(c.cookie), UserID: u.ID, CSRF: c.csrf, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	return c
}

// do sends a request; body is JSON when it is not a string or []byte.
func (c *client) do(method, path string, body any, header ...string) (*http.Response, []byte) {
	c.e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "text/csv"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		data, err := json.Marshal(b)
		require.NoError(c.e.t, err)
		rd, ct = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, c.e.http.URL+path, rd)
	require.NoError(c.e.t, err)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	if c.csrf != "" && method != "GET" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.e.http.Client().Do(req)
	require.NoError(c.e.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(c.e.t, err)
	return resp, data
}

// personas are the callers of the authorisation matrix: nobody, an
// admin, organisers of every stage, of this stage (1) and of another
// (2), observers of this stage and another, the juror J1 of this stage
// (whose sheet the routes name), another juror of this stage, and a
// juror of another stage.
var personas = []string{"anon", "admin", "orgAll", "org1", "org2", "obs1", "obs2", "jurorJ1", "jurorJ2", "jurorS2"}

// TestAuthorisationMatrix calls every route as every persona, on stage 1
// and judge J1, and checks who gets past the checks (any status but 401
// and 403) and who is refused: 401 without a session, 403 with one. The
// bodies are chosen so that an allowed call fails after the checks (an
// invalid value, an unknown ID) or changes nothing that later calls
// need. Every route of the table must be listed here.
func TestAuthorisationMatrix(t *testing.T) { authorisationMatrix(t, newEnv(t)) }

// TestAuthorisationMatrixOnSQLite runs the matrix on the store that
// afkar serve runs on.
func TestAuthorisationMatrixOnSQLite(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 4, 17, 8, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "afkar.db"), sqlite.Config{Clock: clock.now})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	authorisationMatrix(t, newEnvOn(t, clock, db))
}

func authorisationMatrix(t *testing.T, e *env) {
	all := "anon admin orgAll org1 org2 obs1 obs2 jurorJ1 jurorJ2 jurorS2"
	signed := "admin orgAll org1 org2 obs1 obs2 jurorJ1 jurorJ2 jurorS2"
	observers := "admin orgAll org1 obs1"
	organisers := "admin orgAll org1"
	type call struct {
		path string
		body any
		who  string // the personas allowed
	}
	matrix := map[string]call{
		"GET /healthz":                                 {"/healthz", nil, all},
		"POST /api/login":                              {"/api/login", map[string]string{"login": "nobody", "password": "wrong password!"}, all},
		"POST /api/join":                               {"/api/join", map[string]string{"code": "00000-00000"}, all},
		"POST /api/logout":                             {"/api/logout", nil, signed},
		"GET /api/session":                             {"/api/session", nil, signed},
		"GET /api/users":                               {"/api/users", nil, "admin"},
		"POST /api/users":                              {"/api/users", map[string]string{"login": "x", "role": "observer", "password": "short"}, "admin"},
		"GET /api/stages":                              {"/api/stages", nil, signed},
		"POST /api/stages":                             {"/api/stages", map[string]any{"slug": "Bad Slug", "title": "x", "jurors_per_idea": 1, "rules": json.RawMessage(testRules)}, "admin orgAll"},
		"GET /api/stages/{stage}":                      {"/api/stages/1", nil, observers + " jurorJ1 jurorJ2"},
		"GET /api/stages/{stage}/ideas":                {"/api/stages/1/ideas", nil, observers},
		"POST /api/stages/{stage}/ideas":               {"/api/stages/1/ideas", map[string]any{"ideas": []map[string]string{{"id": "bad id"}}}, organisers},
		"POST /api/stages/{stage}/ideas.csv":           {"/api/stages/1/ideas.csv", "id,title\nbad id,x\n", organisers},
		"GET /api/stages/{stage}/jurors":               {"/api/stages/1/jurors", nil, observers},
		"PUT /api/stages/{stage}/jurors/{judge}":       {"/api/stages/1/jurors/J1", map[string]any{"conflicts": []string{"NOPE"}}, organisers},
		"POST /api/stages/{stage}/jurors/{judge}/drop": {"/api/stages/1/jurors/J1/drop", map[string]string{"reason": ""}, organisers},
		"GET /api/stages/{stage}/codes":                {"/api/stages/1/codes", nil, organisers},
		"POST /api/stages/{stage}/codes":               {"/api/stages/1/codes", map[string]string{"judge": "NOBODY"}, organisers},
		"POST /api/stages/{stage}/codes/{code}/revoke": {"/api/stages/1/codes/999/revoke", nil, organisers},
		"GET /api/stages/{stage}/assignment":           {"/api/stages/1/assignment", nil, observers},
		"POST /api/stages/{stage}/assignment":          {"/api/stages/1/assignment", nil, organisers},
		"GET /api/stages/{stage}/progress":             {"/api/stages/1/progress", nil, observers},
		"GET /api/stages/{stage}/ranking":              {"/api/stages/1/ranking", nil, observers},
		"GET /api/stages/{stage}/dataset.json":         {"/api/stages/1/dataset.json", nil, observers},
		"POST /api/stages/{stage}/scores/withdraw":     {"/api/stages/1/scores/withdraw", map[string]string{"judge": "J1", "project": "P1", "criterion": "social", "reason": "test"}, organisers},
		"POST /api/stages/{stage}/publish":             {"/api/stages/1/publish", map[string]string{"input_digest": "sha256:0"}, organisers},
		"GET /api/stages/{stage}/results":              {"/api/stages/1/results", nil, observers},
		"GET /api/stages/{stage}/audit":                {"/api/stages/1/audit", nil, observers},
		"GET /api/stages/{stage}/sheets/{judge}":       {"/api/stages/1/sheets/J1", nil, observers + " jurorJ1"},
		"PUT /api/stages/{stage}/sheets/{judge}":       {"/api/stages/1/sheets/J1", []byte(`{"judge": "J1", "scores": []}`), "jurorJ1"},
		"GET /api/stages/{stage}/sheets/{judge}/work":  {"/api/stages/1/sheets/J1/work", nil, observers + " jurorJ1"},
		"GET /{$}":                   {"/", nil, all},
		"GET /login":                 {"/login", nil, all},
		"GET /join":                  {"/join", nil, all},
		"GET /organiser":             {"/organiser", nil, all},
		"GET /ui/{file}":             {"/ui/style.css", nil, all},
		"GET /s/{slug}":              {"/s/agadir", nil, all},
		"GET /s/{slug}/dataset.json": {"/s/agadir/dataset.json", nil, all},
		"GET /s/{slug}/result.json":  {"/s/agadir/result.json", nil, all},
		"GET /widget/{file...}":      {"/widget/index.html", nil, all},
	}
	for _, rt := range e.srv.routeTable {
		m, ok := matrix[rt.pattern]
		require.True(t, ok, "route %s is not in the authorisation matrix", rt.pattern)
		method, _, _ := strings.Cut(rt.pattern, " ")
		for _, p := range personas {
			allowed := strings.Contains(" "+m.who+" ", " "+p+" ")
			resp, body := e.as(p).do(method, m.path, m.body)
			got := resp.StatusCode
			switch {
			case allowed && rt.allow == public:
				require.NotEqual(t, http.StatusForbidden, got, "%s as %s: %s", rt.pattern, p, body)
			case allowed:
				require.NotContains(t, []int{401, 403}, got, "%s as %s: %s", rt.pattern, p, body)
			case p == "anon":
				require.Equal(t, http.StatusUnauthorized, got, "%s as %s: %s", rt.pattern, p, body)
			default:
				require.Equal(t, http.StatusForbidden, got, "%s as %s: %s", rt.pattern, p, body)
			}
		}
		delete(matrix, rt.pattern)
	}
	require.Empty(t, matrix, "routes in the matrix but not in the table")
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	org := e.as("org1")
	body := map[string]any{"name": "Juror 4"}
	t.Run("no token", func(t *testing.T) {
		c := *org
		c.csrf = ""
		resp, data := c.do("PUT", "/api/stages/1/jurors/J4", body)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, "%s", data)
		require.Contains(t, string(data), "CSRF")
	})
	t.Run("another session's token", func(t *testing.T) {
		c := *org
		c.csrf = e.as("org1").csrf
		resp, _ := c.do("PUT", "/api/stages/1/jurors/J4", body)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("a cross-site request, even with the token", func(t *testing.T) {
		resp, _ := org.do("PUT", "/api/stages/1/jurors/J4", body, "Sec-Fetch-Site", "cross-site")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		resp, _ = org.do("PUT", "/api/stages/1/jurors/J4", body, "Origin", "https://evil.example")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("a login from another site", func(t *testing.T) {
		resp, _ := e.as("anon").do("POST", "/api/login", map[string]string{"login": "admin", "password": "correct horse battery"}, "Sec-Fetch-Site", "cross-site")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("a form post (not JSON) to login", func(t *testing.T) {
		resp, _ := e.as("anon").do("POST", "/api/login", "login=admin&password=correct+horse+battery", "Content-Type", "application/x-www-form-urlencoded")
		require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	})
	t.Run("with the token", func(t *testing.T) {
		resp, data := org.do("PUT", "/api/stages/1/jurors/J4", body)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
	})
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	anon := e.as("anon")
	login := func(name, pw string) *http.Response {
		resp, _ := anon.do("POST", "/api/login", map[string]string{"login": name, "password": pw})
		return resp
	}
	resp := login("admin", "correct horse battery")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			ck = c
		}
	}
	require.NotNil(t, ck)
	require.True(t, ck.HttpOnly)
	require.True(t, ck.Secure)
	require.Equal(t, http.SameSiteStrictMode, ck.SameSite)
	require.Equal(t, "/", ck.Path)

	t.Run("a juror account has no password", func(t *testing.T) {
		require.Equal(t, http.StatusUnauthorized, login("juror:1:J1", "").StatusCode)
	})
	t.Run("rate limited per login", func(t *testing.T) {
		for range 5 {
			require.Equal(t, http.StatusUnauthorized, login("org1", "wrong password").StatusCode)
		}
		resp := login("org1", "correct horse battery")
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "the right password after 5 failures")
		require.NotEmpty(t, resp.Header.Get("Retry-After"))
		require.Equal(t, http.StatusOK, login("obs1", "correct horse battery").StatusCode, "another login is not blocked")
		e.clock.add(15*time.Minute + time.Second)
		require.Equal(t, http.StatusOK, login("org1", "correct horse battery").StatusCode, "after the window")
	})
	t.Run("rate limited per address", func(t *testing.T) {
		for i := range 20 {
			login(fmt.Sprintf("nobody-%d", i), "wrong password")
		}
		require.Equal(t, http.StatusTooManyRequests, login("obs2", "correct horse battery").StatusCode)
	})
}

// issue issues a code for judge of stage 1 as org1 and returns its text.
func (e *env) issue(judge string, ttlMinutes int) (string, int64) {
	e.t.Helper()
	resp, data := e.as("org1").do("POST", "/api/stages/1/codes", map[string]any{"judge": judge, "ttl_minutes": ttlMinutes})
	require.Equal(e.t, http.StatusCreated, resp.StatusCode, "%s", data)
	var c issuedCode
	require.NoError(e.t, json.Unmarshal(data, &c))
	require.Contains(e.t, c.Link, "/join#code="+c.Text)
	return c.Text, c.ID
}

// join redeems a code and returns the juror's client.
func (e *env) join(code string) (*client, *http.Response) {
	e.t.Helper()
	resp, data := e.as("anon").do("POST", "/api/join", map[string]string{"code": code})
	c := &client{e: e}
	if resp.StatusCode != http.StatusOK {
		return c, resp
	}
	var s sessionJSON
	require.NoError(e.t, json.Unmarshal(data, &s))
	c.csrf = s.CSRF
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			c.cookie = ck.Value
		}
	}
	return c, resp
}

func TestCodes(t *testing.T) {
	e := newEnv(t)
	code, _ := e.issue("J1", 60)
	j1, resp := e.join(strings.ToLower(code)) // typed in lower case
	require.Equal(t, http.StatusOK, resp.StatusCode)
	r, data := j1.do("GET", "/api/session", nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Contains(t, string(data), `"judge":"J1"`)

	_, resp = e.join(code)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a code works once")

	expired, _ := e.issue("J2", 1)
	e.clock.add(61 * time.Second)
	_, resp = e.join(expired)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "an expired code")

	revoked, id := e.issue("J2", 60)
	r, _ = e.as("org1").do("POST", fmt.Sprintf("/api/stages/1/codes/%d/revoke", id), nil)
	require.Equal(t, http.StatusNoContent, r.StatusCode)
	_, resp = e.join(revoked)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a revoked code")

	used, id := e.issue("J3", 60)
	j3, resp := e.join(used)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	r, _ = e.as("org1").do("POST", fmt.Sprintf("/api/stages/1/codes/%d/revoke", id), nil)
	require.Equal(t, http.StatusNoContent, r.StatusCode)
	r, _ = j3.do("GET", "/api/session", nil)
	require.Equal(t, http.StatusUnauthorized, r.StatusCode, "revoking a used code ends its session")

	t.Run("guessing is rate limited", func(t *testing.T) {
		for range 20 {
			e.join("ZZZZZ-ZZZZZ")
		}
		fresh, _ := e.issue("J2", 60)
		_, resp := e.join(fresh)
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	})
}

// sheetBody is judge's sheet on the stage digest, each of its ideas
// scored v on both criteria.
func (e *env) sheetBody(c *client, judge string, seq int, v string, signedOff bool) []byte {
	e.t.Helper()
	resp, data := c.do("GET", "/api/stages/1/sheets/"+judge+"/work", nil)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, "%s", data)
	var w workJSON
	require.NoError(e.t, json.Unmarshal(data, &w))
	var scores []map[string]string
	for _, p := range w.Ideas {
		for _, cr := range []string{"social", "economic"} {
			scores = append(scores, map[string]string{"judge": judge, "project": p.ID, "criterion": cr, "score": v})
		}
	}
	out, err := json.Marshal(map[string]any{"judge": judge, "dataset": w.StageDigest, "seq": seq, "time": "2026-04-17T09:00:00+01:00", "signed_off": signedOff, "scores": scores})
	require.NoError(e.t, err)
	return out
}

func TestSync(t *testing.T) {
	e := newEnv(t)
	code, _ := e.issue("J1", 60)
	j1, _ := e.join(code)
	first := e.sheetBody(j1, "J1", 1, "15", false)

	resp, data := j1.do("PUT", "/api/stages/1/sheets/J1", first)
	require.Equal(t, http.StatusPreconditionRequired, resp.StatusCode, "no If-Match: %s", data)
	resp, data = j1.do("PUT", "/api/stages/1/sheets/J1", first, "If-Match", `"0"`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
	require.Equal(t, `"1"`, resp.Header.Get("ETag"))
	require.Contains(t, string(data), `"duplicate":false`)

	resp, data = j1.do("PUT", "/api/stages/1/sheets/J1", first, "If-Match", `"0"`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "a retried upload: %s", data)
	require.Contains(t, string(data), `"duplicate":true`)
	require.Contains(t, string(data), `"events":0`)

	resp, data = j1.do("PUT", "/api/stages/1/sheets/J1", e.sheetBody(j1, "J1", 2, "11", false), "If-Match", `"0"`)
	require.Equal(t, http.StatusPreconditionFailed, resp.StatusCode, "stale: %s", data)
	var stale apiError
	require.NoError(t, json.Unmarshal(data, &stale))
	require.NotNil(t, stale.Current)
	require.Equal(t, 1, stale.Current.Version)
	require.Equal(t, "15", stale.Current.Scores[0].Score)

	t.Run("a sheet for another juror is 403", func(t *testing.T) {
		other := bytes.ReplaceAll(e.sheetBody(j1, "J1", 2, "3", false), []byte(`"J1"`), []byte(`"J2"`))
		resp, data := j1.do("PUT", "/api/stages/1/sheets/J1", other, "If-Match", `"1"`)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, "%s", data)
		resp, _ = j1.do("PUT", "/api/stages/1/sheets/J2", other, "If-Match", `"0"`)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("strict JSON: a duplicate key", func(t *testing.T) {
		dup := bytes.Replace(e.sheetBody(j1, "J1", 2, "3", false), []byte(`{"dataset"`), []byte(`{"seq": 9, "dataset"`), 1)
		resp, data := j1.do("PUT", "/api/stages/1/sheets/J1", dup, "If-Match", `"1"`)
		require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, "%s", data)
		require.Contains(t, string(data), "duplicate key")
	})
	t.Run("an oversized body is 413", func(t *testing.T) {
		big := append([]byte(`{"judge": "J1", "scores": [], "x": "`), bytes.Repeat([]byte("a"), sheetBody)...)
		resp, _ := j1.do("PUT", "/api/stages/1/sheets/J1", append(big, `"}`...), "If-Match", `"1"`)
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		resp, _ = e.as("org1").do("POST", "/api/login", bytes.Repeat([]byte(" "), smallBody+1))
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	})
	t.Run("signed off", func(t *testing.T) {
		resp, data := j1.do("PUT", "/api/stages/1/sheets/J1", e.sheetBody(j1, "J1", 5, "16", true), "If-Match", `"1"`)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
		resp, _ = j1.do("PUT", "/api/stages/1/sheets/J1", e.sheetBody(j1, "J1", 6, "10", false), "If-Match", `"5"`)
		require.Equal(t, http.StatusConflict, resp.StatusCode)
		resp, data = e.as("obs1").do("GET", "/api/stages/1/progress", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, string(data), `"judge":"J1","ideas":`)
		require.Contains(t, string(data), `"signed_off":true`)
	})
}

func TestPublishAndPublicPage(t *testing.T) {
	e := newEnv(t)
	for _, j := range []string{"J1", "J2", "J3"} {
		code, _ := e.issue(j, 60)
		c, _ := e.join(code)
		resp, data := c.do("PUT", "/api/stages/1/sheets/"+j, e.sheetBody(c, j, 1, map[string]string{"J1": "12", "J2": "14.5", "J3": "17"}[j], true), "If-Match", `"0"`)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
	}
	org := e.as("org1")
	resp, data := e.as("obs1").do("GET", "/api/stages/1/ideas", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotContains(t, string(data), "example.org", "an observer sees no personal data")
	resp, data = org.do("GET", "/api/stages/1/ideas", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(data), "c1@example.org", "the organiser does")

	resp, live := org.do("GET", "/api/stages/1/ranking", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", live)
	var res struct {
		InputDigest string `json:"input_digest"`
	}
	require.NoError(t, json.Unmarshal(live, &res))

	resp, _ = e.as("anon").do("GET", "/s/agadir", nil)
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "not published yet")
	resp, data = org.do("POST", "/api/stages/1/publish", map[string]string{"input_digest": res.InputDigest})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", data)

	anon := e.as("anon")
	resp, page := anon.do("GET", "/s/agadir", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", page)
	require.Contains(t, string(page), res.InputDigest)
	require.Contains(t, string(page), "Idea 1")
	require.NotContains(t, string(page), "<script>", "no inline script")
	resp, dataset := anon.do("GET", "/s/agadir/dataset.json", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, personal := range []string{"Carrier 1", "example.org", "+212", "Juror J1"} {
		require.NotContains(t, string(dataset), personal)
	}
	_, result := anon.do("GET", "/s/agadir/result.json", nil)
	require.Equal(t, string(live), string(result), "the sealed result is the ranking the organiser saw")
	ds, err := afkar.Decode(dataset)
	require.NoError(t, err)
	again, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	mine, err := again.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, string(result), string(mine), "the public dataset ranks to the public result")

	t.Run("a juror cannot change a published stage", func(t *testing.T) {
		code, _ := e.issue("J2", 60)
		j2, resp := e.join(code)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		resp, data := j2.do("PUT", "/api/stages/1/sheets/J2", e.sheetBody(j2, "J2", 2, "20", false), "If-Match", `"1"`)
		require.Equal(t, http.StatusConflict, resp.StatusCode, "%s", data)
		require.Contains(t, string(data), "published")
	})
	t.Run("republishing needs a reason", func(t *testing.T) {
		resp, _ := org.do("POST", "/api/stages/1/publish", map[string]string{"input_digest": res.InputDigest})
		require.Equal(t, http.StatusConflict, resp.StatusCode)
		_, sheet := org.do("GET", "/api/stages/1/sheets/J1", nil)
		var sh sheetJSON
		require.NoError(t, json.Unmarshal(sheet, &sh))
		first := sh.Scores[0]
		resp, data := org.do("POST", "/api/stages/1/scores/withdraw", map[string]string{"judge": "J1", "project": first.Project, "criterion": first.Criterion, "reason": "typed on the wrong idea"})
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
		_, page := e.as("anon").do("GET", "/s/agadir", nil)
		require.Contains(t, string(page), "result version 2")
		require.Contains(t, string(page), "typed on the wrong idea")
		// Two versions: the page lists them, naming no account (finding 6).
		require.Contains(t, string(page), "by the organisers")
		for _, path := range []string{"/s/agadir", "/s/agadir/dataset.json", "/s/agadir/result.json"} {
			_, body := e.as("anon").do("GET", path, nil)
			for _, login := range []string{"org1", "orgall", "admin", "obs1", "juror:"} {
				require.NotContains(t, string(body), login, path)
			}
		}
	})
}

func TestHeaders(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/login", "/api/session", "/s/none"} {
		resp, _ := e.as("anon").do("GET", path, nil)
		h := resp.Header
		require.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors 'none'", path)
		require.Contains(t, h.Get("Content-Security-Policy"), "script-src 'self' 'wasm-unsafe-eval';", path)
		require.NotContains(t, h.Get("Content-Security-Policy"), "unsafe-inline", path)
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		require.Equal(t, "no-referrer", h.Get("Referrer-Policy"), path)
		require.Equal(t, "DENY", h.Get("X-Frame-Options"), path)
	}
	// No page has an inline script or style: the CSP would block it.
	for _, name := range []string{"login.html", "join.html", "organiser.html", "home.tmpl", "public.tmpl"} {
		data, err := ui.ReadFile("ui/" + name)
		require.NoError(t, err)
		require.NotRegexp(t, `<script(?:\s+type="module")?>|<script>|\son[a-z]+=|style=`, string(data), name)
	}
}

// TestLoginConcurrentAttempts sends many wrong passwords for one login at
// once: at most the limit may reach the password hash, the rest are
// refused with 429 (each attempt is reserved before it is hashed).
func TestLoginConcurrentAttempts(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	hashed := 0
	e.srv.checkPassword = func(hash, pw string) bool {
		mu.Lock()
		hashed++
		mu.Unlock()
		time.Sleep(20 * time.Millisecond) // a slow hash widens the race
		return CheckPassword(hash, pw)
	}
	anon := e.as("anon")
	var wg sync.WaitGroup
	codes := make(chan int, 100)
	for range 100 {
		wg.Go(func() {
			resp, _ := anon.do("POST", "/api/login", map[string]string{"login": "org1", "password": "wrong password"})
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	require.LessOrEqual(t, hashed, 5, "hashes run")
	require.Equal(t, hashed, count[http.StatusUnauthorized], "%v", count)
	require.Equal(t, 100-hashed, count[http.StatusTooManyRequests], "%v", count)

	t.Run("a login name is bounded", func(t *testing.T) {
		before := hashed
		resp, _ := anon.do("POST", "/api/login", map[string]string{"login": strings.Repeat("a", 10_000), "password": "x"})
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		require.Equal(t, before, hashed)
	})
}

// TestLoginHashSlots fills every hashing slot: the next login is told
// to come back (503, Retry-After) rather than queued without bound.
func TestLoginHashSlots(t *testing.T) {
	e := newEnv(t)
	for range cap(e.srv.hashSlots) {
		e.srv.hashSlots <- struct{}{}
	}
	resp, data := e.as("anon").do("POST", "/api/login", map[string]string{"login": "org1", "password": "correct horse battery"})
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "%s", data)
	require.NotEmpty(t, resp.Header.Get("Retry-After"))
	for range cap(e.srv.hashSlots) {
		<-e.srv.hashSlots
	}
	resp, _ = e.as("anon").do("POST", "/api/login", map[string]string{"login": "org1", "password": "correct horse battery"})
	require.Equal(t, http.StatusOK, resp.StatusCode, "the busy answer counted as no failure")
}

// newProxiedEnv is an env behind a trusted proxy on loopback: the tests
// give the client's address in X-Forwarded-For.
func newProxiedEnv(t *testing.T) *env {
	clock := &testClock{t: time.Date(2026, 4, 17, 8, 0, 0, 0, time.UTC)}
	return newEnvOn(t, clock, memory.New(clock.now), func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
	})
}

// TestNoLockout: wrong passwords from one address do not keep a login's
// owner out from another (they only slow the login down), and behind a
// trusted proxy the limits count per client, not per proxy.
func TestNoLockout(t *testing.T) {
	e := newProxiedEnv(t)
	var mu sync.Mutex
	var delays []time.Duration
	e.srv.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		delays = append(delays, d)
		mu.Unlock()
		return nil
	}
	anon := e.as("anon")
	login := func(from, pw string) int {
		resp, _ := anon.do("POST", "/api/login", map[string]string{"login": "admin", "password": pw}, "X-Forwarded-For", from)
		return resp.StatusCode
	}
	for range 5 {
		require.Equal(t, http.StatusUnauthorized, login("203.0.113.9", "wrong"))
	}
	require.Equal(t, http.StatusTooManyRequests, login("203.0.113.9", "correct horse battery"), "the guesser is refused")
	require.Equal(t, http.StatusOK, login("198.51.100.7, 10.1.2.3", "correct horse battery"), "the owner, elsewhere, gets in")
	require.Equal(t, []time.Duration{time.Second}, delays, "slowed down, not refused")

	t.Run("codes per client", func(t *testing.T) {
		for range 20 {
			resp, _ := e.as("anon").do("POST", "/api/join", map[string]string{"code": "ZZZZZ-ZZZZZ"}, "X-Forwarded-For", "203.0.113.9")
			require.NotEqual(t, http.StatusOK, resp.StatusCode)
		}
		code, _ := e.issue("J2", 60)
		resp, _ := e.as("anon").do("POST", "/api/join", map[string]string{"code": code}, "X-Forwarded-For", "198.51.100.7")
		require.Equal(t, http.StatusOK, resp.StatusCode, "another juror joins")
	})
}

func TestClientAddr(t *testing.T) {
	trusting := New(Config{Store: memory.New(nil), TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	for _, c := range []struct{ peer, xff, want string }{
		{"192.0.2.1:5000", "198.51.100.7", "192.0.2.1"},             // an untrusted peer's header is ignored
		{"10.0.0.2:5000", "198.51.100.7", "198.51.100.7"},           // the proxy's client
		{"10.0.0.2:5000", "6.6.6.6, 198.51.100.7", "198.51.100.7"},  // a forged hop on the left
		{"10.0.0.2:5000", "198.51.100.7, 10.9.9.9", "198.51.100.7"}, // two proxies
		{"10.0.0.2:5000", "", "10.0.0.2"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		require.Equal(t, c.want, trusting.clientAddr(r), "%+v", c)
	}
}

// TestPublicLinks: behind a TLS proxy (ProxyTLS) join links are https
// and HSTS is sent; a PublicURL gives links their scheme and host.
func TestPublicLinks(t *testing.T) {
	link := func(e *env) string {
		resp, data := e.as("org1").do("POST", "/api/stages/1/codes", map[string]any{"judge": "J1"})
		require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", data)
		var c issuedCode
		require.NoError(t, json.Unmarshal(data, &c))
		return c.Link
	}
	hsts := func(e *env) string {
		resp, _ := e.as("anon").do("GET", "/login", nil)
		return resp.Header.Get("Strict-Transport-Security")
	}
	env := func(o func(*Config)) *env {
		clock := &testClock{t: time.Date(2026, 4, 17, 8, 0, 0, 0, time.UTC)}
		return newEnvOn(t, clock, memory.New(clock.now), o)
	}
	plain := env(func(*Config) {})
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/join#code=`, link(plain))
	require.Empty(t, hsts(plain))

	proxied := env(func(c *Config) { c.ProxyTLS = true })
	require.Regexp(t, `^https://127\.0\.0\.1:\d+/join#code=`, link(proxied))
	require.Contains(t, hsts(proxied), "max-age=")

	u, err := ParsePublicURL("https://stage.example.org/")
	require.NoError(t, err)
	named := env(func(c *Config) { c.PublicURL = u })
	require.Regexp(t, `^https://stage\.example\.org/join#code=`, link(named))
	require.Contains(t, hsts(named), "max-age=")

	for _, bad := range []string{"stage.example.org", "ftp://x", "https://x/path", "https://x?q", "https://u@x", "https://"} {
		_, err := ParsePublicURL(bad)
		require.Error(t, err, bad)
	}
}

// TestSyncDuringSlowImport: while a CSV import's body is still arriving,
// a juror loads their work and syncs their sheet (on SQLite, whose only
// writer the import must not hold while it reads the network).
func TestSyncDuringSlowImport(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 4, 17, 8, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "afkar.db"), sqlite.Config{Clock: clock.now})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	e := newEnvOn(t, clock, db)
	code, _ := e.issue("J1", 60)
	j1, _ := e.join(code)
	org := e.as("org1")

	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", e.http.URL+"/api/stages/1/ideas.csv", pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("X-CSRF-Token", org.csrf)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: org.cookie})
	imported := make(chan int, 1)
	go func() {
		resp, err := e.http.Client().Do(req)
		if err != nil {
			imported <- 0
			return
		}
		resp.Body.Close()
		imported <- resp.StatusCode
	}()
	_, err = io.WriteString(pw, "id,title,region\nP9,Idea 9,oriental\n")
	require.NoError(t, err)
	time.Sleep(50 * time.Millisecond) // the import's handler is reading the body

	// Were the sync to wait for the import, this would end the import
	// (and the wait) after 5 s.
	watchdog := time.AfterFunc(5*time.Second, func() { pw.CloseWithError(errors.New("watchdog")) })
	start := time.Now()
	body := e.sheetBody(j1, "J1", 1, "15", false)
	resp, data := j1.do("PUT", "/api/stages/1/sheets/J1", body, "If-Match", `"0"`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
	require.True(t, watchdog.Stop(), "the sync waited %v for the import's body", time.Since(start))
	_, err = io.WriteString(pw, "P10,Idea 10,oriental\n")
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	require.Equal(t, http.StatusCreated, <-imported)
	ideas, err := db.Ideas(context.Background(), 1)
	require.NoError(t, err)
	require.Len(t, ideas, 6)
}
