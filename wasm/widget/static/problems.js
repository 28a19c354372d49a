// The engine's problems in Arabic, French and English.
//
// Every problem the engine reports ({path, message, code, params}, see the
// error answer of package bridge) has an English message, written for the
// command line. problemMessage says the same thing in the reader's
// language from the problem's code and params, in plain words for a juror
// or an organiser; a problem whose code this file does not know (or has no
// code) keeps the engine's English message.
//
// Params are strings. Decimals ("value", "min", "max", "step", "below",
// "above", "sum") are shown with the language's decimal mark, a comma in
// French and Arabic, with Latin digits as in Morocco. Criterion ids
// ("criterion") become the criterion's label when the caller can name it.
// In Arabic every value from the input is wrapped in Unicode isolates
// (U+2068 … U+2069) so that ids, numbers and Latin labels keep their own
// direction inside right-to-left text. The results are plain text: set
// them with textContent.
//
// Codes and their params are listed in the engine's Go package scoring
// (type Code); a Go test checks that CODES covers every one of them.

/** The languages of the messages. */
export const PROBLEM_LANGUAGES = ["ar", "fr", "en"];

const FSI = "\u2068"; // first strong isolate
const PDI = "\u2069"; // pop directional isolate

/** Text isolated from the surrounding right-to-left text. */
const iso = (s) => FSI + s + PDI;

/** Params that hold decimals as the engine prints them. */
const DECIMAL_PARAMS = new Set(["value", "min", "max", "step", "below", "above", "sum"]);
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Words that params name, by language: JSON types and kinds of items. */
const WORDS = {
  en: {
    expected: {
      object: "an object", array: "a list", string: "a text", decimal: "a number (such as 15.5)",
      integer: "a whole number", label: "a text, or texts by language", attributes: "an object of texts",
    },
    found: {
      null: "null", boolean: "a boolean (true or false)", number: "a number", string: "a text",
      array: "a list", object: "an object",
    },
    items: { projects: "projects", judges: "judges", scores: "scores" },
  },
  fr: {
    expected: {
      object: "un objet", array: "une liste", string: "un texte", decimal: "un nombre (écrit avec un point, par exemple 15.5)",
      integer: "un nombre entier", label: "un texte, ou des textes par langue", attributes: "un objet de textes",
    },
    found: {
      null: "la valeur null", boolean: "un booléen (true ou false)", number: "un nombre", string: "un texte",
      array: "une liste", object: "un objet",
    },
    items: { projects: "projets", judges: "jurés", scores: "notes" },
  },
  ar: {
    expected: {
      object: "كائن", array: "قائمة", string: "نص", decimal: `عدد (بنقطة عشرية، مثلاً ${iso("15.5")})`,
      integer: "عدد صحيح", label: "نص، أو نصوص حسب اللغة", attributes: "كائن من النصوص",
    },
    found: {
      null: `القيمة ${iso("null")}`, boolean: `قيمة منطقية (${iso("true")} أو ${iso("false")})`, number: "عدد",
      string: "نص", array: "قائمة", object: "كائن",
    },
    items: { projects: "المشاريع", judges: "المحكّمين", scores: "النقط" },
  },
};

/**
 * A text param as written in the input (a group value, which is never
 * shown as a decimal), isolated in Arabic.
 */
const asText = (lang, s) => (lang === "ar" ? iso(s) : s);

/** A word of WORDS[lang][kind], or the param as shown when there is none. */
const word = (lang, kind, raw, shown) => WORDS[lang][kind][raw] ?? shown;

/** How an id should be written: its rules, for the invalid-id messages. */
const ID_HINT = {
  en: "unaccented Latin letters, digits, “.”, “_” and “-”, starting with a letter or digit, at most 64 characters",
  fr: "lettres latines sans accent, chiffres, « . », « _ » et « - », en commençant par une lettre ou un chiffre, 64 caractères au plus",
  ar: "حروف لاتينية وأرقام و«.» و«_» و«-»، يبدأ بحرف أو رقم، وطوله 64 رمزاً على الأكثر",
};
const CRITERION_ID_HINT = {
  en: "a lowercase Latin letter, then up to 31 lowercase letters, digits, “_” or “-”",
  fr: "une lettre latine minuscule, puis jusqu'à 31 lettres minuscules, chiffres, « _ » ou « - »",
  ar: "حرف لاتيني صغير، ثم ما يصل إلى 31 من الحروف اللاتينية الصغيرة أو الأرقام أو «_» أو «-»",
};
const RULES = {
  en: "criterion:<id>, head_to_head, submitted_at, id or lottery:<seed>",
  fr: "criterion:<id>, head_to_head, submitted_at, id ou lottery:<seed>",
  ar: `${iso("criterion:<id>")}، ${iso("head_to_head")}، ${iso("submitted_at")}، ${iso("id")} أو ${iso("lottery:<seed>")}`,
};

/** The characters a reader may have typed as a decimal comma. */
const DECIMAL_COMMAS = new Set([",", "٫", "،"]);

/**
 * text written with a decimal point, when it is a number written with a
 * decimal comma ("7,5" → "7.5"); else an example, after forExample.
 */
function withPoint(text, forExample = "for example", wrap = (s) => s) {
  const m = /^([+-]?\d+)[,٫،](\d+)$/.exec(text);
  return m ? wrap(`${m[1]}.${m[2]}`) : `${forExample} ${wrap("14.5")}`;
}

/**
 * The messages, by code: the params a message cannot do without, and one
 * function per language from (p, raw) to the text, where p holds the
 * params as shown and raw as the engine gave them. An optional param is
 * tested on raw; an empty string counts as absent.
 */
