package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/afkarlab/afkar/internal/sample"
	"github.com/stretchr/testify/require"
)

// The research commands, run as users run them.

// requireSVG checks that path holds a well-formed SVG document.
func requireSVG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("<svg ")), "an SVG document")
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "well-formed XML")
	}
}

func TestAnalyze(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "leniency.svg")
	r := afkarCmd(t, "", "analyze", "--svg", svg)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stderr, "built-in sample")
	for _, s := range []string{"Krippendorff", "judges' totals", "incomplete design", "J-OUJ-1", "Judges (48)"} {
		require.Contains(t, r.stdout, s)
	}
	requireSVG(t, svg)

	out := filepath.Join(dir, "analysis.json")
	r = afkarCmd(t, string(sample.JSON()), "analyze", "--format", "json", "-o", out, "-")
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stdout)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc struct {
		InputDigest string `json:"input_digest"`
		Criteria    []struct {
			Criterion string   `json:"criterion"`
			Alpha     *float64 `json:"alpha"`
			ICC       *float64 `json:"icc_2_1"`
			ICCNote   string   `json:"icc_note"`
		} `json:"criteria"`
		Totals struct {
			Criterion *string  `json:"criterion"`
			Alpha     *float64 `json:"alpha"`
		} `json:"totals"`
		Judges []struct {
			ID    string   `json:"id"`
			Flags []string `json:"flags"`
		} `json:"judges"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.True(t, strings.HasPrefix(doc.InputDigest, "sha256:"))
	require.Len(t, doc.Criteria, 5)
	require.Equal(t, "social", doc.Criteria[0].Criterion)
	require.NotNil(t, doc.Criteria[0].Alpha)
	require.Nil(t, doc.Criteria[0].ICC, "null: the design is incomplete")
	require.Contains(t, doc.Criteria[0].ICCNote, "incomplete design")
	require.Nil(t, doc.Totals.Criterion)
	require.NotNil(t, doc.Totals.Alpha)
	require.Len(t, doc.Judges, 48)
}

// Each statistic comes with its reading (Landis & Koch for alpha, Koo & Li
// for the ICCs); --by region measures each stage alone, and says when an
// ICC is missing because of conflict exclusions.
func TestAnalyzeReadingsAndGroups(t *testing.T) {
	r := afkarCmd(t, "", "analyze", dakhla)
	require.Equal(t, 0, r.code, r.stderr)
	for _, s := range []string{
		"Agreement on the counted scores (alpha: Krippendorff, interval metric, read with Landis & Koch 1977;\n" +
			"ICC: Shrout & Fleiss 1979, two-way random, absolute agreement, read with Koo & Li 2016)\n",
		"criterion       alpha                 units  values  ICC(2,1)         ICC(2,k)         k  note\n",
		"social          0.911 almost perfect  8      32      0.919 excellent  0.978 excellent  4  \n",
		"territorial     0.580 moderate        8      32      0.602 moderate   0.858 good       4  \n",
	} {
		require.Contains(t, r.stdout, s)
	}
	require.NotContains(t, r.stdout, "Within each")

	r = afkarCmd(t, "", "analyze", "--by", "region")
	require.Equal(t, 0, r.code, r.stderr)
	for _, s := range []string{
		"incomplete design: 3996 of the 4368 (eligible project, judge) cells have no counted value, 5 of them because of conflict exclusions",
		"\nWithin each region: the same measures on the group's projects alone.\n",
		"\nOriental (oriental): 7 projects\n",
		"social          0.470 moderate  7      28      0.532 moderate  0.820 good      4  \n",
		"\nCasablanca-Settat (casablanca-settat): 9 projects\n",
		"incomplete design: 1 of the 45 (eligible project, judge) cells have no counted value, all because of conflict exclusions\n",
	} {
		require.Contains(t, r.stdout, s)
	}
	// Stages in tour order: Oujda first, Agadir last.
	require.Less(t, strings.Index(r.stdout, "Oriental (oriental)"), strings.Index(r.stdout, "Souss-Massa (souss-massa)"))

	r = afkarCmd(t, "", "analyze", "--format", "json", "--by", "region")
	require.Equal(t, 0, r.code, r.stderr)
	var doc struct {
		Criteria []struct {
			Alpha        float64 `json:"alpha"`
			AlphaReading *string `json:"alpha_reading"`
			ICC21Reading *string `json:"icc_2_1_reading"`
			Missing      int     `json:"icc_missing"`
			Excluded     int     `json:"icc_missing_excluded"`
		} `json:"criteria"`
		Groups []struct {
			Group    string `json:"group"`
			Projects int    `json:"projects"`
			Criteria []struct {
				ICC21        *float64 `json:"icc_2_1"`
				ICC21Reading *string  `json:"icc_2_1_reading"`
			} `json:"criteria"`
		} `json:"groups"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	require.Equal(t, "substantial", *doc.Criteria[0].AlphaReading)
	require.Nil(t, doc.Criteria[0].ICC21Reading, "no ICC, no reading")
	require.Equal(t, 3996, doc.Criteria[0].Missing)
	require.Equal(t, 5, doc.Criteria[0].Excluded)
	require.Len(t, doc.Groups, 12)
	require.Equal(t, "oriental", doc.Groups[0].Group, "in the order of the projects")
	require.Equal(t, 7, doc.Groups[0].Projects)
	require.Equal(t, "moderate", *doc.Groups[0].Criteria[0].ICC21Reading)

	r = afkarCmd(t, "", "analyze", "--by", "regoin")
	require.Equal(t, 2, r.code)
	require.Equal(t, "afkar: --by: expected region, sector, cooperative or attributes.<key>, found \"regoin\"\n", r.stderr)
}

