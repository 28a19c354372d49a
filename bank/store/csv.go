package store

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/afkarlab/afkar/internal/csvsafe"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/dectext"
)

// ideaColumns returns the columns of an ideas file, in the order written.
func ideaColumns() []string {
	return []string{
		"id", "title", "summary", "region", "sector", "stage", "cooperative",
		"carrier_name", "carrier_kind", "carrier_age_band", "carrier_members", "carrier_email",
		"budget_mad", "expected_jobs", "beneficiaries", "tags", "attributes",
		"submitted_at", "status", "adopter",
	}
}

// cooperativeColumns returns the columns of a cooperatives file, in the
// order written.
func cooperativeColumns() []string {
	return []string{
		"id", "name", "registration_number", "region", "sector", "founded",
		"members", "women_members", "young_members",
	}
}

// Neutralize returns the CSV cell s made safe for a spreadsheet: s with a
// single quote before it when it starts with =, +, -, @, a tab or a
// carriage return, or with quotes before one of those; s itself otherwise.
// [Restore] undoes it.
func Neutralize(s string) string { return csvsafe.Text(s) }

// Restore returns the cell s as it was before [Neutralize].
func Restore(s string) string { return csvsafe.Restore(s) }

// row is one data row of a CSV file: its cells by column name.
type row struct {
	line  int
	cells map[string]string
	cols  map[string]int // column number of each name
}

func (r row) get(name string) string { return r.cells[name] }

// readRows reads a CSV file with a header of known column names, at least
// required among them. The cells are restored (see [Restore]).
func readRows(rd io.Reader, known []string, required string) ([]row, LineErrors) {
	cr := csv.NewReader(rd)
	cr.ReuseRecord = false
	var errs LineErrors
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, LineErrors{{Line: 1, Err: errors.New("empty file: expected a header row")}}
		}
		return nil, LineErrors{csvErr(err)}
	}
	cols := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.TrimSpace(h)
		header[i] = h
		switch {
		case !slices.Contains(known, h):
			errs = append(errs, &LineError{Line: 1, Path: h, Err: fmt.Errorf("unknown column %q (expected some of %s)", h, strings.Join(known, ", "))})
		case cols[h] != 0:
			errs = append(errs, &LineError{Line: 1, Path: h, Err: fmt.Errorf("repeated column %q", h)})
		}
		cols[h] = i + 1
	}
	if cols[required] == 0 {
		errs = append(errs, &LineError{Line: 1, Err: fmt.Errorf("no %s column", required)})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, csvErr(err))
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				continue // the row is skipped; the reader goes on
			}
			return nil, errs
		}
		line, _ := cr.FieldPos(0)
		if !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" }) {
			continue
		}
		r := row{line: line, cells: map[string]string{}, cols: cols}
		for i, cell := range rec {
			r.cells[header[i]] = Restore(cell)
		}
		rows = append(rows, r)
	}
	return rows, errs
}

func csvErr(err error) *LineError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &LineError{Line: max(pe.Line, 1), Err: fmt.Errorf("malformed CSV: %s (column %d)", pe.Err, pe.Column)}
	}
	return &LineError{Line: 1, Err: err}
}

// cellReader reads the typed cells of a row, collecting problems.
type cellReader struct {
	r    row
	errs *LineErrors
}

func (c cellReader) fail(col string, format string, args ...any) {
	*c.errs = append(*c.errs, &LineError{Line: c.r.line, Path: col, Err: fmt.Errorf(format, args...)})
}

func (c cellReader) int(col string) int {
	s := strings.TrimSpace(c.r.get(col))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		c.fail(col, "expected a whole number of 0 or more, found %q", abbreviate(s))
		return 0
	}
	return n
}

func (c cellReader) decimal(col string) decimal.Decimal {
	s := strings.TrimSpace(c.r.get(col))
	if s == "" {
		return decimal.Decimal{}
	}
	d, err := dectext.Parse(s)
	if err != nil {
		c.fail(col, "%v", err)
	}
	return d
}

func (c cellReader) time(col, layout, example string) time.Time {
	s := strings.TrimSpace(c.r.get(col))
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		c.fail(col, "%q is not a %s", abbreviate(s), example)
	}
	return t
}

// ReadIdeasCSV reads ideas from a CSV file (see the package doc). It
// checks the file's shape and the types of its cells (numbers, decimals,
// times, the attributes' JSON), not the bank's rules: [Bank.ImportIdeasCSV]
// does. On any problem it returns the ideas it could read and a
// [LineErrors], by line, each naming its line and column.
func ReadIdeasCSV(r io.Reader) ([]bank.Project, error) {
	return readEntities(r, ideaColumns(), ideaOfRow)
}

