// Package stageclient calls a stage server (afkar serve) as its pages do:
// a session cookie and its CSRF token, JSON in and out. The durability
// test and the load test drive the server through it, over loopback.
package stageclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Client is one signed-in caller. It is safe for concurrent use only
// through its HTTP client; its session fields are set once, at sign-in.
type Client struct {
	Base   string // such as http://127.0.0.1:8080
	HTTP   *http.Client
	cookie string
	csrf   string
}

// New returns a client of the server at base with no session.
func New(base string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{Base: strings.TrimSuffix(base, "/"), HTTP: hc}
}

// StatusError is an answer that is not 2xx.
type StatusError struct {
	Status int
	Body   []byte
}

// Error gives the status and the body.
func (e *StatusError) Error() string {
	return fmt.Sprintf("status %d: %s", e.Status, bytes.TrimSpace(e.Body))
}

// Do sends a request with the session and, for changes, the CSRF token;
// body is sent as JSON unless it is a []byte. It returns the answer's
// body and headers, or a *StatusError for a status that is not 2xx.
func (c *Client) Do(ctx context.Context, method, path string, body any, header map[string]string) ([]byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		data, ok := body.([]byte)
		if !ok {
			var err error
			if data, err = json.Marshal(body); err != nil {
				return nil, nil, err
			}
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", "__Host-afkar-session="+c.cookie)
	}
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode/100 != 2 {
		return data, resp.Header, &StatusError{Status: resp.StatusCode, Body: data}
	}
	return data, resp.Header, nil
}

