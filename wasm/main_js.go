//go:build js && wasm

// Command wasm is the Afkar engine compiled to WebAssembly for the browser
// calculator. It sets globalThis.afkar to an object of functions that take
// and return JSON strings (see package bridge: evaluate, validate, score,
// merge, mergeSheets, digests, swing, verifyTour, sample, version), then dispatches the
// "afkar-ready" event. afkar.close() releases the functions and ends the
// program.
//
//	GOOS=js GOARCH=wasm go build -o afkar.wasm ./wasm
package main

import (
	"fmt"
	"syscall/js"

	"github.com/afkarlab/afkar/wasm/bridge"
	"github.com/afkarlab/afkar/wasm/internal/gcpause"
	"github.com/afkarlab/afkar/wasm/internal/jstext"
)

func main() {
	done := make(chan struct{})
	api := js.Global().Get("Object").New()
	var funcs []js.Func
	enc := jstext.NewEncoder()
	// One thread: the collector waits for the end of a call (see package
	// gcpause).
	var gc gcpause.Pauser
	export := func(name string, f func(arg []byte) []byte) {
		fn := js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
			defer func() { // a panic here would kill the program for good
				if p := recover(); p != nil {
					result = fmt.Sprintf(`{"error":{"problems":[{"path":"$","message":%q}]}}`, fmt.Sprint("internal error: ", p))
				}
			}()
			gc.Do(func() {
				var arg []byte
				if len(args) > 0 && args[0].Type() == js.TypeString {
					arg = enc.Bytes(args[0]) // one copy, where args[0].String() takes three
				}
				result = string(f(arg))
			})
			return result
		})
		funcs = append(funcs, fn)
		api.Set(name, fn)
	}
	export("evaluate", bridge.Evaluate)
	export("validate", bridge.Validate)
	export("score", bridge.Score)
	export("merge", bridge.Merge)
	export("mergeSheets", bridge.MergeSheets)
	export("digests", bridge.Digests)
	export("swing", bridge.Swing)
	export("verifyTour", bridge.VerifyTour)
	export("sample", func([]byte) []byte { return bridge.Sample() })
	export("version", func([]byte) []byte { return []byte(bridge.Version()) })
	closeFn := js.FuncOf(func(js.Value, []js.Value) any {
		close(done)
		return nil
	})
	funcs = append(funcs, closeFn)
	api.Set("close", closeFn)

	js.Global().Set("afkar", api)
	if dispatch := js.Global().Get("dispatchEvent"); dispatch.Type() == js.TypeFunction {
		js.Global().Call("dispatchEvent", js.Global().Get("Event").New("afkar-ready"))
	}
	<-done
	js.Global().Delete("afkar")
	for _, fn := range funcs {
		fn.Release()
	}
}
