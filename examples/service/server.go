package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/bank/validation"
	"github.com/afkarlab/afkar/scoring"
)

// server is the HTTP API over one bank.
type server struct {
	bank     *store.Bank
	rules    *afkar.Dataset // the rubric and ranking rules of every stage
	snapshot string         // the snapshot file; empty means none (tests)
	log      *slog.Logger
}

// Body size limits: a JSON request, and a CSV file.
const (
	maxJSON = 1 << 20
	maxCSV  = 32 << 20
)

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stages", s.listStages)

	mux.HandleFunc("POST /cooperatives", s.addCooperative)
	mux.HandleFunc("GET /cooperatives", s.listCooperatives)
	mux.HandleFunc("GET /cooperatives/{id}", s.getCooperative)
	mux.HandleFunc("GET /cooperatives.csv", s.exportCooperatives)
	mux.HandleFunc("POST /cooperatives.csv", s.importCooperatives)

	mux.HandleFunc("POST /ideas", s.submitIdea)
	mux.HandleFunc("GET /ideas", s.listIdeas)
	mux.HandleFunc("GET /ideas/{id}", s.getIdea)
	mux.HandleFunc("PUT /ideas/{id}", s.updateIdea)
	mux.HandleFunc("POST /ideas/{id}/transitions", s.moveIdea)
	mux.HandleFunc("GET /ideas.csv", s.exportIdeas)
	mux.HandleFunc("POST /ideas.csv", s.importIdeas)

	mux.HandleFunc("PUT /stages/{stage}/judges", s.setJudges)
	mux.HandleFunc("POST /stages/{stage}/scores", s.addScores)
	mux.HandleFunc("POST /stages/{stage}/ranking", s.rank)
	mux.HandleFunc("POST /stages/{stage}/ranking/apply", s.applyRanking)
	return mux
}

// problem is one problem of a request, as the API reports it.
type problem struct {
	Line    int    `json:"line,omitempty"` // of a CSV file
	Path    string `json:"path,omitempty"`
	Rule    string `json:"rule,omitempty"`
	Message string `json:"message"`
}

// apiError is an error response: {"error": ..., "problems": [...]}.
type apiError struct {
	status   int
	Error    string    `json:"error"`
	Problems []problem `json:"problems,omitempty"`
	Version  int64     `json:"current_version,omitempty"`
	Digest   string    `json:"input_digest,omitempty"`
}

// invalidSummary is the error line of a validation failure, in lang.
func invalidSummary(lang string) string {
	return bank.Names{
		AR: "البيانات لا تستوفي قواعد بنك المشاريع",
		FR: "les données ne respectent pas les règles de la banque de projets",
		EN: "the data breaks the project bank's rules",
	}.In(lang)
}

// fail writes err as a JSON error, with the status its type calls for and
// validation messages in lang.
func (s *server) fail(w http.ResponseWriter, lang string, err error) {
	e := apiError{status: http.StatusInternalServerError, Error: err.Error()}
	var ves validation.Errors
	var ve validation.Error
	var les store.LineErrors
	var ps scoring.Problems
	var conflict *store.ConflictError
	var te *bank.TransitionError
	var status statusError
	switch {
	case errors.As(err, &status):
		e.status = status.status
	case errors.As(err, &ves):
		e.status, e.Error = http.StatusUnprocessableEntity, invalidSummary(lang)
		for _, v := range ves {
			e.Problems = append(e.Problems, problem{Path: v.Path, Rule: v.Rule, Message: v.In(lang)})
		}
	case errors.As(err, &les):
		e.status, e.Error = http.StatusUnprocessableEntity, invalidSummary(lang)
		for _, le := range les {
			p := problem{Line: le.Line, Path: le.Path, Message: le.Err.Error()}
			if errors.As(le.Err, &ve) {
				p.Rule, p.Message = ve.Rule, ve.In(lang)
			}
			e.Problems = append(e.Problems, p)
		}
	case errors.As(err, &ps):
		e.status, e.Error = http.StatusUnprocessableEntity, "invalid scores or rules"
		for _, p := range ps {
			e.Problems = append(e.Problems, problem{Path: p.Path, Message: p.Message})
		}
	case errors.As(err, &conflict):
		e.status, e.Version = http.StatusPreconditionFailed, conflict.Current
	case errors.As(err, &te):
		e.status = http.StatusConflict
	case errors.Is(err, store.ErrNotFound):
		e.status = http.StatusNotFound
	case errors.Is(err, store.ErrExists):
		e.status = http.StatusConflict
	case errors.Is(err, store.ErrLifecycle), errors.Is(err, store.ErrNoActor), errors.Is(err, store.ErrCursor):
		e.status = http.StatusBadRequest
	}
	if e.status == http.StatusInternalServerError {
		s.log.Error("request failed", "err", err)
	}
	writeJSON(w, e.status, e)
}

