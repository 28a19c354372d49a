package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/validation"
	"github.com/afkarlab/afkar/internal/atomicfile"
	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/scoring"
)

// SnapshotFormat is the format of the snapshots this package writes, and
// the only one it reads.
//
// A snapshot is a JSON object with the keys "format", "saved_at" (RFC
// 3339), "cooperatives" (the cooperatives by ID, each with its
// "version"), "ideas" (the ideas in the bank's order, each as its JSON in
// [bank.Project] with its "version") and "stages" (the juries: "stage",
// "judges" and "scores", each score {"judge", "project", "criterion",
// "score"}). Decimals are strings, such as "250000.00".
const SnapshotFormat = "afkar-bank/1"

// LineError is a problem at a line of a snapshot or CSV file.
type LineError struct {
	// Line is the 1-based line of the file where the problem is: the line
	// of the bad value, or of the start of the entity that holds it.
	Line int
	// Path says where on that line: a JSON path in a snapshot, such as
	// ideas[3].region; a column name in a CSV file, such as budget_mad.
	// Empty means the line as a whole.
	Path string
	// Err is the problem: a [validation.Error] for a rule an entity
	// breaks, any other error otherwise.
	Err error
}

// Error returns "line N: path: problem", the problem of a
// [validation.Error] being its English message.
func (e *LineError) Error() string {
	msg := fmt.Sprint(e.Err)
	var ve validation.Error
	if errors.As(e.Err, &ve) {
		msg = ve.Message.EN
	}
	if e.Path == "" {
		return fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Path, msg)
}

// sorted returns es sorted by line, problems of one line in the order
// found.
func (es LineErrors) sorted() LineErrors {
	slices.SortStableFunc(es, func(a, b *LineError) int { return a.Line - b.Line })
	return es
}

// Unwrap returns e.Err.
func (e *LineError) Unwrap() error { return e.Err }

// LineErrors is every problem found in a file, in the order found.
type LineErrors []*LineError

// Error lists the problems one per line.
func (es LineErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems one by one, for [errors.As] and [errors.Is].
func (es LineErrors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// snapDecimal is a decimal in a snapshot: always a JSON string, whatever
// package decimal's settings say.
type snapDecimal struct{ d decimal.Decimal }

// MarshalJSON writes the decimal as a JSON string.
func (s snapDecimal) MarshalJSON() ([]byte, error) { return json.Marshal(s.d.String()) }

func (s *snapDecimal) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("expected a decimal as a string, such as \"12.50\", found %s", abbreviate(string(data)))
	}
	d, err := dectext.Parse(text)
	if err != nil {
		return err
	}
	s.d = d
	return nil
}

func (s snapDecimal) IsZero() bool { return s.d.IsZero() }

type snapAward struct {
	Stage     int         `json:"stage,omitempty"`
	Prize     string      `json:"prize,omitempty"`
	Rank      string      `json:"rank,omitempty"`
	Total     string      `json:"total,omitempty"`
	AmountMAD snapDecimal `json:"amount_mad,omitzero"`
	Result    string      `json:"result,omitempty"`
}

type snapTransition struct {
	From        bank.Status `json:"from,omitempty"`
	To          bank.Status `json:"to"`
	At          time.Time   `json:"at"`
	By          string      `json:"by"`
	Note        string      `json:"note,omitempty"`
	Cooperative string      `json:"cooperative,omitempty"`
	Award       *snapAward  `json:"award,omitempty"`
}

