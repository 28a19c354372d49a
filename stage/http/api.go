package http

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/stage"
)

// routes is the route table: every endpoint and who may call it.
func (s *Server) routes() []route {
	return []route{
		{"GET /healthz", public, 0, s.health},
		{"POST /api/login", public, smallBody, s.login},
		{"POST /api/join", public, smallBody, s.join},
		{"POST /api/logout", signedIn, 0, s.logout},
		{"GET /api/session", signedIn, 0, s.sessionInfo},

		{"GET /api/users", admins, 0, s.listUsers},
		{"POST /api/users", admins, smallBody, s.createUser},

		{"GET /api/stages", signedIn, 0, s.listStages},
		{"POST /api/stages", creators, smallBody, s.createStage},
		{"GET /api/stages/{stage}", members, 0, s.getStage},
		{"GET /api/stages/{stage}/ideas", observers, 0, s.listIdeas},
		{"POST /api/stages/{stage}/ideas", organisers, bulkBody, s.addIdeasJSON},
		{"POST /api/stages/{stage}/ideas.csv", organisers, bulkBody, s.addIdeasCSV},
		{"GET /api/stages/{stage}/jurors", observers, 0, s.listJurors},
		{"PUT /api/stages/{stage}/jurors/{judge}", organisers, smallBody, s.putJuror},
		{"POST /api/stages/{stage}/jurors/{judge}/drop", organisers, smallBody, s.dropJuror},
		{"GET /api/stages/{stage}/codes", organisers, 0, s.listCodes},
		{"POST /api/stages/{stage}/codes", organisers, smallBody, s.issueCode},
		{"POST /api/stages/{stage}/codes/{code}/revoke", organisers, 0, s.revokeCode},
		{"GET /api/stages/{stage}/assignment", observers, 0, s.listAssignment},
		{"POST /api/stages/{stage}/assignment", organisers, 0, s.runAssignment},
		{"GET /api/stages/{stage}/progress", observers, 0, s.progress},
		{"GET /api/stages/{stage}/ranking", observers, 0, s.ranking},
		{"GET /api/stages/{stage}/dataset.json", observers, 0, s.exportDataset},
		{"POST /api/stages/{stage}/scores/withdraw", organisers, smallBody, s.withdraw},
		{"POST /api/stages/{stage}/publish", organisers, smallBody, s.publish},
		{"GET /api/stages/{stage}/results", observers, 0, s.listResults},
		{"GET /api/stages/{stage}/audit", observers, 0, s.audit},
		{"GET /api/stages/{stage}/sheets/{judge}", sheetReaders, 0, s.getSheet},
		{"PUT /api/stages/{stage}/sheets/{judge}", sheetOwner, sheetBody, s.syncSheet},
		{"GET /api/stages/{stage}/sheets/{judge}/work", sheetReaders, 0, s.work},

		{"GET /{$}", public, 0, s.home},
		{"GET /login", public, 0, s.page("login.html")},
		{"GET /join", public, 0, s.page("join.html")},
		{"GET /organiser", public, 0, s.page("organiser.html")},
		{"GET /ui/{file}", public, 0, s.asset},
		{"GET /s/{slug}", public, 0, s.publicPage},
		{"GET /s/{slug}/dataset.json", public, 0, s.publicDataset},
		{"GET /s/{slug}/result.json", public, 0, s.publicResult},
		{"GET /widget/{file...}", public, 0, s.widget},
	}
}

// writeJSON answers v as JSON with status; answers are never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func subtleEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// waitError is a rate limit's refusal, or a busy server's (busy): try
// again after d.
type waitError struct {
	d    time.Duration
	busy bool
}

func (e *waitError) Error() string {
	if e.busy {
		return fmt.Sprintf("the server is busy checking passwords: try again in %d s", int(e.d.Seconds())+1)
	}
	return fmt.Sprintf("too many failed attempts: try again in %d s", int(e.d.Seconds())+1)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request, c *call) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// sessionJSON is what a client learns of its session.
type sessionJSON struct {
	User stage.User `json:"user"`
	CSRF string     `json:"csrf"`
}

// startSession opens a session for u and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u stage.User, codeID int64) error {
	tok, csrf := token(32), token(32)
	now := s.clock()
	sess := stage.Session{Hash: hashToken(tok), UserID: u.ID, CSRF: csrf, CodeID: codeID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, sessionJSON{User: u, CSRF: csrf})
	return nil
}

