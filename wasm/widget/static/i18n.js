// Every string the page shows, in Arabic, French and English, and the names
// of Morocco's twelve regions. app.js never writes a user-visible literal of
// its own: adding a language means adding one table here.
//
// Placeholders are written {name} and filled by format(); the results are
// always set with textContent, so a placeholder value can never become HTML.

/** The languages offered, in the order of the selector. */
export const LANGUAGES = ["ar", "fr", "en"];

/** Languages written right to left. */
export const RTL = new Set(["ar"]);

const en = {
  "app.title": "Afkar — jury calculator",
  "app.subtitle": "Exact scoring and ranking of cooperative project ideas",
  "lang.label": "Language",
  "engine.loading": "Loading the engine…",
  "engine.failed": "The scoring engine could not be started: {message}",
  "engine.stopped": "The scoring engine has stopped. Reload the page; your entries are saved on this device.",
  "engine.version": "Engine format {version}",
  "engine.versionMismatch": "This page expects the engine format afkar/1, the engine says {version}.",
  "file.tooLarge": "{name} is too large ({size} bytes) to be a dataset.",
  "mode.label": "Mode",
  "mode.judge": "Judge",
  "mode.organiser": "Organiser",

  "judge.heading": "Score projects",
  "judge.sourceHeading": "Rubric and projects",
  "judge.file": "Load a dataset or rubric (JSON file)",
  "judge.useSample": "Use the built-in sample",
  "judge.sourceSample": "Using the built-in sample.",
  "judge.sourceFile": "Using the file {name}.",
  "judge.noSource": "Load a dataset or the sample to start scoring.",
  "judge.problems": "Problems",
  "judge.id": "Your judge id",
  "judge.idHint": "Letters, digits, “.”, “_” and “-”, starting with a letter or digit, for example J1.",
  "judge.idInvalid": "“{id}” is not a valid judge id.",
  "judge.idUnknown": "“{id}” is not in this dataset's jury: the organiser will not be able to merge these scores.",
  "judge.conflict": "You declared a conflict of interest with this project: your scores on it will not count.",
  "judge.sameCoop": "This project is from your own cooperative: your scores on it will not count.",
  "judge.sheetHeading": "Judge and project",
  "judge.project": "Project",
  "judge.noProjects": "This file lists no projects: add one by its id.",
  "judge.addProjectSummary": "Project not in the list?",
  "judge.newProject": "Project id",
  "judge.addProject": "Add the project",
  "judge.projectInvalid": "“{id}” is not a valid project id.",
  "judge.scoresHeading": "Scores",
  "judge.range": "{min} to {max}",
  "judge.rangeStep": "{min} to {max}, step {step}",
  "judge.weight": "weight {weight}",
  "judge.threshold": "eligibility threshold {threshold}",
  "judge.contribution": "Contribution to the total",
  "judge.total": "Total",
  "judge.complete": "Every criterion is scored.",
  "judge.incomplete": "{done} of {all} criteria scored.",
  "judge.invalidNotCounted": "Scores with an error are not counted in the total until they are fixed.",
  "judge.saved": "Saved on this device at {time}.",
  "judge.notSaved": "Could not save on this device ({message}): export your sheet regularly.",
  "judge.exportHeading": "Your sheet",
  "judge.exportHint": "Download all your scores, for every project, and hand the file to the organisers.",
  "judge.exportJSON": "Download the sheet (JSON)",
  "judge.exportCSV": "Download the sheet (CSV)",
  "judge.exportNothing": "There is no score to export yet.",
  "judge.exportFix": "Fix these scores before exporting:",
  "judge.exportNeedId": "Enter your judge id before exporting.",
  "judge.exported": "Scores exported: {count}.",
  "judge.clearProject": "Clear this project's scores",
  "judge.clearConfirm": "Clear every score of project {id}?",
  "judge.completeMark": "✓",
  "judge.projectError": "{project}, {criterion}: {message}",

  "org.heading": "Rank the projects",
  "org.datasetHeading": "Dataset",
  "org.file": "Load a dataset (JSON file)",
  "org.useSample": "Use the built-in sample",
  "org.text": "Or paste a dataset (JSON)",
  "org.sheets": "Add judges' sheets (JSON files, several at once)",
  "org.sheetsNone": "No sheet added.",
  "org.sheetsList": "Sheets to merge",
  "org.removeSheet": "Remove",
  "org.removeSheetLabel": "Remove the sheet {name}",
  "org.evaluate": "Evaluate",
  "org.needDataset": "Load, paste or choose a dataset, or add judges' sheets, first.",
  "org.problems": "Problems",
  "org.jsonError": "not valid JSON ({message})",
  "org.summary": "{ranked} projects ranked, {unranked} not ranked, {excluded} scores excluded.",
  "org.merged": "Sheets merged into the dataset: {count}.",
  "org.digest": "Input digest",
  "org.overall": "Overall ranking",
  "org.byGroup": "Ranking by {by}",
  "org.notRanked": "Not ranked",
  "org.excluded": "Excluded scores (conflicts of interest)",
  "org.excludedItem": "{judge} on {project}, {criterion}: {reason}",
  "org.downloadJSON": "Download the result (JSON)",
  "org.downloadCSV": "Download the result (CSV)",
  "org.groupNone": "(no group)",
  "org.groupOther": "{by}: {value}",
  "org.noneRanked": "No project is ranked.",
  "org.sections": "Sections of the result",

  "col.rank": "Rank",
  "col.id": "Id",
  "col.title": "Title",
  "col.group": "Group",
  "col.groupRank": "Rank in group",
  "col.total": "Total",
  "col.judges": "Judges",
  "col.selected": "Selected",
  "col.why": "Ahead of the next because",
  "col.reasons": "Why not ranked",
  "badge.selected": "Selected",

  "why.total": "higher total",
  "why.criterion": "tie on total, higher {criterion}",
  "why.head_to_head": "tie, more judges preferred it",
  "why.submitted_at": "tie, submitted earlier",
  "why.id": "tie, smaller id",
  "why.lottery": "tie, drawn by lot (seed {seed})",
  "why.tied": "tied with the next",
  "why.other": "decided by {rule}",

  "reason.quorum": "not enough judges on {criterion}",
  "reason.threshold": "below the threshold on {criterion}",
  "reason.total_threshold": "total below the threshold",
  "reason.other": "{reason}",
  "excluded.conflict": "declared conflict of interest",
  "excluded.same_cooperative": "same cooperative",

  "group.region": "region",
  "group.sector": "sector",
  "group.cooperative": "cooperative",
  "list.separator": "; ",
};

