package bank

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestTourOrder(t *testing.T) {
	want := []string{
		"Oujda", "Casablanca", "Dakhla", "Rabat", "Laayoune", "Fes",
		"Guelmim", "Errachidia", "Marrakesh", "Beni Mellal", "Tangier", "Agadir",
	}
	var got []string
	for i, s := range Tour() {
		require.Equal(t, i+1, s.Number, "stage numbers run from 1 in tour order")
		got = append(got, s.City.EN)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tour cities (-want +got):\n%s", diff)
	}
}

func TestTourCoversEveryRegionOnce(t *testing.T) {
	stages := Tour()
	require.Len(t, stages, len(Regions()))
	seen := map[string]int{}
	for _, s := range stages {
		_, ok := LookupRegion(s.Region)
		require.True(t, ok, "stage %d (%s): unknown region %q", s.Number, s.City.EN, s.Region)
		if prev, dup := seen[s.Region]; dup {
			t.Errorf("stages %d and %d are both in region %q", prev, s.Number, s.Region)
		}
		seen[s.Region] = s.Number
	}
	for _, r := range Regions() {
		if _, ok := seen[r.Code]; !ok {
			t.Errorf("no stage in region %q", r.Code)
		}
	}
}

func TestTourStages(t *testing.T) {
	for _, s := range Tour() {
		require.NotEmpty(t, s.City.AR, "stage %d", s.Number)
		require.NotEmpty(t, s.City.FR, "stage %d", s.Number)
		require.NotEmpty(t, s.City.EN, "stage %d", s.Number)
		// No dates or partners are published (see Tour's doc).
		require.True(t, s.Date.IsZero(), "stage %d has a date", s.Number)
		require.Nil(t, s.Partners, "stage %d has partners", s.Number)
	}
}

func TestTourIsAFreshCopy(t *testing.T) {
	ts := Tour()
	ts[2].City.AR = "changed"
	ts[2].Partners = append(ts[2].Partners, "changed")
	again := Tour()
	require.Equal(t, "الداخلة", again[2].City.AR)
	require.Nil(t, again[2].Partners)
}