// maxLogin bounds a login name (and maxPassword a password) in bytes:
// longer ones are refused before anything else.
const (
	maxLogin    = 128
	maxPassword = 1024
)

// errBusy refuses a login when every password-hashing slot is taken.
var errBusy = &statusError{http.StatusServiceUnavailable, &waitError{d: 0, busy: true}}

func (s *Server) login(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	if len(body.Login) > maxLogin || len(body.Password) > maxPassword {
		return &statusError{http.StatusUnauthorized, errors.New("wrong login or password")}
	}
	now := s.clock()
	addr := s.clientAddr(r)
	pair := body.Login + "\x00" + addr
	// The attempt is reserved as a failure before the password is hashed,
	// so that concurrent attempts cannot all pass the limits: at most the
	// limit reach the hash. A success, or an attempt that never reaches
	// it, takes its reservation back. The hard limits are per login from
	// one address, per address, and (much higher) per login from
	// anywhere; past LoginFailures failures from anywhere, a login's
	// attempts are only slowed down, so that nobody can lock its owner
	// out with a few wrong passwords.
	var taken []*limiter
	keys := map[*limiter]string{s.byPair: pair, s.byAddr: addr, s.byLogin: body.Login}
	undo := func() {
		for _, l := range taken {
			l.undo(keys[l], now)
		}
	}
	for _, l := range []*limiter{s.byPair, s.byAddr, s.byLogin} {
		if d := l.take(keys[l], now); d > 0 {
			undo()
			return &statusError{http.StatusTooManyRequests, &waitError{d: d}}
		}
		taken = append(taken, l)
	}
	if n := s.byLogin.count(body.Login, now) - 1 - s.cfg.LoginFailures; n >= 0 {
		if err := s.sleep(r.Context(), min(time.Duration(n+1)*time.Second, maxLoginDelay)); err != nil {
			undo()
			return err
		}
	}
	u, err := s.store.UserByLogin(r.Context(), body.Login)
	hash := s.dummyHash
	if err == nil && u.Role != stage.RoleJuror && !u.Disabled {
		hash = u.PasswordHash
	} else if err != nil && !errors.Is(err, stage.ErrNotFound) {
		undo()
		return err
	}
	ok, err := s.hashGate(r, hash, body.Password)
	if err != nil {
		undo()
		return err
	}
	if !ok || hash == s.dummyHash {
		return &statusError{http.StatusUnauthorized, errors.New("wrong login or password")}
	}
	s.byPair.reset(pair)
	s.byAddr.undo(addr, now)
	s.byLogin.undo(body.Login, now)
	return s.startSession(w, r, u, 0)
}

// maxLoginDelay bounds the delay of a login that failed often from
// anywhere.
const maxLoginDelay = 5 * time.Second

// sleepCtx waits d, or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hashGate checks password against hash in one of the server's hashing
// slots (about one per CPU: each argon2id hash takes its memory and a
// core), waiting a little for one; when none frees up it answers 503
// with Retry-After.
func (s *Server) hashGate(r *http.Request, hash, password string) (bool, error) {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case s.hashSlots <- struct{}{}:
	case <-t.C:
		return false, errBusy
	case <-r.Context().Done():
		return false, r.Context().Err()
	}
	defer func() { <-s.hashSlots }()
	return s.checkPassword(hash, password), nil
}

// hashWait is how long a login waits for a hashing slot.
const hashWait = 2 * time.Second

