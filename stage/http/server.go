// Package http serves a [stage.Store] over HTTP: the JSON API that
// organisers, observers and jurors use, the pages they use it from, and
// the public page of each published stage.
//
// Every route names who may call it ([access]); the check runs before the
// handler, and the store enforces again what must hold. The actor of
// every change is the session's user. Sessions are random tokens in an
// HttpOnly, Secure, SameSite=Strict cookie named with the __Host- prefix;
// the store keeps only their SHA-256. Every change (any method but GET
// and HEAD) must carry the session's CSRF token in the X-CSRF-Token
// header (OWASP's synchronizer token pattern), and passes Go's
// cross-origin protection (Sec-Fetch-Site and Origin); the two routes
// that open a session, login and join, have no token yet and rely on the
// latter and on a JSON content type. Logins and code redemptions are rate
// limited per client address (behind trusted proxies, from
// X-Forwarded-For), logins also per login name from that address, and
// slowed down per login name from anywhere.
//
// Bodies are limited per route (413 past the limit) and decoded strictly
// (internal/strictjson; sheets with afkar.DecodeSheet). Every answer has
// a CSP without inline script, frame-ancestors 'none', nosniff and
// Referrer-Policy no-referrer.
package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/afkarlab/afkar/internal/jsontree"
	"github.com/afkarlab/afkar/internal/strictjson"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/stage"
)

// Config configures a [Server].
type Config struct {
	// Store keeps everything; it must not be nil.
	Store stage.Store
	// Clock gives the time of sessions, codes and rate limits; if nil,
	// time.Now.
	Clock func() time.Time
	// Log receives request failures; if nil, nothing is logged.
	Log *slog.Logger
	// Argon2 are the parameters of new password hashes.
	Argon2 Argon2
	// SessionTTL is how long a session lasts; if zero, 12 hours.
	SessionTTL time.Duration
	// CodeTTL is how long a juror's code lasts when the organiser does
	// not say; if zero, 12 hours.
	CodeTTL time.Duration
	// LoginFailures is how many failed logins one login name may make
	// from one client address in LoginWindow; if zero, 5. One address may
	// make 4 times as many (any names), and one name 20 times as many
	// (from anywhere); past LoginFailures failures of a name from
	// anywhere, each attempt at it is delayed (1 s more per failure, at
	// most 5 s) rather than refused.
	LoginFailures int
	// HashSlots is how many password hashes may run at once (each takes
	// Argon2.Memory and a core); a login that finds them all taken for 2 s
	// is answered 503 with Retry-After. If zero, GOMAXPROCS.
	HashSlots int
	// LoginWindow is the rate limit's window; if zero, 15 minutes.
	LoginWindow time.Duration
	// Widget serves the browser calculator (wasm/widget.Handler: the page,
	// its engine afkar.wasm and wasm_exec.js) under /widget/, where jurors
	// score and the public pages recompute results; nil serves none, and
	// those pages say so.
	Widget http.Handler
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed: when the connection comes from one of them, the client's
	// address is the right-most hop of X-Forwarded-For that is not itself
	// a trusted proxy. Rate limits count per client address, so behind a
	// proxy they need it.
	TrustedProxies []netip.Prefix
	// TLS says the server serves HTTPS itself.
	TLS bool
	// ProxyTLS says TLS is terminated in front of the server (afkar serve
	// --insecure-http): links it builds are https.
	ProxyTLS bool
	// PublicURL, if set, is the scheme and host (an absolute URL without
	// path, query or fragment) that the links the server builds (a juror's
	// join link and its QR code) start with, rather than the request's
	// Host. Strict-Transport-Security is sent when the server serves TLS
	// or when the public scheme (PublicURL's, else https with ProxyTLS) is
	// https.
	PublicURL *url.URL
}

