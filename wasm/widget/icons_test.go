package widget

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/afkarlab/afkar/wasm/widget/internal/icon"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite static/icons from internal/icon")

// TestIcons checks that every icon file has the pixels internal/icon draws
// (pixels, not PNG bytes, which change with compress/flate); -update
// rewrites the files.
func TestIcons(t *testing.T) {
	for _, f := range icon.Files() {
		t.Run(f.Name, func(t *testing.T) {
			want := icon.Draw(f.Size, f.Shape)
			path := filepath.Join("static", filepath.FromSlash(f.Name))
			if *update {
				var buf bytes.Buffer
				enc := png.Encoder{CompressionLevel: png.BestCompression}
				require.NoError(t, enc.Encode(&buf, want))
				require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			}
			data, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./wasm/widget -run TestIcons -update")
			img, err := png.Decode(bytes.NewReader(data))
			require.NoError(t, err)
			got := image.NewNRGBA(img.Bounds())
			draw.Draw(got, got.Bounds(), img, img.Bounds().Min, draw.Src)
			require.Equal(t, want.Bounds(), got.Bounds())
			require.True(t, bytes.Equal(want.Pix, got.Pix), "%s differs from internal/icon's drawing: run go test ./wasm/widget -run TestIcons -update", path)
		})
	}
}

// TestManifestIcons checks that the manifest lists each icon file with its
// size, and that the page links to the touch icon and the favicon.
func TestManifestIcons(t *testing.T) {
	data, err := fs.ReadFile(Static(), "manifest.webmanifest")
	require.NoError(t, err)
	var manifest struct {
		Icons []struct{ Src, Sizes, Type, Purpose string }
	}
	require.NoError(t, json.Unmarshal(data, &manifest))
	listed := map[string]string{}
	for _, i := range manifest.Icons {
		require.Equal(t, "image/png", i.Type, i.Src)
		listed[i.Src] = i.Sizes + " " + i.Purpose
	}
	page, err := fs.ReadFile(Static(), "index.html")
	require.NoError(t, err)
	for _, f := range icon.Files() {
		size := fmt.Sprintf("%dx%d", f.Size, f.Size)
		switch f.Shape {
		case icon.Rounded:
			if f.Size < 192 {
				require.Contains(t, string(page), fmt.Sprintf(`<link rel="icon" href="%s" type="image/png" sizes="%s">`, f.Name, size))
				continue
			}
			require.Equal(t, size+" any", listed[f.Name], f.Name)
		case icon.Maskable:
			require.Equal(t, size+" maskable", listed[f.Name], f.Name)
		case icon.Square:
			require.Contains(t, string(page), fmt.Sprintf(`<link rel="apple-touch-icon" href="%s">`, f.Name))
		}
	}
}