// statusError is an error with its HTTP status.
type statusError struct {
	status int
	err    error
}

func (e statusError) Error() string { return e.err.Error() }

func badRequest(format string, args ...any) error {
	return statusError{http.StatusBadRequest, fmt.Errorf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// lang is the language of a request's validation messages.
func lang(r *http.Request) string { return validation.Language(r.Header.Get("Accept-Language")) }

// actor returns who makes a change: the X-Actor header, which must be set.
func actor(r *http.Request) (string, error) {
	a := strings.TrimSpace(r.Header.Get("X-Actor"))
	if a == "" {
		return "", statusError{http.StatusBadRequest, errors.New("X-Actor header missing: say who makes the change")}
	}
	return a, nil
}

// decode reads a JSON request body into v, strictly: no unknown field, one
// value, at most maxJSON bytes.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("reading the JSON body: %v", err)
	}
	if dec.More() {
		return badRequest("reading the JSON body: more than one value")
	}
	return nil
}

// save writes the bank to its snapshot file after a change.
func (s *server) save() error {
	if s.snapshot == "" {
		return nil
	}
	if err := s.bank.SaveSnapshot(s.snapshot); err != nil {
		return fmt.Errorf("the change is made in memory, but the snapshot could not be saved: %w", err)
	}
	return nil
}

// stage reads the {stage} path value: a stage number of the tour.
func stage(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("stage"))
	if err != nil || n < 1 || n > len(bank.Tour()) {
		return 0, statusError{http.StatusNotFound, fmt.Errorf("no stage %q: the tour has stages 1 to %d", r.PathValue("stage"), len(bank.Tour()))}
	}
	return n, nil
}

