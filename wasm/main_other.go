//go:build !(js && wasm)

// Command wasm is the Afkar engine compiled to WebAssembly; on other
// platforms it only says how to build it.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "build this program for the browser: GOOS=js GOARCH=wasm go build -o afkar.wasm ./wasm")
	os.Exit(2)
}
