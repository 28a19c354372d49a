package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/stage"
	stagehttp "github.com/afkarlab/afkar/stage/http"
	"github.com/afkarlab/afkar/stage/sqlite"
	"github.com/afkarlab/afkar/wasm/widget"
)

// networkOffline cuts the tab's network, or gives it back.
func networkOffline(offline bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		if _, err := cdp.Call(ctx, target, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		params := struct {
			Offline bool                  `json:"offline"`
			Rules   []*network.Conditions `json:"matchedNetworkConditions"`
		}{Offline: offline, Rules: []*network.Conditions{{Offline: offline}}}
		return target.Call(ctx, network.CommandEmulateNetworkConditionsByRule, params, nil)
	})
}

// TestStageServer runs a stage day on the stage server in Chromium: the
// organiser logs in, creates the stage, imports the ideas, adds three
// jurors, assigns them and issues their codes; each juror opens their
// link on a phone, scores the ideas assigned (one with the network cut
// for a while), and signs off; the organiser sees the progress and
// publishes; the public page recomputes the result in the browser, and its
// digest is what `afkar rank --format json` gives on the published
// dataset.
func TestStageServer(t *testing.T) {
	build := buildWidget(t)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "afkar.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	hash, err := stagehttp.HashPassword("organiser passphrase", stagehttp.Argon2{})
	require.NoError(t, err)
	_, err = db.CreateUser(ctx, stage.User{Login: "organiser", Role: stage.RoleOrganiser, PasswordHash: hash}, stage.Actor{Login: "test"})
	require.NoError(t, err)
	srv := httptest.NewServer(stagehttp.New(stagehttp.Config{Store: db, Widget: widget.Handler(build)}).Handler())
	t.Cleanup(srv.Close)

	browserCtx := newBrowser(t)
	require.NoError(t, chromedp.Do(browserCtx, chromedp.Navigate("about:blank")))
	org, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	text := func(ctx context.Context, sel string) string {
		return js[string](t, ctx, `(document.querySelector(`+quote(sel)+`)||{}).textContent || ""`)
	}

	// The organiser: log in, create the stage, ideas, jurors, codes.
	require.NoError(t, chromedp.Do(org, chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-name`)),
		chromedp.SendKeys(chromedp.CSS(`#login-name`), "organiser"),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), "organiser passphrase"),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#create-stage-box`)),
	))
	js[any](t, org, `document.querySelector("#create-stage-box").open = true`)
	require.NoError(t, chromedp.Do(org,
		chromedp.SendKeys(chromedp.CSS(`#stage-slug`), "agadir-2026"),
		chromedp.SendKeys(chromedp.CSS(`#stage-title`), "Afkar, Agadir stage"),
		chromedp.SendKeys(chromedp.CSS(`#stage-region`), "souss-massa"),
		chromedp.SetValue(chromedp.CSS(`#stage-k`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#stage-seed`), "published-seed-2026"),
		chromedp.Click(chromedp.CSS(`#create-stage-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#stage`)),
	))
	ideas := "id,title,region,cooperative,carrier_name,carrier_email,carrier_phone\n" +
		"AGA-01,Argan oil traceability,souss-massa,coop-1,Fatima Z.,fz@example.org,+212600000001\n" +
		"AGA-02,Taliouine saffron,souss-massa,coop-2,Youssef A.,ya@example.org,+212600000002\n" +
		"AGA-03,Solar desalination,souss-massa,,Khadija B.,kb@example.org,\n" +
		"AGA-04,Surf and eco-tourism,souss-massa,,Omar C.,,+212600000004\n"
	js[any](t, org, `document.querySelector("#ideas-csv").value = `+quote(ideas))
	require.NoError(t, chromedp.Do(org, chromedp.Click(chromedp.CSS(`#ideas-import`))))
	require.Eventually(t, func() bool { return strings.Contains(text(org, "#ideas"), "AGA-04") }, 10*time.Second, 100*time.Millisecond, text(org, "#error"))
	for _, j := range []struct{ id, coop string }{{"J1", "coop-1"}, {"J2", ""}, {"J3", ""}} {
		js[any](t, org, `document.querySelector("#juror-coop").value = `+quote(j.coop))
		require.NoError(t, chromedp.Do(org,
			chromedp.SendKeys(chromedp.CSS(`#juror-id`), j.id),
			chromedp.SendKeys(chromedp.CSS(`#juror-name`), "Juror "+j.id),
			chromedp.Click(chromedp.CSS(`#juror-add`)),
		))
		require.Eventually(t, func() bool { return strings.Contains(text(org, "#jurors"), j.id) }, 10*time.Second, 100*time.Millisecond, text(org, "#error"))
	}
	require.NoError(t, chromedp.Do(org, chromedp.Click(chromedp.CSS(`#assign`))))
	require.Eventually(t, func() bool { return strings.Contains(text(org, "#assign-out"), "every idea has its jurors") }, 10*time.Second, 100*time.Millisecond, text(org, "#assign-out")+text(org, "#error"))
	links := map[string]string{}
	for _, j := range []string{"J1", "J2", "J3"} {
		// The jurors' list is drawn again after each change: find and
		// press the button in one step, so that it cannot be replaced
		// between the two.
		require.Eventually(t, func() bool {
			return js[bool](t, org, `(() => { const b = document.querySelector('button[data-issue="`+j+`"]'); if (!b || b.disabled) return false; b.click(); return true; })()`)
		}, 10*time.Second, 100*time.Millisecond, "no button to issue a code to %s", j)
		require.Eventually(t, func() bool { return strings.Contains(text(org, "#code-shown"), "Juror "+j) }, 10*time.Second, 100*time.Millisecond)
		links[j] = js[string](t, org, `document.querySelector("#code-link").href`)
		require.Contains(t, links[j], "/join#code=")
		require.Eventually(t, func() bool { return js[bool](t, org, `!!document.querySelector("#code-shown canvas")`) },
			10*time.Second, 100*time.Millisecond, "no QR code of the link") // qr.js is imported when first needed
	}
	screenshot(t, org, "stage-organiser-codes.png")

	// The jurors, each on a phone of their own.
	scores := map[string]string{"J1": "15", "J2": "12.5", "J3": "17"}
	for _, j := range []string{"J1", "J2", "J3"} {
		phoneCtx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		phone(t, phoneCtx)
		require.NoError(t, chromedp.Do(phoneCtx, chromedp.Navigate(links[j]),
			chromedp.WaitVisible(chromedp.CSS(`#join-code`)),
			chromedp.Click(chromedp.CSS(`#join-submit`)),
		))
		waitReady(t, phoneCtx)
		sync := func() string {
			return js[string](t, phoneCtx, `(document.querySelector("#server-sync")||{dataset:{}}).dataset.state || ""`)
		}
		require.Eventually(t, func() bool { return sync() == "synced" }, 30*time.Second, 100*time.Millisecond, "juror %s: %s", j, text(phoneCtx, "#server-sync"))
		projects := js[[]string](t, phoneCtx, `[...document.querySelector("#project").options].map(o => o.value).filter(Boolean)`)
		require.NotEmpty(t, projects, "juror %s has no idea", j)
		if j == "J1" {
			require.NotContains(t, projects, "AGA-01", "a juror of the idea's cooperative")
		}
		if j == "J2" {
			require.NoError(t, chromedp.Do(phoneCtx, networkOffline(true)))
		}
		for _, p := range projects {
			js[any](t, phoneCtx, `(() => { const s = document.querySelector("#project"); s.value = `+quote(p)+`;
				s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
			for _, c := range []string{"social", "economic", "innovation", "territorial", "youth"} {
				typeScore(t, phoneCtx, c, scores[j])
			}
		}
		if j == "J2" {
			require.Eventually(t, func() bool { return sync() == "pending" }, 20*time.Second, 100*time.Millisecond, "offline: %s", text(phoneCtx, "#server-sync"))
			js[any](t, phoneCtx, `document.querySelector("#server-sync").scrollIntoView({block: "center"})`)
			screenshot(t, phoneCtx, "stage-juror-offline.png")
			time.Sleep(2 * time.Second) // a while without network
			require.NoError(t, chromedp.Do(phoneCtx, networkOffline(false)))
		}
		require.Eventually(t, func() bool { return sync() == "synced" && text(phoneCtx, "#server-sync") != "" }, 40*time.Second, 200*time.Millisecond,
			"juror %s: %s", j, text(phoneCtx, "#server-sync"))
		require.NoError(t, chromedp.Do(phoneCtx, chromedp.Click(chromedp.CSS(`#server-sign-off`))))
		require.Eventually(t, func() bool { return sync() == "signed" }, 20*time.Second, 100*time.Millisecond, "juror %s: %s", j, text(phoneCtx, "#server-sync"))
		if j == "J1" {
			js[any](t, phoneCtx, `document.querySelector("#server-sync").scrollIntoView({block: "center"})`)
			screenshot(t, phoneCtx, "stage-juror-signed.png")
		}
	}

	// The organiser sees the three sheets signed off, and publishes.
	require.Eventually(t, func() bool { return js[string](t, org, `document.querySelector("#progress").dataset.signedOff`) == "3" },
		20*time.Second, 200*time.Millisecond, text(org, "#progress"))
	require.Contains(t, text(org, "#ideas"), "fz@example.org", "the organiser sees the carriers")
	require.NoError(t, chromedp.Do(org, chromedp.Click(chromedp.CSS(`#publish`))))
	require.Eventually(t, func() bool { return js[bool](t, org, `!!document.querySelector("#results li")`) }, 10*time.Second, 100*time.Millisecond, text(org, "#error"))
	sealed := js[string](t, org, `document.querySelector("#results li").dataset.digest`)

	// The public page, and the result recomputed in the browser.
	require.NoError(t, chromedp.Do(org, chromedp.Navigate(srv.URL+"/s/agadir-2026"), chromedp.WaitVisible(chromedp.CSS(`#recompute`))))
	shown := strings.TrimSpace(text(org, "#input-digest"))
	require.Equal(t, sealed, shown)
	require.NotContains(t, text(org, "body"), "example.org", "personal data on the public page")
	require.NoError(t, chromedp.Do(org, chromedp.Click(chromedp.CSS(`#recompute`))))
	require.Eventually(t, func() bool {
		return js[string](t, org, `document.querySelector("#recompute-status").dataset.same || ""`) == "true"
	},
		60*time.Second, 200*time.Millisecond, text(org, "#recompute-status"))
	require.Equal(t, shown, js[string](t, org, `document.querySelector("#recompute-status").dataset.digest`))
	screenshot(t, org, "stage-public.png")

	// afkar rank on the published dataset gives the same digest and bytes.
	get := func(path string) []byte {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return data
	}
	dataset, result := get("/s/agadir-2026/dataset.json"), get("/s/agadir-2026/result.json")
	for _, personal := range []string{"example.org", "+212", "Fatima", "Juror J1"} {
		require.NotContains(t, string(dataset), personal)
	}
	file := filepath.Join(t.TempDir(), "dataset.json")
	require.NoError(t, os.WriteFile(file, dataset, 0o644))
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	rank := exec.Command("go", "run", "./cmd/afkar", "rank", "--format", "json", file)
	rank.Dir = root
	rank.Stderr = os.Stderr
	out, err := rank.Output()
	require.NoError(t, err)
	var ranked struct {
		InputDigest string `json:"input_digest"`
	}
	require.NoError(t, json.Unmarshal(out, &ranked))
	require.Equal(t, shown, ranked.InputDigest, "afkar rank --format json on the exported dataset")
	require.JSONEq(t, string(result), string(out))
	t.Logf("published %s; afkar rank agrees", shown)
}

func ideaSeq(ps ...stage.Idea) func(func(stage.Idea, error) bool) {
	return func(yield func(stage.Idea, error) bool) {
		for _, p := range ps {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// TestReassignKeepsTheJurorsSheet: a review found that running the
// assignment again (a late idea) changed the digest the phone kept the
// sheet under, so a reload opened an empty sheet and sent it: the juror's
// scores were withdrawn on the server. The sheet is now kept by the
// server's stage, and a server ahead of the phone is merged three ways.
func TestReassignKeepsTheJurorsSheet(t *testing.T) {
	build := buildWidget(t)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "afkar.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	by := stage.Actor{Login: "test"}
	hash, _ := stagehttp.HashPassword("organiser passphrase", stagehttp.Argon2{})
	org, err := db.CreateUser(ctx, stage.User{Login: "org", Role: stage.RoleOrganiser, PasswordHash: hash}, by)
	require.NoError(t, err)
	by = stage.Actor{UserID: org.ID, Login: "org"}
	rules := `{"format":"afkar/1","rubric":{"criteria":[{"id":"social","weight":"0.5"},{"id":"economic","weight":"0.5"}],"scale":{"min":"0","max":"20","step":"0.5"},"min_judges":1},"projects":[],"scores":[]}`
	st, err := db.CreateStage(ctx, stage.Stage{Slug: "s", Title: "S", Rules: []byte(rules), JurorsPerIdea: 1, Seed: "x"}, by)
	require.NoError(t, err)
	_, err = db.AddIdeas(ctx, st.ID, ideaSeq(stage.Idea{ID: "P1"}, stage.Idea{ID: "P2"}), by, "")
	require.NoError(t, err)
	_, err = db.PutJuror(ctx, st.ID, stage.Juror{ID: "J1"}, by, "")
	require.NoError(t, err)
	_, err = db.Assign(ctx, st.ID, by)
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("ABCDEFGHJK"))
	_, err = db.CreateCode(ctx, stage.Code{Stage: st.ID, Judge: "J1", ExpiresAt: time.Now().Add(time.Hour)}, hex.EncodeToString(sum[:]), by)
	require.NoError(t, err)
	server := httptest.NewServer(stagehttp.New(stagehttp.Config{Store: db, Widget: widget.Handler(build)}).Handler())
	t.Cleanup(server.Close)
	srv := server.URL

	browserCtx := newBrowser(t)
	require.NoError(t, chromedp.Do(browserCtx, chromedp.Navigate("about:blank")))
	p, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(p, chromedp.Navigate(srv+"/join#code=ABCDE-FGHJK"),
		chromedp.WaitVisible(chromedp.CSS(`#join-code`)), chromedp.Click(chromedp.CSS(`#join-submit`))))
	waitReady(t, p)
	state := func() string {
		return js[string](t, p, `(document.querySelector("#server-sync")||{dataset:{}}).dataset.state || ""`)
	}
	require.Eventually(t, func() bool { return state() == "synced" }, 30*time.Second, 100*time.Millisecond)
	for _, pr := range []string{"P1", "P2"} {
		js[any](t, p, `(() => { const s = document.querySelector("#project"); s.value = `+quote(pr)+`;
			s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
		typeScore(t, p, "social", "15")
		typeScore(t, p, "economic", "12")
	}
	require.Eventually(t, func() bool {
		sh, _ := db.Sheet(ctx, st.ID, "J1")
		return len(sh.Scores) == 4 && state() == "synced"
	}, 30*time.Second, 200*time.Millisecond)
	sh, _ := db.Sheet(ctx, st.ID, "J1")
	t.Logf("before: server sheet v%d, %d scores", sh.Version, len(sh.Scores))

	// A late idea, and the assignment run again: J1 gets P3.
	_, err = db.AddIdeas(ctx, st.ID, ideaSeq(stage.Idea{ID: "P3"}), by, "")
	require.NoError(t, err)
	plan, err := db.Assign(ctx, st.ID, by)
	require.NoError(t, err)
	t.Logf("assignment added %v", plan.Add)

	// The phone reloads.
	require.NoError(t, chromedp.Do(p, chromedp.Reload()))
	waitReady(t, p)
	require.Eventually(t, func() bool {
		return slices.Contains(js[[]string](t, p, `[...document.querySelector("#project").options].map(o => o.value)`), "P3") && state() == "synced"
	}, 30*time.Second, 200*time.Millisecond, "the phone takes the new assignment")
	projects := js[[]string](t, p, `[...document.querySelector("#project").options].map(o => o.value).filter(Boolean)`)
	sh, _ = db.Sheet(ctx, st.ID, "J1")
	t.Logf("after reload: projects %v, state %q, server sheet v%d, %d scores", projects, state(), sh.Version, len(sh.Scores))
	require.True(t, slices.Contains(projects, "P3"))
	require.Len(t, sh.Scores, 4, "the juror's scores are gone from the server")
	js[any](t, p, `(() => { const s = document.querySelector("#project"); s.value = "P1";
		s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	require.Equal(t, "15", fieldValue(t, p, "social"), "the phone shows the juror's scores")
	// A sheet exported by hand (a file, QR codes) names the server's whole
	// stage, as the organiser's dataset does, not the juror's share of it.
	digest, err := db.StageDigest(ctx, st.ID)
	require.NoError(t, err)
	require.Contains(t, js[string](t, p, `document.querySelector("#judge-stage").textContent`), digest[:19])
}
