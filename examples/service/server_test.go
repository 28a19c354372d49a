package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/bank/store"
)

// testClock moves one minute at every reading, from 2025-04-17 08:00 UTC.
func testClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 4, 17, 8, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Minute)
		return t
	}
}

type testServer struct {
	*httptest.Server
	snapshot string
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	rules, err := loadRules("")
	require.NoError(t, err)
	snapshot := filepath.Join(t.TempDir(), "afkar-bank.json")
	s := &server{bank: store.New(store.Config{Clock: testClock()}), rules: rules, snapshot: snapshot,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)
	return &testServer{ts, snapshot}
}

// call sends a request with body and the headers given as name, value
// pairs, and returns the status and the body.
func (ts *testServer) call(t *testing.T, method, path, body string, headers ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(data)
}

// must is call expecting the status want, decoding the JSON answer into v
// when v is not nil.
func (ts *testServer) must(t *testing.T, want int, method, path, body string, v any, headers ...string) http.Header {
	t.Helper()
	status, h, got := ts.call(t, method, path, body, headers...)
	require.Equal(t, want, status, "%s %s answered %s", method, path, got)
	if v != nil {
		require.NoError(t, json.Unmarshal([]byte(got), v), got)
	}
	return h
}

const (
	coop042 = `{"id": "coop-042", "name": "Tafyoucht", "region": "souss-massa", "sector": "argan", "members": 12, "women_members": 9}`
	actor1  = "X-Actor"
)

func idea(id, title string) string {
	return fmt.Sprintf(`{"id": %q, "title": %q, "region": "souss-massa", "sector": "argan", "stage": 12,
		"cooperative": "coop-042", "budget_mad": "120000.00", "tags": ["women"]}`, id, title)
}

// sheet is one judge's sheet scoring the ideas on every criterion with the
// given scores, in criterion order.
func sheet(judge string, scores map[string][5]string) string {
	criteria := []string{"social", "economic", "innovation", "territorial", "youth"}
	var lines []string
	for _, p := range []string{"AGA-01", "AGA-02", "AGA-03", "AGA-04"} {
		v, ok := scores[p]
		if !ok {
			continue
		}
		for i, c := range criteria {
			lines = append(lines, fmt.Sprintf(`{"judge": %q, "project": %q, "criterion": %q, "score": %q}`, judge, p, c, v[i]))
		}
	}
	return fmt.Sprintf(`{"judge": %q, "project": "", "scores": [%s]}`, judge, strings.Join(lines, ",\n"))
}

func TestSubmitValidationInThreeLanguages(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, "POST", "/cooperatives", coop042, nil, actor1, "desk")
	bad := `{"id": "AGA 1", "title": "", "region": "agadir", "sector": "argan", "stage": 12, "budget_mad": "-5"}`
	tests := []struct {
		acceptLanguage string
		summary        string
		region         string
	}{
		{"ar-MA,ar;q=0.9", "البيانات لا تستوفي قواعد بنك المشاريع", "يجب أن يكون region رمز جهة من جهات المغرب الاثنتي عشرة، مثل souss-massa"},
		{"fr-FR,fr;q=0.9,en;q=0.5", "les données ne respectent pas les règles de la banque de projets", "region doit être le code d'une des 12 régions du Maroc, par exemple souss-massa"},
		{"", "the data breaks the project bank's rules", "region must be the code of one of Morocco's 12 regions, such as souss-massa"},
	}
	for _, tt := range tests {
		t.Run(tt.acceptLanguage, func(t *testing.T) {
			var got apiError
			ts.must(t, 422, "POST", "/ideas", bad, &got, actor1, "desk", "Accept-Language", tt.acceptLanguage)
			require.Equal(t, tt.summary, got.Error)
			var paths []string
			for _, p := range got.Problems {
				paths = append(paths, p.Path+" "+p.Rule)
				if p.Path == "region" {
					require.Equal(t, tt.region, p.Message)
				}
			}
			require.Equal(t, []string{"id afkar_id", "title required", "region region", "cooperative required_without", "budget_mad dgte"}, paths)
		})
	}

	// Malformed JSON, unknown fields, lifecycle fields, no actor.
	var e apiError
	ts.must(t, 400, "POST", "/ideas", `{"id": "A1", "titel": "x"}`, &e, actor1, "desk")
	require.Contains(t, e.Error, `unknown field "titel"`)
	ts.must(t, 400, "POST", "/ideas", idea("A1", "t")[:20], nil, actor1, "desk")
	ts.must(t, 400, "POST", "/ideas", strings.Replace(idea("A1", "t"), `"stage"`, `"status": "awarded", "stage"`, 1), nil, actor1, "desk")
	ts.must(t, 400, "POST", "/ideas", idea("A1", "t"), &e)
	require.Equal(t, "X-Actor header missing: say who makes the change", e.Error)
}