func sensitivityJSON(t *testing.T, args ...string) string {
	t.Helper()
	r := afkarCmd(t, "", append([]string{"sensitivity", "--format", "json"}, args...)...)
	require.Equal(t, 0, r.code, r.stderr)
	return r.stdout
}

// The output for a seed is the same, byte for byte, for 1, 2 and 8
// workers.
func TestSensitivitySameBytesForAnyWorkers(t *testing.T) {
	for _, weights := range []string{"perturb", "uniform"} {
		one := sensitivityJSON(t, "--samples", "400", "--seed", "9", "--weights", weights, "--workers", "1")
		for _, n := range []string{"2", "8"} {
			require.Equal(t, one, sensitivityJSON(t, "--samples", "400", "--seed", "9", "--weights", weights, "--workers", n), "%s, %s workers", weights, n)
		}
		require.NotEqual(t, one, sensitivityJSON(t, "--samples", "400", "--seed", "10", "--weights", weights), "another seed")
	}
}

type sensitivityDoc struct {
	Stability struct {
		Criteria []struct {
			Criterion, Weight, Lo, LoExact, Hi, HiExact string
			LoPair                                      *struct{ Selected, Unselected string } `json:"lo_pair"`
		} `json:"criteria"`
		MostCritical string `json:"most_critical"`
	} `json:"stability"`
	MonteCarlo *struct {
		Samples  int `json:"samples"`
		Projects []struct {
			ID        string  `json:"id"`
			Rank      float64 `json:"rank"`
			Selected  bool    `json:"selected"`
			PFirst    float64 `json:"p_first"`
			PSelected float64 `json:"p_selected"`
			P5        float64 `json:"rank_p5"`
			P50       float64 `json:"rank_p50"`
			P95       float64 `json:"rank_p95"`
		} `json:"projects"`
	} `json:"monte_carlo"`
}

func TestSensitivity(t *testing.T) {
	var doc sensitivityDoc
	require.NoError(t, json.Unmarshal([]byte(sensitivityJSON(t, "--samples", "200", "--spread", "0")), &doc))
	// The exact intervals of the sample (also in README.md).
	require.Equal(t, "social", doc.Stability.MostCritical)
	require.Len(t, doc.Stability.Criteria, 5)
	social := doc.Stability.Criteria[0]
	require.Equal(t, "0.250000", social.Weight)
	require.Equal(t, "0.184467", social.Lo, "rounded up from %s", social.LoExact)
	require.Equal(t, "0.282296", social.Hi, "rounded down from %s", social.HiExact)
	require.Equal(t, "OUJ-04", social.LoPair.Selected)
	// Spread 0: every sample is the current ranking.
	require.Equal(t, 200, doc.MonteCarlo.Samples)
	require.Len(t, doc.MonteCarlo.Projects, 91)
	for _, p := range doc.MonteCarlo.Projects {
		require.Contains(t, []float64{0, 1}, p.PFirst, p.ID)
		require.Contains(t, []float64{0, 1}, p.PSelected, p.ID)
		require.Equal(t, p.Selected, p.PSelected == 1, p.ID)
		require.Equal(t, []float64{p.Rank, p.Rank, p.Rank}, []float64{p.P5, p.P50, p.P95}, p.ID)
	}

	// The exact intervals alone.
	doc = sensitivityDoc{}
	require.NoError(t, json.Unmarshal([]byte(sensitivityJSON(t, "--samples", "0")), &doc))
	require.Nil(t, doc.MonteCarlo)
	require.Len(t, doc.Stability.Criteria, 5)

	// The table, and the chart; no progress bar when stderr is not a
	// terminal.
	svg := filepath.Join(t.TempDir(), "ranks.svg")
	r := afkarCmd(t, "", "sensitivity", "--samples", "100", "--svg", svg)
	require.Equal(t, 0, r.code, r.stderr)
	require.Equal(t, "afkar: no dataset given: using the built-in sample (synthetic data)\n", r.stderr)
	for _, s := range []string{"Exact weight stability of the top 3 of each region", "Most critical: social", "OUJ-03 passes OUJ-04", "Monte Carlo: 100 samples (seed 1)", "P(rank 1)"} {
		require.Contains(t, r.stdout, s)
	}
	requireSVG(t, svg)
}

