// Package validation checks the project bank's entities ([bank.Project],
// [bank.Cooperative], [bank.Judge]) against the bank's rules, and says what
// is wrong in Arabic, French and English.
//
// The rules are those of a catalogue of Moroccan cooperative ideas, stricter
// than a dataset's: an idea has an ID of the dataset form, a title, one of
// the 12 region codes ([bank.Regions]), a sector, a submission time, a
// carrier or a cooperative, a budget in dirhams with at most 2 decimal
// places, and so on; [Rules] lists them all, field by field.
//
// The package is built on github.com/go-playground/validator/v10, whose
// rules and translations it uses, but its errors are its own: an [Errors]
// lists [Error] values, each with the field's JSON path, the rule and the
// message in the three languages. A caller never imports validator.
//
// Package bank itself does not import this package, so that a program that
// only ranks (the WebAssembly calculator) does not carry validator.
package validation

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/fr"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	artr "github.com/go-playground/validator/v10/translations/ar"
	entr "github.com/go-playground/validator/v10/translations/en"
	frtr "github.com/go-playground/validator/v10/translations/fr"
	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/bank"
)

// Error is one field that breaks one rule.
type Error struct {
	// Path is the field's path in the entity's JSON, such as "title",
	// "carrier.age_band", "tags[2]" or "attributes[women_led]".
	Path string `json:"path"`
	// Rule is the rule broken: a validator rule such as "required" or
	// "max", or one of this package's ("afkar_id", "region", "stage",
	// "stage_region", "dgte", "dlte", "dplaces"; see [Rules]).
	Rule string `json:"rule"`
	// Param is the rule's parameter, such as "200" for max=200; empty when
	// the rule has none.
	Param string `json:"param,omitempty"`
	// Message says what is wrong in Arabic, French and English, naming the
	// field by its JSON name.
	Message bank.Names `json:"message"`
}

// Error returns the path and the English message.
func (e Error) Error() string { return e.Path + ": " + e.Message.EN }

// In returns the message in the language of the BCP 47 tag lang, as
// [bank.Names.In] picks it.
func (e Error) In(lang string) string { return e.Message.In(lang) }

// Errors is every rule an entity breaks, in the order of its fields.
type Errors []Error

// Error lists the errors one per line, as "path: message" in English.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the errors one by one, for [errors.As] and [errors.Is].
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// Validator checks the bank's entities. The zero Validator is ready to use:
// it builds its rules and translations on first use, once, and is then safe
// for concurrent use. A Validator must not be copied after first use.
type Validator struct {
	once  sync.Once
	v     *validator.Validate
	trans [3]ut.Translator // ar, fr, en
	err   error            // from building; a bug of this package
}

// Project checks p against the rules of [Rules] for a project, those of
// its carrier, award and history, and that its stage, when it has one, is
// held in its region (rule "stage_region"). It returns nil or an [Errors].
func (v *Validator) Project(p *bank.Project) error { return v.check(p) }

// Cooperative checks c against the rules of [Rules] for a cooperative. It
// returns nil or an [Errors].
func (v *Validator) Cooperative(c *bank.Cooperative) error { return v.check(c) }

// Judge checks j against the rules of [Rules] for a judge. It returns nil
// or an [Errors].
func (v *Validator) Judge(j *bank.Judge) error { return v.check(j) }

func (v *Validator) check(x any) error {
	v.once.Do(v.build)
	if v.err != nil {
		return v.err
	}
	err := v.v.Struct(x)
	var fes validator.ValidationErrors
	if !errors.As(err, &fes) {
		return err // nil, or an InvalidValidationError: a nil pointer
	}
	es := make(Errors, len(fes))
	for i, fe := range fes {
		e := Error{Path: jsonPath(fe.Namespace()), Rule: fe.Tag(), Param: fe.Param()}
		e.Message.AR = fe.Translate(v.trans[0])
		e.Message.FR = fe.Translate(v.trans[1])
		e.Message.EN = fe.Translate(v.trans[2])
		es[i] = e
	}
	return es
}

// jsonPath drops the type name that starts a validator namespace
// ("Project.carrier.name" is "carrier.name").
func jsonPath(ns string) string {
	_, rest, ok := strings.Cut(ns, ".")
	if !ok {
		return ns
	}
	return rest
}

// build makes the validator: JSON field names, exact decimals, the rules,
// and the messages in the three languages.
func (v *Validator) build() {
	vd := validator.New(validator.WithRequiredStructEnabled())
	vd.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// validator does not know decimal.Decimal: given the struct, rules such
	// as gte panic. It sees the decimal's exact text instead, which the
	// decimal rules (dgte, dlte, dplaces) read back exactly. A zero decimal
	// is "0", which required accepts: a budget of zero is "not estimated",
	// not missing.
	vd.RegisterCustomTypeFunc(func(f reflect.Value) any {
		d, _ := f.Interface().(decimal.Decimal)
		return d.String()
	}, decimal.Decimal{})
	for tag, fn := range customRules() {
		if err := vd.RegisterValidation(tag, fn); err != nil {
			v.err = fmt.Errorf("validation: registering rule %s: %w", tag, err)
			return
		}
	}
	vd.RegisterStructValidation(projectLevel, bank.Project{})
	for _, r := range rules() {
		vd.RegisterStructValidationMapRules(r.fields, r.value)
	}

	uni := ut.New(en.New(), ar.New(), fr.New(), en.New())
	names := jsonNames()
	for i, l := range []struct {
		lang     string
		defaults func(*validator.Validate, ut.Translator) error
	}{{"ar", artr.RegisterDefaultTranslations}, {"fr", frtr.RegisterDefaultTranslations}, {"en", entr.RegisterDefaultTranslations}} {
		tr, _ := uni.GetTranslator(l.lang)
		if err := l.defaults(vd, tr); err != nil {
			v.err = fmt.Errorf("validation: %s messages: %w", l.lang, err)
			return
		}
		for _, m := range messages() {
			text := m.text.In(l.lang)
			register := func(t ut.Translator) error { return t.Add(m.rule, text, true) }
			lang := l.lang
			translate := func(t ut.Translator, fe validator.FieldError) string {
				param := fe.Param()
				if m.param != nil {
					param = m.param(fe.Param(), lang, names)
				}
				s, err := t.T(m.rule, fe.Field(), param)
				if err != nil {
					return fe.Error()
				}
				return s
			}
			if err := vd.RegisterTranslation(m.rule, tr, register, translate); err != nil {
				v.err = fmt.Errorf("validation: %s message of %s: %w", l.lang, m.rule, err)
				return
			}
		}
		v.trans[i] = tr
	}
	v.v = vd
}

// jsonNames maps the Go names of the fields of the checked types to their
// JSON names, for rules whose parameter names a field (ltefield=Members).
func jsonNames() map[string]string {
	names := map[string]string{}
	for _, r := range rules() {
		t := reflect.TypeOf(r.value)
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if _, seen := names[f.Name]; !seen && name != "" {
				names[f.Name] = name
			}
		}
	}
	return names
}