// requireID reports a row whose id cell is empty: a row with other cells
// filled is an entity, and one without an id could not be written back
// (an all-empty row reads as a blank line, and is skipped).
func requireID(rw row, errs *LineErrors) {
	if rw.get("id") == "" {
		*errs = append(*errs, &LineError{Line: rw.line, Path: "id", Err: errors.New("empty id: every row needs one")})
	}
}

func ideaOfRow(rw row, errs *LineErrors) bank.Project {
	c := cellReader{rw, errs}
	p := bank.Project{
		ID:            rw.get("id"),
		Title:         rw.get("title"),
		Summary:       rw.get("summary"),
		Region:        rw.get("region"),
		Sector:        rw.get("sector"),
		Stage:         c.int("stage"),
		Cooperative:   rw.get("cooperative"),
		BudgetMAD:     c.decimal("budget_mad"),
		ExpectedJobs:  c.int("expected_jobs"),
		Beneficiaries: c.int("beneficiaries"),
		SubmittedAt:   c.time("submitted_at", time.RFC3339Nano, "RFC 3339 time, such as 2025-04-16T09:30:00Z"),
		Status:        bank.Status(rw.get("status")),
		Adopter:       rw.get("adopter"),
	}
	if name, kind, band, members, email := rw.get("carrier_name"), rw.get("carrier_kind"), rw.get("carrier_age_band"), rw.get("carrier_members"), rw.get("carrier_email"); name+kind+band+members+email != "" {
		p.Carrier = &bank.Carrier{Name: name, Kind: bank.CarrierKind(kind), AgeBand: bank.AgeBand(band), Members: c.int("carrier_members"), Email: email}
	}
	for t := range strings.SplitSeq(rw.get("tags"), ";") {
		if t = strings.TrimSpace(t); t != "" {
			p.Tags = append(p.Tags, t)
		}
	}
	if s := strings.TrimSpace(rw.get("attributes")); s != "" {
		if err := json.Unmarshal([]byte(s), &p.Attributes); err != nil || p.Attributes == nil {
			c.fail("attributes", "expected a JSON object of strings, such as {\"women_led\":\"yes\"}")
			p.Attributes = nil
		}
	}
	if !p.Status.Valid() {
		c.fail("status", "expected one of %s, found %q", joinStatuses(), abbreviate(string(p.Status)))
	}
	return p
}

