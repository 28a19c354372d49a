// Command gen writes the built-in sample dataset to standard output:
//
//	go run ./internal/sample/gen > internal/sample/sample.json
//
// The output depends only on -seed (default sample.Seed), never on the
// clock, so the same seed always gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/afkarlab/afkar/internal/sample"
)

func main() {
	seed := flag.Uint64("seed", sample.Seed, "random `seed`")
	flag.Parse()
	if _, err := os.Stdout.Write(sample.Generate(*seed)); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
