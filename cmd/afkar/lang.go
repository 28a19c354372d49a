package main

import (
	"fmt"
	"strings"

	"github.com/afkarlab/afkar/internal/freetext"
)

// Bidirectional text controls (Unicode Standard Annex #9): an Arabic
// table's lines start with RLM so that a terminal that lays out text by
// the bidi algorithm makes each line a right-to-left paragraph, and ids,
// numbers and free text sit in isolates so that they keep their own
// direction and do not reorder with their neighbours.
const (
	rlm = "\u200f" // RIGHT-TO-LEFT MARK
	lri = "\u2066" // LEFT-TO-RIGHT ISOLATE: ids, numbers, codes
	fsi = "\u2068" // FIRST STRONG ISOLATE: free text, of either direction
	pdi = "\u2069" // POP DIRECTIONAL ISOLATE
)

// The DEC private mode 2501 of the terminal-wg BiDi recommendation
// (https://terminal-wg.pages.freedesktop.org/bidi/), which VTE terminals
// (GNOME Terminal, Tilix...) implement: set, the terminal takes each
// paragraph's direction from its first strong character, the RLM of an
// Arabic table's lines. Terminals without it ignore the sequence.
const (
	bidiAutoOn  = "\x1b[?2501h"
	bidiAutoOff = "\x1b[?2501l"
)

// forBidiTerminal wraps an Arabic table written to a terminal in
// bidiAutoOn and bidiAutoOff, so that a VTE terminal lays its lines out
// right to left and then returns to its default. Output to a file or a
// pipe is never wrapped.
func forBidiTerminal(table []byte) []byte {
	out := make([]byte, 0, len(bidiAutoOn)+len(table)+len(bidiAutoOff))
	out = append(out, bidiAutoOn...)
	out = append(out, table...)
	return append(out, bidiAutoOff...)
}

// texts are the words of the rank table in one language. A texts is built
// afresh by textsFor and never changed.
type texts struct {
	lang string // "ar", "fr" or "en"
	// rtl: Arabic, laid out for a right-to-left terminal (see lri).
	rtl bool
	// decimalComma: numbers are written with a decimal comma, as French and
	// Moroccan Arabic write them (CLDR fr-MA and ar-MA); digits stay
	// 0-9.
	decimalComma bool

	defaultTitle                                                     string
	rank, id, title, total, judges, scores, selected, decidedBy, yes string
	short, none, reasons                                             string
	notRanked                                                        string // a format: the number of projects

	// fields names the group_by fields in headings ("region: ..."), and
	// each the same after "each" in the legend (Arabic: indefinite).
	fields, each map[string]string
	// sep separates reasons; comma separates the items of a list.
	sep, comma string
	// rules names the tie-break rules in "decided by": total, head_to_head,
	// submitted_at, id; criterion and lottery take their argument.
	rules     map[string]string
	criterion string // a format: the criterion id
	lottery   string // a format: the seed

	// Reasons in words: totalBelow(total, threshold),
	// criterionBelow(criterion, aggregate, threshold), quorum(criterion,
	// counted, needed).
	totalBelow     string
	criterionBelow string
	quorum         func(criterion string, counted, needed int) string

	// excluded says how many scores conflicts of interest exclude,
	// abstained how many abstentions do (SPEC.md section 7.2).
	excluded    func(n int) string
	abstained   func(n int) string
	noScore     string // a format: the judges
	fewerScores string // a format: the projects
	more        string // a format: "and N more"

	legend legendTexts
}

// legendTexts are the words of the rules in force.
type legendTexts struct {
	heading         string
	weight, range_  string // "weight %s", "%s–%s"
	threshold       string // "threshold %s"
	exact, relative string // a format: the sum, for relative
	total           string // a format: total_max, aggregation, places (a number), rounding
	methods         map[string]string
	trimmed         string // a format: trim (a number)
	rounding        map[string]string
	// eligible says the least number of counted scores on every criterion.
	eligible                func(needed int) string
	eachThreshold, totalMin string // totalMin: a format, the total threshold
	step                    string // a format: the step
	order                   string // a format: tied on, tie-breaks
	tiedRounded, tiedExact  string
	noTieBreak              string
	ranks                   string // a format: style, example
	styles                  map[string]string
	selected                string // a format: top (a number), the group field
	selectedAll             string // a format: top (a number)
	nothingSelected         string
	scores                  string
	excluded                string
	// scoresAbstentions and excludedAbstentions replace scores and
	// excluded when some judge abstains.
	scoresAbstentions, excludedAbstentions string
}

// ltr isolates s, an id, a number or a code, left to right, in Arabic
// text.
func ltr(s string) string { return lri + s + pdi }

