package strictjson_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/internal/strictjson"
)

type inner struct {
	Name string `json:"name"`
}

type body struct {
	Judge   string            `json:"judge"`
	Count   int               `json:"count,omitempty"`
	At      time.Time         `json:"at"`
	Items   []inner           `json:"items"`
	Attrs   map[string]string `json:"attrs"`
	Ignored string            `json:"-"`
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, in, err string
	}{
		{"good", `{"judge": "J1", "count": 2, "at": "2026-01-02T03:04:05Z", "items": [{"name": "a"}], "attrs": {"k": "v"}}`, ""},
		{"duplicate key, which encoding/json resolves last-wins", `{"judge": "J1", "judge": "J2"}`, `$.judge: duplicate key "judge"`},
		{"key in another case, which encoding/json accepts", `{"Judge": "J1"}`, `$.Judge: unknown key "Judge"`},
		{"unknown nested key", `{"items": [{"name": "a", "nme": "b"}]}`, `$.items[0].nme: unknown key "nme"`},
		{"duplicate map key", `{"attrs": {"k": "1", "k": "2"}}`, `$.attrs.k: duplicate key "k"`},
		{"invalid UTF-8, which encoding/json replaces", "{\"judge\": \"J\xff\"}", "UTF-8"},
		{"two values", `{} {}`, "after"},
		{"a tag of -", `{"Ignored": "x"}`, `unknown key "Ignored"`},
		{"a wrong type", `{"count": "2"}`, "cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b body
			err := strictjson.Decode([]byte(tc.in), &b)
			if tc.err == "" {
				require.NoError(t, err)
				require.Equal(t, "J1", b.Judge)
				return
			}
			require.ErrorContains(t, err, tc.err)
		})
	}
}