const MESSAGES = {
  // A typed score.
  "decimal.empty": {
    need: [],
    en: () => "Empty: enter a number.",
    fr: () => "Valeur vide : saisissez un nombre.",
    ar: () => "القيمة فارغة: أدخل عدداً.",
  },
  "decimal.too_long": {
    need: ["length", "max"],
    en: (p) => `This number is too long: ${p.length} characters, at most ${p.max}.`,
    fr: (p) => `Ce nombre est trop long : ${p.length} caractères, ${p.max} au plus.`,
    ar: (p) => `هذا العدد طويل جداً (عدد الرموز: ${p.length}، والحد الأقصى: ${p.max}).`,
  },
  "decimal.not_finite": {
    need: ["text"],
    en: (p) => `“${p.text}” is not allowed: enter a number.`,
    fr: (p) => `« ${p.text} » n'est pas accepté : saisissez un nombre.`,
    ar: (p) => `«${p.text}» غير مقبول: أدخل عدداً.`,
  },
  "decimal.syntax": {
    need: ["text"],
    en: (p, raw) =>
      DECIMAL_COMMAS.has(raw.found) ? `“${p.text}” is not a number: separate the decimals with a point (${withPoint(raw.text)}).`
      : raw.found ? `“${p.text}” is not a number (unexpected “${p.found}”).`
      : `“${p.text}” is not a number.`,
    fr: (p, raw) =>
      DECIMAL_COMMAS.has(raw.found) ? `« ${p.text} » n'est pas un nombre reconnu : séparez les décimales par un point (${withPoint(raw.text, "par exemple")}).`
      : raw.found ? `« ${p.text} » n'est pas un nombre (caractère inattendu : « ${p.found} »).`
      : `« ${p.text} » n'est pas un nombre.`,
    ar: (p, raw) =>
      DECIMAL_COMMAS.has(raw.found) ? `«${p.text}» ليس عدداً مقبولاً: افصل الأجزاء العشرية بنقطة (${withPoint(raw.text, "مثلاً", iso)}).`
      : raw.found ? `«${p.text}» ليس عدداً (رمز غير متوقع: «${p.found}»).`
      : `«${p.text}» ليس عدداً.`,
  },
  "decimal.digits": {
    need: ["text", "digits", "max"],
    en: (p) => `“${p.text}” has too many significant digits: ${p.digits}, at most ${p.max}.`,
    fr: (p) => `« ${p.text} » a trop de chiffres significatifs : ${p.digits}, ${p.max} au plus.`,
    ar: (p) => `«${p.text}» يحتوي على عدد كبير جداً من الأرقام المعنوية (عددها: ${p.digits}، والحد الأقصى: ${p.max}).`,
  },
  "decimal.magnitude": {
    need: ["text"],
    en: (p) => `“${p.text}” is too large, or too close to zero, to be read.`,
    fr: (p) => `« ${p.text} » est trop grand, ou trop proche de zéro, pour être lu.`,
    ar: (p) => `«${p.text}» كبير جداً أو قريب جداً من الصفر، ولا يمكن قراءته.`,
  },
  "score.below_min": {
    need: ["value", "criterion", "min", "max"],
    en: (p, raw) => `${p.value} is below the minimum for ${p.criterion}: ${range.en(p, raw)}.`,
    fr: (p, raw) => `${p.value} est en dessous du minimum pour ${p.criterion} : ${range.fr(p, raw)}.`,
    ar: (p, raw) => `النقطة ${p.value} أقل من الحد الأدنى لمعيار ${p.criterion}: ${range.ar(p, raw)}.`,
  },
  "score.above_max": {
    need: ["value", "criterion", "min", "max"],
    en: (p, raw) => `${p.value} is above the maximum for ${p.criterion}: ${range.en(p, raw)}.`,
    fr: (p, raw) => `${p.value} dépasse le maximum pour ${p.criterion} : ${range.fr(p, raw)}.`,
    ar: (p, raw) => `النقطة ${p.value} تتجاوز الحد الأقصى لمعيار ${p.criterion}: ${range.ar(p, raw)}.`,
  },
  "score.step": {
    need: ["value", "criterion", "min", "max", "step", "below"],
    en: (p, raw) => `${p.value} is not a valid score for ${p.criterion}: ${range.en(p, raw)} (for example ${p.below}${raw.above ? ` or ${p.above}` : ""}).`,
    fr: (p, raw) => `${p.value} n'est pas une note valide pour ${p.criterion} : ${range.fr(p, raw)} (par exemple ${p.below}${raw.above ? ` ou ${p.above}` : ""}).`,
    ar: (p, raw) => `النقطة ${p.value} غير صالحة لمعيار ${p.criterion}: ${range.ar(p, raw)} (مثلاً ${p.below}${raw.above ? ` أو ${p.above}` : ""}).`,
  },
  "score.duplicate": {
    need: ["judge", "project", "criterion", "first"],
    en: (p) => `Judge “${p.judge}” has already scored project “${p.project}” on ${p.criterion} (first score at ${p.first}).`,
    fr: (p) => `Le juré « ${p.judge} » a déjà noté le projet « ${p.project} » pour ${p.criterion} (première note : ${p.first}).`,
    ar: (p) => `سبق أن نقّط المحكّم «${p.judge}» المشروع «${p.project}» في معيار ${p.criterion} (النقطة الأولى في ${p.first}).`,
  },

  // References between the parts of a dataset.
  "criterion.unknown": {
    need: ["criterion"],
    en: (p) => `“${p.criterion}” is not a criterion of this rubric.`,
    fr: (p) => `« ${p.criterion} » n'est pas un critère de cette grille.`,
    ar: (p) => `«${p.criterion}» ليس من معايير شبكة التقييم هذه.`,
  },
  "project.unknown": {
    need: ["project"],
    en: (p) => `“${p.project}” is not one of this dataset's projects.`,
    fr: (p) => `« ${p.project} » ne fait pas partie des projets de ce jeu de données.`,
    ar: (p) => `«${p.project}» ليس من مشاريع مجموعة البيانات هذه.`,
  },
  "judge.unknown": {
    need: ["judge"],
    en: (p) => `“${p.judge}” is not in this dataset's jury.`,
    fr: (p) => `« ${p.judge} » ne fait pas partie du jury de ce jeu de données.`,
    ar: (p) => `«${p.judge}» ليس ضمن لجنة تحكيم مجموعة البيانات هذه.`,
  },
  "conflict.unknown_project": {
    need: ["project"],
    en: (p, raw) => (raw.judge ? `Judge “${p.judge}” declares a conflict of interest with “${p.project}”` : `A declared conflict of interest names “${p.project}”`) +
      ", which is not one of this dataset's projects.",
    fr: (p, raw) => (raw.judge ? `Le juré « ${p.judge} » déclare un conflit d'intérêts avec « ${p.project} »` : `Un conflit d'intérêts déclaré nomme « ${p.project} »`) +
      ", qui ne fait pas partie des projets de ce jeu de données.",
    ar: (p, raw) => (raw.judge ? `صرّح المحكّم «${p.judge}» بتضارب مصالح مع «${p.project}»` : `يذكر تضارب مصالح مصرّح به «${p.project}»`) +
      "، وهو ليس من مشاريع مجموعة البيانات هذه.",
  },
  "abstention.unknown_project": {
    need: ["project"],
    en: (p, raw) => (raw.judge ? `Judge “${p.judge}” abstains on “${p.project}”` : `A declared abstention names “${p.project}”`) +
      ", which is not one of this dataset's projects.",
    fr: (p, raw) => (raw.judge ? `Le juré « ${p.judge} » s'abstient sur « ${p.project} »` : `Une abstention déclarée nomme « ${p.project} »`) +
      ", qui ne fait pas partie des projets de ce jeu de données.",
    ar: (p, raw) => (raw.judge ? `أعلن المحكّم «${p.judge}» امتناعه عن تنقيط «${p.project}»` : `يذكر امتناع مصرّح به «${p.project}»`) +
      "، وهو ليس من مشاريع مجموعة البيانات هذه.",
  },

  // Ids.
  "project.invalid_id": {
    need: [],
    en: (p, raw) => `${raw.id ? `“${p.id}” is not a valid project id` : "The project id is empty"} (${ID_HINT.en}).`,
    fr: (p, raw) => `${raw.id ? `« ${p.id} » n'est pas un identifiant de projet valide` : "L'identifiant du projet est vide"} (${ID_HINT.fr}).`,
    ar: (p, raw) => `${raw.id ? `«${p.id}» ليس معرّفاً صالحاً لمشروع` : "معرّف المشروع فارغ"} (${ID_HINT.ar}).`,
  },
  "judge.invalid_id": {
    need: [],
    en: (p, raw) => `${raw.id ? `“${p.id}” is not a valid judge id` : "The judge id is empty"} (${ID_HINT.en}).`,
    fr: (p, raw) => `${raw.id ? `« ${p.id} » n'est pas un identifiant de juré valide` : "L'identifiant du juré est vide"} (${ID_HINT.fr}).`,
    ar: (p, raw) => `${raw.id ? `«${p.id}» ليس معرّفاً صالحاً لعضو لجنة` : "معرّف عضو اللجنة فارغ"} (${ID_HINT.ar}).`,
  },
  "criterion.invalid_id": {
    need: [],
    en: (p, raw) => `${raw.id ? `“${p.id}” is not a valid criterion id` : "The criterion id is empty"} (${CRITERION_ID_HINT.en}).`,
    fr: (p, raw) => `${raw.id ? `« ${p.id} » n'est pas un identifiant de critère valide` : "L'identifiant du critère est vide"} (${CRITERION_ID_HINT.fr}).`,
    ar: (p, raw) => `${raw.id ? `«${p.id}» ليس معرّفاً صالحاً لمعيار` : "معرّف المعيار فارغ"} (${CRITERION_ID_HINT.ar}).`,
  },
  "project.duplicate": {
    need: ["project", "first"],
    en: (p) => `Project “${p.project}” is listed twice (first at ${p.first}).`,
    fr: (p) => `Le projet « ${p.project} » figure deux fois (première occurrence : ${p.first}).`,
    ar: (p) => `المشروع «${p.project}» مذكور مرتين (أول مرة في ${p.first}).`,
  },
  "judge.duplicate": {
    need: ["judge", "first"],
    en: (p) => `Judge “${p.judge}” is listed twice (first at ${p.first}).`,
    fr: (p) => `Le juré « ${p.judge} » figure deux fois (première occurrence : ${p.first}).`,
    ar: (p) => `المحكّم «${p.judge}» مذكور مرتين (أول مرة في ${p.first}).`,
  },
  "criterion.duplicate": {
    need: ["criterion", "first"],
    en: (p) => `The criterion “${p.criterion}” is listed twice (first at ${p.first}).`,
    fr: (p) => `Le critère « ${p.criterion} » figure deux fois (première occurrence : ${p.first}).`,
    ar: (p) => `المعيار «${p.criterion}» مذكور مرتين (أول مرة في ${p.first}).`,
  },

  // The JSON text and its shape.
  "json.syntax": {
    need: ["line", "column"],
    en: (p) => `The data is not valid JSON (line ${p.line}, column ${p.column}).`,
    fr: (p) => `Les données ne sont pas du JSON valide (ligne ${p.line}, colonne ${p.column}).`,
    ar: (p) => `البيانات ليست بصيغة JSON صالحة (السطر ${p.line}، العمود ${p.column}).`,
  },
  "json.type": {
    need: ["expected", "found"],
    en: (p, raw) => `Expected ${word("en", "expected", raw.expected, p.expected)}, found ${word("en", "found", raw.found, p.found)}.`,
    fr: (p, raw) => `Attendu : ${word("fr", "expected", raw.expected, p.expected)} ; trouvé : ${word("fr", "found", raw.found, p.found)}.`,
    ar: (p, raw) => `المتوقع: ${word("ar", "expected", raw.expected, p.expected)}؛ الموجود: ${word("ar", "found", raw.found, p.found)}.`,
  },
  "json.duplicate_key": {
    need: ["key"],
    en: (p) => `The key “${p.key}” appears twice.`,
    fr: (p) => `La clé « ${p.key} » apparaît deux fois.`,
    ar: (p) => `المفتاح «${p.key}» مكرر.`,
  },
  "json.unknown_key": {
    need: ["key", "expected"],
    en: (p) => `Unknown key “${p.key}” (expected one of: ${p.expected}).`,
    fr: (p) => `Clé inconnue « ${p.key} » (clés attendues : ${p.expected}).`,
    ar: (p) => `مفتاح غير معروف «${p.key}» (المفاتيح المتوقعة: ${p.expected}).`,
  },
  "field.required": {
    need: ["field"],
    en: (p) => `The required field “${p.field}” is missing.`,
    fr: (p) => `Le champ obligatoire « ${p.field} » est absent.`,
    ar: (p) => `الحقل الإلزامي «${p.field}» غير موجود.`,
  },
  "input.too_large": {
    need: ["bytes", "max"],
    en: (p) => `The data is too large: ${p.bytes} bytes, more than the limit of ${p.max}.`,
    fr: (p) => `Les données sont trop volumineuses : ${p.bytes} octets, au-delà de la limite de ${p.max}.`,
    ar: (p) => `البيانات كبيرة جداً (الحجم: ${p.bytes} بايت، والحد الأقصى: ${p.max}).`,
  },
  "input.too_many": {
    need: ["items", "count", "max"],
    en: (p, raw) => `Too many ${word("en", "items", raw.items, p.items)}: ${p.count}, more than the limit of ${p.max}.`,
    fr: (p, raw) => `Trop de ${word("fr", "items", raw.items, p.items)} : ${p.count}, au-delà de la limite de ${p.max}.`,
    ar: (p, raw) => `عدد ${word("ar", "items", raw.items, p.items)} كبير جداً (العدد: ${p.count}، والحد الأقصى: ${p.max}).`,
  },
  "problems.truncated": {
    need: ["max"],
    en: (p) => `More than ${p.max} problems: the rest are not listed.`,
    fr: (p) => `Plus de ${p.max} problèmes : les suivants ne sont pas listés.`,
    ar: (p) => `توجد أكثر من ${p.max} مشكلة: لم تُذكر البقية.`,
  },
  "head_to_head.too_many_pairs": {
    need: ["count", "max"],
    en: (p) => `Too many tied projects with different ballots for the head-to-head tie-break: at least ${p.count} pairs to compare, more than the limit of ${p.max}.`,
    fr: (p) => `Trop de projets ex aequo aux bulletins différents pour le départage par confrontation directe : au moins ${p.count} paires à comparer, au-delà de la limite de ${p.max}.`,
    ar: (p) => `عدد المشاريع المتعادلة ذات البطاقات المختلفة كبير جداً لكسر التعادل بالمواجهة المباشرة (الأزواج المطلوب مقارنتها: ${p.count} على الأقل، والحد الأقصى: ${p.max}).`,
  },

  // Other values.
  "integer.range": {
    need: ["value", "min"],
    en: (p, raw) => `Expected a whole number ${raw.max ? `from ${p.min} to ${p.max}` : `of at least ${p.min}`}, found ${p.value}.`,
    fr: (p, raw) => `Il faut un nombre entier ${raw.max ? `de ${p.min} à ${p.max}` : `supérieur ou égal à ${p.min}`} ; trouvé : ${p.value}.`,
    ar: (p, raw) => `المطلوب عدد صحيح ${raw.max ? `من ${p.min} إلى ${p.max}` : `لا يقل عن ${p.min}`}، والموجود ${p.value}.`,
  },
  "enum.invalid": {
    need: ["found", "allowed"],
    en: (p) => `“${p.found}” is not one of the allowed values: ${p.allowed}.`,
    fr: (p) => `« ${p.found} » ne fait pas partie des valeurs permises : ${p.allowed}.`,
    ar: (p) => `«${p.found}» ليست من القيم المسموح بها: ${p.allowed}.`,
  },
  "format.unsupported": {
    need: ["expected", "found"],
    en: (p) => `The format “${p.found}” is not supported (expected “${p.expected}”).`,
    fr: (p) => `Le format « ${p.found} » n'est pas pris en charge (attendu : « ${p.expected} »).`,
    ar: (p) => `الصيغة «${p.found}» غير مدعومة (المتوقع: «${p.expected}»).`,
  },
  "date.invalid": {
    need: ["text"],
    en: (p) => `“${p.text}” is not a date (expected YYYY-MM-DD, for example 2025-04-17).`,
    fr: (p) => `« ${p.text} » n'est pas une date (format AAAA-MM-JJ, par exemple 2025-04-17).`,
    ar: (p) => `«${p.text}» ليس تاريخاً (الصيغة ${iso("YYYY-MM-DD")}، مثلاً ${iso("2025-04-17")}).`,
  },
  "time.invalid": {
    need: ["text"],
    en: (p) => `“${p.text}” is not a date and time (expected RFC 3339, for example 2025-04-16T09:30:00Z).`,
    fr: (p) => `« ${p.text} » n'est pas une date et heure valide (format RFC 3339, par exemple 2025-04-16T09:30:00Z).`,
    ar: (p) => `«${p.text}» ليس تاريخاً ووقتاً صالحين (صيغة ${iso("RFC 3339")}، مثلاً ${iso("2025-04-16T09:30:00Z")}).`,
  },
  "label.empty_key": {
    need: [],
    en: () => "A label has an empty language tag (expected “ar”, “fr” or “en”).",
    fr: () => "Un libellé a une langue vide (attendu : « ar », « fr » ou « en »).",
    ar: () => `في إحدى التسميات رمز لغة فارغ (المتوقع «${iso("ar")}» أو «${iso("fr")}» أو «${iso("en")}»).`,
  },

  // Free text: titles, names, labels, groups.
  "text.control": {
    need: ["char"],
    en: (p) => `The text contains a control character (${p.char}), such as an escape sequence, a tab or a line break: write plain text.`,
    fr: (p) => `Le texte contient un caractère de contrôle (${p.char}), comme une séquence d'échappement, une tabulation ou un saut de ligne : écrivez du texte simple.`,
    ar: (p) => `يحتوي النص على محرف تحكم (${p.char})، مثل تسلسل هروب أو جدولة أو فاصل أسطر: اكتب نصاً عادياً.`,
  },
  "text.bidi": {
    need: ["char"],
    en: (p) => `The text contains a bidirectional control (${p.char}) that reorders the text after it: remove it (the marks U+200E and U+200F are allowed).`,
    fr: (p) => `Le texte contient un contrôle bidirectionnel (${p.char}) qui réordonne le texte qui le suit : retirez-le (les marques U+200E et U+200F sont permises).`,
    ar: (p) => `يحتوي النص على محرف تحكم ثنائي الاتجاه (${p.char}) يعيد ترتيب ما بعده: احذفه (العلامتان ${iso("U+200E")} و${iso("U+200F")} مسموح بهما).`,
  },
  "text.blank": {
    need: [],
    en: () => "The text shows nothing (only spaces or invisible characters): write visible text, or leave it empty.",
    fr: () => "Le texte n'affiche rien (seulement des espaces ou des caractères invisibles) : écrivez un texte visible, ou laissez-le vide.",
    ar: () => "النص لا يُظهر شيئاً (مسافات أو محارف غير مرئية فقط): اكتب نصاً مرئياً أو اتركه فارغاً.",
  },
  "text.encoding": {
    need: [],
    en: () => "The text is not valid UTF-8.",
    fr: () => "Le texte n'est pas de l'UTF-8 valide.",
    ar: () => `النص ليس بترميز ${iso("UTF-8")} صالح.`,
  },

  // A rubric.
  "criteria.count": {
    need: ["count", "max"],
    en: (p, raw) => raw.count === "0" ? `The rubric has no criteria: it needs 1 to ${p.max}.` : `The rubric has ${p.count} criteria, more than the ${p.max} allowed.`,
    fr: (p, raw) => raw.count === "0" ? `La grille n'a aucun critère : il en faut de 1 à ${p.max}.` : `La grille a ${p.count} critères, au-delà des ${p.max} permis.`,
    ar: (p, raw) => raw.count === "0" ? `لا تتضمن شبكة التقييم أي معيار: المطلوب من 1 إلى ${p.max}.`
      : `تتضمن شبكة التقييم معايير أكثر من المسموح به (العدد: ${p.count}، والحد الأقصى: ${p.max}).`,
  },
  "range.order": {
    need: ["min", "max"],
    en: (p, raw) => `The minimum ${p.min} must be below the maximum ${p.max}${raw.criterion ? ` for the criterion ${p.criterion}` : ""}.`,
    fr: (p, raw) => `${raw.criterion ? `Pour le critère ${p.criterion}, le` : "Le"} minimum ${p.min} doit être inférieur au maximum ${p.max}.`,
    ar: (p, raw) => `يجب أن يكون الحد الأدنى ${p.min} أقل من الحد الأقصى ${p.max}${raw.criterion ? ` في معيار ${p.criterion}` : ""}.`,
  },
  "step.not_positive": {
    need: ["value"],
    en: (p, raw) => `The step${raw.criterion ? ` of the criterion ${p.criterion}` : ""} must be greater than 0 (found ${p.value}).`,
    fr: (p, raw) => `Le pas${raw.criterion ? ` du critère ${p.criterion}` : ""} doit être supérieur à 0 (trouvé : ${p.value}).`,
    ar: (p, raw) => `يجب أن تكون الخطوة${raw.criterion ? ` في معيار ${p.criterion}` : ""} أكبر من 0 (القيمة الحالية: ${p.value}).`,
  },
  "weight.negative": {
    need: ["value"],
    en: (p, raw) => `The weight${raw.criterion ? ` of the criterion ${p.criterion}` : ""} cannot be negative (found ${p.value}).`,
    fr: (p, raw) => `Le poids${raw.criterion ? ` du critère ${p.criterion}` : ""} ne peut pas être négatif (trouvé : ${p.value}).`,
    ar: (p, raw) => `لا يمكن أن يكون وزن ${raw.criterion ? `معيار ${p.criterion}` : "المعيار"} سالباً (القيمة الحالية: ${p.value}).`,
  },
  "weights.zero": {
    need: [],
    en: () => "At least one criterion must have a weight above 0.",
    fr: () => "Au moins un critère doit avoir un poids supérieur à 0.",
    ar: () => "يجب أن يكون وزن معيار واحد على الأقل أكبر من 0.",
  },
  "weights.sum": {
    need: ["sum"],
    en: (p) => `The weights must add up to exactly 1; they add up to ${p.sum} (set "weights": "relative" to divide each weight by their sum).`,
    fr: (p) => `La somme des poids doit valoir exactement 1 ; elle vaut ${p.sum} (indiquez "weights": "relative" pour diviser chaque poids par leur somme).`,
    ar: (p) => `يجب أن يساوي مجموع الأوزان 1 بالضبط، ومجموعها الحالي ${p.sum} (اكتب ${iso('"weights": "relative"')} لقسمة كل وزن على مجموع الأوزان).`,
  },
  "threshold.range": {
    need: ["value", "min", "max"],
    en: (p, raw) => `The threshold ${p.value}${raw.criterion ? ` of the criterion ${p.criterion}` : ""} is outside the range of scores, ${p.min} to ${p.max}.`,
    fr: (p, raw) => `Le seuil ${p.value}${raw.criterion ? ` du critère ${p.criterion}` : ""} sort de l'intervalle des notes, de ${p.min} à ${p.max}.`,
    ar: (p, raw) => `العتبة ${p.value}${raw.criterion ? ` في معيار ${p.criterion}` : ""} خارج مجال النقط، من ${p.min} إلى ${p.max}.`,
  },
  "trim.required": {
    need: [],
    en: () => "The trimmed mean needs “trim”: how many scores to drop at each end (a whole number of at least 1).",
    fr: () => "La moyenne tronquée exige « trim » : le nombre de notes écartées à chaque extrémité (un nombre entier d'au moins 1).",
    ar: () => `يتطلب المتوسط المشذَّب تحديد «${iso("trim")}»: عدد النقط المستبعدة من كل طرف (عدد صحيح لا يقل عن 1).`,
  },
  "total_max.not_positive": {
    need: ["value"],
    en: (p) => `The maximum total must be greater than 0 (found ${p.value}).`,
    fr: (p) => `Le total maximal doit être supérieur à 0 (trouvé : ${p.value}).`,
    ar: (p) => `يجب أن يكون المجموع الأقصى أكبر من 0 (القيمة الحالية: ${p.value}).`,
  },
  "total_threshold.range": {
    need: ["value", "max"],
    en: (p) => `The total threshold ${p.value} is outside the range of totals, 0 to ${p.max}.`,
    fr: (p) => `Le seuil du total ${p.value} sort de l'intervalle des totaux, de 0 à ${p.max}.`,
    ar: (p) => `عتبة المجموع ${p.value} خارج مجال المجاميع، من 0 إلى ${p.max}.`,
  },
  "rounding.mode_missing": {
    need: ["places"],
    en: (p) => `Rounding to ${p.places} places needs a mode: half_up, half_even or down.`,
    fr: (p) => `L'arrondi à ${p.places} décimales exige un mode : half_up, half_even ou down.`,
    ar: (p) => `يتطلب التقريب (عدد الأرقام العشرية: ${p.places}) تحديد طريقته: ${iso("half_up")} أو ${iso("half_even")} أو ${iso("down")}.`,
  },

  // Ranking rules.
  "rule.unknown": {
    need: ["rule"],
    en: (p) => `“${p.rule}” is not a tie-break rule (expected ${RULES.en}).`,
    fr: (p) => `« ${p.rule} » n'est pas une règle de départage (règles possibles : ${RULES.fr}).`,
    ar: (p) => `«${p.rule}» ليست قاعدة لفض التعادل (القواعد الممكنة: ${RULES.ar}).`,
  },
  "rule.no_criterion": {
    need: ["rule"],
    en: (p) => `The rule “${p.rule}” names no criterion (expected criterion:<id>).`,
    fr: (p) => `La règle « ${p.rule} » ne nomme aucun critère (attendu : criterion:<id>).`,
    ar: (p) => `القاعدة «${p.rule}» لا تذكر أي معيار (المتوقع: ${iso("criterion:<id>")}).`,
  },
  "rule.empty_seed": {
    need: ["rule"],
    en: (p) => `The lottery rule “${p.rule}” has no seed (expected lottery:<seed>).`,
    fr: (p) => `La règle de tirage au sort « ${p.rule} » n'a pas de graine (attendu : lottery:<seed>).`,
    ar: (p) => `قاعدة القرعة «${p.rule}» بدون بذرة (المتوقع: ${iso("lottery:<seed>")}).`,
  },
  "rule.unknown_criterion": {
    need: ["rule", "criterion"],
    en: (p) => `The rule “${p.rule}” names “${p.criterion}”, which is not a criterion of this rubric.`,
    fr: (p) => `La règle « ${p.rule} » nomme « ${p.criterion} », qui n'est pas un critère de cette grille.`,
    ar: (p) => `القاعدة «${p.rule}» تذكر «${p.criterion}»، وهو ليس من معايير شبكة التقييم هذه.`,
  },
  "tie_on.zscore": {
    need: [],
    en: () => "The z-score method goes with tie_on “rounded” only.",
    fr: () => "La méthode z-score ne s'emploie qu'avec tie_on « rounded ».",
    ar: () => `لا تُستعمل طريقة ${iso("z-score")} إلا مع ${iso("tie_on")} «${iso("rounded")}».`,
  },

  // Group values (ranking.group_by and ranking.groups).
  "group.unknown": {
    need: ["value", "field", "allowed"],
    en: (p, raw) => {
      const v = asText("en", raw.value), c = raw.closest && asText("en", raw.closest);
      if (raw.allowed === "regions") {
        return `“${v}” is not a region code${c ? `: did you mean “${c}”?` : "."} A region is one of Morocco's 12 region codes, unless the dataset lists its own groups.`;
      }
      return c ? `“${v}” is not one of the groups of ${p.field} that the dataset lists: did you mean “${c}”?`
        : `“${v}” is not one of the groups of ${p.field}: the dataset's list of groups is empty.`;
    },
    fr: (p, raw) => {
      const v = asText("fr", raw.value), c = raw.closest && asText("fr", raw.closest);
      if (raw.allowed === "regions") {
        return `« ${v} » n'est pas un code de région${c ? ` : vouliez-vous dire « ${c} » ?` : "."} Une région est l'un des 12 codes des régions du Maroc, sauf si le jeu de données donne ses propres groupes.`;
      }
      return c ? `« ${v} » ne fait pas partie des groupes de ${p.field} que donne le jeu de données : vouliez-vous dire « ${c} » ?`
        : `« ${v} » ne fait pas partie des groupes de ${p.field} : la liste des groupes du jeu de données est vide.`;
    },
    ar: (p, raw) => {
      const v = asText("ar", raw.value), c = raw.closest && asText("ar", raw.closest);
      if (raw.allowed === "regions") {
        return `«${v}» ليس رمز جهة${c ? `: هل تقصد «${c}»؟` : "."} الجهة أحد رموز جهات المغرب الاثنتي عشرة، ما لم تذكر مجموعة البيانات مجموعاتها الخاصة.`;
      }
      return c ? `«${v}» ليس من مجموعات ${p.field} التي تذكرها مجموعة البيانات: هل تقصد «${c}»؟`
        : `«${v}» ليس من مجموعات ${p.field}: قائمة مجموعات مجموعة البيانات فارغة.`;
    },
  },
  "group.case": {
    need: ["value", "other", "first"],
    en: (p, raw) => `“${asText("en", raw.value)}” differs from “${asText("en", raw.other)}” (first at ${p.first}) only in letter case: they would be two groups.`,
    fr: (p, raw) => `« ${asText("fr", raw.value)} » ne diffère de « ${asText("fr", raw.other)} » (première occurrence : ${p.first}) que par la casse : ce seraient deux groupes.`,
    ar: (p, raw) => `«${asText("ar", raw.value)}» لا يختلف عن «${asText("ar", raw.other)}» (أول مرة في ${p.first}) إلا في حالة الأحرف: سيصيران مجموعتين.`,
  },
  "groups.empty": {
    need: [],
    en: () => "A name in the list of groups is empty.",
    fr: () => "Un nom de la liste des groupes est vide.",
    ar: () => "أحد الأسماء في قائمة المجموعات فارغ.",
  },
  "groups.duplicate": {
    need: ["value", "other", "first"],
    en: (p, raw) => raw.value === raw.other ? `The group “${asText("en", raw.value)}” is listed twice (first at ${p.first}).`
      : `The group “${asText("en", raw.value)}” differs from “${asText("en", raw.other)}” (first at ${p.first}) only in letter case: they would be two groups.`,
    fr: (p, raw) => raw.value === raw.other ? `Le groupe « ${asText("fr", raw.value)} » figure deux fois (première occurrence : ${p.first}).`
      : `Le groupe « ${asText("fr", raw.value)} » ne diffère de « ${asText("fr", raw.other)} » (première occurrence : ${p.first}) que par la casse : ce seraient deux groupes.`,
    ar: (p, raw) => raw.value === raw.other ? `المجموعة «${asText("ar", raw.value)}» مذكورة مرتين (أول مرة في ${p.first}).`
      : `المجموعة «${asText("ar", raw.value)}» لا تختلف عن «${asText("ar", raw.other)}» (أول مرة في ${p.first}) إلا في حالة الأحرف: ستصيران مجموعتين.`,
  },
  "groups.no_group_by": {
    need: [],
    en: () => "A list of groups needs the field to group by (group_by: region, sector, cooperative or attributes.<key>).",
    fr: () => "Une liste de groupes exige le champ de regroupement (group_by : region, sector, cooperative ou attributes.<key>).",
    ar: () => `تتطلب قائمة المجموعات حقل التجميع (${iso("group_by")}: ${iso("region")} أو ${iso("sector")} أو ${iso("cooperative")} أو ${iso("attributes.<key>")}).`,
  },
  // A tour document (afkar-tour/1) and its verification.
  "tour.stages_empty": {
    need: [],
    en: () => "A tour needs at least one stage.",
    fr: () => "Une tournée doit compter au moins une étape.",
    ar: () => "تحتاج الجولة إلى مرحلة واحدة على الأقل.",
  },
  "tour.stage_invalid_id": {
    need: ["id"],
    en: (p) => `“${p.id}” is not a stage id: use lowercase letters, digits, _ and -.`,
    fr: (p) => `« ${p.id} » n’est pas un identifiant d’étape : utilisez des minuscules, des chiffres, _ et -.`,
    ar: (p) => `«${p.id}» ليس معرّف مرحلة: استعمل حروفًا لاتينية صغيرة وأرقامًا و${iso("_")} و${iso("-")}.`,
  },
  "tour.stage_duplicate": {
    need: ["stage", "first"],
    en: (p) => `The stage “${p.stage}” is listed twice (first at ${p.first}).`,
    fr: (p) => `L’étape « ${p.stage} » figure deux fois (première occurrence : ${p.first}).`,
    ar: (p) => `المرحلة «${p.stage}» مذكورة مرتين (أول مرة في ${p.first}).`,
  },
  "tour.stage_unknown": {
    need: ["stage"],
    en: (p) => `The stage “${p.stage}” is not among the tour’s stages.`,
    fr: (p) => `L’étape « ${p.stage} » ne fait pas partie des étapes de la tournée.`,
    ar: (p) => `المرحلة «${p.stage}» ليست من مراحل الجولة.`,
  },
  "tour.path_invalid": {
    need: ["text"],
    en: (p) => `“${p.text}” is not a path inside the tour’s folder (relative, with /).`,
    fr: (p) => `« ${p.text} » n’est pas un chemin dans le dossier de la tournée (relatif, avec /).`,
    ar: (p) => `«${p.text}» ليس مسارًا داخل مجلد الجولة (نسبيًا، مع ${iso("/")}).`,
  },
  "tour.digest_form": {
    need: ["text"],
    en: (p) => `“${p.text}” is not a digest (sha256: and 64 hexadecimal digits).`,
    fr: (p) => `« ${p.text} » n’est pas une empreinte (sha256: et 64 chiffres hexadécimaux).`,
    ar: (p) => `«${p.text}» ليس بصمة (${iso("sha256:")} و64 رقمًا سداسي عشري).`,
  },
  "tour.file": {
    need: ["stage", "file"],
    en: (p) => `Stage “${p.stage}”: the file ${p.file} cannot be read.`,
    fr: (p) => `Étape « ${p.stage} » : le fichier ${p.file} est illisible.`,
    ar: (p) => `المرحلة «${p.stage}»: تتعذر قراءة الملف ${p.file}.`,
  },
  "tour.dataset_invalid": {
    need: ["stage", "file", "problem"],
    en: (p) => `Stage “${p.stage}”: ${p.file} is not a valid dataset (${p.problem}).`,
    fr: (p) => `Étape « ${p.stage} » : ${p.file} n’est pas un jeu de données valide (${p.problem}).`,
    ar: (p) => `المرحلة «${p.stage}»: ${p.file} ليس مجموعة بيانات صالحة (${p.problem}).`,
  },
  "tour.project_repeated": {
    need: ["stage", "project", "other"],
    en: (p) => `Stage “${p.stage}”: the project ${p.project} is also in the stage “${p.other}”.`,
    fr: (p) => `Étape « ${p.stage} » : le projet ${p.project} figure aussi dans l’étape « ${p.other} ».`,
    ar: (p) => `المرحلة «${p.stage}»: المشروع ${p.project} موجود أيضًا في المرحلة «${p.other}».`,
  },
  "tour.not_sealed": {
    need: ["what"],
    en: (p, raw) => raw.stage ? `Stage “${p.stage}”: the tour records no digest; run afkar tour build.` : "The tour lists no advanced projects; run afkar tour build.",
    fr: (p, raw) => raw.stage ? `Étape « ${p.stage} » : la tournée n’enregistre aucune empreinte ; lancez afkar tour build.` : "La tournée ne liste aucun projet qualifié ; lancez afkar tour build.",
    ar: (p, raw) => raw.stage ? `المرحلة «${p.stage}»: لا تسجل الجولة أي بصمة؛ شغّل ${iso("afkar tour build")}.` : `لا تذكر الجولة أي مشروع متأهل؛ شغّل ${iso("afkar tour build")}.`,
  },
  "tour.digest": {
    need: ["stage", "file", "what"],
    en: (p, raw) => `Stage “${p.stage}”: ${raw.what === "result_digest" ? "the result of" : "the dataset"} ${p.file} does not match the digest the tour records.`,
    fr: (p, raw) => `Étape « ${p.stage} » : ${raw.what === "result_digest" ? "le résultat de" : "le jeu de données"} ${p.file} ne correspond pas à l’empreinte enregistrée par la tournée.`,
    ar: (p, raw) => `المرحلة «${p.stage}»: ${raw.what === "result_digest" ? "نتيجة" : "مجموعة البيانات"} ${p.file} لا تطابق البصمة المسجلة في الجولة.`,
  },
  "tour.advanced": {
    need: ["listed", "listed_stage", "project", "stage"],
    en: (p) => `The tour lists the project ${p.listed} (stage “${p.listed_stage}”) here, the rule advances ${p.project} (stage “${p.stage}”).`,
    fr: (p) => `La tournée liste ici le projet ${p.listed} (étape « ${p.listed_stage} »), la règle qualifie ${p.project} (étape « ${p.stage} »).`,
    ar: (p) => `تذكر الجولة هنا المشروع ${p.listed} (المرحلة «${p.listed_stage}»)، والقاعدة تؤهل ${p.project} (المرحلة «${p.stage}»).`,
  },
  "tour.advanced_missing": {
    need: ["count", "project", "stage"],
    en: (p) => `The tour lists ${p.count} advanced projects; the rule advances more, next ${p.project} (stage “${p.stage}”).`,
    fr: (p) => `La tournée liste ${p.count} projets qualifiés ; la règle en qualifie davantage, ensuite ${p.project} (étape « ${p.stage} »).`,
    ar: (p) => `تذكر الجولة ${p.count} مشاريع متأهلة؛ والقاعدة تؤهل أكثر، التالي ${p.project} (المرحلة «${p.stage}»).`,
  },
  "tour.advanced_extra": {
    need: ["listed", "count"],
    en: (p) => `The tour lists the project ${p.listed}, but the rule advances only ${p.count} projects.`,
    fr: (p) => `La tournée liste le projet ${p.listed}, mais la règle ne qualifie que ${p.count} projets.`,
    ar: (p) => `تذكر الجولة المشروع ${p.listed}، لكن القاعدة لا تؤهل إلا ${p.count} مشاريع.`,
  },
  // Comparability across juries (analysis/comparability).
  "zscore.disconnected": {
    need: ["count", "juries", "needed", "bridges"],
    en: (p) => `Normalising by judge (zscore) across ${p.count} juries that share no idea (${p.juries}) cannot tell a lenient jury from a strong one; ${p.needed} bridge assignments would connect them: ${p.bridges}.`,
    fr: (p) => `Normaliser par juré (zscore) entre ${p.count} jurys qui n’ont aucune idée en commun (${p.juries}) ne distingue pas un jury indulgent d’un jury fort ; ${p.needed} affectations de liaison les relieraient : ${p.bridges}.`,
    ar: (p) => `التطبيع حسب المحكّم (${iso("zscore")}) بين ${p.count} لجان لا تشترك في أي فكرة (${p.juries}) لا يميّز لجنة متساهلة من لجنة قوية؛ ${p.needed} تكليفات ربط تصل بينها: ${p.bridges}.`,
  },
};