const fr = {
  "app.title": "Afkar — calculatrice du jury",
  "app.subtitle": "Notation et classement exacts des idées de projets coopératifs",
  "lang.label": "Langue",
  "engine.loading": "Chargement du moteur…",
  "engine.failed": "Le moteur de calcul n'a pas pu démarrer : {message}",
  "engine.stopped": "Le moteur de calcul s'est arrêté. Rechargez la page ; vos saisies sont enregistrées sur cet appareil.",
  "engine.version": "Format du moteur {version}",
  "engine.versionMismatch": "Cette page attend le format de moteur afkar/1, le moteur annonce {version}.",
  "file.tooLarge": "{name} est trop volumineux ({size} octets) pour être un jeu de données.",
  "mode.label": "Mode",
  "mode.judge": "Juré",
  "mode.organiser": "Organisateur",

  "judge.heading": "Noter les projets",
  "judge.sourceHeading": "Grille et projets",
  "judge.file": "Charger un jeu de données ou une grille (fichier JSON)",
  "judge.useSample": "Utiliser l'exemple intégré",
  "judge.sourceSample": "Exemple intégré utilisé.",
  "judge.sourceFile": "Fichier {name} utilisé.",
  "judge.noSource": "Chargez un jeu de données ou l'exemple pour commencer à noter.",
  "judge.problems": "Problèmes",
  "judge.id": "Votre identifiant de juré",
  "judge.idHint": "Lettres, chiffres, « . », « _ » et « - », en commençant par une lettre ou un chiffre, par exemple J1.",
  "judge.idInvalid": "« {id} » n'est pas un identifiant de juré valide.",
  "judge.idUnknown": "« {id} » ne fait pas partie du jury de ce jeu de données : l'organisateur ne pourra pas fusionner ces notes.",
  "judge.conflict": "Vous avez déclaré un conflit d'intérêts avec ce projet : vos notes sur ce projet ne compteront pas.",
  "judge.sameCoop": "Ce projet vient de votre propre coopérative : vos notes sur ce projet ne compteront pas.",
  "judge.sheetHeading": "Juré et projet",
  "judge.project": "Projet",
  "judge.noProjects": "Ce fichier ne liste aucun projet : ajoutez-en un par son identifiant.",
  "judge.addProjectSummary": "Projet absent de la liste ?",
  "judge.newProject": "Identifiant du projet",
  "judge.addProject": "Ajouter le projet",
  "judge.projectInvalid": "« {id} » n'est pas un identifiant de projet valide.",
  "judge.scoresHeading": "Notes",
  "judge.range": "de {min} à {max}",
  "judge.rangeStep": "de {min} à {max}, par pas de {step}",
  "judge.weight": "poids {weight}",
  "judge.threshold": "seuil d'éligibilité {threshold}",
  "judge.contribution": "Contribution au total",
  "judge.total": "Total",
  "judge.complete": "Tous les critères sont notés.",
  "judge.incomplete": "{done} critères notés sur {all}.",
  "judge.invalidNotCounted": "Les notes en erreur ne comptent pas dans le total tant qu'elles ne sont pas corrigées.",
  "judge.saved": "Enregistré sur cet appareil à {time}.",
  "judge.notSaved": "Impossible d'enregistrer sur cet appareil ({message}) : exportez votre fiche régulièrement.",
  "judge.exportHeading": "Votre fiche",
  "judge.exportHint": "Téléchargez toutes vos notes, pour tous les projets, et remettez le fichier aux organisateurs.",
  "judge.exportJSON": "Télécharger la fiche (JSON)",
  "judge.exportCSV": "Télécharger la fiche (CSV)",
  "judge.exportNothing": "Aucune note à exporter pour l'instant.",
  "judge.exportFix": "Corrigez ces notes avant d'exporter :",
  "judge.exportNeedId": "Saisissez votre identifiant de juré avant d'exporter.",
  "judge.exported": "Notes exportées : {count}.",
  "judge.clearProject": "Effacer les notes de ce projet",
  "judge.clearConfirm": "Effacer toutes les notes du projet {id} ?",
  "judge.completeMark": "✓",
  "judge.projectError": "{project}, {criterion} : {message}",

  "org.heading": "Classer les projets",
  "org.datasetHeading": "Jeu de données",
  "org.file": "Charger un jeu de données (fichier JSON)",
  "org.useSample": "Utiliser l'exemple intégré",
  "org.text": "Ou collez un jeu de données (JSON)",
  "org.sheets": "Ajouter des fiches de jurés (fichiers JSON, plusieurs à la fois)",
  "org.sheetsNone": "Aucune fiche ajoutée.",
  "org.sheetsList": "Fiches à fusionner",
  "org.removeSheet": "Retirer",
  "org.removeSheetLabel": "Retirer la fiche {name}",
  "org.evaluate": "Évaluer",
  "org.needDataset": "Chargez, collez ou choisissez d'abord un jeu de données, ou ajoutez des fiches de jurés.",
  "org.problems": "Problèmes",
  "org.jsonError": "JSON invalide ({message})",
  "org.summary": "{ranked} projets classés, {unranked} non classés, {excluded} notes exclues.",
  "org.merged": "Fiches fusionnées dans le jeu de données : {count}.",
  "org.digest": "Empreinte des données",
  "org.overall": "Classement général",
  "org.byGroup": "Classement par {by}",
  "org.notRanked": "Non classés",
  "org.excluded": "Notes exclues (conflits d'intérêts)",
  "org.excludedItem": "{judge} sur {project}, {criterion} : {reason}",
  "org.downloadJSON": "Télécharger le résultat (JSON)",
  "org.downloadCSV": "Télécharger le résultat (CSV)",
  "org.groupNone": "(sans groupe)",
  "org.groupOther": "{by} : {value}",
  "org.noneRanked": "Aucun projet n'est classé.",
  "org.sections": "Parties du résultat",

  "col.rank": "Rang",
  "col.id": "Identifiant",
  "col.title": "Titre",
  "col.group": "Groupe",
  "col.groupRank": "Rang dans le groupe",
  "col.total": "Total",
  "col.judges": "Jurés",
  "col.selected": "Retenu",
  "col.why": "Devant le suivant car",
  "col.reasons": "Pourquoi non classé",
  "badge.selected": "Retenu",

  "why.total": "total plus élevé",
  "why.criterion": "égalité au total, meilleur en {criterion}",
  "why.head_to_head": "égalité, préféré par plus de jurés",
  "why.submitted_at": "égalité, déposé plus tôt",
  "why.id": "égalité, identifiant plus petit",
  "why.lottery": "égalité, tiré au sort (graine {seed})",
  "why.tied": "ex æquo avec le suivant",
  "why.other": "départagé par {rule}",

  "reason.quorum": "pas assez de jurés sur {criterion}",
  "reason.threshold": "sous le seuil en {criterion}",
  "reason.total_threshold": "total sous le seuil",
  "reason.other": "{reason}",
  "excluded.conflict": "conflit d'intérêts déclaré",
  "excluded.same_cooperative": "même coopérative",

  "group.region": "région",
  "group.sector": "secteur",
  "group.cooperative": "coopérative",
  "list.separator": " ; ",
};

