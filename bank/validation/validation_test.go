package validation

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/bank"
)

func validProject() bank.Project {
	return bank.Project{
		ID: "DAK-02", Title: "Solar fish drying", Region: "dakhla-oued-ed-dahab", Sector: "fishing",
		SubmittedAt: time.Date(2025, 4, 16, 9, 30, 0, 0, time.UTC), Stage: 3,
		Carrier:   &bank.Carrier{Name: "Fatima Zahra", Kind: bank.CarrierGroup, AgeBand: bank.Age25to29, Members: 6, Email: "fz@example.ma"},
		BudgetMAD: decimal.RequireFromString("250000.50"), ExpectedJobs: 8, Beneficiaries: 40,
		Tags: []string{"women", "solar"}, Attributes: map[string]string{"women_led": "yes"},
	}
}

// failure is one broken rule, as a test expects it.
type failure struct{ Path, Rule string }

func failures(t *testing.T, err error) []failure {
	t.Helper()
	if err == nil {
		return nil
	}
	var es Errors
	require.ErrorAs(t, err, &es)
	var out []failure
	for _, e := range es {
		out = append(out, failure{e.Path, e.Rule})
	}
	return out
}

func TestProjectRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *bank.Project)
		want   []failure
	}{
		{"valid", func(p *bank.Project) {}, nil},
		{"a cooperative instead of a carrier", func(p *bank.Project) { p.Carrier, p.Cooperative = nil, "coop-042" }, nil},
		{"neither carrier nor cooperative", func(p *bank.Project) { p.Carrier = nil }, []failure{{"cooperative", "required_without"}}},
		{"bad id", func(p *bank.Project) { p.ID = "-DAK" }, []failure{{"id", "afkar_id"}}},
		{"missing id and title", func(p *bank.Project) { p.ID, p.Title = "", "" }, []failure{{"id", "required"}, {"title", "required"}}},
		{"title of 201 characters", func(p *bank.Project) { p.Title = strings.Repeat("ت", 201) }, []failure{{"title", "max"}}},
		{"title of 200 Arabic characters", func(p *bank.Project) { p.Title = strings.Repeat("ت", 200) }, nil}, // runes, not bytes
		{"region of the 1997 division", func(p *bank.Project) { p.Region = "grand-casablanca" }, []failure{{"region", "region"}}},
		{"stage in another region", func(p *bank.Project) { p.Stage = 12 }, []failure{{"stage", "stage_region"}}},
		{"stage 13", func(p *bank.Project) { p.Stage = 13 }, []failure{{"stage", "stage"}}},
		{"no stage", func(p *bank.Project) { p.Stage = 0 }, nil},
		{"no submission time", func(p *bank.Project) { p.SubmittedAt = time.Time{} }, []failure{{"submitted_at", "required"}}},
		{"zero budget is not estimated", func(p *bank.Project) { p.BudgetMAD = decimal.Zero }, nil},
		{"negative budget", func(p *bank.Project) { p.BudgetMAD = decimal.RequireFromString("-0.01") }, []failure{{"budget_mad", "dgte"}}},
		{"budget at the maximum", func(p *bank.Project) { p.BudgetMAD = decimal.RequireFromString("1000000000.00") }, nil},
		// One centime above a billion: a float64 could not tell them apart
		// at this magnitude with many more digits; the rule compares exactly.
		{"budget a centime above", func(p *bank.Project) { p.BudgetMAD = decimal.RequireFromString("1000000000.01") }, []failure{{"budget_mad", "dlte"}}},
		{"budget with trailing zero", func(p *bank.Project) { p.BudgetMAD = decimal.RequireFromString("12.500") }, nil},
		{"budget in thousandths", func(p *bank.Project) { p.BudgetMAD = decimal.RequireFromString("12.345") }, []failure{{"budget_mad", "dplaces"}}},
		{"negative jobs", func(p *bank.Project) { p.ExpectedJobs = -1 }, []failure{{"expected_jobs", "gte"}}},
		{"empty tag and tag with separator", func(p *bank.Project) { p.Tags = []string{"", "a;b"} }, []failure{{"tags[0]", "required"}, {"tags[1]", "excludesall"}}},
		{"unknown status", func(p *bank.Project) { p.Status = "won" }, []failure{{"status", "oneof"}}},
		{"bad adopter", func(p *bank.Project) { p.Adopter = "coop 1" }, []failure{{"adopter", "afkar_id"}}},
		{"carrier without name, bad band and email", func(p *bank.Project) {
			p.Carrier = &bank.Carrier{AgeBand: "young", Email: "not-an-address", Kind: "family"}
		}, []failure{{"carrier.name", "required"}, {"carrier.kind", "oneof"}, {"carrier.age_band", "oneof"}, {"carrier.email", "email"}}},
		{"award with a negative amount", func(p *bank.Project) { p.Award = &bank.Award{AmountMAD: decimal.NewFromInt(-5)} }, []failure{{"award.amount_mad", "dgte"}}},
		{"history without actor", func(p *bank.Project) { p.History = []bank.Transition{{To: bank.StatusSubmitted, At: p.SubmittedAt}} }, []failure{{"history[0].by", "required"}}},
		{"empty attribute key", func(p *bank.Project) { p.Attributes = map[string]string{"": "x"} }, []failure{{"attributes[]", "required"}}},
		// Free text must show, and only show: required alone accepted "   ".
		{"title of spaces", func(p *bank.Project) { p.Title = "   " }, []failure{{"title", "text"}}},
		{"title of zero-width characters", func(p *bank.Project) { p.Title = "\u200b\u200d" }, []failure{{"title", "text"}}},
		{"escape sequence in a title", func(p *bank.Project) { p.Title = "P1\x1b[2J FAKE" }, []failure{{"title", "text"}}},
		{"bidi override in a sector", func(p *bank.Project) { p.Sector = "agri\u202e" }, []failure{{"sector", "text"}}},
		{"NUL in an attribute", func(p *bank.Project) { p.Attributes = map[string]string{"k": "a\x00"} }, []failure{{"attributes[k]", "text"}}},
		{"line break in a title", func(p *bank.Project) { p.Title = "a\nb" }, []failure{{"title", "text"}}},
		{"line breaks and tabs in a summary", func(p *bank.Project) { p.Summary = "line one\r\n\tline two" }, nil},
		{"escape sequence in a summary", func(p *bank.Project) { p.Summary = "a\x1b[H" }, []failure{{"summary", "text"}}},
		{"Arabic title with a mark", func(p *bank.Project) { p.Title = "تثمين\u200f الطحالب" }, nil},
	}
	var v Validator
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProject()
			tt.change(&p)
			if diff := cmp.Diff(tt.want, failures(t, v.Project(&p))); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCooperativeAndJudgeRules(t *testing.T) {
	var v Validator
	c := bank.Cooperative{ID: "coop-042", Name: "Tafyoucht", Region: "souss-massa", Sector: "argan", Members: 12, WomenMembers: 13, YoungMembers: 5}
	require.Equal(t, []failure{{"women_members", "ltefield"}}, failures(t, v.Cooperative(&c)))
	c.WomenMembers = 12
	require.NoError(t, v.Cooperative(&c))

	j := bank.Judge{ID: "J-DAK-1", Conflicts: []string{"DAK-01", "", "bad id"}}
	require.Equal(t, []failure{{"conflicts[1]", "required"}, {"conflicts[2]", "afkar_id"}}, failures(t, v.Judge(&j)))
}