type snapIdea struct {
	ID            string            `json:"id"`
	Title         string            `json:"title,omitempty"`
	Region        string            `json:"region,omitempty"`
	Sector        string            `json:"sector,omitempty"`
	Cooperative   string            `json:"cooperative,omitempty"`
	SubmittedAt   time.Time         `json:"submitted_at,omitzero"`
	Attributes    map[string]string `json:"attributes,omitempty"`
	Summary       string            `json:"summary,omitempty"`
	Stage         int               `json:"stage,omitempty"`
	Carrier       *bank.Carrier     `json:"carrier,omitempty"`
	BudgetMAD     snapDecimal       `json:"budget_mad,omitzero"`
	ExpectedJobs  int               `json:"expected_jobs,omitempty"`
	Beneficiaries int               `json:"beneficiaries,omitempty"`
	Tags          []string          `json:"tags,omitempty"`
	Status        bank.Status       `json:"status,omitempty"`
	Adopter       string            `json:"adopter,omitempty"`
	Award         *snapAward        `json:"award,omitempty"`
	History       []snapTransition  `json:"history,omitempty"`
	Version       int64             `json:"version"`
}

type snapCooperative struct {
	bank.Cooperative
	Version int64 `json:"version"`
}

type snapScore struct {
	Judge     string      `json:"judge"`
	Project   string      `json:"project"`
	Criterion string      `json:"criterion"`
	Score     snapDecimal `json:"score"`
}

type snapStage struct {
	Stage  int          `json:"stage"`
	Judges []bank.Judge `json:"judges,omitempty"`
	Scores []snapScore  `json:"scores"`
}

func toSnapAward(a *bank.Award) *snapAward {
	if a == nil {
		return nil
	}
	return &snapAward{Stage: a.Stage, Prize: a.Prize, Rank: a.Rank, Total: a.Total, AmountMAD: snapDecimal{a.AmountMAD}, Result: a.Result}
}

func (a *snapAward) award() *bank.Award {
	if a == nil {
		return nil
	}
	return &bank.Award{Stage: a.Stage, Prize: a.Prize, Rank: a.Rank, Total: a.Total, AmountMAD: a.AmountMAD.d, Result: a.Result}
}

func toSnapIdea(r *record) snapIdea {
	p := r.p.Clone()
	s := snapIdea{
		ID: p.ID, Title: p.Title, Region: p.Region, Sector: p.Sector, Cooperative: p.Cooperative,
		SubmittedAt: p.SubmittedAt, Attributes: p.Attributes, Summary: p.Summary, Stage: p.Stage,
		Carrier: p.Carrier, BudgetMAD: snapDecimal{p.BudgetMAD}, ExpectedJobs: p.ExpectedJobs,
		Beneficiaries: p.Beneficiaries, Tags: p.Tags, Status: p.Status, Adopter: p.Adopter,
		Award: toSnapAward(p.Award), Version: r.version,
	}
	for _, t := range p.History {
		s.History = append(s.History, snapTransition{From: t.From, To: t.To, At: t.At, By: t.By, Note: t.Note, Cooperative: t.Cooperative, Award: toSnapAward(t.Award)})
	}
	return s
}

func (s *snapIdea) project() bank.Project {
	p := bank.Project{
		ID: s.ID, Title: s.Title, Region: s.Region, Sector: s.Sector, Cooperative: s.Cooperative,
		SubmittedAt: s.SubmittedAt, Attributes: s.Attributes, Summary: s.Summary, Stage: s.Stage,
		Carrier: s.Carrier, BudgetMAD: s.BudgetMAD.d, ExpectedJobs: s.ExpectedJobs,
		Beneficiaries: s.Beneficiaries, Tags: s.Tags, Status: s.Status, Adopter: s.Adopter,
		Award: s.Award.award(),
	}
	for _, t := range s.History {
		p.History = append(p.History, bank.Transition{From: t.From, To: t.To, At: t.At, By: t.By, Note: t.Note, Cooperative: t.Cooperative, Award: t.Award.award()})
	}
	return p
}

// Snapshot is what a snapshot holds (see [SnapshotFormat]), for moving
// a catalogue whole: [DecodeSnapshot] reads one, [Snapshot.Encode] writes
// it.
type Snapshot struct {
	SavedAt      time.Time     // when it was written
	Cooperatives []Cooperative // by ID
	Ideas        []Idea        // in the catalogue's order
	// Juries are those the catalogue holds (a stage that was given judges
	// or scores), by stage.
	Juries []Jury
}