func joinStatuses() string {
	var s []string
	for _, st := range bank.Statuses() {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

// WriteIdeasCSV writes ideas to w as a CSV file with every column (see the
// package doc), formulas neutralised.
func WriteIdeasCSV(w io.Writer, ideas []bank.Project) error {
	cw := csv.NewWriter(w)
	cw.Write(ideaColumns())
	for _, p := range ideas {
		var carrier bank.Carrier
		if p.Carrier != nil {
			carrier = *p.Carrier
		}
		attrs := ""
		if p.Attributes != nil {
			data, _ := json.Marshal(p.Attributes) // a map of strings always marshals
			attrs = string(data)
		}
		submitted := ""
		if !p.SubmittedAt.IsZero() {
			submitted = p.SubmittedAt.Format(time.RFC3339Nano)
		}
		rec := []string{
			p.ID, p.Title, p.Summary, p.Region, p.Sector, intCell(p.Stage), p.Cooperative,
			carrier.Name, string(carrier.Kind), string(carrier.AgeBand), intCell(carrier.Members), carrier.Email,
			decimalCell(p.BudgetMAD), intCell(p.ExpectedJobs), intCell(p.Beneficiaries), strings.Join(p.Tags, ";"), attrs,
			submitted, string(p.Status), p.Adopter,
		}
		for i := range rec {
			rec[i] = Neutralize(rec[i])
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func intCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// decimalCell writes an amount in dirhams with its centimes ("250000.50"),
// or exactly when it has more places (which the bank's rules refuse).
func decimalCell(d decimal.Decimal) string {
	switch {
	case d.IsZero():
		return ""
	case d.Equal(d.Truncate(2)):
		return d.StringFixed(2)
	}
	return d.String()
}

// ReadCooperativesCSV reads cooperatives from a CSV file (see the package
// doc), checking its shape and the types of its cells as
// [ReadIdeasCSV] does.
func ReadCooperativesCSV(r io.Reader) ([]bank.Cooperative, error) {
	return readEntities(r, cooperativeColumns(), cooperativeOfRow)
}

// readEntities reads a CSV file of entities with the columns known, one
// entity a row made by of, each row needing an id. It returns what it
// could read and, on any problem, a [LineErrors] sorted by line.
func readEntities[T any](r io.Reader, known []string, of func(row, *LineErrors) T) ([]T, error) {
	rows, errs := readRows(r, known, "id")
	out := make([]T, 0, len(rows))
	for _, rw := range rows {
		requireID(rw, &errs)
		out = append(out, of(rw, &errs))
	}
	if len(errs) > 0 {
		return out, errs.sorted()
	}
	return out, nil
}

func cooperativeOfRow(rw row, errs *LineErrors) bank.Cooperative {
	c := cellReader{rw, errs}
	return bank.Cooperative{
		ID:                 rw.get("id"),
		Name:               rw.get("name"),
		RegistrationNumber: rw.get("registration_number"),
		Region:             rw.get("region"),
		Sector:             rw.get("sector"),
		Founded:            c.time("founded", time.DateOnly, "date, such as 2019-03-08"),
		Members:            c.int("members"),
		WomenMembers:       c.int("women_members"),
		YoungMembers:       c.int("young_members"),
	}
}

// WriteCooperativesCSV writes cooperatives to w as a CSV file with every
// column, formulas neutralised.
func WriteCooperativesCSV(w io.Writer, cs []bank.Cooperative) error {
	cw := csv.NewWriter(w)
	cw.Write(cooperativeColumns())
	for _, c := range cs {
		founded := ""
		if !c.Founded.IsZero() {
			founded = c.Founded.Format(time.DateOnly)
		}
		rec := []string{c.ID, c.Name, c.RegistrationNumber, c.Region, c.Sector, founded,
			intCell(c.Members), intCell(c.WomenMembers), intCell(c.YoungMembers)}
		for i := range rec {
			rec[i] = Neutralize(rec[i])
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// ExportIdeasCSV writes every idea, in the bank's order, to w as a CSV
// file (see [WriteIdeasCSV]).
func (b *Bank) ExportIdeasCSV(ctx context.Context, w io.Writer) error {
	ideas, err := b.Ideas(ctx)
	if err != nil {
		return err
	}
	ps := make([]bank.Project, len(ideas))
	for i, idea := range ideas {
		ps[i] = idea.Project
	}
	return WriteIdeasCSV(w, ps)
}

// ExportCooperativesCSV writes every cooperative, by ID, to w as a CSV
// file (see [WriteCooperativesCSV]).
func (b *Bank) ExportCooperativesCSV(ctx context.Context, w io.Writer) error {
	coops, err := b.Cooperatives(ctx)
	if err != nil {
		return err
	}
	cs := make([]bank.Cooperative, len(coops))
	for i, c := range coops {
		cs[i] = c.Cooperative
	}
	return WriteCooperativesCSV(w, cs)
}

// ImportIdeasCSV adds the ideas of a CSV file (see [ReadIdeasCSV]),
// imported by by, and returns how many it added. An idea without
// submitted_at is submitted at the bank's clock time; one without a status
// is submitted. Its history records one change, into its status from
// outside the bank, noting the file's line: a file may carry ideas at any
// status, as when a bank moves from a spreadsheet. It is all or nothing: on
// any problem (a cell of the wrong type, a rule of package validation, an
// ID already in the bank or repeated in the file, a cooperative the bank
// does not hold) it adds nothing and returns a [LineErrors] naming every
// problem's line.
func (b *Bank) ImportIdeasCSV(ctx context.Context, r io.Reader, by string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if strings.TrimSpace(by) == "" {
		return 0, ErrNoActor
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	ps, err := IdeasOfCSV(&b.validator, r, by, b.clock(), b.hasCooperative, b.hasIdea)
	if err != nil {
		return 0, err
	}
	for _, p := range ps {
		b.insert(&record{p: p, version: 1})
	}
	return len(ps), nil
}

// ImportCooperativesCSV adds the cooperatives of a CSV file (see
// [ReadCooperativesCSV]) and returns how many it added. It is all or
// nothing, as [Bank.ImportIdeasCSV] is.
func (b *Bank) ImportCooperativesCSV(ctx context.Context, r io.Reader) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	cs, err := CooperativesOfCSV(&b.validator, r, b.hasCooperative)
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		b.coops[c.ID] = &coopRecord{c: c, version: 1}
	}
	return len(cs), nil
}