// TestTourEndToEnd runs a stage of the tour through the API: ideas
// submitted, searched, edited, screened, scored by two judges, ranked,
// and the ranking applied; then the bank is read back from its snapshot.
func TestTourEndToEnd(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, "POST", "/cooperatives", coop042, nil, actor1, "desk")
	for _, p := range [][2]string{
		{"AGA-01", "أملو: معجون الأركان واللوز"},
		{"AGA-02", "Safran de Taliouine"},
		{"AGA-03", "Surf et écotourisme à Taghazout"},
		{"AGA-04", "=HYPERLINK(\"http://evil.example\")"},
	} {
		var got store.Idea
		h := ts.must(t, 201, "POST", "/ideas", idea(p[0], p[1]), &got, actor1, "desk officer")
		require.Equal(t, `"1"`, h.Get("ETag"))
		require.Equal(t, "/ideas/"+p[0], h.Get("Location"))
		require.Equal(t, "submitted", string(got.Status))
	}
	ts.must(t, 409, "POST", "/ideas", idea("AGA-01", "again"), nil, actor1, "desk")

	// Search: Arabic without hamza, Latin without accents; pages.
	var page store.Page
	ts.must(t, 200, "GET", "/ideas?q=الاركان", "", &page)
	require.Len(t, page.Ideas, 1)
	require.Equal(t, "AGA-01", page.Ideas[0].ID)
	ts.must(t, 200, "GET", "/ideas?q=ecotourisme&region=souss-massa", "", &page)
	require.Equal(t, "AGA-03", page.Ideas[0].ID)
	var ids []string
	for cursor, pages := "", 0; ; pages++ {
		require.Less(t, pages, 3, "the listing ends")
		page = store.Page{} // a last page has no "next" to overwrite the previous one
		ts.must(t, 200, "GET", "/ideas?stage=12&limit=3&cursor="+cursor, "", &page)
		require.Equal(t, 4, page.Total)
		for _, i := range page.Ideas {
			ids = append(ids, i.ID)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	require.Equal(t, []string{"AGA-01", "AGA-02", "AGA-03", "AGA-04"}, ids)
	ts.must(t, 400, "GET", "/ideas?stage=twelve", "", nil)
	ts.must(t, 400, "GET", "/ideas?cursor=nope", "", nil)

	// Edit with optimistic versioning.
	var cur store.Idea
	ts.must(t, 200, "GET", "/ideas/AGA-02", "", &cur)
	edit := strings.Replace(idea("AGA-02", "Safran de Taliouine : séchage et tri"), `"120000.00"`, `"95000.50"`, 1)
	ts.must(t, 428, "PUT", "/ideas/AGA-02", edit, nil, actor1, "desk")
	h := ts.must(t, 200, "PUT", "/ideas/AGA-02", edit, &cur, actor1, "desk", "If-Match", `"1"`)
	require.Equal(t, `"2"`, h.Get("ETag"))
	require.Equal(t, "95000.5", cur.BudgetMAD.String())
	var stale apiError
	ts.must(t, 412, "PUT", "/ideas/AGA-02", edit, &stale, actor1, "desk", "If-Match", `"1"`)
	require.Equal(t, int64(2), stale.Version)

	// Screening: AGA-04 is ineligible; a jump is refused.
	ts.must(t, 200, "POST", "/ideas/AGA-04/transitions", `{"to": "ineligible", "note": "incomplete file"}`, nil, actor1, "screening committee")
	var refused apiError
	ts.must(t, 409, "POST", "/ideas/AGA-03/transitions", `{"to": "awarded"}`, &refused, actor1, "x")
	require.Equal(t, "project AGA-03: cannot go from submitted to awarded (allowed: eligible, ineligible)", refused.Error)
	ts.must(t, 404, "POST", "/ideas/NOPE/transitions", `{"to": "eligible"}`, nil, actor1, "x")

	// Scores: out of range and unknown ideas are refused whole.
	var bad apiError
	ts.must(t, 422, "POST", "/stages/12/scores", sheet("J1", map[string][5]string{"AGA-01": {"21", "15", "14", "17", "12"}}), &bad, actor1, "J1")
	require.Equal(t, []problem{{Path: "scores[0].score", Message: "21 is above the maximum 20 of criterion \"social\""}}, bad.Problems)
	ts.must(t, 422, "POST", "/stages/12/scores", sheet("J1", map[string][5]string{"AGA-04": {"1", "1", "1", "1", "1"}}), &bad, actor1, "J1")
	require.Equal(t, "idea AGA-04 is ineligible: it is not scored", bad.Problems[0].Message)
	ts.must(t, 404, "POST", "/stages/13/scores", sheet("J1", nil), nil, actor1, "J1")
	j1 := map[string][5]string{"AGA-01": {"16", "15", "14", "17", "12"}, "AGA-02": {"14", "16", "15", "12", "16"}, "AGA-03": {"12", "11", "17", "10", "14"}}
	j2 := map[string][5]string{"AGA-01": {"15", "16", "13", "16", "13"}, "AGA-02": {"15", "15", "16", "13", "15"}, "AGA-03": {"13", "12", "16.5", "11", "14"}}
	var added map[string]int
	ts.must(t, 200, "POST", "/stages/12/scores", sheet("J1", j1), &added, actor1, "J1")
	ts.must(t, 200, "POST", "/stages/12/scores", sheet("J2", j2), &added, actor1, "J2")
	require.Equal(t, map[string]int{"stage": 12, "added": 15, "scores": 30}, added)

	// Ranking, then applying it.
	var res struct {
		InputDigest string `json:"input_digest"`
		Projects    []struct {
			ID       string `json:"id"`
			Rank     any    `json:"rank"`
			Total    string `json:"total"`
			Selected bool   `json:"selected"`
		} `json:"projects"`
	}
	ts.must(t, 200, "POST", "/stages/12/ranking", "", &res)
	got := []string{}
	for _, p := range res.Projects {
		got = append(got, fmt.Sprintf("%v %s %s %t", p.Rank, p.ID, p.Total, p.Selected))
	}
	// The totals of the service-rubric example (same scores): AGA-01 and
	// AGA-02 tie at 74.00; AGA-01's higher social score breaks the tie.
	want := []string{"1 AGA-01 74.00 true", "2 AGA-02 74.00 true", "3 AGA-03 65.13 true"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranking (-want +got):\n%s", diff)
	}
	var conflict apiError
	ts.must(t, 409, "POST", "/stages/12/ranking/apply", `{"to": "awarded", "input_digest": "sha256:old"}`, &conflict, actor1, "Agadir jury")
	require.Equal(t, res.InputDigest, conflict.Digest)
	ts.must(t, 400, "POST", "/stages/12/ranking/apply", `{"to": "awarded"}`, nil, actor1, "Agadir jury")
	var applied struct {
		InputDigest string   `json:"input_digest"`
		Moved       []string `json:"moved"`
		Unchanged   []string `json:"unchanged"`
	}
	ts.must(t, 200, "POST", "/stages/12/ranking/apply", `{"to": "awarded", "input_digest": "`+res.InputDigest+`"}`, &applied, actor1, "Agadir jury")
	require.Equal(t, []string{"AGA-01", "AGA-02", "AGA-03"}, applied.Moved)
	ts.must(t, 200, "GET", "/ideas/AGA-01", "", &cur)
	require.Equal(t, "awarded", string(cur.Status))
	require.Equal(t, "74.00", cur.Award.Total)
	require.Equal(t, "Agadir jury", cur.History[len(cur.History)-1].By)

	// Adoption by a cooperative of the bank.
	ts.must(t, 200, "POST", "/ideas/AGA-01/transitions", `{"to": "adopted", "cooperative": "coop-042"}`, &cur, actor1, "bank officer")
	require.Equal(t, "coop-042", cur.Adopter)

	// Stages list the counts.
	var stages []struct {
		Number int `json:"number"`
		Ideas  int `json:"ideas"`
		Scores int `json:"scores"`
	}
	ts.must(t, 200, "GET", "/stages", "", &stages)
	require.Len(t, stages, 12)
	require.Equal(t, 12, stages[11].Number)
	require.Equal(t, 4, stages[11].Ideas)
	require.Equal(t, 30, stages[11].Scores)

	// The CSV export neutralises the formula.
	status, hdr, csvText := ts.call(t, "GET", "/ideas.csv", "")
	require.Equal(t, 200, status)
	require.Equal(t, "text/csv; charset=utf-8", hdr.Get("Content-Type"))
	rows, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, `'=HYPERLINK("http://evil.example")`, rows[4][1])

	// Everything is in the snapshot.
	loaded, err := store.LoadSnapshot(ts.snapshot, store.Config{Clock: testClock()})
	require.NoError(t, err)
	a1, err := loaded.Get("AGA-01")
	require.NoError(t, err)
	require.Equal(t, "adopted", string(a1.Status))
	require.Len(t, loaded.Jury(12).Scores, 30)
}

