package widget

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Handler serves the page's files ([Static]) and the build in buildDir, as
// [Build] wrote it, with the hashed URLs, caching, compression and headers
// that the package documentation describes. The page is at "/" (and
// "/index.html"), with any query: "/?dataset=…" is the same page.
//
// Handler reads buildDir, and compresses the page's own files, once, when
// it is called: files that Build writes later are not seen. Like Build, it
// keeps the brotli compressions in the user's cache directory, so that
// only a changed file takes time. A missing .br or .gz file only means
// that the file is sent uncompressed; when the build cannot be read (no
// afkar.wasm, say), every request is answered with 500 Internal Server
// Error and the reason. The handler is safe for concurrent use.
func Handler(buildDir string) http.Handler {
	s, err := newSite(Static(), os.DirFS(buildDir), brotliCacheDir())
	if err != nil {
		return failing{err}
	}
	return s
}

// Names the handler gives special treatment.
const (
	pageFile   = "index.html"
	workerFile = "sw.js"
	pageURL    = "./" // the page's URL in the precache list, relative to sw.js
)

// precacheLine is the line of sw.js that Handler replaces with the list of
// files of the version it serves. It must appear exactly once.
const precacheLine = `const PRECACHE = { version: "", files: [] };`

// hashLen is the number of hex digits of a SHA-256 in a URL's ?v= and in
// the version: 64 bits, enough that two versions of one file never share
// a hash by chance.
const hashLen = 16

// Cache-Control values.
const (
	cacheImmutable   = "public, max-age=31536000, immutable"
	cacheRevalidated = "no-cache"
)

// asset is one file as the handler serves it.
type asset struct {
	contentType string
	hash        string // the first hashLen hex digits of the SHA-256 of plain
	integrity   string // "sha256-" and the base64 of the whole SHA-256 of plain
	plain       []byte
	br, gz      []byte // nil when not available
	immutable   bool   // a request with ?v=hash may be cached for a year
}

// site is the handler: every file by its path (no leading slash; the page
// is "") and the version they make together.
type site struct {
	assets  map[string]*asset
	version string
}

// newSite reads the page's files from static and the engine from build,
// rewrites the page's links with the files' hashes and writes the version's
// precache list into the service worker. cacheDir, when not empty, keeps
// brotli compressions between calls.
func newSite(static, build fs.FS, cacheDir string) (*site, error) {
	s := &site{assets: make(map[string]*asset)}
	var page, worker []byte
	err := fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(static, name)
		if err != nil {
			return err
		}
		switch name {
		case pageFile:
			page = data
		case workerFile:
			worker = data
		default:
			s.assets[name] = newAsset(name, data, true)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("widget: reading the page's files: %w", err)
	}
	if page == nil || worker == nil {
		return nil, fmt.Errorf("widget: the page's files lack %s or %s", pageFile, workerFile)
	}
	if err := s.readBuild(build); err != nil {
		return nil, fmt.Errorf("widget: reading the build: %w", err)
	}
	s.compress(cacheDir)
	for _, a := range s.assets {
		a.setHash()
	}

	// The page links to its files by hash, so its hash changes with theirs;
	// the version hashes every precached file, and sw.js lists them.
	pageAsset := newAsset(pageFile, linkHashes(page, s.assets), false)
	pageAsset.compressAll(cacheDir)
	pageAsset.setHash()
	s.assets[""] = pageAsset
	s.version = s.versionHash()
	list, err := s.precacheList()
	if err != nil {
		return nil, err
	}
	if bytes.Count(worker, []byte(precacheLine)) != 1 {
		return nil, fmt.Errorf("widget: %s must hold the line %s once", workerFile, precacheLine)
	}
	workerAsset := newAsset(workerFile, bytes.Replace(worker, []byte(precacheLine), list, 1), false)
	workerAsset.compressAll(cacheDir)
	workerAsset.setHash()
	s.assets[workerFile] = workerAsset
	return s, nil
}