// DecodeSnapshot reads a snapshot from r, as strictly as [ReadSnapshot].
func DecodeSnapshot(r io.Reader) (*Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading a snapshot: %w", err)
	}
	var saved time.Time
	b, err := ReadSnapshot(data, Config{Clock: func() time.Time { return saved }})
	if err != nil {
		return nil, err
	}
	s := b.contents()
	var head struct {
		SavedAt time.Time `json:"saved_at"`
	}
	json.Unmarshal(data, &head) // read by ReadSnapshot already
	s.SavedAt = head.SavedAt
	return s, nil
}

// Encode writes s as a snapshot, indented, to w.
func (s *Snapshot) Encode(w io.Writer) error {
	out := struct {
		Format       string            `json:"format"`
		SavedAt      time.Time         `json:"saved_at"`
		Cooperatives []snapCooperative `json:"cooperatives"`
		Ideas        []snapIdea        `json:"ideas"`
		Stages       []snapStage       `json:"stages"`
	}{Format: SnapshotFormat, SavedAt: s.SavedAt, Cooperatives: []snapCooperative{}, Ideas: []snapIdea{}, Stages: []snapStage{}}
	for _, c := range s.Cooperatives {
		out.Cooperatives = append(out.Cooperatives, snapCooperative(c))
	}
	for _, idea := range s.Ideas {
		out.Ideas = append(out.Ideas, toSnapIdea(&record{p: idea.Project, version: idea.Version}))
	}
	for _, j := range s.Juries {
		st := snapStage{Stage: j.Stage, Judges: j.Judges, Scores: []snapScore{}}
		for _, sc := range j.Scores {
			st.Scores = append(st.Scores, snapScore{sc.Judge, sc.Project, sc.Criterion, snapDecimal{sc.Value}})
		}
		out.Stages = append(out.Stages, st)
	}
	slices.SortFunc(out.Cooperatives, func(a, b snapCooperative) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Stages, func(a, b snapStage) int { return a.Stage - b.Stage })
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("writing a snapshot: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// contents returns what the bank holds, saved at the clock's time.
func (b *Bank) contents() *Snapshot {
	b.mu.RLock()
	defer b.mu.RUnlock()
	s := &Snapshot{SavedAt: b.clock()}
	for _, r := range b.coops {
		s.Cooperatives = append(s.Cooperatives, r.cooperative())
	}
	slices.SortFunc(s.Cooperatives, func(a, b Cooperative) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range b.order {
		s.Ideas = append(s.Ideas, r.idea())
	}
	for n, j := range b.juries {
		s.Juries = append(s.Juries, j.copy(n))
	}
	slices.SortFunc(s.Juries, func(a, b Jury) int { return a.Stage - b.Stage })
	return s
}

// WriteSnapshot writes the whole bank to w as a snapshot (see
// [SnapshotFormat]), saved at the time of the bank's clock. It sees the
// bank as it is at one instant: changes made while it writes are not in
// it.
func (b *Bank) WriteSnapshot(ctx context.Context, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.contents().Encode(w)
}

// ImportSnapshot reads the snapshot r into b, which must hold nothing
// ([ErrNotEmpty] otherwise): see [Catalogue].
func (b *Bank) ImportSnapshot(ctx context.Context, r io.Reader) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("reading a snapshot: %w", err)
	}
	nb, err := ReadSnapshot(data, Config{Clock: b.clock})
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.ideas) > 0 || len(b.coops) > 0 || len(b.juries) > 0 {
		return fmt.Errorf("importing a snapshot: %w", ErrNotEmpty)
	}
	b.ideas, b.order, b.coops, b.juries = nb.ideas, nb.order, nb.coops, nb.juries
	return nil
}