// ltr shows s (freetext.Visible: a control or bidi character as an
// escape, never acting on the terminal) and isolates it left to right in
// right-to-left text.
func (t *texts) ltr(s string) string {
	s = freetext.Visible(s)
	if t.rtl {
		return ltr(s)
	}
	return s
}

// free shows s, free text of either direction (a title, a name), as ltr
// does, and isolates it in right-to-left text by its first strong
// character. The isolates are the table's own: s never holds one that
// acts (Visible escapes them), so that it cannot close the table's.
func (t *texts) free(s string) string {
	s = freetext.Visible(s)
	if t.rtl && s != "" {
		return fsi + s + pdi
	}
	return s
}

// num writes a decimal (as the engine prints it, with a point) with the
// language's decimal mark, isolated in right-to-left text.
func (t *texts) num(s string) string {
	if t.decimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return t.ltr(s)
}

// line starts a line of text: with RLM in right-to-left text.
func (t *texts) line() string {
	if t.rtl {
		return rlm
	}
	return ""
}

// list joins items with the language's comma.
func (t *texts) list(items []string) string { return strings.Join(items, t.comma) }

// parseLang reads --lang: ar, fr or en, or a tag with one of them as its
// primary subtag (fr-MA, ar_MA).
func parseLang(s string) (string, error) {
	primary, _, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	switch l := strings.ToLower(primary); l {
	case "ar", "fr", "en":
		return l, nil
	}
	return "", &usageError{fmt.Sprintf("--lang: expected ar, fr or en, found %q", s)}
}