func TestCSVImportThroughTheAPI(t *testing.T) {
	ts := newTestServer(t)
	var n map[string]int
	ts.must(t, 201, "POST", "/cooperatives.csv", "id,name,region,sector\ncoop-042,Tafyoucht,souss-massa,argan\n", &n, actor1, "desk")
	require.Equal(t, 1, n["imported"])
	var e apiError
	ts.must(t, 422, "POST", "/ideas.csv", "id,title,region,sector,cooperative\nAGA-1,Amlou,souss-massa,argan,coop-042\nAGA-2,,souss-massa,argan,coop-042\n",
		&e, actor1, "desk", "Accept-Language", "fr")
	require.Equal(t, []problem{{Line: 3, Path: "title", Rule: "required", Message: "title est un champ obligatoire"}}, e.Problems)
	ts.must(t, 201, "POST", "/ideas.csv", "id,title,region,sector,cooperative\nAGA-1,Amlou,souss-massa,argan,coop-042\n", &n, actor1, "desk")
	var page store.Page
	ts.must(t, 200, "GET", "/ideas", "", &page)
	require.Equal(t, 1, page.Total)
	status, _, body := ts.call(t, "GET", "/cooperatives.csv", "")
	require.Equal(t, 200, status)
	require.Equal(t, "id,name,registration_number,region,sector,founded,members,women_members,young_members\ncoop-042,Tafyoucht,,souss-massa,argan,,,,\n", body)
}

