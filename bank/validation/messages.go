package validation

import (
	"strconv"
	"strings"

	"github.com/afkarlab/afkar/bank"
)

// message is the text of a rule's message in the three languages, with {0}
// for the field's JSON name and {1} for the rule's parameter, as param
// rewrites it (nil: as written in the tags).
type message struct {
	rule  string
	text  bank.Names
	param func(param, lang string, jsonNames map[string]string) string
}

// messages are the messages of this package's rules, and of the validator
// rules whose messages name a Go field or are missing in a language.
func messages() []message {
	fieldName := func(param, _ string, names map[string]string) string {
		if n, ok := names[param]; ok {
			return n
		}
		return param
	}
	return []message{
		{rule: "afkar_id", text: bank.Names{
			AR: "يجب أن يكون {0} معرِّفًا من 1 إلى 64 حرفًا لاتينيًا أو رقمًا أو «.» أو «_» أو «-»، يبدأ بحرف أو رقم",
			FR: "{0} doit être un identifiant de 1 à 64 lettres ASCII, chiffres, « . », « _ » ou « - », commençant par une lettre ou un chiffre",
			EN: "{0} must be an id of 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit",
		}},
		{rule: "region", text: bank.Names{
			AR: "يجب أن يكون {0} رمز جهة من جهات المغرب الاثنتي عشرة، مثل souss-massa",
			FR: "{0} doit être le code d'une des 12 régions du Maroc, par exemple souss-massa",
			EN: "{0} must be the code of one of Morocco's 12 regions, such as souss-massa",
		}},
		{rule: "stage", text: bank.Names{
			AR: "يجب أن يكون {0} رقم مرحلة من مراحل الجولة، من 1 إلى {1}",
			FR: "{0} doit être le numéro d'une étape de la tournée, de 1 à {1}",
			EN: "{0} must be the number of a stage of the tour, 1 to {1}",
		}, param: func(string, string, map[string]string) string { return strconv.Itoa(len(bank.Tour())) }},
		{rule: "stage_region", text: bank.Names{
			AR: "يجب أن يكون {0} مرحلة في جهة الفكرة، وهذه المرحلة تقام في جهة {1}",
			FR: "{0} doit être une étape de la région de l'idée ; cette étape a lieu dans la région {1}",
			EN: "{0} must be a stage of the idea's region; this stage is held in {1}",
		}, param: func(code, lang string, _ map[string]string) string {
			if r, ok := bank.LookupRegion(code); ok {
				return r.Name.In(lang)
			}
			return code
		}},
		{rule: "text", text: bank.Names{
			AR: "يجب أن يكون {0} نصًا مرئيًا، دون محارف تحكم (تسلسلات الهروب، وفواصل الأسطر) ودون محارف تحكم ثنائية الاتجاه",
			FR: "{0} doit être un texte visible, sans caractères de contrôle (séquences d'échappement, sauts de ligne) ni contrôles bidirectionnels",
			EN: "{0} must be visible text, without control characters (escape sequences, line breaks) or bidirectional controls",
		}},
		{rule: "dgte", text: bank.Names{
			AR: "يجب أن يكون {0} أكبر من {1} أو مساويًا له",
			FR: "{0} doit être supérieur ou égal à {1}",
			EN: "{0} must be {1} or greater",
		}},
		{rule: "dlte", text: bank.Names{
			AR: "يجب أن يكون {0} أصغر من {1} أو مساويًا له",
			FR: "{0} doit être inférieur ou égal à {1}",
			EN: "{0} must be {1} or less",
		}},
		{rule: "dplaces", text: bank.Names{
			AR: "يجب ألا يتجاوز عدد المنازل العشرية في {0} {1}",
			FR: "{0} doit avoir au plus {1} décimales",
			EN: "{0} must have at most {1} decimal places",
		}},
		{rule: "required_without", text: bank.Names{
			AR: "حقل {0} مطلوب إذا لم يُذكر {1}",
			FR: "{0} est obligatoire quand {1} n'est pas renseigné",
			EN: "{0} is required when {1} is not given",
		}, param: fieldName},
		{rule: "ltefield", text: bank.Names{
			AR: "يجب أن يكون {0} أصغر من {1} أو مساويًا له",
			FR: "{0} doit être inférieur ou égal à {1}",
			EN: "{0} must be less than or equal to {1}",
		}, param: fieldName},
	}
}

// Language returns the language, "ar", "fr" or "en", that a client asks
// for in the value of an HTTP Accept-Language header ("fr-MA,fr;q=0.9,
// ar;q=0.8"): the supported language of highest quality, the first listed
// among equals, matched by primary subtag. A header that names none of the
// three, or only with q=0, gives "en", as does "*".
func Language(acceptLanguage string) string {
	best, bestQ := "en", 0
	for part := range strings.SplitSeq(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1000
		for p := range strings.SplitSeq(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				q = quality(v)
			}
		}
		primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
		lang := strings.ToLower(primary)
		switch lang {
		case "ar", "fr", "en":
		case "*":
			lang = "en"
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

// quality reads a qvalue of RFC 9110 section 12.4.2 ("0.8", "1", "0.125")
// in thousandths; anything else is 0, as if the language were refused.
func quality(v string) int {
	whole, frac, _ := strings.Cut(v, ".")
	if (whole != "0" && whole != "1") || len(frac) > 3 {
		return 0
	}
	frac += strings.Repeat("0", 3-len(frac))
	n, err := strconv.Atoi(frac)
	if err != nil || frac[0] == '+' || frac[0] == '-' {
		return 0
	}
	if whole == "1" {
		if n != 0 {
			return 0
		}
		return 1000
	}
	return n
}
