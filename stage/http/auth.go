package http

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2 are the argon2id parameters of new password hashes. Hashes
// carry their own parameters, so that raising them later keeps old
// passwords working.
type Argon2 struct {
	Memory  uint32 // KiB; if zero, 19456 (19 MiB, OWASP's minimum)
	Time    uint32 // passes; if zero, 2
	Threads uint8  // if zero, 1
}

func (a Argon2) orDefault() Argon2 {
	if a.Memory == 0 {
		a.Memory = 19456
	}
	if a.Time == 0 {
		a.Time = 2
	}
	if a.Threads == 0 {
		a.Threads = 1
	}
	return a
}

// HashPassword returns the argon2id hash of password with a fresh 16-byte
// salt, in PHC form: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string, p Argon2) (string, error) {
	p = p.orDefault()
	if len(password) < 12 {
		return "", errors.New("a password has at least 12 characters")
	}
	salt := make([]byte, 16)
	rand.Read(salt) // never fails (crypto/rand)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, in constant time
// for a given hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var p Argon2
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Memory > 1<<22 || p.Time > 64 || p.Threads == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// token returns n random bytes, base64url without padding.
func token(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is the hex SHA-256 of a session token or a code: what the
// store keeps, so that a copy of the database lets nobody in.
func hashToken(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// codeAlphabet is Crockford's base 32: no I, L, O or U to misread.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode returns a one-time code of 10 symbols (50 bits), written
// XXXXX-XXXXX for reading aloud.
func newCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	out := make([]byte, 0, 11)
	for i, c := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[c&31])
	}
	return string(out)
}

// normalizeCode reads a code as typed: case, spaces and hyphens do not
// count, and O, I and L read as 0, 1 and 1.
func normalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-':
		case r == 'O':
			b.WriteByte('0')
		case r == 'I' || r == 'L':
			b.WriteByte('1')
		case r < 128 && strings.ContainsRune(codeAlphabet, r):
			b.WriteRune(r)
		default:
			return "" // not a code
		}
	}
	return b.String()
}

// limiter counts failures per key in a sliding window: after Max
// failures within Window, the key is refused until the oldest leaves the
// window. It forgets keys whose failures all left the window. It is safe
// for concurrent use.
type limiter struct {
	max    int
	window time.Duration

	mu   sync.Mutex
	fail map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fail: map[string][]time.Time{}}
}

// take reserves an attempt of key at now, counted as a failure until
// [limiter.undo] takes it back: it returns zero when the attempt may go
// on, or how long key must wait (recording nothing). Checking and
// recording in one step means concurrent attempts cannot all pass a
// check that none of them has yet recorded.
func (l *limiter) take(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.recent(key, now)
	if len(ts) >= l.max {
		return ts[len(ts)-l.max].Add(l.window).Sub(now)
	}
	l.record(key, now)
	return 0
}

// count returns how many failures key has within the window.
func (l *limiter) count(key string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key, now))
}

// undo takes back one failure of key recorded at t (a reservation of
// [limiter.take] that did not fail).
func (l *limiter) undo(key string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.fail[key]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(t) {
			ts = append(ts[:i:i], ts[i+1:]...)
			break
		}
	}
	if len(ts) == 0 {
		delete(l.fail, key)
		return
	}
	l.fail[key] = ts
}

// record records a failure of key at now; the caller holds l.mu.
func (l *limiter) record(key string, now time.Time) {
	l.fail[key] = append(l.recent(key, now), now)
	if len(l.fail) > 100_000 { // bound the memory a flood of keys takes
		for k := range l.fail {
			if len(l.recent(k, now)) == 0 {
				delete(l.fail, k)
			}
		}
	}
}

// reset forgets key's failures (a success).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fail, key)
}

// recent returns key's failures within the window, keeping only those.
// The caller holds l.mu.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	ts := l.fail[key]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-l.window)) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fail, key)
		return nil
	}
	l.fail[key] = ts
	return ts
}