// etag is the ETag of a version; ifMatch reads the If-Match header back.
// changed ends a request that changed the bank (err is the change's
// outcome): it saves the snapshot, then answers v with status, its version
// as ETag and, when location is not empty, a Location header; or the error
// if the change or the save failed.
func (s *server) changed(w http.ResponseWriter, lang string, status int, location string, v any, version int64, err error) {
	if err == nil {
		err = s.save()
	}
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	if location != "" {
		w.Header().Set("Location", location)
	}
	w.Header().Set("ETag", etag(version))
	writeJSON(w, status, v)
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

func ifMatch(r *http.Request) (int64, bool) {
	v, err := strconv.ParseInt(strings.Trim(r.Header.Get("If-Match"), `"`), 10, 64)
	return v, err == nil && v > 0
}

func (s *server) listStages(w http.ResponseWriter, r *http.Request) {
	type stageInfo struct {
		bank.Stage
		RegionName bank.Names `json:"region_name"`
		Ideas      int        `json:"ideas"`
		Scores     int        `json:"scores"`
	}
	var out []stageInfo
	for _, st := range bank.Tour() {
		region, _ := bank.LookupRegion(st.Region)
		page, _ := s.bank.Query(store.Query{Stage: st.Number, Limit: 1})
		out = append(out, stageInfo{st, region.Name, page.Total, len(s.bank.Jury(st.Number).Scores)})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) addCooperative(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	var c bank.Cooperative
	if err := decode(w, r, &c); err != nil {
		s.fail(w, lang, err)
		return
	}
	added, err := s.bank.AddCooperative(c)
	s.changed(w, lang, http.StatusCreated, "/cooperatives/"+added.ID, added, added.Version, err)
}

func (s *server) listCooperatives(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.bank.Cooperatives())
}

func (s *server) getCooperative(w http.ResponseWriter, r *http.Request) {
	c, err := s.bank.Cooperative(r.PathValue("id"))
	if err != nil {
		s.fail(w, lang(r), err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
}

func (s *server) exportCooperatives(w http.ResponseWriter, r *http.Request) {
	s.csvDownload(w, r, "cooperatives.csv", s.bank.ExportCooperativesCSV)
}

// csvDownload answers with the CSV file that export writes, as an
// attachment named name; the file is built whole first, so a failure is a
// clean error answer, never half a file.
func (s *server) csvDownload(w http.ResponseWriter, r *http.Request, name string, export func(io.Writer) error) {
	var buf bytes.Buffer
	if err := export(&buf); err != nil {
		s.fail(w, lang(r), err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(buf.Bytes())
}

func (s *server) importCooperatives(w http.ResponseWriter, r *http.Request) {
	s.importCSV(w, r, func(body io.Reader, _ string) (int, error) { return s.bank.ImportCooperativesCSV(body) })
}

// importCSV answers an import: the actor is required, the body (at most
// maxCSV bytes) goes to read, and the bank is saved if it succeeds.
func (s *server) importCSV(w http.ResponseWriter, r *http.Request, read func(body io.Reader, by string) (int, error)) {
	lang := lang(r)
	by, err := actor(r)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	n, err := read(http.MaxBytesReader(w, r.Body, maxCSV), by)
	if err == nil {
		err = s.save()
	}
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int{"imported": n})
}

func (s *server) submitIdea(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	by, err := actor(r)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	var p bank.Project
	if err := decode(w, r, &p); err != nil {
		s.fail(w, lang, err)
		return
	}
	idea, err := s.bank.Add(p, by)
	s.changed(w, lang, http.StatusCreated, "/ideas/"+idea.ID, idea, idea.Version, err)
}

func (s *server) listIdeas(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := store.Query{
		Region: v.Get("region"), Sector: v.Get("sector"), Status: bank.Status(v.Get("status")),
		Tag: v.Get("tag"), Cooperative: v.Get("cooperative"), Text: v.Get("q"), Cursor: v.Get("cursor"),
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"stage", &q.Stage}, {"limit", &q.Limit}} {
		if text := v.Get(f.name); text != "" {
			n, err := strconv.Atoi(text)
			if err != nil || n < 0 {
				s.fail(w, lang(r), badRequest("%s: expected a whole number, found %q", f.name, text))
				return
			}
			*f.dst = n
		}
	}
	page, err := s.bank.Query(q)
	if err != nil {
		s.fail(w, lang(r), err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *server) getIdea(w http.ResponseWriter, r *http.Request) {
	idea, err := s.bank.Get(r.PathValue("id"))
	if err != nil {
		s.fail(w, lang(r), err)
		return
	}
	w.Header().Set("ETag", etag(idea.Version))
	writeJSON(w, http.StatusOK, idea)
}

// updateIdea replaces an idea's editable fields. If-Match must give the
// version read (its ETag): a stale one gets 412.
func (s *server) updateIdea(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	if _, err := actor(r); err != nil {
		s.fail(w, lang, err)
		return
	}
	version, ok := ifMatch(r)
	if !ok {
		s.fail(w, lang, statusError{http.StatusPreconditionRequired, errors.New(`If-Match header missing: give the ETag of the version you read, such as "3"`)})
		return
	}
	var p bank.Project
	if err := decode(w, r, &p); err != nil {
		s.fail(w, lang, err)
		return
	}
	if p.ID != "" && p.ID != r.PathValue("id") {
		s.fail(w, lang, badRequest("the body's id %q is not the path's %q", p.ID, r.PathValue("id")))
		return
	}
	p.ID = r.PathValue("id")
	idea, err := s.bank.Update(p, version)
	s.changed(w, lang, http.StatusOK, "", idea, idea.Version, err)
}

// moveIdea changes an idea's status by one step of the lifecycle. An
// If-Match header, when given, must be the current version.
func (s *server) moveIdea(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	by, err := actor(r)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	var body struct {
		To          bank.Status `json:"to"`
		Note        string      `json:"note"`
		Cooperative string      `json:"cooperative"`
		Award       *bank.Award `json:"award"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, lang, err)
		return
	}
	version, _ := ifMatch(r)
	idea, err := s.bank.Move(r.PathValue("id"), version, bank.Transition{
		To: body.To, By: by, Note: body.Note, Cooperative: body.Cooperative, Award: body.Award,
	})
	s.changed(w, lang, http.StatusOK, "", idea, idea.Version, err)
}

func (s *server) exportIdeas(w http.ResponseWriter, r *http.Request) {
	s.csvDownload(w, r, "ideas.csv", s.bank.ExportIdeasCSV)
}

func (s *server) importIdeas(w http.ResponseWriter, r *http.Request) {
	s.importCSV(w, r, s.bank.ImportIdeasCSV)
}

func (s *server) setJudges(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	n, err := stage(r)
	if err == nil {
		_, err = actor(r)
	}
	var judges []bank.Judge
	if err == nil {
		err = decode(w, r, &judges)
	}
	if err == nil {
		err = s.bank.SetJudges(n, judges)
	}
	if err == nil {
		err = s.save()
	}
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	writeJSON(w, http.StatusOK, s.bank.Jury(n).Judges)
}

// addScores takes one judge's sheet, as the browser calculator exports it
// ({"judge", "project", "scores": [{"judge", "project", "criterion",
// "score"}]}), checks every score against the rubric, and adds them.
func (s *server) addScores(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	n, err := stage(r)
	if err == nil {
		_, err = actor(r)
	}
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSON))
	if err != nil {
		s.fail(w, lang, badRequest("reading the body: %v", err))
		return
	}
	sheet, err := afkar.DecodeSheet(data)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	rubric := &s.rules.Rubric
	var ps scoring.Problems
	for i, sc := range sheet.Scores {
		at := "scores[" + strconv.Itoa(i) + "]"
		c := rubric.Index(sc.Criterion)
		if c < 0 {
			ps = append(ps, scoring.Problem{Path: at + ".criterion", Message: fmt.Sprintf("unknown criterion %q", sc.Criterion)})
			continue
		}
		if err := rubric.CheckScore(c, sc.Value); err != nil {
			ps = append(ps, scoring.Problem{Path: at + ".score", Message: err.Error()})
		}
	}
	if len(ps) > 0 {
		s.fail(w, lang, ps)
		return
	}
	total, err := s.bank.AddScores(n, sheet.Scores)
	if err == nil {
		err = s.save()
	}
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"stage": n, "added": len(sheet.Scores), "scores": total})
}

// evaluate ranks stage n as the bank now holds it.
func (s *server) evaluate(r *http.Request, n int) (*afkar.Result, error) {
	ds, err := s.bank.Dataset(n, s.rules)
	if err != nil {
		return nil, err
	}
	if len(ds.Projects) == 0 {
		return nil, statusError{http.StatusConflict, fmt.Errorf("stage %d has no idea to rank", n)}
	}
	return afkar.Evaluate(r.Context(), ds)
}

// rank answers the stage's result, in the afkar-result/1 format.
func (s *server) rank(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	n, err := stage(r)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	res, err := s.evaluate(r, n)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	data, err := res.MarshalJSON()
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(data)
}

// applyRanking ranks the stage again and records the selected ideas as
// shortlisted or awarded. The body names the input digest of the ranking
// the organisers saw: when the stage's data changed since, nothing is
// applied (409), so that nobody awards a ranking they did not see.
func (s *server) applyRanking(w http.ResponseWriter, r *http.Request) {
	lang := lang(r)
	n, err := stage(r)
	var by string
	if err == nil {
		by, err = actor(r)
	}
	var body struct {
		To          bank.Status `json:"to"`
		InputDigest string      `json:"input_digest"`
		Note        string      `json:"note"`
	}
	if err == nil {
		err = decode(w, r, &body)
	}
	if err == nil && body.InputDigest == "" {
		err = badRequest("input_digest missing: give the input_digest of the ranking you apply")
	}
	var res *afkar.Result
	if err == nil {
		res, err = s.evaluate(r, n)
	}
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	if res.InputDigest != body.InputDigest {
		writeJSON(w, http.StatusConflict, apiError{
			Error:  fmt.Sprintf("stage %d changed since ranking %s: rank it again and check the result before applying it", n, body.InputDigest),
			Digest: res.InputDigest,
		})
		return
	}
	applied, err := s.bank.ApplyResult(res, store.Apply{To: body.To, By: by, Note: body.Note, Stage: n})
	if err == nil {
		err = s.save()
	}
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		InputDigest string `json:"input_digest"`
		store.Applied
	}{res.InputDigest, applied})
}
