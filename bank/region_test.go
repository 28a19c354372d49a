package bank

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestNamesIn(t *testing.T) {
	full := Names{AR: "الداخلة", FR: "Dakhla (fr)", EN: "Dakhla (en)"}
	tests := []struct {
		name  string
		names Names
		lang  string
		want  string
	}{
		{"arabic", full, "ar", "الداخلة"},
		{"arabic with region", full, "ar-MA", "الداخلة"},
		{"upper case", full, "AR", "الداخلة"},
		{"french", full, "fr", "Dakhla (fr)"},
		{"french with region", full, "fr-MA", "Dakhla (fr)"},
		{"posix locale", full, "fr_MA", "Dakhla (fr)"},
		{"english", full, "en-GB", "Dakhla (en)"},
		{"unknown language falls back to english", full, "es", "Dakhla (en)"},
		{"amazigh falls back to english", full, "zgh-Tfng", "Dakhla (en)"},
		{"empty tag falls back to english", full, "", "Dakhla (en)"},
		{"prefix is not a subtag", full, "arab", "Dakhla (en)"},
		{"missing french falls back to english", Names{AR: "x", EN: "y"}, "fr", "y"},
		{"missing english falls back to french", Names{AR: "x", FR: "z"}, "en", "z"},
		{"only arabic", Names{AR: "x"}, "fr", "x"},
		{"zero names", Names{}, "ar", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.names.In(tt.lang); got != tt.want {
				t.Errorf("%+v.In(%q) = %q, want %q", tt.names, tt.lang, got, tt.want)
			}
		})
	}
}

func TestRegions(t *testing.T) {
	// The codes, in the order of decree 2.15.40 (2015).
	want := []string{
		"tanger-tetouan-al-hoceima", "oriental", "fes-meknes", "rabat-sale-kenitra",
		"beni-mellal-khenifra", "casablanca-settat", "marrakech-safi", "draa-tafilalet",
		"souss-massa", "guelmim-oued-noun", "laayoune-sakia-el-hamra", "dakhla-oued-ed-dahab",
	}
	var got []string
	slug := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	for _, r := range Regions() {
		got = append(got, r.Code)
		require.Regexp(t, slug, r.Code)
		require.NotEmpty(t, r.Name.AR, r.Code)
		require.NotEmpty(t, r.Name.FR, r.Code)
		require.NotEmpty(t, r.Name.EN, r.Code)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("region codes (-want +got):\n%s", diff)
	}
}

func TestRegionsIsAFreshCopy(t *testing.T) {
	rs := Regions()
	rs[0].Code = "changed"
	rs[0].Name.FR = "changed"
	again := Regions()
	require.Equal(t, "tanger-tetouan-al-hoceima", again[0].Code)
	require.Equal(t, "Tanger-Tétouan-Al Hoceïma", again[0].Name.FR)
}

func TestLookupRegion(t *testing.T) {
	tests := []struct {
		code   string
		wantOK bool
		wantFR string
	}{
		{"dakhla-oued-ed-dahab", true, "Dakhla-Oued Ed-Dahab"},
		{"oriental", true, "L'Oriental"},
		{"souss-massa", true, "Souss-Massa"},
		{"Souss-Massa", false, ""}, // codes are compared exactly
		{"", false, ""},
		{"grand-casablanca", false, ""}, // a region of the 1997 division
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			r, ok := LookupRegion(tt.code)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.wantFR, r.Name.FR)
			if ok {
				require.Equal(t, tt.code, r.Code)
			}
		})
	}
}

func TestLookupRegionFindsEveryRegion(t *testing.T) {
	for _, want := range Regions() {
		got, ok := LookupRegion(want.Code)
		require.True(t, ok, want.Code)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LookupRegion(%q) (-want +got):\n%s", want.Code, diff)
		}
	}
}