// Server is the stage server's HTTP side. Create it with [New]; it is
// safe for concurrent use.
type Server struct {
	cfg       Config
	store     stage.Store
	clock     func() time.Time
	log       *slog.Logger
	byPair    *limiter // a login from one address
	byLogin   *limiter // a login from anywhere
	byAddr    *limiter
	codes     *limiter
	dummyHash string // checked when the login is unknown, so both take as long
	hashSlots chan struct{}
	// checkPassword is CheckPassword; tests count its calls.
	checkPassword func(hash, password string) bool
	// sleep is sleepCtx; tests record the delays.
	sleep      func(ctx context.Context, d time.Duration) error
	crossOrig  *http.CrossOriginProtection
	routeTable []route
}

// New returns a server over cfg.Store. It panics if cfg.Store is nil.
func New(cfg Config) *Server {
	if cfg.Store == nil {
		panic("http: Config.Store is nil")
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.CodeTTL <= 0 {
		cfg.CodeTTL = 12 * time.Hour
	}
	if cfg.LoginFailures <= 0 {
		cfg.LoginFailures = 5
	}
	if cfg.HashSlots <= 0 {
		cfg.HashSlots = runtime.GOMAXPROCS(0)
	}
	if cfg.LoginWindow <= 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	dummy, _ := HashPassword("not anybody's password", cfg.Argon2)
	s := &Server{
		cfg: cfg, store: cfg.Store, clock: cfg.Clock, log: cfg.Log,
		byPair:        newLimiter(cfg.LoginFailures, cfg.LoginWindow),
		byLogin:       newLimiter(20*cfg.LoginFailures, cfg.LoginWindow),
		byAddr:        newLimiter(4*cfg.LoginFailures, cfg.LoginWindow),
		codes:         newLimiter(4*cfg.LoginFailures, cfg.LoginWindow),
		dummyHash:     dummy,
		hashSlots:     make(chan struct{}, cfg.HashSlots),
		checkPassword: CheckPassword,
		sleep:         sleepCtx,
		crossOrig:     http.NewCrossOriginProtection(),
	}
	s.routeTable = s.routes()
	return s
}

// access says who may call a route.
type access int

const (
	// public: anyone, no session needed.
	public access = iota
	// signedIn: any user with a session.
	signedIn
	// admins: admins only.
	admins
	// creators: admins, and organisers of every stage.
	creators
	// organisers: whoever organises the {stage} of the path.
	organisers
	// observers: whoever organises or observes the {stage} of the path.
	observers
	// sheetReaders: the juror of the path's {judge}, and the stage's
	// organisers and observers.
	sheetReaders
	// sheetOwner: the juror of the path's {judge} in {stage}, alone.
	sheetOwner
	// members: whoever observes the {stage}, and its jurors.
	members
)

// String names the access level, as the route table documents it.
func (a access) String() string {
	return [...]string{"public", "signed in", "admin", "admin or organiser of all stages", "organiser of the stage",
		"organiser or observer of the stage", "the juror, organiser or observer", "the juror alone", "observer or juror of the stage"}[a]
}

// route is one endpoint: its pattern, who may call it, its body limit and
// its handler.
type route struct {
	pattern string
	allow   access
	limit   int64 // body bytes; zero means no body expected (1 KiB)
	handle  func(w http.ResponseWriter, r *http.Request, c *call) error
}

// call is what a handler knows of its request.
type call struct {
	user    *stage.User
	session *stage.Session
	stage   int64  // the {stage} of the path; zero when none
	judge   string // the {judge} of the path; empty when none
}

func (c *call) actor() stage.Actor { return stage.Actor{UserID: c.user.ID, Login: c.user.Login} }

// Body limits.
const (
	smallBody = 64 << 10 // a JSON change
	sheetBody = 4 << 20  // a juror's sheet: thousands of scores
	bulkBody  = 32 << 20 // an import of ideas
)

// Handler returns the server's handler: every route with its checks,
// security headers and body limits.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	return s.headers(mux)
}