// JSON is Do that decodes a 2xx answer into out (when not nil).
func (c *Client) JSON(ctx context.Context, method, path string, body, out any) error {
	data, _, err := c.Do(ctx, method, path, body, nil)
	if err != nil || out == nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// sign keeps the session of a login or join answer.
func (c *Client) sign(ctx context.Context, path string, body any) error {
	data, h, err := c.Do(ctx, http.MethodPost, path, body, nil)
	if err != nil {
		return err
	}
	var s struct {
		CSRF string `json:"csrf"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == "__Host-afkar-session" {
			c.cookie = ck.Value
		}
	}
	if c.cookie == "" {
		return errors.New("no session cookie in the answer")
	}
	c.csrf = s.CSRF
	return nil
}

// Login signs in with a password.
func (c *Client) Login(ctx context.Context, login, password string) error {
	return c.sign(ctx, "/api/login", map[string]string{"login": login, "password": password})
}

// Join signs in a juror with a one-time code.
func (c *Client) Join(ctx context.Context, code string) error {
	return c.sign(ctx, "/api/join", map[string]string{"code": code})
}

// Score is a score as sheets carry it.
type Score struct {
	Judge     string `json:"judge"`
	Project   string `json:"project"`
	Criterion string `json:"criterion"`
	Score     string `json:"score"`
}

// Sheet is a juror's sheet as it is uploaded.
type Sheet struct {
	Judge     string  `json:"judge"`
	Dataset   string  `json:"dataset"`
	Seq       int     `json:"seq"`
	Time      string  `json:"time"`
	SignedOff bool    `json:"signed_off"`
	Scores    []Score `json:"scores"`
}

// Work is what a juror's phone loads.
type Work struct {
	StageDigest string `json:"stage_digest"`
	Ideas       []struct {
		ID string `json:"id"`
	} `json:"ideas"`
	Sheet struct {
		Version int     `json:"version"`
		Scores  []Score `json:"scores"`
	} `json:"sheet"`
}

// Work loads a juror's work.
func (c *Client) Work(ctx context.Context, stage int64, judge string) (Work, error) {
	var w Work
	err := c.JSON(ctx, http.MethodGet, fmt.Sprintf("/api/stages/%d/sheets/%s/work", stage, judge), nil, &w)
	return w, err
}

// Sync uploads a sheet built on version base, and returns the version
// the server then has.
func (c *Client) Sync(ctx context.Context, stage int64, base int, sh Sheet) (int, error) {
	data, _, err := c.Do(ctx, http.MethodPut, fmt.Sprintf("/api/stages/%d/sheets/%s", stage, sh.Judge), sh,
		map[string]string{"If-Match": strconv.Quote(strconv.Itoa(base))})
	if err != nil {
		return 0, err
	}
	var out struct {
		Sheet struct {
			Version int `json:"version"`
		} `json:"sheet"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return 0, err
	}
	return out.Sheet.Version, nil
}

// Setup is a stage made for a test: its ID and its jurors' codes.
type Setup struct {
	Stage int64
	Codes map[string]string // judge → code
}

// SetupStage creates, as the signed-in organiser, a stage with ideas
// ideas, jurors jurors (J001…), k jurors per idea, assigns it and issues
// a code for every juror. The rules are the tour's five criteria.
func (c *Client) SetupStage(ctx context.Context, slug string, ideas, jurors, k int) (Setup, error) {
	rules := json.RawMessage(`{"rubric": {"criteria": [{"id": "social", "weight": "0.25"}, {"id": "economic", "weight": "0.25"},
		{"id": "innovation", "weight": "0.2"}, {"id": "territorial", "weight": "0.15"}, {"id": "youth", "weight": "0.15"}],
		"scale": {"min": "0", "max": "20", "step": "0.5"}},
		"ranking": {"tie_break": ["criterion:social", "head_to_head", "submitted_at", "id"], "group_by": "region", "top": 3}}`)
	var st struct {
		ID int64 `json:"id"`
	}
	if err := c.JSON(ctx, http.MethodPost, "/api/stages", map[string]any{"slug": slug, "title": "Stage " + slug, "rules": rules,
		"jurors_per_idea": k, "seed": "load-" + slug}, &st); err != nil {
		return Setup{}, fmt.Errorf("creating the stage: %w", err)
	}
	regions := []string{"souss-massa", "oriental", "fes-meknes"}
	var list []map[string]string
	for i := range ideas {
		list = append(list, map[string]string{"id": fmt.Sprintf("P%05d", i+1), "title": fmt.Sprintf("Idea %d", i+1), "region": regions[i%len(regions)]})
	}
	if err := c.JSON(ctx, http.MethodPost, fmt.Sprintf("/api/stages/%d/ideas", st.ID), map[string]any{"ideas": list}, nil); err != nil {
		return Setup{}, fmt.Errorf("adding ideas: %w", err)
	}
	s := Setup{Stage: st.ID, Codes: map[string]string{}}
	for j := range jurors {
		id := fmt.Sprintf("J%03d", j+1)
		if err := c.JSON(ctx, http.MethodPut, fmt.Sprintf("/api/stages/%d/jurors/%s", st.ID, id), map[string]any{}, nil); err != nil {
			return Setup{}, fmt.Errorf("adding juror %s: %w", id, err)
		}
	}
	if err := c.JSON(ctx, http.MethodPost, fmt.Sprintf("/api/stages/%d/assignment", st.ID), nil, nil); err != nil {
		return Setup{}, fmt.Errorf("assigning: %w", err)
	}
	for j := range jurors {
		id := fmt.Sprintf("J%03d", j+1)
		var code struct {
			Code string `json:"code"`
		}
		if err := c.JSON(ctx, http.MethodPost, fmt.Sprintf("/api/stages/%d/codes", st.ID), map[string]any{"judge": id}, &code); err != nil {
			return Setup{}, fmt.Errorf("issuing a code: %w", err)
		}
		s.Codes[id] = code.Code
	}
	return s, nil
}

// Criteria returns the criteria of SetupStage's rules.
func Criteria() []string { return []string{"social", "economic", "innovation", "territorial", "youth"} }

// FullSheet is judge's whole sheet at version seq over ideas, every
// criterion of every idea scored: version seq changes exactly one score
// from version seq-1, as a juror's keystroke does. Score k (ideas in
// order, criteria in order) has been changed t times by version seq, and
// is t mod 41 halves (0 to 20); so any version's whole sheet is known
// from its number.
func FullSheet(judge, digest string, seq int, ideas []string) Sheet {
	sh := Sheet{Judge: judge, Dataset: digest, Seq: seq, Time: time.Now().UTC().Format(time.RFC3339)}
	n := len(ideas) * len(Criteria())
	k := 0
	for _, p := range ideas {
		for _, cr := range Criteria() {
			touched := 0
			if seq-1 >= k {
				touched = (seq-1-k)/n + 1
			}
			h := touched % 41
			sh.Scores = append(sh.Scores, Score{Judge: judge, Project: p, Criterion: cr, Score: fmt.Sprintf("%d.%d", h/2, (h%2)*5)})
			k++
		}
	}
	return sh
}