const dakhla = "../../testdata/dakhla/dataset.json"

// On the Dakhla-like stage (analysis/sensitivity's TestStabilityDakhla
// solves it by hand), social, economic and innovation cannot change the
// selection: their intervals are [0, 1], with no pair and no margin. Only
// territorial (up to 160/313 ≈ 0.511) and youth (up to 217/625) can, and
// youth is the most critical.
func TestSensitivityDakhla(t *testing.T) {
	r := afkarCmd(t, "", "sensitivity", "--samples", "0", dakhla)
	require.Equal(t, 0, r.code, r.stderr)
	for _, s := range []string{
		"social       0.250000  0.000000  1.000000  -       -      -\n",
		"territorial  0.150000  0.000000  0.511182  240.8%  -      DAK-06 passes DAK-03\n",
		"youth        0.150000  0.000000  0.347200  131.5%  -      DAK-07 passes DAK-03\n",
		"Most critical: youth (its weight can move 131.5% of itself before the selection's totals cross).\n",
	} {
		require.Contains(t, r.stdout, s)
	}

	var doc struct {
		Stability struct {
			Criteria []struct {
				Criterion   string  `json:"criterion"`
				Margin      *string `json:"margin"`
				MarginExact *string `json:"margin_exact"`
			} `json:"criteria"`
			MostCritical *string `json:"most_critical"`
		} `json:"stability"`
	}
	require.NoError(t, json.Unmarshal([]byte(sensitivityJSON(t, "--samples", "0", dakhla)), &doc))
	require.Equal(t, "youth", *doc.Stability.MostCritical)
	require.Nil(t, doc.Stability.Criteria[0].Margin, "social: no crossing")
	require.Nil(t, doc.Stability.Criteria[0].MarginExact)
	require.Equal(t, "2261/939", *doc.Stability.Criteria[3].MarginExact)

	// With the top 7 of 8 selected, DAK-08 is far behind whatever the
	// weights: no criterion can change the selection.
	data, err := os.ReadFile(dakhla)
	require.NoError(t, err)
	r = afkarCmd(t, strings.Replace(string(data), `"top": 3`, `"top": 7`, 1), "sensitivity", "--samples", "0", "-")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "No criterion's weight, moved alone anywhere in [0, 1], changes the selection: no pair's totals cross.\n")
	require.NotContains(t, r.stdout, "Most critical")
}

// Ctrl-C stops the sampling cleanly: exit 1, a message, no output.
func TestSensitivityInterrupt(t *testing.T) {
	cmd := exec.Command(binary, "sensitivity", "--samples", "100000000")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Start())
	time.Sleep(700 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee)
		require.Equal(t, 1, ee.ExitCode(), errb.String())
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("still running 20 s after the interrupt")
	}
	require.Contains(t, errb.String(), "afkar: interrupted after ")
	require.Contains(t, errb.String(), " of 100000000 samples")
	require.Empty(t, out.String())
}