/** "scores go from min to max[ in steps of step]", by language. */
const range = {
  en: (p, raw) => `scores go from ${p.min} to ${p.max}${raw.step ? ` in steps of ${p.step}` : ""}`,
  fr: (p, raw) => `les notes vont de ${p.min} à ${p.max}${raw.step ? ` par pas de ${p.step}` : ""}`,
  ar: (p, raw) => `النقط من ${p.min} إلى ${p.max}${raw.step ? `، بخطوة ${p.step}` : ""}`,
};

/**
 * The codes this file can say in every language of PROBLEM_LANGUAGES, in
 * the order of the table.
 */
export const CODES = Object.freeze(
  Object.keys(MESSAGES).filter((code) => PROBLEM_LANGUAGES.every((lang) => typeof MESSAGES[code][lang] === "function")),
);

const KNOWN = new Set(CODES);

/** The language of the messages for a tag such as "fr-MA"; English when not offered. */
function messageLanguage(lang) {
  const primary = String(lang || "").toLowerCase().split(/[-_]/)[0];
  return PROBLEM_LANGUAGES.includes(primary) ? primary : "en";
}

/** The params of a problem as shown in lang. */
function shownParams(lang, params, criterionLabel) {
  const shown = {};
  for (const [name, value] of Object.entries(params)) {
    let text = String(value);
    if (name === "criterion" && criterionLabel) text = criterionLabel(text) || text;
    else if (DECIMAL_PARAMS.has(name) && lang !== "en" && DECIMAL.test(text)) text = text.replace(".", ",");
    shown[name] = lang === "ar" ? iso(text) : text;
  }
  return shown;
}

/**
 * The problem ({code, params, message} as the engine answers it) in lang
 * ("ar", "fr", "en", or a tag such as "fr-MA"): from its code and params
 * when this file knows the code, else the engine's English message.
 * criterionLabel(id), when given, names a criterion in lang (its label);
 * a criterion it cannot name keeps its id.
 */
export function problemMessage(lang, problem, { criterionLabel } = {}) {
  const fallback = String(problem?.message ?? problem?.code ?? "");
  if (!KNOWN.has(problem?.code)) return fallback;
  const entry = MESSAGES[problem.code];
  const raw = {};
  for (const [name, value] of Object.entries(problem.params || {})) {
    if (value !== undefined && value !== null && value !== "") raw[name] = String(value);
  }
  if (!entry.need.every((name) => name in raw)) return fallback;
  const l = messageLanguage(lang);
  return entry[l](shownParams(l, raw, criterionLabel), raw);
}