// readBuild adds the engine and wasm_exec.js, and their compressions when
// the build has them.
func (s *site) readBuild(build fs.FS) error {
	for _, name := range []string{wasmFile, execFile} {
		plain, err := fs.ReadFile(build, name)
		if err != nil {
			return err
		}
		a := newAsset(name, plain, true)
		if a.br, err = fs.ReadFile(build, name+brSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if a.gz, err = fs.ReadFile(build, name+gzSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		s.assets[name] = a
	}
	return nil
}

// compress compresses the page's own files (not the build's, which Build
// compressed) on every core.
func (s *site) compress(cacheDir string) {
	var wg sync.WaitGroup
	for name, a := range s.assets {
		if name == wasmFile || name == execFile {
			continue
		}
		wg.Go(func() { a.compressAll(cacheDir) })
	}
	wg.Wait()
}

// newAsset returns the file name, with its content type; immutable says
// whether a request with the file's hash may be cached for a year.
func newAsset(name string, plain []byte, immutable bool) *asset {
	return &asset{contentType: contentType(name), plain: plain, immutable: immutable}
}

// compressAll sets br and gz when the file's type is worth compressing and
// each is smaller than the plain file.
func (a *asset) compressAll(cacheDir string) {
	if !compressible(a.contentType) {
		return
	}
	if br := cachedBrotli(context.Background(), a.plain, cacheDir); len(br) < len(a.plain) {
		a.br = br
	}
	if gz := compressGzip(a.plain); len(gz) < len(a.plain) {
		a.gz = gz
	}
}

// setHash sets the hashes of the plain file.
func (a *asset) setHash() {
	sum := sha256.Sum256(a.plain)
	a.hash = hex.EncodeToString(sum[:])[:hashLen]
	a.integrity = "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// versionHash hashes the names and hashes of every file but sw.js.
func (s *site) versionHash() string {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(s.assets)) {
		if name != workerFile {
			fmt.Fprintf(h, "%q %s\n", name, s.assets[name].hash)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:hashLen]
}

// precacheFile is one entry of the service worker's precache list.
type precacheFile struct {
	URL       string `json:"url"`       // relative to sw.js
	Integrity string `json:"integrity"` // for fetch's integrity option
}

// precacheList is the PRECACHE line of sw.js for this version: the page,
// then every other file but sw.js by its hashed URL, in name order.
func (s *site) precacheList() ([]byte, error) {
	list := struct {
		Version string         `json:"version"`
		Files   []precacheFile `json:"files"`
	}{Version: s.version}
	for _, name := range slices.Sorted(maps.Keys(s.assets)) {
		a := s.assets[name]
		switch name {
		case workerFile:
		case "":
			list.Files = append(list.Files, precacheFile{URL: pageURL, Integrity: a.integrity})
		default:
			list.Files = append(list.Files, precacheFile{URL: name + "?v=" + a.hash, Integrity: a.integrity})
		}
	}
	data, err := json.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("widget: the precache list: %w", err)
	}
	return []byte("const PRECACHE = " + string(data) + ";"), nil
}

// linkAttr is an src or href attribute whose value is a plain relative
// path: no scheme, query, fragment, or leading slash.
var linkAttr = regexp.MustCompile(`(\s(?:src|href))="([A-Za-z0-9_.][A-Za-z0-9_./-]*)"`)

// linkHashes returns the page with ?v=<hash> after every src and href that
// names one of assets.
func linkHashes(page []byte, assets map[string]*asset) []byte {
	return linkAttr.ReplaceAllFunc(page, func(attr []byte) []byte {
		m := linkAttr.FindSubmatch(attr)
		a, ok := assets[path.Clean(string(m[2]))]
		if !ok {
			return attr
		}
		return fmt.Appendf(nil, `%s="%s?v=%s"`, m[1], m[2], a.hash)
	})
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	setSecurityHeaders(h)
	h.Set("X-Afkar-Version", s.version)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == pageFile {
		name = ""
	}
	a, ok := s.assets[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, coding := a.plain, ""
	if a.br != nil || a.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		coding = negotiate(r.Header.Values("Accept-Encoding"), a.br != nil, a.gz != nil)
		switch coding {
		case "br":
			body = a.br
		case "gzip":
			body = a.gz
		}
	}
	etag := a.hash
	if coding != "" {
		h.Set("Content-Encoding", coding)
		// ServeContent leaves the length of an encoded body unset.
		h.Set("Content-Length", strconv.Itoa(len(body)))
		etag += "-" + coding
	}
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", `"`+etag+`"`)
	h.Set("X-Uncompressed-Length", strconv.Itoa(len(a.plain)))
	if a.immutable && r.URL.Query().Get("v") == a.hash {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheRevalidated)
	}
	// ServeContent answers If-None-Match with 304; with no modification
	// time it sets no Last-Modified. A Range request gets the whole file,
	// as RFC 9110 allows: ranges of a compressed body serve nobody here.
	r = r.Clone(r.Context())
	r.Header.Del("Range")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// setSecurityHeaders sets the headers that every response carries: no
// framing, no MIME sniffing, no referrer.
func setSecurityHeaders(h http.Header) {
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// failing is the handler when the files cannot be read: 500 and the reason.
type failing struct{ err error }

func (f failing) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	setSecurityHeaders(w.Header())
	http.Error(w, f.err.Error(), http.StatusInternalServerError)
}

// negotiate picks the content coding for an Accept-Encoding request header
// (RFC 9110, section 12.5.3) among those the file has: the one with the
// highest q-value, brotli before gzip on a tie, and "" (the plain file)
// when the header accepts neither, or names identity with a higher q-value
// than both. "*" stands for the codings the header does not name. A
// malformed q-value counts as 0.
func negotiate(accept []string, br, gzip bool) string {
	q := map[string]float64{}
	for _, field := range accept {
		for part := range strings.SplitSeq(field, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "" {
				continue
			}
			weight := 1.0
			for param := range strings.SplitSeq(params, ";") {
				if k, v, ok := strings.Cut(param, "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					weight = 0
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
						weight = f
					}
				}
			}
			if _, seen := q[coding]; !seen {
				q[coding] = weight
			}
		}
	}
	weight := func(coding string) float64 {
		if w, ok := q[coding]; ok {
			return w
		}
		return q["*"] // 0 when absent
	}
	best, bestQ := "", 0.0
	if w := weight("br"); br && w > bestQ {
		best, bestQ = "br", w
	}
	if w := weight("gzip"); gzip && w > bestQ {
		best, bestQ = "gzip", w
	}
	if q["identity"] > bestQ {
		return ""
	}
	return best
}

// contentType is the Content-Type of a file by its name's extension.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".wasm":
		return "application/wasm"
	case ".png":
		return "image/png"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether files of type t are worth compressing:
// text and WebAssembly are; images, already compressed, are not.
func compressible(t string) bool {
	return strings.HasPrefix(t, "text/") || strings.HasPrefix(t, "application/") && t != "application/octet-stream" || t == "image/svg+xml"
}
