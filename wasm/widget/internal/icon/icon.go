// Package icon draws the calculator's icons: three white bars of a podium,
// the winner's the tallest, under a gold dot (the idea), on the page's
// accent green. The web app manifest and the page link to the PNG files
// that widget's tests write from [Draw] (go test ./wasm/widget -run
// TestIcons -update) and check against it.
//
// Draw uses integer arithmetic only, with 4×4 samples a pixel for smooth
// edges, so that a size and a shape give the same pixels on every machine
// and with every compiler.
package icon

import "image"

// Shape is how an icon fills its square.
type Shape int

const (
	// Rounded is a rounded square on a transparent ground, the glyph at
	// full size: the manifest's "any" icons and the favicon.
	Rounded Shape = iota
	// Maskable fills the square, with the glyph inside the safe zone (the
	// centred circle of 40% radius) that a platform's mask keeps: the
	// manifest's "maskable" icons.
	Maskable
	// Square fills the square, the glyph at full size: Apple's touch icon,
	// whose corners iOS rounds itself.
	Square
)

// File is one icon file of the page.
type File struct {
	Name  string // the path under the page's folder
	Size  int    // width and height in pixels
	Shape Shape
}

// Files lists the page's icons.
func Files() []File {
	return []File{
		{"icons/favicon-32.png", 32, Rounded},
		{"icons/icon-192.png", 192, Rounded},
		{"icons/icon-512.png", 512, Rounded},
		{"icons/maskable-192.png", 192, Maskable},
		{"icons/maskable-512.png", 512, Maskable},
		{"icons/apple-touch-icon.png", 180, Square},
	}
}

// The design, in units of a 1024-unit square.
const (
	design = 1024
	centre = design / 2
	corner = 224 // the radius of Rounded's corners
)

// A rectangle with rounded corners, in design units.
type roundRect struct{ x0, y0, x1, y1, r int64 }

// The dot above the first bar, in design units.
const dotX, dotY, dotR = 512, 282, 62

// Colours, as 0xRRGGBB.
const (
	accent = 0x0b5c4a // style.css --accent, the manifest's theme_color
	white  = 0xffffff
	gold   = 0xf2c14e
)

const samples = 4 // a side: samples × samples a pixel

// Draw returns the icon of size×size pixels in shape; a size below 1 gives
// an empty image.
func Draw(size int, shape Shape) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, max(size, 0), max(size, 0)))
	if size < 1 {
		return img
	}
	// A sample's design coordinate is u/scale with u = (2k+1)·design for
	// the k-th sample along an axis. The glyph is drawn at kn/kd of its
	// size about the centre: glyph point g = centre + (p-centre)·kd/kn,
	// compared as g·unit with unit = scale·kn.
	n := int64(size)
	scale := 2 * n * samples
	kn, kd := int64(1), int64(1)
	if shape == Maskable {
		kn, kd = 4, 5 // 80%: the glyph's farthest corner is at 72% of the safe circle's radius
	}
	unit := scale * kn
	glyph := func(u int64) int64 { return centre*unit + (u-centre*scale)*kd }
	// The podium's bars: second, first, third.
	bars := [...]roundRect{
		{252, 512, 412, 776, 28},
		{432, 392, 592, 776, 28},
		{612, 592, 772, 776, 28},
	}
	for py := range size {
		for px := range size {
			var r, g, b, covered int64
			for j := range int64(samples) {
				for i := range int64(samples) {
					ux := (2*(int64(px)*samples+i) + 1) * design
					uy := (2*(int64(py)*samples+j) + 1) * design
					if shape == Rounded && !(roundRect{0, 0, design, design, corner}).has(ux, uy, scale) {
						continue
					}
					c := int64(accent)
					gx, gy := glyph(ux), glyph(uy)
					for _, bar := range bars {
						if bar.has(gx, gy, unit) {
							c = white
						}
					}
					if dx, dy := gx-dotX*unit, gy-dotY*unit; dx*dx+dy*dy <= dotR*unit*dotR*unit {
						c = gold
					}
					r, g, b = r+c>>16, g+c>>8&0xff, b+c&0xff
					covered++
				}
			}
			if covered == 0 {
				continue
			}
			o := img.PixOffset(px, py)
			img.Pix[o+0] = uint8((r + covered/2) / covered)
			img.Pix[o+1] = uint8((g + covered/2) / covered)
			img.Pix[o+2] = uint8((b + covered/2) / covered)
			img.Pix[o+3] = uint8((covered*255 + samples*samples/2) / (samples * samples))
		}
	}
	return img
}

// has reports whether the point (x, y), in design units times unit, is
// inside the rectangle.
func (q roundRect) has(x, y, unit int64) bool {
	x0, y0, x1, y1, r := q.x0*unit, q.y0*unit, q.x1*unit, q.y1*unit, q.r*unit
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx, cy := min(max(x, x0+r), x1-r), min(max(y, y0+r), y1-r)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}