// headers sets the security headers of every answer.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "+
			"media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
		if s.cfg.TLS || s.publicScheme() == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// publicScheme is the scheme clients reach the server with, as its
// configuration says: PublicURL's, else https when the server or a proxy
// in front serves TLS, else http.
func (s *Server) publicScheme() string {
	switch {
	case s.cfg.PublicURL != nil:
		return s.cfg.PublicURL.Scheme
	case s.cfg.TLS || s.cfg.ProxyTLS:
		return "https"
	}
	return "http"
}

// publicBase is the scheme and host that links start with: PublicURL
// when set, else the public scheme and r's Host.
func (s *Server) publicBase(r *http.Request) string {
	if u := s.cfg.PublicURL; u != nil {
		return u.Scheme + "://" + u.Host
	}
	scheme := s.publicScheme()
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// ParsePublicURL checks a public URL (Config.PublicURL): http or https,
// a host, and no user, path, query or fragment.
func ParsePublicURL(text string) (*url.URL, error) {
	u, err := url.Parse(text)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil ||
		strings.TrimSuffix(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: expected a scheme and host, such as https://stage.example.org", text)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// wrap runs a route's checks in order: body limit, session, CSRF, access;
// then the handler, whose error becomes the answer.
func (s *Server) wrap(rt route) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := rt.limit
		if limit == 0 {
			limit = 1 << 10
		}
		if r.ContentLength > limit {
			s.fail(w, r, &statusError{http.StatusRequestEntityTooLarge, fmt.Errorf("the body is %d bytes, more than the %d this route takes", r.ContentLength, limit)})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		c := &call{judge: r.PathValue("judge")}
		if text := r.PathValue("stage"); text != "" {
			id, err := strconv.ParseInt(text, 10, 64)
			if err != nil || id < 1 {
				s.fail(w, r, &statusError{http.StatusNotFound, fmt.Errorf("no stage %q", text)})
				return
			}
			c.stage = id
		}
		if err := s.authenticate(r, c); err != nil {
			s.fail(w, r, err)
			return
		}
		if rt.allow != public {
			if c.user == nil {
				s.fail(w, r, &statusError{http.StatusUnauthorized, errors.New("log in first")})
				return
			}
			if !safeMethod(r.Method) && !s.csrfOK(r, c) {
				s.fail(w, r, &statusError{http.StatusForbidden, errors.New("missing or wrong CSRF token (X-CSRF-Token): reload the page")})
				return
			}
			if !allowed(rt.allow, c) {
				s.fail(w, r, &statusError{http.StatusForbidden, fmt.Errorf("only the %s may do this", rt.allow)})
				return
			}
		}
		if err := rt.handle(w, r, c); err != nil {
			s.fail(w, r, err)
		}
	})
	if safeMethod(strings.SplitN(rt.pattern, " ", 2)[0]) {
		return h
	}
	return s.crossOrig.Handler(h)
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// allowed reports whether c's user may call a route of access a.
func allowed(a access, c *call) bool {
	u := c.user
	switch a {
	case public, signedIn:
		return true
	case admins:
		return u.Role == stage.RoleAdmin
	case creators:
		return u.Role == stage.RoleAdmin || u.Role == stage.RoleOrganiser && u.Stage == 0
	case organisers:
		return u.Organises(c.stage)
	case observers:
		return u.Observes(c.stage)
	case sheetReaders:
		return u.Observes(c.stage) || u.Judges(c.stage, c.judge)
	case sheetOwner:
		return u.Judges(c.stage, c.judge)
	case members:
		return u.Observes(c.stage) || u.Role == stage.RoleJuror && u.Stage == c.stage
	}
	return false
}

// sessionCookie names the session cookie: __Host- makes browsers refuse
// it unless Secure, on the exact host and Path=/.
const sessionCookie = "__Host-afkar-session"

// authenticate finds the session of r's cookie, if any.
func (s *Server) authenticate(r *http.Request, c *call) error {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	sess, u, err := s.store.Session(r.Context(), hashToken(ck.Value), s.clock())
	if errors.Is(err, stage.ErrNotFound) {
		return nil // expired or ended: as if none
	}
	if err != nil {
		return err
	}
	c.session, c.user = &sess, &u
	return nil
}

// csrfOK checks the X-CSRF-Token header against the session's token.
func (s *Server) csrfOK(r *http.Request, c *call) bool {
	got := r.Header.Get("X-CSRF-Token")
	return got != "" && len(got) == len(c.session.CSRF) && subtleEqual(got, c.session.CSRF)
}

// clientAddr is the address of the client: the connection's peer, or,
// when the peer is a trusted proxy (Config.TrustedProxies), the
// right-most address of X-Forwarded-For that is not a trusted proxy
// (hops to its left may be forged by the client; the proxies append the
// address they see).
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for h := range strings.SplitSeq(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		if hops[i] == "" {
			continue
		}
		if !s.trusted(hops[i]) {
			return hops[i]
		}
		host = hops[i]
	}
	return host
}

// trusted reports whether addr is in one of Config.TrustedProxies.
func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// statusError is an error with its HTTP status.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// apiError is the body of an error answer.
type apiError struct {
	Error    string           `json:"error"`
	Problems scoring.Problems `json:"problems,omitempty"`
	Current  *sheetJSON       `json:"current,omitempty"`      // a stale sheet's newer version
	Digest   string           `json:"input_digest,omitempty"` // the ranking now
	Stage    string           `json:"stage_digest,omitempty"` // the stage data now
}

// fail answers err with the status its type calls for.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	body := apiError{Error: err.Error()}
	var (
		se      *statusError
		ps      scoring.Problems
		stale   *stage.StaleError
		changed *stage.StageChangedError
		digest  *stage.DigestError
		tooBig  *http.MaxBytesError
		strict  *strictjson.Error
		syntax  *jsontree.SyntaxError
	)
	switch {
	case errors.As(err, &tooBig):
		status = http.StatusRequestEntityTooLarge
	case errors.As(err, &se):
		status = se.status
	case errors.As(err, &stale):
		status, body.Current = http.StatusPreconditionFailed, toSheetJSON(stale.Current)
	case errors.As(err, &changed):
		status, body.Stage = http.StatusConflict, changed.Current
	case errors.As(err, &digest):
		status, body.Digest = http.StatusConflict, digest.Current
	case errors.As(err, &ps):
		status, body.Error, body.Problems = http.StatusUnprocessableEntity, "the data breaks the rules", ps
	case errors.As(err, &strict), errors.As(err, &syntax):
		status = http.StatusBadRequest
	case errors.Is(err, stage.ErrForbidden):
		status = http.StatusForbidden
	case errors.Is(err, stage.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, stage.ErrExists), errors.Is(err, stage.ErrPublished), errors.Is(err, stage.ErrSignedOff), errors.Is(err, stage.ErrStarted):
		status = http.StatusConflict
	case errors.Is(err, stage.ErrInvalid):
		status = http.StatusUnprocessableEntity
	case errors.Is(err, stage.ErrCode):
		status = http.StatusUnauthorized
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		status = http.StatusServiceUnavailable
	}
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = "internal error: the change, if any, was not made"
	}
	if (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) && se != nil {
		var wait *waitError
		if errors.As(se.err, &wait) {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.d.Seconds())+1))
		}
	}
	writeJSON(w, status, body)
}

// readBody reads a request body whole, within its route's limit.
func readBody(r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, &statusError{http.StatusBadRequest, fmt.Errorf("reading the body: %w", err)}
	}
	return data, nil
}

// decode reads a JSON body strictly into v.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return &statusError{http.StatusUnsupportedMediaType, fmt.Errorf("expected Content-Type application/json, found %q", ct)}
	}
	data, err := readBody(r)
	if err != nil {
		return err
	}
	return strictjson.Decode(data, v)
}