const ar = {
  "app.title": "أفكار — حاسبة لجنة التحكيم",
  "app.subtitle": "تنقيط وترتيب دقيقان لأفكار المشاريع التعاونية",
  "lang.label": "اللغة",
  "engine.loading": "جارٍ تحميل المحرك…",
  "engine.failed": "تعذّر تشغيل محرك الحساب: {message}",
  "engine.stopped": "توقف محرك الحساب. أعد تحميل الصفحة؛ إدخالاتك محفوظة على هذا الجهاز.",
  "engine.version": "صيغة المحرك {version}",
  "engine.versionMismatch": "تنتظر هذه الصفحة صيغة المحرك afkar/1، والمحرك يعلن {version}.",
  "file.tooLarge": "الملف {name} أكبر من أن يكون مجموعة بيانات ({size} بايت).",
  "mode.label": "الوضع",
  "mode.judge": "عضو لجنة التحكيم",
  "mode.organiser": "المنظّم",

  "judge.heading": "تنقيط المشاريع",
  "judge.sourceHeading": "شبكة التقييم والمشاريع",
  "judge.file": "تحميل مجموعة بيانات أو شبكة تقييم (ملف JSON)",
  "judge.useSample": "استعمال المثال المدمج",
  "judge.sourceSample": "المثال المدمج قيد الاستعمال.",
  "judge.sourceFile": "الملف {name} قيد الاستعمال.",
  "judge.noSource": "حمّل مجموعة بيانات أو المثال لبدء التنقيط.",
  "judge.problems": "مشاكل",
  "judge.id": "معرّفك كعضو في اللجنة",
  "judge.idHint": "حروف لاتينية وأرقام و«.» و«_» و«-»، يبدأ بحرف أو رقم، مثلاً J1.",
  "judge.idInvalid": "«{id}» ليس معرّفاً صالحاً لعضو لجنة.",
  "judge.idUnknown": "«{id}» ليس ضمن لجنة هذه المجموعة: لن يتمكن المنظّم من دمج هذه النقط.",
  "judge.conflict": "لقد صرّحت بتضارب مصالح مع هذا المشروع: لن تُحتسب نقطك عليه.",
  "judge.sameCoop": "هذا المشروع من تعاونيتك: لن تُحتسب نقطك عليه.",
  "judge.sheetHeading": "المحكّم والمشروع",
  "judge.project": "المشروع",
  "judge.noProjects": "لا يذكر هذا الملف أي مشروع: أضف مشروعاً بمعرّفه.",
  "judge.addProjectSummary": "المشروع غير موجود في القائمة؟",
  "judge.newProject": "معرّف المشروع",
  "judge.addProject": "إضافة المشروع",
  "judge.projectInvalid": "«{id}» ليس معرّفاً صالحاً لمشروع.",
  "judge.scoresHeading": "النقط",
  "judge.range": "من {min} إلى {max}",
  "judge.rangeStep": "من {min} إلى {max}، بخطوة {step}",
  "judge.weight": "الوزن {weight}",
  "judge.threshold": "عتبة الأهلية {threshold}",
  "judge.contribution": "المساهمة في المجموع",
  "judge.total": "المجموع",
  "judge.complete": "تم تنقيط جميع المعايير.",
  "judge.incomplete": "تم تنقيط {done} من أصل {all} معايير.",
  "judge.invalidNotCounted": "النقط التي فيها خطأ لا تُحتسب في المجموع حتى تُصحَّح.",
  "judge.saved": "حُفظ على هذا الجهاز في {time}.",
  "judge.notSaved": "تعذّر الحفظ على هذا الجهاز ({message}): صدّر ورقتك بانتظام.",
  "judge.exportHeading": "ورقة التنقيط",
  "judge.exportHint": "نزّل جميع نقطك لكل المشاريع وسلّم الملف للمنظّمين.",
  "judge.exportJSON": "تنزيل الورقة (JSON)",
  "judge.exportCSV": "تنزيل الورقة (CSV)",
  "judge.exportNothing": "لا توجد نقط للتصدير بعد.",
  "judge.exportFix": "صحّح هذه النقط قبل التصدير:",
  "judge.exportNeedId": "أدخل معرّفك قبل التصدير.",
  "judge.exported": "النقط المصدَّرة: {count}.",
  "judge.clearProject": "مسح نقط هذا المشروع",
  "judge.clearConfirm": "مسح جميع نقط المشروع {id}؟",
  "judge.completeMark": "✓",
  "judge.projectError": "{project}، {criterion}: {message}",

  "org.heading": "ترتيب المشاريع",
  "org.datasetHeading": "مجموعة البيانات",
  "org.file": "تحميل مجموعة بيانات (ملف JSON)",
  "org.useSample": "استعمال المثال المدمج",
  "org.text": "أو الصق مجموعة بيانات (JSON)",
  "org.sheets": "إضافة أوراق أعضاء اللجنة (ملفات JSON، عدة ملفات دفعة واحدة)",
  "org.sheetsNone": "لم تُضف أي ورقة.",
  "org.sheetsList": "الأوراق المراد دمجها",
  "org.removeSheet": "إزالة",
  "org.removeSheetLabel": "إزالة الورقة {name}",
  "org.evaluate": "تقييم",
  "org.needDataset": "حمّل أو الصق أو اختر مجموعة بيانات، أو أضف أوراق أعضاء اللجنة، أولاً.",
  "org.problems": "مشاكل",
  "org.jsonError": "JSON غير صالح ({message})",
  "org.summary": "مشاريع مرتبة: {ranked}، غير مرتبة: {unranked}، نقط مستبعدة: {excluded}.",
  "org.merged": "أوراق مدمجة في مجموعة البيانات: {count}.",
  "org.digest": "بصمة البيانات",
  "org.overall": "الترتيب العام",
  "org.byGroup": "الترتيب حسب {by}",
  "org.notRanked": "مشاريع غير مرتبة",
  "org.excluded": "نقط مستبعدة (تضارب المصالح)",
  "org.excludedItem": "{judge} على {project}، {criterion}: {reason}",
  "org.downloadJSON": "تنزيل النتيجة (JSON)",
  "org.downloadCSV": "تنزيل النتيجة (CSV)",
  "org.groupNone": "(بدون مجموعة)",
  "org.groupOther": "{by}: {value}",
  "org.noneRanked": "لا يوجد أي مشروع مرتب.",
  "org.sections": "أقسام النتيجة",

  "col.rank": "الرتبة",
  "col.id": "المعرّف",
  "col.title": "العنوان",
  "col.group": "المجموعة",
  "col.groupRank": "الرتبة في المجموعة",
  "col.total": "المجموع",
  "col.judges": "المحكّمون",
  "col.selected": "مختار",
  "col.why": "متقدم على التالي لأن",
  "col.reasons": "سبب عدم الترتيب",
  "badge.selected": "مختار",

  "why.total": "مجموع أعلى",
  "why.criterion": "تعادل في المجموع، أعلى في {criterion}",
  "why.head_to_head": "تعادل، فضّله عدد أكبر من المحكّمين",
  "why.submitted_at": "تعادل، قُدّم أولاً",
  "why.id": "تعادل، معرّف أصغر",
  "why.lottery": "تعادل، حُسم بالقرعة (البذرة {seed})",
  "why.tied": "متعادل مع التالي",
  "why.other": "حُسم بواسطة {rule}",

  "reason.quorum": "عدد المحكّمين غير كافٍ في {criterion}",
  "reason.threshold": "دون العتبة في {criterion}",
  "reason.total_threshold": "المجموع دون العتبة",
  "reason.other": "{reason}",
  "excluded.conflict": "تضارب مصالح مصرّح به",
  "excluded.same_cooperative": "نفس التعاونية",

  "group.region": "الجهة",
  "group.sector": "القطاع",
  "group.cooperative": "التعاونية",
  "list.separator": "؛ ",
};