// SaveSnapshot writes the bank's snapshot to the file path, replacing it
// whole or not at all (a temporary file in the same directory, synced,
// then renamed over path), so that a crash never leaves half a snapshot. A
// new file has mode 0o600. Concurrent saves are serialised, each writing
// the bank as it is when its turn comes, so the file ends up holding every
// change made before the last save began.
func (b *Bank) SaveSnapshot(path string) error {
	b.saveMu.Lock()
	defer b.saveMu.Unlock()
	var buf bytes.Buffer
	if err := b.contents().Encode(&buf); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes(), 0o600)
}

// LoadSnapshot reads the snapshot file at path into a new bank, as
// [ReadSnapshot] does. A missing file gives an error wrapping
// [os.ErrNotExist] (test it with [errors.Is]); a program starting afresh
// then begins with [New].
func LoadSnapshot(path string, cfg Config) (*Bank, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, err := ReadSnapshot(data, cfg)
	if err != nil {
		return nil, fmt.Errorf("reading snapshot %s:\n%w", path, err)
	}
	return b, nil
}

// ReadSnapshot reads a snapshot (see [SnapshotFormat]) into a new bank
// configured by cfg. It is strict: unknown keys, a missing or other format,
// malformed JSON, an entity that breaks the rules of package validation, a
// repeated ID, a version below 1, an idea naming a cooperative the
// snapshot does not hold, and a score of an idea it does not hold are all
// errors. On any, it returns no bank and a [LineErrors], each naming its
// line; malformed JSON stops the reading at the first such problem, and
// the other problems are all reported. It panics if cfg.Clock is nil.
func ReadSnapshot(data []byte, cfg Config) (*Bank, error) {
	b := New(cfg)
	r := &snapReader{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	r.dec.DisallowUnknownFields()
	if !r.read(b) {
		return nil, r.errs
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return b, nil
}

// snapReader reads a snapshot element by element, so that every problem
// names the line of the element it is in.
type snapReader struct {
	data []byte
	dec  *json.Decoder
	errs LineErrors
}

// lineAt returns the 1-based line of byte offset off of the data.
func (r *snapReader) lineAt(off int64) int {
	off = min(max(off, 0), int64(len(r.data)))
	return 1 + bytes.Count(r.data[:off], []byte{'\n'})
}

// next returns the offset where the next value starts: past spaces and
// the comma or colon that separate it from the previous one.
func (r *snapReader) next() int64 {
	off := r.dec.InputOffset()
	for off < int64(len(r.data)) && strings.IndexByte(" \t\r\n,:", r.data[off]) >= 0 {
		off++
	}
	return off
}

func (r *snapReader) add(off int64, path string, err error) {
	r.errs = append(r.errs, &LineError{Line: r.lineAt(off), Path: path, Err: err})
}

// jsonErr turns an error of the JSON decoder into a LineError at the
// line of the problem: off, but for syntax errors.
func (r *snapReader) jsonErr(off int64, path string, err error) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		// The decoder's offsets of syntax errors count only some of the
		// bytes before them; reading the whole data again finds the
		// first syntax error, which is this one, at its exact offset.
		var v any
		if errors.As(json.Unmarshal(r.data, &v), &syn) {
			off = syn.Offset
			err = syn
		}
		if syn != nil {
			err = fmt.Errorf("malformed JSON: %s", syn.Error())
		} else {
			err = errors.New("malformed JSON: unexpected end of the file")
		}
	case errors.As(err, &typ):
		if typ.Field != "" {
			path += "." + typ.Field
		}
		err = fmt.Errorf("expected %s, found %s", typ.Type, typ.Value)
	}
	r.add(off, path, err)
}

