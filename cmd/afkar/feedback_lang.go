package main

// feedbackTexts are the words of the feedback reports in one language.
// Formats name their arguments in order; numbers arrive written with the
// language's decimal mark.
type feedbackTexts struct {
	Feedback, Index, Back        string
	RankOf                       string // rank, number of ranked ideas
	GroupRankOf                  string // group name, group rank, group size
	Rank, ID, Idea, Total, State string
	InGroup                      string // the group rank's label
	Selected, NotSelected        string
	NotRanked, Reasons           string
	Profile                      string
	Criterion, Value             string
	Median, Quartiles            string
	Between                      string // Q1, Q3
	Legend                       string // the rubric's places
	Margin                       string
	Gap                          string // gap, last selected's id, its total
	Tied                         string // last selected's id
	MarginNote                   string
	Need, Verdict                string
	Possible                     string
	Impossible                   string // the criterion's maximum
	ZeroWeight                   string
	NoSelection                  string
	Comments, NoComments         string
	Footer                       string // the dataset's digest
	Report                       string
}

// feedbackTextsFor returns the words of lang, "ar", "fr" or "en".
func feedbackTextsFor(lang string) *feedbackTexts {
	switch lang {
	case "fr":
		return &feedbackTexts{
			Feedback: "Retour au porteur", Index: "Retours aux porteurs", Back: "Tous les retours",
			RankOf: "Rang %s sur %d idées classées", GroupRankOf: "%s : rang %s sur %d idées",
			Rank: "Rang", InGroup: "Dans le groupe", ID: "Id", Idea: "Idée", Total: "Total", State: "Résultat",
			Selected: "Retenue", NotSelected: "Non retenue", NotRanked: "Non classée", Reasons: "Motifs",
			Profile: "Profil par critère", Criterion: "Critère", Value: "Cette idée", Median: "Médiane",
			Quartiles: "Moitié centrale", Between: "%s à %s",
			Legend: "Chaque barre va du minimum au maximum du critère. Boîte : la moitié centrale des idées du groupe " +
				"(du premier au troisième quartile, définition 7 de Hyndman et Fan, 1996) ; trait : la médiane ; " +
				"point : cette idée. Valeurs publiées, arrondies à %d décimales.",
			Margin: "Écart à la sélection",
			Gap:    "%s points de total séparent cette idée de %s, la dernière retenue (total %s).",
			Tied:   "Même total que %s, la dernière retenue : le départage a décidé.",
			MarginNote: "Chaque ligne relève un seul critère, les autres restant inchangés ; combler l'écart rend les totaux égaux, " +
				"le départage décide alors. Points de l'agrégat du critère, arrondis au-dessus.",
			Need: "Points à gagner", Verdict: "À lui seul",
			Possible: "suffit", Impossible: "ne suffit pas : dépasserait le maximum %s", ZeroWeight: "poids nul : sans effet",
			NoSelection: "Cette étape ne retient aucune idée.",
			Comments:    "Commentaires du jury", NoComments: "Aucun commentaire n'a été enregistré.",
			Footer: "Calculé exactement par Afkar à partir du jeu de données %s.", Report: "Retour",
		}
	case "ar":
		return &feedbackTexts{
			Feedback: "تقرير لحامل الفكرة", Index: "تقارير حاملي الأفكار", Back: "كل التقارير",
			RankOf: "الرتبة %s من %d فكرة مصنّفة", GroupRankOf: "%s: الرتبة %s من %d أفكار",
			Rank: "الرتبة", InGroup: "داخل المجموعة", ID: "المعرّف", Idea: "الفكرة", Total: "المجموع", State: "النتيجة",
			Selected: "مختارة", NotSelected: "غير مختارة", NotRanked: "غير مصنّفة", Reasons: "الأسباب",
			Profile: "الملف حسب المعايير", Criterion: "المعيار", Value: "هذه الفكرة", Median: "الوسيط",
			Quartiles: "النصف الأوسط", Between: "من %s إلى %s",
			Legend: "يمتد كل شريط من الحد الأدنى إلى الحد الأقصى للمعيار. المستطيل: النصف الأوسط من أفكار المجموعة " +
				"(من الربيع الأول إلى الربيع الثالث، التعريف 7 لهيندمان وفان، 1996)؛ الخط: الوسيط؛ " +
				"النقطة: هذه الفكرة. القيم كما نُشرت، مقرّبة إلى %d منازل عشرية.",
			Margin: "الفارق عن الاختيار",
			Gap:    "تفصل %s نقطة من المجموع هذه الفكرة عن %s، آخر فكرة مختارة (المجموع %s).",
			Tied:   "المجموع نفسه لـ %s، آخر فكرة مختارة: حسمت قواعد الترجيح.",
			MarginNote: "كل سطر يرفع معيارًا واحدًا وحده وتبقى المعايير الأخرى كما هي؛ سدّ الفارق يجعل المجموعين متساويين " +
				"فتحسم قواعد الترجيح. نقاط من معدّل المعيار، مقرّبة إلى الأعلى.",
			Need: "النقاط اللازمة", Verdict: "وحده",
			Possible: "يكفي", Impossible: "لا يكفي: يتجاوز الحد الأقصى %s", ZeroWeight: "وزن منعدم: بلا أثر",
			NoSelection: "لا تختار هذه المرحلة أي فكرة.",
			Comments:    "ملاحظات لجنة التحكيم", NoComments: "لم تُسجَّل أي ملاحظات.",
			Footer: "حُسب بدقة بواسطة أفكار انطلاقًا من مجموعة البيانات %s.", Report: "التقرير",
		}
	}
	return &feedbackTexts{
		Feedback: "Feedback to the carrier", Index: "Feedback to the carriers", Back: "All reports",
		RankOf: "Rank %s of %d ranked ideas", GroupRankOf: "%s: rank %s of %d ideas",
		Rank: "Rank", InGroup: "Within the group", ID: "Id", Idea: "Idea", Total: "Total", State: "Outcome",
		Selected: "Selected", NotSelected: "Not selected", NotRanked: "Not ranked", Reasons: "Reasons",
		Profile: "Profile by criterion", Criterion: "Criterion", Value: "This idea", Median: "Median",
		Quartiles: "Middle half", Between: "%s to %s",
		Legend: "Each bar runs from the criterion's minimum to its maximum. Box: the middle half of the group's ideas " +
			"(first to third quartile, Hyndman and Fan's definition 7, 1996); line: the median; " +
			"dot: this idea. Values as published, rounded to %d places.",
		Margin: "Margin to selection",
		Gap:    "%s points of total separate this idea from %s, the last selected (total %s).",
		Tied:   "Same total as %s, the last selected: the tie-breaks decided.",
		MarginNote: "Each line raises one criterion alone, the others unchanged; closing the gap makes the totals equal, " +
			"and the tie-breaks then decide. Points of the criterion's aggregate, rounded up.",
		Need: "Points to gain", Verdict: "On its own",
		Possible: "enough", Impossible: "not enough: beyond the maximum %s", ZeroWeight: "weight zero: no effect",
		NoSelection: "This stage selects no idea.",
		Comments:    "Jury comments", NoComments: "No comments were recorded.",
		Footer: "Computed exactly by Afkar from dataset %s.", Report: "Report",
	}
}