// rankJSON ranks a dataset to a result file and returns its path.
func rankJSON(t *testing.T, dir, name string, dataset []byte) string {
	t.Helper()
	in := filepath.Join(dir, name+".dataset.json")
	require.NoError(t, os.WriteFile(in, dataset, 0o644))
	out := filepath.Join(dir, name+".json")
	r := afkarCmd(t, "", "rank", "--format", "json", "-o", out, in)
	require.Equal(t, 0, r.code, r.stderr)
	return out
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	a := rankJSON(t, dir, "a", sample.JSON())
	// The same tour with the social weight doubled, relative weights.
	var ds map[string]any
	require.NoError(t, json.Unmarshal(sample.JSON(), &ds))
	rubric := ds["rubric"].(map[string]any)
	rubric["weights"] = "relative"
	rubric["criteria"].([]any)[0].(map[string]any)["weight"] = "0.5"
	reweighted, err := json.Marshal(ds)
	require.NoError(t, err)
	b := rankJSON(t, dir, "b", reweighted)

	r := afkarCmd(t, "", "compare", a, a)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "Kendall's tau-b  1.0000")
	require.Contains(t, r.stdout, "No project moved.")

	r = afkarCmd(t, "", "compare", a, b)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "Largest moves (10)")

	data, err := os.ReadFile(b)
	require.NoError(t, err)
	r = afkarCmd(t, string(data), "compare", "--format", "json", a, "-")
	require.Equal(t, 0, r.code, r.stderr)
	var doc struct {
		N     int      `json:"n"`
		TauB  float64  `json:"tau_b"`
		Rho   float64  `json:"rho"`
		OnlyA []string `json:"only_a"`
		Moved []struct {
			ID string  `json:"id"`
			By float64 `json:"by"`
		} `json:"moved"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	require.Greater(t, doc.N, 80)
	require.Greater(t, doc.TauB, 0.8)
	require.Less(t, doc.TauB, 1.0)
	require.Greater(t, doc.Rho, doc.TauB, "rho is above tau on rankings this close")
	require.Len(t, doc.Moved, 10)
	require.NotNil(t, doc.OnlyA)
}

func TestResearchExitCodes(t *testing.T) {
	dir := t.TempDir()
	notResult := filepath.Join(dir, "dataset.json")
	require.NoError(t, os.WriteFile(notResult, sample.JSON(), 0o644))
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"analyze help", []string{"analyze", "-h"}, 0, "Examples:"},
		{"sensitivity help", []string{"sensitivity", "--help"}, 0, "Examples:"},
		{"compare help", []string{"compare", "-h"}, 0, "Example:"},
		{"analyze format", []string{"analyze", "--format", "csv"}, 2, `--format: expected table or json, found "csv"`},
		{"analyze two datasets", []string{"analyze", "a.json", "b.json"}, 2, "analyze takes at most one dataset, found 2"},
		{"analyze invalid", []string{"analyze", conformance + "bad-024/dataset.json"}, 2, `scores[17].judge: unknown judge "J7" (not in judges)`},
		{"analyze missing", []string{"analyze", "no-such.json"}, 1, "no-such.json"},
		{"sensitivity weights", []string{"sensitivity", "--weights", "dirichlet"}, 2, `--weights: expected perturb or uniform, found "dirichlet"`},
		{"sensitivity spread", []string{"sensitivity", "--spread", "1"}, 2, `--spread: expected a decimal in [0, 1), found "1"`},
		{"sensitivity spread text", []string{"sensitivity", "--spread", "abc"}, 2, `--spread: expected a decimal in [0, 1)`},
		{"sensitivity samples", []string{"sensitivity", "--samples", "-1"}, 2, "--samples: expected a number >= 0, found -1"},
		{"sensitivity workers", []string{"sensitivity", "--workers", "0"}, 2, "--workers: expected a number >= 1, found 0"},
		{"sensitivity svg without samples", []string{"sensitivity", "--samples", "0", "--svg", "x.svg"}, 2, "it needs --samples > 0"},
		{"sensitivity invalid", []string{"sensitivity", conformance + "bad-024/dataset.json"}, 2, `rubric.rounding.moed: unknown key "moed"`},
		{"compare one", []string{"compare", notResult}, 2, "compare takes two results"},
		{"compare stdin twice", []string{"compare", "-", "-"}, 2, "at most one result from standard input"},
		{"compare a dataset", []string{"compare", notResult, notResult}, 2, notResult + `: format: expected "afkar-result/1", found "afkar/1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := afkarCmd(t, "", tt.args...)
			require.Equal(t, tt.code, r.code, r.stderr)
			require.Contains(t, r.stderr+r.stdout, tt.err)
			if tt.code == 2 && !strings.Contains(tt.err, "expected") && !strings.Contains(tt.err, "takes") && !strings.Contains(tt.err, "needs") && !strings.Contains(tt.err, "at most") {
				for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
					path, msg, ok := strings.Cut(l, ": ")
					require.True(t, ok && path != "" && msg != "", "line %q is not path: message", l)
				}
			}
		})
	}
	r := afkarCmd(t, "", "-h")
	for _, c := range []string{"afkar analyze", "afkar sensitivity", "afkar compare"} {
		require.Contains(t, r.stdout, c)
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	require.Nil(t, newProgress(&buf, 10).w, "a buffer is not a terminal: no bar")
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	require.NoError(t, err)
	defer f.Close()
	require.False(t, isTerminal(f), "a regular file is not a terminal")

	p := &progress{w: &buf, total: 200, start: time.Now()}
	p.update(1)
	p.update(2) // within 100 ms of the last: not drawn
	p.update(200)
	p.finish()
	out := buf.String()
	require.Equal(t, 2, strings.Count(out, "\rsampling ["), out)
	require.Contains(t, out, "] 100% 200/200")
	require.True(t, strings.HasSuffix(out, "\r\033[K"), "the bar is erased at the end")
	require.Equal(t, 200, p.done)
}