// delim reads the delimiter want ('{', '[', '}' or ']').
func (r *snapReader) delim(path string, want json.Delim) bool {
	off := r.next()
	tok, err := r.dec.Token()
	if err != nil {
		r.jsonErr(off, path, err)
		return false
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		r.add(off, path, fmt.Errorf("expected %q, found %s", string(want), describeToken(tok)))
		return false
	}
	return true
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return strconv.Quote(string(t))
	case string:
		return "the string " + abbreviate(strconv.Quote(t))
	case nil:
		return "null"
	}
	return abbreviate(fmt.Sprint(tok))
}

func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// array reads a JSON array at path, calling elem with the offset and path
// of each element, which elem decodes. It returns false on malformed JSON.
func (r *snapReader) array(path string, elem func(off int64, at string) bool) bool {
	if !r.delim(path, '[') {
		return false
	}
	for i := 0; r.dec.More(); i++ {
		if !elem(r.next(), path+"["+strconv.Itoa(i)+"]") {
			return false
		}
	}
	return r.delim(path, ']')
}

// value decodes the next value into v; false on malformed JSON, true with
// a problem added for a value of the wrong shape.
func (r *snapReader) value(off int64, at string, v any) (decoded, ok bool) {
	base := r.dec.InputOffset() // type errors count from here
	if err := r.dec.Decode(v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			off = base + max(typ.Offset-1, 0) // the offset is just after the value
		}
		var syn *json.SyntaxError
		malformed := errors.As(err, &syn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		r.jsonErr(off, at, err)
		return false, !malformed
	}
	return true, true
}

// entity records the problems of a validation error, each at its path
// under at.
func (r *snapReader) entity(off int64, at string, err error) {
	var es validation.Errors
	if !errors.As(err, &es) {
		r.add(off, at, err)
		return
	}
	for _, e := range es {
		r.add(off, at+"."+e.Path, e)
	}
}

// read reads the whole snapshot into b; false on malformed JSON.
func (r *snapReader) read(b *Bank) bool {
	if !r.delim("$", '{') {
		return false
	}
	seen := map[string]bool{}
	type place struct {
		off  int64
		path string
	}
	ideaAt := map[string]place{}
	var stageLines []int64
	var stages []snapStage
	for r.dec.More() {
		off := r.next()
		tok, err := r.dec.Token()
		if err != nil {
			r.jsonErr(off, "$", err)
			return false
		}
		key, _ := tok.(string)
		if seen[key] {
			r.add(off, key, errors.New("repeated key"))
		}
		seen[key] = true
		voff := r.next()
		switch key {
		case "format":
			var f string
			if decoded, ok := r.value(voff, key, &f); !ok {
				return false
			} else if decoded && f != SnapshotFormat {
				r.add(voff, key, fmt.Errorf("expected %q, found %s", SnapshotFormat, abbreviate(strconv.Quote(f))))
			}
		case "saved_at":
			var t time.Time
			if _, ok := r.value(voff, key, &t); !ok {
				return false
			}
		case "cooperatives":
			ok := r.array(key, func(off int64, at string) bool {
				var c snapCooperative
				decoded, ok := r.value(off, at, &c)
				if !decoded {
					return ok
				}
				r.cooperative(b, off, at, c)
				return true
			})
			if !ok {
				return false
			}
		case "ideas":
			ok := r.array(key, func(off int64, at string) bool {
				var s snapIdea
				decoded, ok := r.value(off, at, &s)
				if !decoded {
					return ok
				}
				if r.idea(b, off, at, &s) {
					ideaAt[s.ID] = place{off, at}
				}
				return true
			})
			if !ok {
				return false
			}
		case "stages":
			ok := r.array(key, func(off int64, at string) bool {
				var s snapStage
				decoded, ok := r.value(off, at, &s)
				if decoded {
					stages = append(stages, s)
					stageLines = append(stageLines, off)
				}
				return ok
			})
			if !ok {
				return false
			}
		default:
			r.add(off, "$", fmt.Errorf("unknown key %s (expected format, saved_at, cooperatives, ideas or stages)", abbreviate(strconv.Quote(key))))
			var skip json.RawMessage
			if _, ok := r.value(voff, key, &skip); !ok {
				return false
			}
		}
	}
	if !r.delim("$", '}') {
		return false
	}
	if off := r.next(); off < int64(len(r.data)) {
		r.add(off, "$", errors.New("data after the snapshot's object"))
	}
	if !seen["format"] {
		r.add(0, "format", errors.New("required, missing"))
	}
	// References to cooperatives, checked once all are read.
	for _, rec := range b.order {
		for _, ref := range []struct{ path, id string }{{"cooperative", rec.p.Cooperative}, {"adopter", rec.p.Adopter}} {
			if _, ok := b.coops[ref.id]; ref.id != "" && !ok {
				at := ideaAt[rec.p.ID]
				r.add(at.off, at.path+"."+ref.path, UnknownCooperative(ref.path, ref.id))
			}
		}
	}
	for i, s := range stages {
		r.stage(b, stageLines[i], fmt.Sprintf("stages[%d]", i), s)
	}
	return true
}