// TestMessages checks messages word for word in the three languages, for a
// rule of validator and for this package's own.
func TestMessages(t *testing.T) {
	p := validProject()
	p.Title = ""
	p.Region = "grand-casablanca"
	p.BudgetMAD = decimal.RequireFromString("-3")
	p.Carrier = nil
	var v Validator
	var es Errors
	require.ErrorAs(t, v.Project(&p), &es)
	got := map[string]bank.Names{}
	for _, e := range es {
		got[e.Path] = e.Message
	}
	want := map[string]bank.Names{
		"title": {
			AR: "حقل title مطلوب",
			FR: "title est un champ obligatoire",
			EN: "title is a required field",
		},
		"region": {
			AR: "يجب أن يكون region رمز جهة من جهات المغرب الاثنتي عشرة، مثل souss-massa",
			FR: "region doit être le code d'une des 12 régions du Maroc, par exemple souss-massa",
			EN: "region must be the code of one of Morocco's 12 regions, such as souss-massa",
		},
		"cooperative": {
			AR: "حقل cooperative مطلوب إذا لم يُذكر carrier",
			FR: "cooperative est obligatoire quand carrier n'est pas renseigné",
			EN: "cooperative is required when carrier is not given",
		},
		"budget_mad": {
			AR: "يجب أن يكون budget_mad أكبر من 0 أو مساويًا له",
			FR: "budget_mad doit être supérieur ou égal à 0",
			EN: "budget_mad must be 0 or greater",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	require.Equal(t, "title: title is a required field", es[0].Error())
	require.Equal(t, "حقل title مطلوب", es[0].In("ar-MA"))
	require.Equal(t, "title est un champ obligatoire", es[0].In("fr"))
}

func TestStageRegionMessageNamesTheRegion(t *testing.T) {
	p := validProject()
	p.Stage = 12 // Agadir, in Souss-Massa
	var v Validator
	var es Errors
	require.ErrorAs(t, v.Project(&p), &es)
	require.Equal(t, bank.Names{
		AR: "يجب أن يكون stage مرحلة في جهة الفكرة، وهذه المرحلة تقام في جهة سوس - ماسة",
		FR: "stage doit être une étape de la région de l'idée ; cette étape a lieu dans la région Souss-Massa",
		EN: "stage must be a stage of the idea's region; this stage is held in Souss-Massa",
	}, es[0].Message)
}

// TestEveryRuleHasMessages breaks every rule of Rules and checks that each
// message is a sentence in its language, not validator's fallback ("Key:
// 'Project.x' Error:Field validation ...").
func TestEveryRuleHasMessages(t *testing.T) {
	var v Validator
	broken := map[string]bool{}
	check := func(err error) {
		var es Errors
		require.ErrorAs(t, err, &es)
		for _, e := range es {
			broken[e.Rule] = true
			for _, m := range []string{e.Message.AR, e.Message.FR, e.Message.EN} {
				require.NotContains(t, m, "Key: ", "rule %s has no message", e.Rule)
				require.NotEmpty(t, m)
			}
		}
	}
	long := strings.Repeat("x", 5000)
	many := make([]string, 1001)
	for i := range many {
		many[i] = "P1"
	}
	attrs := map[string]string{}
	for i := range 51 {
		attrs[strings.Repeat("k", i+1)] = "v"
	}
	check(v.Project(&bank.Project{ID: "-", Region: "x", Stage: 99, Summary: long, Status: "x", Tags: make([]string, 21),
		BudgetMAD: decimal.RequireFromString("1e10"), ExpectedJobs: -1, Attributes: attrs, Carrier: &bank.Carrier{Email: "x", Members: -1}}))
	check(v.Project(&bank.Project{Title: long, Sector: long, Cooperative: "-", BudgetMAD: decimal.RequireFromString("0.001"),
		Tags: []string{";", long}, Attributes: map[string]string{long: long}, ExpectedJobs: 2000000,
		History: []bank.Transition{{From: "x", Note: long, Cooperative: "-"}}}))
	check(v.Project(&bank.Project{Region: "oriental", Stage: 3, BudgetMAD: decimal.NewFromInt(-1)}))
	check(v.Cooperative(&bank.Cooperative{Members: -1, WomenMembers: -1, YoungMembers: 1, RegistrationNumber: long}))
	check(v.Judge(&bank.Judge{Name: long, Conflicts: many}))
	check(v.Project(&bank.Project{Title: "   ", Summary: "\x1b[2J"}))

	for _, r := range Rules() {
		for tag := range strings.SplitSeq(r.Tags, ",") {
			tag, _, _ = strings.Cut(tag, "=")
			switch tag {
			case "omitempty", "dive", "keys", "endkeys":
				continue
			}
			require.True(t, broken[tag], "rule %s (%s.%s) was never broken by this test", tag, r.Entity, r.Field)
		}
	}
	require.True(t, broken["stage_region"])
}

// TestRulesNameFields guards against a typo in a rule's field name, which
// validator would silently ignore.
func TestRulesNameFields(t *testing.T) {
	for _, r := range rules() {
		typ := reflect.TypeOf(r.value)
		for name := range r.fields {
			_, ok := typ.FieldByName(name)
			require.True(t, ok, "%s has no field %s", typ.Name(), name)
		}
	}
	require.Contains(t, Rules(), Rule{Entity: "Project", Field: "budget_mad", Tags: "dgte=0,dlte=1000000000,dplaces=2"})
}

func TestNilIsAnError(t *testing.T) {
	var v Validator
	err := v.Project(nil)
	require.Error(t, err)
	var es Errors
	require.False(t, errors.As(err, &es))
}

func TestConcurrentUse(t *testing.T) {
	var v Validator
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := validProject()
			if i%2 == 0 {
				p.Title = ""
			}
			for range 50 {
				err := v.Project(&p)
				if (err != nil) != (i%2 == 0) {
					t.Errorf("goroutine %d: %v", i, err)
				}
			}
		})
	}
	wg.Wait()
}

func TestLanguage(t *testing.T) {
	tests := []struct{ header, want string }{
		{"", "en"},
		{"ar", "ar"},
		{"ar-MA,ar;q=0.9", "ar"},
		{"fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"},
		{"es, fr;q=0.5, ar;q=0.8", "ar"},     // highest quality among supported
		{"en;q=0.5, fr;q=0.5", "en"},         // equal: the first listed
		{"ar;q=0, fr;q=0.1", "fr"},           // q=0 refuses
		{"de, es", "en"},                     // none supported
		{"*", "en"},                          // anything
		{"fr_MA", "fr"},                      // POSIX style
		{"FR-ma;q=1.000", "fr"},              // case and a full qvalue
		{"ar;q=1.5, fr;q=0.2", "fr"},         // an invalid qvalue refuses
		{"ar;q=abc", "en"},                   // so does a malformed one
		{"ar;q=0.8;level=1, fr;q=0.7", "ar"}, // other parameters are ignored
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Language(tt.header), "Language(%q)", tt.header)
	}
}