/** The three tables, by language. */
export const STRINGS = { ar, fr, en };

/**
 * Morocco's twelve regions (2015 division), by the codes the engine's `bank`
 * package and the sample use, listed in the order of the Afkar tour (Oujda
 * first, Agadir last) so that region groups appear in the same order as in
 * the command line's table.
 */
export const REGIONS = [
  ["oriental", { ar: "الشرق", fr: "L'Oriental", en: "Oriental" }],
  ["casablanca-settat", { ar: "الدار البيضاء - سطات", fr: "Casablanca-Settat", en: "Casablanca-Settat" }],
  ["dakhla-oued-ed-dahab", { ar: "الداخلة - وادي الذهب", fr: "Dakhla-Oued Ed-Dahab", en: "Dakhla-Oued Ed-Dahab" }],
  ["rabat-sale-kenitra", { ar: "الرباط - سلا - القنيطرة", fr: "Rabat-Salé-Kénitra", en: "Rabat-Sale-Kenitra" }],
  ["laayoune-sakia-el-hamra", { ar: "العيون - الساقية الحمراء", fr: "Laâyoune-Sakia El Hamra", en: "Laayoune-Sakia El Hamra" }],
  ["fes-meknes", { ar: "فاس - مكناس", fr: "Fès-Meknès", en: "Fes-Meknes" }],
  ["guelmim-oued-noun", { ar: "كلميم - واد نون", fr: "Guelmim-Oued Noun", en: "Guelmim-Oued Noun" }],
  ["draa-tafilalet", { ar: "درعة - تافيلالت", fr: "Drâa-Tafilalet", en: "Draa-Tafilalet" }],
  ["marrakech-safi", { ar: "مراكش - آسفي", fr: "Marrakech-Safi", en: "Marrakesh-Safi" }],
  ["beni-mellal-khenifra", { ar: "بني ملال - خنيفرة", fr: "Béni Mellal-Khénifra", en: "Beni Mellal-Khenifra" }],
  ["tanger-tetouan-al-hoceima", { ar: "طنجة - تطوان - الحسيمة", fr: "Tanger-Tétouan-Al Hoceïma", en: "Tangier-Tetouan-Al Hoceima" }],
  ["souss-massa", { ar: "سوس - ماسة", fr: "Souss-Massa", en: "Souss-Massa" }],
];

const regionByCode = new Map(REGIONS);

/** The region's name in lang, or undefined for a code that is not one of the twelve. */
export function regionName(code, lang) {
  const names = regionByCode.get(code);
  return names ? names[lang] || names.en : undefined;
}

/** The position of a region in the tour, or -1. */
export function tourIndex(code) {
  return REGIONS.findIndex(([c]) => c === code);
}

/**
 * The string key in lang with its {placeholders} filled from params. A key
 * missing from lang falls back to English, then to the key itself, so a gap
 * in a table shows up as readable text rather than "undefined".
 */
export function format(lang, key, params = {}) {
  const table = STRINGS[lang] || en;
  const text = table[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * The supported language that best matches the browser's preferences
 * (navigator.languages, then navigator.language), by primary subtag.
 * Arabic, the page's own language, when none matches.
 */
export function preferredLanguage(nav = globalThis.navigator) {
  const wanted = [...(nav?.languages || []), nav?.language].filter(Boolean);
  for (const tag of wanted) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (LANGUAGES.includes(primary)) return primary;
  }
  return "ar";
}
