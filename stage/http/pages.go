package http

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"path"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/stage"
)

//go:embed ui
var ui embed.FS

// templates are the server-rendered pages: plain HTML, no inline script.
var templates = template.Must(template.ParseFS(ui, "ui/*.tmpl"))

// page serves a static page of ui/.
func (s *Server) page(name string) func(http.ResponseWriter, *http.Request, *call) error {
	return func(w http.ResponseWriter, r *http.Request, c *call) error {
		data, err := ui.ReadFile("ui/" + name)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(data)
		return nil
	}
}

// asset serves a script or style sheet of ui/.
func (s *Server) asset(w http.ResponseWriter, r *http.Request, c *call) error {
	name := r.PathValue("file")
	ext := path.Ext(name)
	if ext != ".js" && ext != ".css" {
		return &statusError{http.StatusNotFound, fmt.Errorf("no %s", name)}
	}
	data, err := ui.ReadFile("ui/" + name)
	if err != nil {
		return &statusError{http.StatusNotFound, fmt.Errorf("no %s", name)}
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(ext))
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
	return nil
}

// widget serves the browser calculator, its engine and its service
// worker, as wasm/widget.Handler does, under /widget/.
func (s *Server) widget(w http.ResponseWriter, r *http.Request, c *call) error {
	if s.cfg.Widget == nil {
		return &statusError{http.StatusNotFound, fmt.Errorf("%s: this server was started without the calculator (see afkar serve --wasm)", r.URL.Path)}
	}
	http.StripPrefix("/widget", s.cfg.Widget).ServeHTTP(w, r)
	return nil
}

// home lists the published stages.
func (s *Server) home(w http.ResponseWriter, r *http.Request, c *call) error {
	all, err := s.store.Stages(r.Context())
	if err != nil {
		return err
	}
	var published []stage.Stage
	for _, st := range all {
		if st.Published > 0 {
			published = append(published, st)
		}
	}
	return render(w, "home.tmpl", published)
}

func render(w http.ResponseWriter, name string, data any) error {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
	return nil
}

// published returns the latest sealed result of the stage named by the
// path's slug; unpublished stages are not found.
func (s *Server) published(r *http.Request) (stage.Stage, stage.Result, error) {
	st, err := s.store.StageBySlug(r.Context(), r.PathValue("slug"))
	if err == nil && st.Published == 0 {
		err = fmt.Errorf("stage %q is not published: %w", st.Slug, stage.ErrNotFound)
	}
	if err != nil {
		return stage.Stage{}, stage.Result{}, err
	}
	res, err := s.store.Result(r.Context(), st.ID, 0)
	return st, res, err
}

func fileDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (s *Server) publicDataset(w http.ResponseWriter, r *http.Request, c *call) error {
	st, res, err := s.published(r)
	if err != nil {
		return err
	}
	w.Header().Set("Digest", fileDigest(res.Dataset))
	writeRaw(w, res.Dataset, st.Slug+"-dataset-v"+fmt.Sprint(res.Version)+".json")
	return nil
}

func (s *Server) publicResult(w http.ResponseWriter, r *http.Request, c *call) error {
	st, res, err := s.published(r)
	if err != nil {
		return err
	}
	w.Header().Set("Digest", fileDigest(res.Result))
	writeRaw(w, res.Result, st.Slug+"-result-v"+fmt.Sprint(res.Version)+".json")
	return nil
}

// resultRow is a project of a result, as the public page shows it.
type resultRow struct {
	ID        string            `json:"id"`
	Eligible  bool              `json:"eligible"`
	Rank      json.RawMessage   `json:"rank"`
	Group     *string           `json:"group"`
	GroupRank json.RawMessage   `json:"group_rank"`
	Total     *string           `json:"total"`
	Criteria  map[string]string `json:"criteria"`
	Judges    int               `json:"judges"`
	Selected  bool              `json:"selected"`
	DecidedBy *string           `json:"decided_by"`
	Reasons   []string          `json:"reasons"`
	Title     string            `json:"-"`
}

// publicView is what the public page shows.
type publicView struct {
	Stage          stage.Stage
	Result         stage.Result
	Groups         []publicGroup
	Ineligible     []resultRow
	Criteria       []publicCriterion
	TieBreak       []string
	Style, GroupBy string
	Top, MinJudges int
	Threshold      string
	DatasetDigest  string
	ResultDigest   string
	Versions       []stage.Result
}

type publicGroup struct {
	Name string
	Rows []resultRow
}

type publicCriterion struct {
	ID, Label, Weight, Min, Max, Threshold string
}

// publicPage shows a published stage's result: the ranking per region,
// the rules in force, the downloads with their digests, and a button
// that recomputes the result in the browser with the same engine.
func (s *Server) publicPage(w http.ResponseWriter, r *http.Request, c *call) error {
	st, res, err := s.published(r)
	if err != nil {
		return err
	}
	ds, err := afkar.Decode(res.Dataset)
	if err != nil {
		return fmt.Errorf("sealed dataset of %s: %w", st.Slug, err)
	}
	var out struct {
		Projects []resultRow `json:"projects"`
	}
	if err := json.Unmarshal(res.Result, &out); err != nil {
		return fmt.Errorf("sealed result of %s: %w", st.Slug, err)
	}
	titles := map[string]string{}
	for _, p := range ds.Projects {
		titles[p.ID] = p.Title
	}
	v := publicView{Stage: st, Result: res, DatasetDigest: fileDigest(res.Dataset), ResultDigest: fileDigest(res.Result),
		Style: string(cmp.Or(ds.Ranking.Style, "competition")), GroupBy: ds.Ranking.GroupBy, Top: ds.Ranking.Top, MinJudges: max(ds.Rubric.MinJudges, 1)}
	if ds.Rubric.TotalThreshold.Valid {
		v.Threshold = ds.Rubric.TotalThreshold.Decimal.String()
	}
	for _, t := range ds.Ranking.TieBreak {
		v.TieBreak = append(v.TieBreak, t.String())
	}
	for i, cr := range ds.Rubric.Criteria {
		lo, hi, _ := ds.Rubric.Range(i)
		pc := publicCriterion{ID: cr.ID, Label: cr.Label.In("en", cr.ID), Weight: cr.Weight.String(), Min: lo.String(), Max: hi.String()}
		if cr.Threshold.Valid {
			pc.Threshold = cr.Threshold.Decimal.String()
		}
		v.Criteria = append(v.Criteria, pc)
	}
	groups := map[string]int{}
	for _, p := range out.Projects {
		p.Title = titles[p.ID]
		if !p.Eligible {
			v.Ineligible = append(v.Ineligible, p)
			continue
		}
		name := ""
		if p.Group != nil {
			name = *p.Group
		}
		if reg, ok := bank.LookupRegion(name); ok && ds.Ranking.GroupBy == "region" {
			name = reg.Name.FR + " — " + reg.Name.AR
		}
		i, ok := groups[name]
		if !ok {
			i = len(v.Groups)
			groups[name] = i
			v.Groups = append(v.Groups, publicGroup{Name: name})
		}
		v.Groups[i].Rows = append(v.Groups[i].Rows, p)
	}
	// The public page names no account: who published is personal data.
	v.Result.By = ""
	if v.Versions, err = s.store.Results(r.Context(), st.ID); err != nil {
		return err
	}
	for i := range v.Versions {
		v.Versions[i].By = ""
	}
	return render(w, "public.tmpl", v)
}
