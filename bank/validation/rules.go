package validation

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/freetext"
	"github.com/afkarlab/afkar/scoring"
)

// Rule is the validator tags of one field of one entity.
type Rule struct {
	Entity string // the Go type: "Project", "Carrier", "Award", "Transition", "Cooperative" or "Judge"
	Field  string // the field's JSON name, such as "budget_mad"
	// Tags are validator's tags, such as "required,max=200", with this
	// package's own rules:
	//
	//	afkar_id      an ID of the dataset form ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$, or empty
	//	region        one of the 12 region codes of [bank.Regions], or empty
	//	stage         the number of a stage of [bank.Tour], or zero
	//	dgte=X        a decimal ≥ X, compared exactly
	//	dlte=X        a decimal ≤ X, compared exactly
	//	dplaces=N     a decimal with at most N decimal places
	//	text          free text that shows: no control character, no
	//	              bidirectional embedding, override or isolate, and,
	//	              when not empty, a visible character (required alone
	//	              accepts "   ")
	//	text=lines    the same, with line breaks and tabs allowed
	//
	// and, on a project as a whole, stage_region: its stage is held in its
	// region.
	Tags string
}

// Rules returns the rules the [Validator] checks, entity by entity, field
// by field in the order of the Go types. The slice is built afresh on every
// call.
func Rules() []Rule {
	var out []Rule
	for _, r := range rules() {
		t := reflect.TypeOf(r.value)
		for i := range t.NumField() {
			f := t.Field(i)
			if tags, ok := r.fields[f.Name]; ok {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				out = append(out, Rule{Entity: t.Name(), Field: name, Tags: tags})
			}
		}
	}
	return out
}

// statuses is the oneof list of the lifecycle's statuses.
func statuses() string {
	var s []string
	for _, st := range bank.Statuses() {
		s = append(s, string(st))
	}
	return strings.Join(s, " ")
}

func ageBands() string {
	var s []string
	for _, b := range bank.AgeBands() {
		s = append(s, string(b))
	}
	return strings.Join(s, " ")
}

type typeRules struct {
	value  any               // a value of the type
	fields map[string]string // Go field name: tags
}

// rules gives the tags of each checked type by Go field name. A field
// without tags here is not checked, but for a struct or a pointer to one,
// which is checked by its own type's rules.
func rules() []typeRules {
	money := "dgte=0,dlte=1000000000,dplaces=2" // up to one billion dirhams, in centimes
	return []typeRules{
		{bank.Project{}, map[string]string{
			"ID":            "required,afkar_id",
			"Title":         "required,text,max=200",
			"Region":        "required,region",
			"Sector":        "required,text,max=64",
			"Cooperative":   "required_without=Carrier,afkar_id",
			"SubmittedAt":   "required",
			"Attributes":    "max=50,dive,keys,required,text,max=64,endkeys,text,max=500",
			"Summary":       "text=lines,max=4000",
			"Stage":         "stage",
			"BudgetMAD":     money,
			"ExpectedJobs":  "gte=0,lte=1000000",
			"Beneficiaries": "gte=0,lte=100000000",
			"Tags":          "max=20,dive,required,text,max=40,excludesall=;",
			"Status":        "omitempty,oneof=" + statuses(),
			"Adopter":       "afkar_id",
			"History":       "max=100,dive",
		}},
		{bank.Carrier{}, map[string]string{
			"Name":    "required,text,max=200",
			"Kind":    "omitempty,oneof=person group",
			"AgeBand": "omitempty,oneof=" + ageBands(),
			"Members": "gte=0,lte=10000",
			"Email":   "omitempty,max=254,email",
		}},
		{bank.Award{}, map[string]string{
			"Stage":     "stage",
			"Prize":     "text,max=200",
			"Rank":      "text,max=32",
			"Total":     "text,max=32",
			"AmountMAD": money,
			"Result":    "text,max=100",
		}},
		{bank.Transition{}, map[string]string{
			"From":        "omitempty,oneof=" + statuses(),
			"To":          "required,oneof=" + statuses(),
			"At":          "required",
			"By":          "required,text,max=200",
			"Note":        "text=lines,max=1000",
			"Cooperative": "afkar_id",
		}},
		{bank.Cooperative{}, map[string]string{
			"ID":                 "required,afkar_id",
			"Name":               "required,text,max=200",
			"RegistrationNumber": "text,max=64",
			"Region":             "required,region",
			"Sector":             "required,text,max=64",
			"Members":            "gte=0,lte=1000000",
			"WomenMembers":       "gte=0,ltefield=Members",
			"YoungMembers":       "gte=0,ltefield=Members",
		}},
		{bank.Judge{}, map[string]string{
			"ID":          "required,afkar_id",
			"Name":        "text,max=200",
			"Cooperative": "afkar_id",
			"Conflicts":   "max=1000,dive,required,afkar_id",
			"Abstains":    "max=1000,dive,required,afkar_id",
		}},
	}
}

// customRules are this package's own rules. Each accepts the zero value
// (empty or zero): required says whether a field must be given.
func customRules() map[string]validator.Func {
	return map[string]validator.Func{
		"afkar_id": func(fl validator.FieldLevel) bool {
			s := fl.Field().String()
			return s == "" || scoring.ValidID(s)
		},
		"region": func(fl validator.FieldLevel) bool {
			s := fl.Field().String()
			_, ok := bank.LookupRegion(s)
			return s == "" || ok
		},
		"stage": func(fl validator.FieldLevel) bool {
			n := fl.Field().Int()
			_, ok := stage(n)
			return n == 0 || ok
		},
		"text": func(fl validator.FieldLevel) bool {
			s := fl.Field().String()
			if fl.Param() == "lines" {
				s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
			}
			fault, _, _ := freetext.Check(s)
			return fault == 0
		},
		"dgte": decimalRule(func(d, p decimal.Decimal) bool { return d.Cmp(p) >= 0 }),
		"dlte": decimalRule(func(d, p decimal.Decimal) bool { return d.Cmp(p) <= 0 }),
		"dplaces": func(fl validator.FieldLevel) bool {
			d, err := decimal.NewFromString(fl.Field().String())
			places, perr := strconv.Atoi(fl.Param())
			// Trailing zeros do not count: "12.50" has the places of 12.5.
			return err == nil && perr == nil && d.Equal(d.Truncate(int32(places)))
		},
	}
}

// decimalRule makes a rule comparing a decimal field (seen as its text,
// see build) to the rule's decimal parameter, exactly. A parameter that is
// not a decimal fails every value: it is a bug in the tags.
func decimalRule(ok func(d, param decimal.Decimal) bool) validator.Func {
	return func(fl validator.FieldLevel) bool {
		d, err := decimal.NewFromString(fl.Field().String())
		if err != nil {
			return false
		}
		p, err := decimal.NewFromString(fl.Param())
		return err == nil && ok(d, p)
	}
}

// stage returns the stage of the tour numbered n.
func stage(n int64) (bank.Stage, bool) {
	for _, s := range bank.Tour() {
		if int64(s.Number) == n {
			return s, true
		}
	}
	return bank.Stage{}, false
}

// projectLevel checks what involves two fields of a project: its stage is
// held in its region.
func projectLevel(sl validator.StructLevel) {
	p := sl.Current().Interface().(bank.Project)
	if p.Stage == 0 || p.Region == "" {
		return
	}
	if s, ok := stage(int64(p.Stage)); ok && s.Region != p.Region {
		if _, known := bank.LookupRegion(p.Region); known {
			sl.ReportError(p.Stage, "stage", "Stage", "stage_region", s.Region)
		}
	}
}