// TestGracefulShutdown serves on a real port, cancels the context as
// SIGINT would, and checks that the request in flight finished and that
// the bank was saved.
func TestGracefulShutdown(t *testing.T) {
	rules, err := loadRules("")
	require.NoError(t, err)
	snapshot := filepath.Join(t.TempDir(), "afkar-bank.json")
	s := &server{bank: store.New(store.Config{Clock: testClock()}), rules: rules, snapshot: snapshot,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, s) }()

	url := "http://" + ln.Addr().String()
	req, _ := http.NewRequest("POST", url+"/cooperatives", strings.NewReader(coop042))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 201, resp.StatusCode)
	require.NoError(t, os.Remove(snapshot), "saved after the change; removed to see the final save")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop")
	}
	loaded, err := store.LoadSnapshot(snapshot, store.Config{Clock: testClock()})
	require.NoError(t, err)
	require.Len(t, loaded.Cooperatives(), 1)
	_, err = http.Get(url + "/stages")
	require.Error(t, err, "the server no longer answers")
}

func TestRunLoadsTheSnapshot(t *testing.T) {
	dir := t.TempDir()
	snapshot := filepath.Join(dir, "afkar-bank.json")
	require.NoError(t, os.WriteFile(snapshot, []byte(`{"format": "afkar-bank/1", "ideas": [], "cooperatives": [], "stages": [], "bogus": 1}`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, "127.0.0.1:0", snapshot, "", slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.ErrorContains(t, err, `line 1: $: unknown key "bogus"`)

	rules := filepath.Join(dir, "rules.json")
	require.NoError(t, os.WriteFile(rules, []byte(`{"rubric": {"criteria": []}}`), 0o600))
	_, err = loadRules(rules)
	require.Error(t, err)
}