func (s *Server) join(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		Code string `json:"code"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	now := s.clock()
	addr := s.clientAddr(r)
	// Reserved before the redemption, as logins are (see login).
	if d := s.codes.take(addr, now); d > 0 {
		return &statusError{http.StatusTooManyRequests, &waitError{d: d}}
	}
	code := normalizeCode(body.Code)
	u, id, err := s.store.RedeemCode(r.Context(), hashToken(code), now)
	if errors.Is(err, stage.ErrCode) {
		return &statusError{http.StatusUnauthorized, err}
	}
	s.codes.undo(addr, now)
	if err != nil {
		return err
	}
	return s.startSession(w, r, u, id)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.store.DeleteSession(r.Context(), c.session.Hash); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) sessionInfo(w http.ResponseWriter, r *http.Request, c *call) error {
	writeJSON(w, http.StatusOK, sessionJSON{User: *c.user, CSRF: c.session.CSRF})
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, c *call) error {
	us, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, us)
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		Login    string     `json:"login"`
		Name     string     `json:"name"`
		Role     stage.Role `json:"role"`
		Stage    int64      `json:"stage"`
		Password string     `json:"password"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	if body.Role == stage.RoleJuror {
		return &statusError{http.StatusUnprocessableEntity, errors.New("jurors are let in by codes, not accounts: issue a code")}
	}
	hash, err := HashPassword(body.Password, s.cfg.Argon2)
	if err != nil {
		return &statusError{http.StatusUnprocessableEntity, err}
	}
	u, err := s.store.CreateUser(r.Context(), stage.User{Login: body.Login, Name: body.Name, Role: body.Role, Stage: body.Stage, PasswordHash: hash}, c.actor())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) listStages(w http.ResponseWriter, r *http.Request, c *call) error {
	all, err := s.store.Stages(r.Context())
	if err != nil {
		return err
	}
	out := []stage.Stage{}
	for _, st := range all {
		if c.user.Observes(st.ID) || c.user.Role == stage.RoleJuror && c.user.Stage == st.ID {
			out = append(out, st)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// stageBody is a new stage as a client sends it.
type stageBody struct {
	Slug          string          `json:"slug"`
	Title         string          `json:"title"`
	Region        string          `json:"region"`
	Date          string          `json:"date"`
	Rules         json.RawMessage `json:"rules"`
	JurorsPerIdea int             `json:"jurors_per_idea"`
	CapPerJuror   int             `json:"cap_per_juror"`
	Seed          string          `json:"seed"`
}

func (s *Server) createStage(w http.ResponseWriter, r *http.Request, c *call) error {
	var body stageBody
	if err := decode(r, &body); err != nil {
		return err
	}
	if body.Seed == "" {
		body.Seed = token(12) // published with the stage
	}
	st, err := s.store.CreateStage(r.Context(), stage.Stage{Slug: body.Slug, Title: body.Title, Region: body.Region, Date: body.Date,
		Rules: body.Rules, JurorsPerIdea: body.JurorsPerIdea, CapPerJuror: body.CapPerJuror, Seed: body.Seed}, c.actor())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, st)
	return nil
}

func (s *Server) getStage(w http.ResponseWriter, r *http.Request, c *call) error {
	st, err := s.store.Stage(r.Context(), c.stage)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// ideaJSON is an idea as the API shows it; Carrier only to organisers.
type ideaBody struct {
	ID          string            `json:"id"`
	Title       string            `json:"title"`
	Summary     string            `json:"summary"`
	Region      string            `json:"region"`
	Sector      string            `json:"sector"`
	Cooperative string            `json:"cooperative"`
	Attributes  map[string]string `json:"attributes"`
	Carrier     *stage.Carrier    `json:"carrier"`
}

func (b ideaBody) idea() stage.Idea {
	return stage.Idea{ID: b.ID, Title: b.Title, Summary: b.Summary, Region: b.Region, Sector: b.Sector,
		Cooperative: b.Cooperative, Attributes: b.Attributes, Carrier: b.Carrier}
}

func (s *Server) listIdeas(w http.ResponseWriter, r *http.Request, c *call) error {
	ideas, err := s.store.Ideas(r.Context(), c.stage)
	if err != nil {
		return err
	}
	if !c.user.Organises(c.stage) {
		for i := range ideas {
			ideas[i].Carrier = nil // personal data: organisers only
		}
	}
	writeJSON(w, http.StatusOK, ideas)
	return nil
}

func (s *Server) addIdeasJSON(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		Ideas  []ideaBody `json:"ideas"`
		Reason string     `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	next := func(yield func(stage.Idea, error) bool) {
		for _, b := range body.Ideas {
			if !yield(b.idea(), nil) {
				return
			}
		}
	}
	n, err := s.store.AddIdeas(r.Context(), c.stage, next, c.actor(), body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]int{"added": n})
	return nil
}

// addIdeasCSV imports ideas from a CSV body (columns id, title, summary,
// region, sector, cooperative, carrier_name, carrier_email, carrier_phone;
// id required, others optional). The body, bounded by the route, is read
// and parsed whole before the store's transaction begins, so that a slow
// upload never holds the store's only writer while it arrives; at most
// stage.MaxProblems problems come back. The reason, after publication,
// is the X-Reason header.
func (s *Server) addIdeasCSV(w http.ResponseWriter, r *http.Request, c *call) error {
	ideas, problem, err := parseIdeasCSV(r.Body)
	if err != nil {
		return err
	}
	next := func(yield func(stage.Idea, error) bool) {
		for _, p := range ideas {
			if !yield(p, nil) {
				return
			}
		}
		if problem != nil {
			yield(stage.Idea{}, problem)
		}
	}
	n, err := s.store.AddIdeas(r.Context(), c.stage, iter.Seq2[stage.Idea, error](next), c.actor(), r.Header.Get("X-Reason"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]int{"added": n})
	return nil
}

// parseIdeasCSV reads a CSV of ideas whole: the ideas, and the problem
// that stopped the reading, if any (the store reports it after those of
// the ideas before it). err is a body past its limit or a header without
// an id column.
func parseIdeasCSV(body io.Reader) (ideas []stage.Idea, problem scoring.Problems, err error) {
	cr := csv.NewReader(bomSkipper(body))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, err
		}
		return nil, nil, scoring.Problems{{Path: "line 1", Message: "expected a header row with an id column"}}
	}
	at := map[string]int{}
	for i, h := range header {
		at[strings.TrimSpace(h)] = i
	}
	if _, ok := at["id"]; !ok {
		return nil, nil, scoring.Problems{{Path: "line 1", Message: "missing column \"id\""}}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return ideas, nil, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				err = nil
			} else {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					return nil, nil, err
				}
				return ideas, scoring.Problems{{Path: fmt.Sprintf("line %d", line), Message: err.Error()}}, nil
			}
		}
		cell := func(name string) string {
			if i, ok := at[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := stage.Idea{ID: cell("id"), Title: cell("title"), Summary: cell("summary"), Region: cell("region"),
			Sector: cell("sector"), Cooperative: cell("cooperative")}
		if cr := (stage.Carrier{Name: cell("carrier_name"), Email: cell("carrier_email"), Phone: cell("carrier_phone")}); cr != (stage.Carrier{}) {
			p.Carrier = &cr
		}
		ideas = append(ideas, p)
	}
}

// bomSkipper drops a UTF-8 byte order mark at the start of r.
func bomSkipper(r io.Reader) io.Reader {
	var head [3]byte
	n, _ := io.ReadFull(r, head[:])
	if n == 3 && bytes.Equal(head[:], []byte("\ufeff")) {
		return r
	}
	return io.MultiReader(bytes.NewReader(head[:n]), r)
}

func (s *Server) listJurors(w http.ResponseWriter, r *http.Request, c *call) error {
	js, err := s.store.Jurors(r.Context(), c.stage)
	if err != nil {
		return err
	}
	if !c.user.Organises(c.stage) {
		for i := range js {
			js[i].Name = "" // personal data: organisers only
		}
	}
	writeJSON(w, http.StatusOK, js)
	return nil
}

func (s *Server) putJuror(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		Name        string   `json:"name"`
		Cooperative string   `json:"cooperative"`
		Conflicts   []string `json:"conflicts"`
		Abstains    []string `json:"abstains"`
		Reason      string   `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	j, err := s.store.PutJuror(r.Context(), c.stage, stage.Juror{ID: c.judge, Name: body.Name, Cooperative: body.Cooperative,
		Conflicts: body.Conflicts, Abstains: body.Abstains}, c.actor(), body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// reasonBody is a change that gives its reason.
type reasonBody struct {
	Reason string `json:"reason"`
}

func (s *Server) dropJuror(w http.ResponseWriter, r *http.Request, c *call) error {
	var body reasonBody
	if err := decode(r, &body); err != nil {
		return err
	}
	if err := s.store.DropJuror(r.Context(), c.stage, c.judge, c.actor(), body.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listCodes(w http.ResponseWriter, r *http.Request, c *call) error {
	cs, err := s.store.Codes(r.Context(), c.stage)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cs)
	return nil
}

// issuedCode is a new code: its text is shown once, to the organiser.
type issuedCode struct {
	stage.Code
	Text string `json:"code"`
	// Link opens the juror's page with the code in the fragment, which
	// browsers never send to a server (nor put in a Referer).
	Link string `json:"link"`
}

func (s *Server) issueCode(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		Judge      string `json:"judge"`
		TTLMinutes int    `json:"ttl_minutes"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	ttl := s.cfg.CodeTTL
	if body.TTLMinutes > 0 {
		ttl = min(time.Duration(body.TTLMinutes)*time.Minute, 7*24*time.Hour)
	}
	text := newCode()
	code, err := s.store.CreateCode(r.Context(), stage.Code{Stage: c.stage, Judge: body.Judge, ExpiresAt: s.clock().Add(ttl)}, hashToken(normalizeCode(text)), c.actor())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, issuedCode{Code: code, Text: text, Link: s.publicBase(r) + "/join#code=" + text})
	return nil
}

func (s *Server) revokeCode(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := strconv.ParseInt(r.PathValue("code"), 10, 64)
	if err != nil {
		return &statusError{http.StatusNotFound, fmt.Errorf("no code %q", r.PathValue("code"))}
	}
	if err := s.store.RevokeCode(r.Context(), c.stage, id, c.actor()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listAssignment(w http.ResponseWriter, r *http.Request, c *call) error {
	as, err := s.store.Assignments(r.Context(), c.stage, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, as)
	return nil
}

func (s *Server) runAssignment(w http.ResponseWriter, r *http.Request, c *call) error {
	plan, err := s.store.Assign(r.Context(), c.stage, c.actor())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, plan)
	return nil
}

func (s *Server) progress(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.store.Progress(r.Context(), c.stage)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// writeRaw answers bytes already JSON.
func writeRaw(w http.ResponseWriter, data []byte, attachment string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if attachment != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+attachment+`"`)
	}
	w.Write(data)
}

// ranking answers the stage's result now (afkar-result/1): the ranking
// the organiser checks before publishing it, by its input_digest.
func (s *Server) ranking(w http.ResponseWriter, r *http.Request, c *call) error {
	ds, err := s.store.Dataset(r.Context(), c.stage)
	if err != nil {
		return err
	}
	res, err := afkar.Evaluate(r.Context(), ds)
	if err != nil {
		return err
	}
	data, err := res.MarshalJSON()
	if err != nil {
		return err
	}
	writeRaw(w, data, "")
	return nil
}

func (s *Server) exportDataset(w http.ResponseWriter, r *http.Request, c *call) error {
	ds, err := s.store.Dataset(r.Context(), c.stage)
	if err != nil {
		return err
	}
	data, err := ds.MarshalJSON()
	if err != nil {
		return err
	}
	writeRaw(w, data, "dataset.json")
	return nil
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		Judge     string `json:"judge"`
		Project   string `json:"project"`
		Criterion string `json:"criterion"`
		Reason    string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	sh, err := s.store.Withdraw(r.Context(), c.stage, body.Judge, body.Project, body.Criterion, c.actor(), body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSheetJSON(sh))
	return nil
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request, c *call) error {
	var body struct {
		InputDigest string `json:"input_digest"`
		Reason      string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	res, err := s.store.Publish(r.Context(), c.stage, body.InputDigest, c.actor(), body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, res)
	return nil
}

func (s *Server) listResults(w http.ResponseWriter, r *http.Request, c *call) error {
	rs, err := s.store.Results(r.Context(), c.stage)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rs)
	return nil
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, c *call) error {
	es, err := s.store.Audit(r.Context(), c.stage)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, es)
	return nil
}

// sheetJSON is a juror's sheet as the API shows it.
type sheetJSON struct {
	Judge      string      `json:"judge"`
	Version    int         `json:"version"`
	SignedOff  bool        `json:"signed_off"`
	DeviceTime *time.Time  `json:"device_time,omitempty"`
	UpdatedAt  *time.Time  `json:"updated_at,omitempty"`
	Scores     []scoreJSON `json:"scores"`
}

// scoreJSON is a score in the dataset's form, the value a decimal string.
type scoreJSON struct {
	Judge     string `json:"judge"`
	Project   string `json:"project"`
	Criterion string `json:"criterion"`
	Score     string `json:"score"`
}

func toSheetJSON(sh stage.Sheet) *sheetJSON {
	out := &sheetJSON{Judge: sh.Judge, Version: sh.Version, SignedOff: sh.SignedOff, Scores: []scoreJSON{}}
	if !sh.DeviceTime.IsZero() {
		out.DeviceTime = &sh.DeviceTime
	}
	if !sh.UpdatedAt.IsZero() {
		out.UpdatedAt = &sh.UpdatedAt
	}
	for _, s := range sh.Scores {
		out.Scores = append(out.Scores, scoreJSON{Judge: sh.Judge, Project: s.Project, Criterion: s.Criterion, Score: s.Value.String()})
	}
	return out
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func (s *Server) getSheet(w http.ResponseWriter, r *http.Request, c *call) error {
	sh, err := s.store.Sheet(r.Context(), c.stage, c.judge)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(sh.Version))
	writeJSON(w, http.StatusOK, toSheetJSON(sh))
	return nil
}

// syncSheet applies a juror's whole sheet (afkar.DecodeSheet's format).
// If-Match names the server version the phone built on ("0" before the
// first sync); the sheet's seq is its new version. A retried upload
// answers 200 with duplicate true; a stale base answers 412 with the
// server's sheet; a sheet of another stage state answers 409 with the
// stage digest to load again.
func (s *Server) syncSheet(w http.ResponseWriter, r *http.Request, c *call) error {
	base, err := strconv.Atoi(strings.Trim(r.Header.Get("If-Match"), `"`))
	if err != nil || base < 0 {
		return &statusError{http.StatusPreconditionRequired, errors.New(`If-Match missing: give the version the sheet is built on, such as "0" before the first sync`)}
	}
	data, err := readBody(r)
	if err != nil {
		return err
	}
	sh, err := afkar.DecodeSheet(data)
	if err != nil {
		return err
	}
	if sh.Judge != c.judge {
		return &statusError{http.StatusForbidden, fmt.Errorf("the sheet is judge %q's: a juror sends only their own sheet", sh.Judge)}
	}
	res, err := s.store.Sync(r.Context(), stage.SyncRequest{Stage: c.stage, Judge: c.judge, Base: base, Sheet: sh, By: c.actor()})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(res.Sheet.Version))
	writeJSON(w, http.StatusOK, struct {
		Sheet     *sheetJSON `json:"sheet"`
		Duplicate bool       `json:"duplicate"`
		Events    int        `json:"events"`
	}{toSheetJSON(res.Sheet), res.Duplicate, res.Events})
	return nil
}

// workJSON is what a juror's phone needs to score: the rules, the ideas
// assigned (no personal data), the stage digest its sheet must name, and
// the sheet as the server has it.
type workJSON struct {
	Stage       stageInfo       `json:"stage"`
	Rules       json.RawMessage `json:"rules"`
	StageDigest string          `json:"stage_digest"`
	Ideas       []stage.Idea    `json:"ideas"`
	Sheet       *sheetJSON      `json:"sheet"`
}

type stageInfo struct {
	ID        int64  `json:"id"`
	Slug      string `json:"slug"`
	Title     string `json:"title"`
	Published int    `json:"published"`
}

func (s *Server) work(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	st, err := s.store.Stage(ctx, c.stage)
	if err != nil {
		return err
	}
	digest, err := s.store.StageDigest(ctx, c.stage)
	if err != nil {
		return err
	}
	as, err := s.store.Assignments(ctx, c.stage, c.judge)
	if err != nil {
		return err
	}
	mine := map[string]bool{}
	for _, a := range as {
		mine[a.Project] = true
	}
	all, err := s.store.Ideas(ctx, c.stage)
	if err != nil {
		return err
	}
	ideas := []stage.Idea{}
	for _, p := range all {
		if mine[p.ID] {
			p.Carrier = nil
			ideas = append(ideas, p)
		}
	}
	sh, err := s.store.Sheet(ctx, c.stage, c.judge)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(sh.Version))
	writeJSON(w, http.StatusOK, workJSON{Stage: stageInfo{st.ID, st.Slug, st.Title, st.Published}, Rules: st.Rules,
		StageDigest: digest, Ideas: ideas, Sheet: toSheetJSON(sh)})
	return nil
}
