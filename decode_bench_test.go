package afkar_test

import (
	"flag"
	"os"
	"testing"

	"github.com/afkarlab/afkar"
)

var decodeFile = flag.String("decode.file", "", "the dataset JSON that BenchmarkDecodeFile decodes")

// BenchmarkDecodeFile decodes the dataset named by -decode.file, such as
// one internal/synth/gen writes (issue 13):
//
//	go run ./internal/synth/gen -projects 10000 -json -dir /tmp/s10k
//	go test -run=NONE -bench=DecodeFile -benchmem -decode.file=/tmp/s10k/dataset.json .
func BenchmarkDecodeFile(b *testing.B) {
	if *decodeFile == "" {
		b.Skip("no -decode.file")
	}
	data, err := os.ReadFile(*decodeFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := afkar.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