func (r *snapReader) cooperative(b *Bank, off int64, at string, c snapCooperative) {
	if err := b.validator.Cooperative(&c.Cooperative); err != nil {
		r.entity(off, at, err)
		return
	}
	if c.Version < 1 {
		r.add(off, at+".version", fmt.Errorf("expected a version of 1 or more, found %d", c.Version))
		return
	}
	if _, dup := b.coops[c.ID]; dup {
		r.add(off, at+".id", fmt.Errorf("cooperative %s: %w", c.ID, ErrExists))
		return
	}
	b.coops[c.ID] = &coopRecord{c: c.Cooperative, version: c.Version}
}

// idea adds the idea s to b, and reports whether it did.
func (r *snapReader) idea(b *Bank, off int64, at string, s *snapIdea) bool {
	p := s.project()
	if err := b.validator.Project(&p); err != nil {
		r.entity(off, at, err)
		return false
	}
	if s.Version < 1 {
		r.add(off, at+".version", fmt.Errorf("expected a version of 1 or more, found %d", s.Version))
		return false
	}
	if _, dup := b.ideas[p.ID]; dup {
		r.add(off, at+".id", fmt.Errorf("idea %s: %w", p.ID, ErrExists))
		return false
	}
	b.insert(&record{p: p, version: s.Version})
	return true
}

func (r *snapReader) stage(b *Bank, off int64, at string, s snapStage) {
	if _, err := TourStage(s.Stage); err != nil {
		r.add(off, at+".stage", err)
		return
	}
	if _, dup := b.juries[s.Stage]; dup {
		r.add(off, at+".stage", fmt.Errorf("stage %d: %w", s.Stage, ErrExists))
		return
	}
	j := &jury{at: map[scoreKey]int{}}
	for i, jd := range s.Judges {
		if err := b.validator.Judge(&jd); err != nil {
			r.entity(off, fmt.Sprintf("%s.judges[%d]", at, i), err)
			return
		}
		j.judges = append(j.judges, jd)
	}
	for i, sc := range s.Scores {
		k := scoreKey{sc.Judge, sc.Project, sc.Criterion}
		sat := fmt.Sprintf("%s.scores[%d]", at, i)
		if rec, ok := b.ideas[sc.Project]; !ok || rec.p.Stage != s.Stage {
			r.add(off, sat+".project", fmt.Errorf("not an idea of stage %d: %s", s.Stage, abbreviate(strconv.Quote(sc.Project))))
			return
		}
		if _, dup := j.at[k]; dup || !scoring.ValidID(sc.Judge) || sc.Criterion == "" {
			r.add(off, sat, errors.New("a repeated score, or one without a judge id or a criterion"))
			return
		}
		j.at[k] = len(j.scores)
		j.scores = append(j.scores, scoring.Score{Judge: sc.Judge, Project: sc.Project, Criterion: sc.Criterion, Value: sc.Score.d})
	}
	b.juries[s.Stage] = j
}
