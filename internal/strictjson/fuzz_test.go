package strictjson_test

import (
	"testing"

	"github.com/afkarlab/afkar/internal/strictjson"
)

// FuzzDecode: no input makes Decode panic, and what it accepts,
// encoding/json reads the same way (it is only stricter).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"judge": "J1", "items": [{"name": "a"}], "attrs": {"k": "v"}}`, `{"Judge": 1}`, `{"judge": "a", "judge": "b"}`, "{\"judge\": \"\xff\"}", `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b body
		if err := strictjson.Decode(data, &b); err != nil {
			return
		}
		if b.Ignored != "" {
			t.Fatalf("a field tagged - was set from %q", data)
		}
	})
}