// textsFor returns the words of lang, "ar", "fr" or "en".
func textsFor(lang string) *texts {
	switch lang {
	case "fr":
		return french()
	case "ar":
		return arabic()
	}
	return english()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func english() *texts {
	return &texts{
		lang: "en", defaultTitle: "Afkar ranking",
		rank: "rank", id: "id", title: "title", total: "total", judges: "judges", scores: "scores",
		selected: "selected", decidedBy: "decided by", yes: "yes", short: "short", none: "(none)", reasons: "reasons",
		notRanked: "Not ranked (%d)",
		fields:    map[string]string{"region": "region", "sector": "sector", "cooperative": "cooperative"},
		each:      map[string]string{"region": "region", "sector": "sector", "cooperative": "cooperative"},
		sep:       "; ", comma: ", ",
		rules: map[string]string{"total": "total", "head_to_head": "head-to-head", "submitted_at": "earlier submission",
			"id": "id order"},
		criterion: "criterion %s", lottery: "lottery (seed %s)",
		totalBelow:     "total %s is below the threshold %s",
		criterionBelow: "%s %s is below the threshold %s",
		quorum: func(c string, counted, needed int) string {
			return fmt.Sprintf("%s: %d counted %s, %d needed", c, counted, plural(counted, "score", "scores"), needed)
		},
		excluded: func(n int) string {
			return fmt.Sprintf("%d %s excluded for conflicts of interest.", n, plural(n, "score", "scores"))
		},
		abstained: func(n int) string {
			return fmt.Sprintf("%d %s excluded for abstentions.", n, plural(n, "score", "scores"))
		},
		noScore:     "Judges with no score: %s.",
		fewerScores: "Fewer scores than expected: %s.",
		more:        "and %d more",
		legend: legendTexts{
			heading: "Rules in force", weight: "weight %s", range_: "%s–%s", threshold: "threshold %s",
			exact:    "weights: exact (they sum to 1)",
			relative: "weights: relative (each divided by their sum, %s)",
			total:    "total: %s × Σ weight × (aggregate − min)/(max − min); aggregate: %s; rounded once to %s places, %s",
			methods: map[string]string{"mean": "the mean of the counted scores", "median": "the median of the counted scores",
				"zscore": "the mean of the judges' scores rescaled to the mean and spread of all judges (z-score)"},
			trimmed:  "the mean of the counted scores without the %s lowest and highest",
			rounding: map[string]string{"half_up": "halves away from zero", "half_even": "halves to even", "down": "truncated"},
			eligible: func(n int) string {
				return fmt.Sprintf("eligible: at least %d counted %s on every criterion", n, plural(n, "score", "scores"))
			},
			eachThreshold: ", every criterion at least its threshold", totalMin: ", a total of at least %s", step: "step %s",
			order:       "order: by total, highest first; %s; tie-breaks: %s",
			tiedRounded: "equal published totals are tied", tiedExact: "equal exact totals are tied",
			noTieBreak: "none",
			ranks:      "ranks: %s (%s)",
			styles: map[string]string{"competition": "competition", "modified": "modified competition", "dense": "dense",
				"ordinal": "ordinal", "fractional": "fractional"},
			selected:        "selected: the first %s of each %s",
			selectedAll:     "selected: the first %s",
			nothingSelected: "selected: none (no top)",
			scores:          "scores: counted / expected (the group's judges × criteria, less conflicts of interest); short: fewer than expected",
			excluded:        "excluded: a judge's scores of a project in the judge's conflicts, or of the judge's own cooperative",
			scoresAbstentions: "scores: counted / expected (the group's judges × criteria, less conflicts of interest and abstentions); " +
				"short: fewer than expected",
			excludedAbstentions: "excluded: a judge's scores of a project in the judge's conflicts, or of the judge's own cooperative, " +
				"or in the judge's abstentions",
		},
	}
}

func french() *texts {
	return &texts{
		lang: "fr", decimalComma: true, defaultTitle: "Classement Afkar",
		rank: "rang", id: "id", title: "titre", total: "total", judges: "jurés", scores: "notes",
		selected: "retenu", decidedBy: "départagé par", yes: "oui", short: "incomplet", none: "(aucun)", reasons: "motifs",
		notRanked: "Non classés (%d)",
		fields:    map[string]string{"region": "région", "sector": "secteur", "cooperative": "coopérative"},
		each:      map[string]string{"region": "région", "sector": "secteur", "cooperative": "coopérative"},
		sep:       " ; ", comma: ", ",
		rules: map[string]string{"total": "total", "head_to_head": "confrontation directe", "submitted_at": "dépôt plus tôt",
			"id": "ordre des id"},
		criterion: "critère %s", lottery: "tirage au sort (graine %s)",
		totalBelow:     "total %s sous le seuil %s",
		criterionBelow: "%s %s sous le seuil %s",
		quorum: func(c string, counted, needed int) string {
			return fmt.Sprintf("%s : %d %s, %d %s", c, counted, plural(counted, "note comptée", "notes comptées"),
				needed, plural(needed, "requise", "requises"))
		},
		excluded: func(n int) string {
			return fmt.Sprintf("%d %s pour conflit d'intérêts.", n, plural(n, "note exclue", "notes exclues"))
		},
		abstained: func(n int) string {
			return fmt.Sprintf("%d %s pour abstention.", n, plural(n, "note exclue", "notes exclues"))
		},
		noScore:     "Jurés sans aucune note : %s.",
		fewerScores: "Moins de notes que prévu : %s.",
		more:        "et %d autres",
		legend: legendTexts{
			heading: "Règles appliquées", weight: "poids %s", range_: "%s–%s", threshold: "seuil %s",
			exact:    "poids : exacts (leur somme vaut 1)",
			relative: "poids : relatifs (chacun divisé par leur somme, %s)",
			total:    "total : %s × Σ poids × (agrégat − min)/(max − min) ; agrégat : %s ; arrondi une seule fois à %s décimales, %s",
			methods: map[string]string{"mean": "la moyenne des notes comptées", "median": "la médiane des notes comptées",
				"zscore": "la moyenne des notes de chaque juré ramenées à la moyenne et à l'écart de tous (score z)"},
			trimmed:  "la moyenne des notes comptées sans les %s plus basses ni les plus hautes",
			rounding: map[string]string{"half_up": "moitiés vers le haut", "half_even": "moitiés au pair", "down": "tronqué"},
			eligible: func(n int) string {
				return fmt.Sprintf("éligible : au moins %d %s sur chaque critère", n, plural(n, "note comptée", "notes comptées"))
			},
			eachThreshold: ", chaque critère au moins à son seuil", totalMin: ", un total d'au moins %s", step: "pas %s",
			order:       "ordre : total décroissant ; %s ; départage : %s",
			tiedRounded: "des totaux publiés égaux sont ex aequo", tiedExact: "des totaux exacts égaux sont ex aequo",
			noTieBreak: "aucun",
			ranks:      "rangs : %s (%s)",
			styles: map[string]string{"competition": "compétition", "modified": "compétition modifiée", "dense": "dense",
				"ordinal": "ordinal", "fractional": "fractionnaire"},
			selected:        "retenus : les %s premiers de chaque %s",
			selectedAll:     "retenus : les %s premiers",
			nothingSelected: "retenus : aucun (pas de top)",
			scores:          "notes : comptées / attendues (jurés du groupe × critères, hors conflits d'intérêts) ; incomplet : moins que prévu",
			excluded:        "exclues : les notes d'un juré sur un projet de ses conflits déclarés, ou de sa propre coopérative",
			scoresAbstentions: "notes : comptées / attendues (jurés du groupe × critères, hors conflits d'intérêts et abstentions) ; " +
				"incomplet : moins que prévu",
			excludedAbstentions: "exclues : les notes d'un juré sur un projet de ses conflits déclarés, ou de sa propre coopérative, " +
				"ou dont il s'abstient",
		},
	}
}

func arabic() *texts {
	return &texts{
		lang: "ar", rtl: true, decimalComma: true, defaultTitle: "ترتيب أفكار",
		rank: "الرتبة", id: "المعرّف", title: "العنوان", total: "المجموع", judges: "الحكام", scores: "التقييمات",
		selected: "مختار", decidedBy: "الحاسم", yes: "نعم", short: "ناقص", none: "(بدون)", reasons: "الأسباب",
		notRanked: "غير مصنّفة (" + lri + "%d" + pdi + ")",
		fields:    map[string]string{"region": "الجهة", "sector": "القطاع", "cooperative": "التعاونية"},
		each:      map[string]string{"region": "جهة", "sector": "قطاع", "cooperative": "تعاونية"},
		sep:       "؛ ", comma: "، ",
		rules: map[string]string{"total": "المجموع", "head_to_head": "المواجهة المباشرة", "submitted_at": "الإيداع الأسبق",
			"id": "ترتيب المعرّفات"},
		criterion: "المعيار %s", lottery: "القرعة (البذرة %s)",
		totalBelow:     "المجموع %s أقل من العتبة %s",
		criterionBelow: "%s %s أقل من العتبة %s",
		quorum: func(c string, counted, needed int) string {
			return fmt.Sprintf("%s: المحتسب %s، المطلوب %s", c, ltr(fmt.Sprint(counted)), ltr(fmt.Sprint(needed)))
		},
		excluded: func(n int) string {
			return fmt.Sprintf("تقييمات مستبعدة بسبب تضارب المصالح: %s.", ltr(fmt.Sprint(n)))
		},
		abstained: func(n int) string {
			return fmt.Sprintf("تقييمات مستبعدة بسبب الامتناع عن التقييم: %s.", ltr(fmt.Sprint(n)))
		},
		noScore:     "حكام بلا أي تقييم: %s.",
		fewerScores: "تقييمات أقل من المتوقع: %s.",
		more:        "و" + lri + "%d" + pdi + " أخرى",
		legend: legendTexts{
			heading: "القواعد المطبقة", weight: "الوزن %s", range_: "%s–%s", threshold: "العتبة %s",
			exact:    "الأوزان: مضبوطة (مجموعها 1)",
			relative: "الأوزان: نسبية (كل وزن مقسوم على مجموعها، %s)",
			total:    "المجموع: %s × Σ الوزن × (المجمَّع − الأدنى)/(الأقصى − الأدنى)؛ المجمَّع: %s؛ يُقرَّب مرة واحدة إلى %s منازل عشرية، %s",
			methods: map[string]string{"mean": "متوسط التقييمات المحتسبة", "median": "وسيط التقييمات المحتسبة",
				"zscore": "متوسط تقييمات كل حكم بعد ردّها إلى متوسط وتشتت جميع الحكام (الدرجة المعيارية)"},
			trimmed:  "متوسط التقييمات المحتسبة دون أدنى %s وأعلاها",
			rounding: map[string]string{"half_up": "النصف إلى الأعلى", "half_even": "النصف إلى الزوجي", "down": "بالبتر"},
			eligible: func(n int) string {
				return fmt.Sprintf("الأهلية: عدد التقييمات المحتسبة في كل معيار لا يقل عن %s", ltr(fmt.Sprint(n)))
			},
			eachThreshold: "، وكل معيار لا يقل عن عتبته", totalMin: "، ومجموع لا يقل عن %s", step: "الخطوة %s",
			order:       "الترتيب: حسب المجموع تنازليًا؛ %s؛ كسر التعادل: %s",
			tiedRounded: "المجاميع المنشورة المتساوية متعادلة", tiedExact: "المجاميع المضبوطة المتساوية متعادلة",
			noTieBreak: "لا شيء",
			ranks:      "الرتب: %s (%s)",
			styles: map[string]string{"competition": "تنافسي", "modified": "تنافسي معدَّل", "dense": "متراص",
				"ordinal": "ترتيبي", "fractional": "كسري"},
			selected:        "المختارة: أول %s في كل %s",
			selectedAll:     "المختارة: أول %s",
			nothingSelected: "المختارة: لا شيء (دون حد)",
			scores:          "التقييمات: المحتسبة / المتوقعة (حكام المجموعة × المعايير، دون حالات تضارب المصالح)؛ ناقص: أقل من المتوقع",
			excluded:        "المستبعدة: تقييمات حكم لمشروع من تضارب مصالحه المصرح به، أو من تعاونيته",
			scoresAbstentions: "التقييمات: المحتسبة / المتوقعة (حكام المجموعة × المعايير، دون حالات تضارب المصالح والامتناع)؛ " +
				"ناقص: أقل من المتوقع",
			excludedAbstentions: "المستبعدة: تقييمات حكم لمشروع من تضارب مصالحه المصرح به، أو من تعاونيته، أو مما امتنع عن تقييمه",
		},
	}
}
