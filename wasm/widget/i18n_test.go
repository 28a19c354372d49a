package widget

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStringTables checks i18n.js under Node: the three languages have the
// same keys, no text is empty, and every key that app.js, index.html and
// the other scripts name literally is in the tables (a missing one would
// show the key itself to a juror).
func TestStringTables(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	abs, err := filepath.Abs(filepath.Join("static", "i18n.js"))
	require.NoError(t, err)
	_, err = os.ReadFile(abs) // for go test's cache
	require.NoError(t, err)
	module := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	out, err := exec.Command(node, "--input-type=module", "-e",
		`import { STRINGS } from `+strconvQuote(module)+`; console.log(JSON.stringify(STRINGS));`).Output()
	require.NoError(t, err)
	var tables map[string]map[string]string
	require.NoError(t, json.Unmarshal(out, &tables))
	en := tables["en"]
	require.NotEmpty(t, en)
	keys := func(m map[string]string) []string {
		var ks []string
		for k, v := range m {
			require.NotEmpty(t, v, k)
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	for _, lang := range []string{"fr", "ar"} {
		require.Equal(t, keys(en), keys(tables[lang]), "%s has other keys than en", lang)
	}

	// Keys named literally: t("…"), {key: "…"}, data-i18n="…".
	literal := regexp.MustCompile(`\bt\("([a-zA-Z][\w.-]*)"|\bkey: "([a-zA-Z][\w.-]*)"|data-i18n="([a-zA-Z][\w.-]*)"`)
	for _, name := range []string{"app.js", "index.html", "boot.js"} {
		src, err := os.ReadFile(filepath.Join("static", name))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			key := m[1] + m[2] + m[3]
			require.Contains(t, en, key, "%s names the string %q, which i18n.js does not have", name, key)
		}
	}
}
