package store_test

import (
	"testing"
	"time"

	"github.com/afkarlab/afkar/bank/store"
	"github.com/afkarlab/afkar/bank/store/storetest"
)

func openBank(t testing.TB, clock func() time.Time) store.Catalogue {
	return store.New(store.Config{Clock: clock})
}

// TestCatalogue runs the conformance suite on the bank in memory.
func TestCatalogue(t *testing.T) { storetest.Run(t, openBank) }
