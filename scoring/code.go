package scoring

// Code names the kind of a [Problem] for a program: a stable dotted name
// such as "score.step", which a page translates with the problem's
// [Params]. The English Message stays the reference text; a Code never
// changes its meaning once published, and a new kind of problem gets a
// new Code. The empty Code marks a problem not yet given one: show its
// Message.
//
// Each constant below lists the parameters its problems carry; a
// parameter in brackets is present only when it applies. Parameter names
// have one meaning everywhere:
//
//   - value, min, max, step, below, above, sum: decimals, as the engine
//     prints them ("14.5", "-1", "0.25"); a page shows them with its
//     locale's decimal mark. Integers (count, max of a limit) print
//     without a point.
//   - criterion, project, judge: ids; criterion is a rubric's criterion id,
//     which a page replaces with the criterion's label.
//   - first: the JSON path of an earlier occurrence ("scores[3]").
//   - text, id, key, field, rule, found, expected, allowed, other,
//     closest: text as written in the input or in the rule that was
//     broken, shown as is.
//   - char: a character as its code point, "U+202E".
type Code string

// The problems about a typed score, in the order a score is checked.
const (
	// CodeDecimalEmpty: an empty string where a decimal is expected. No
	// parameters.
	CodeDecimalEmpty Code = "decimal.empty"
	// CodeDecimalTooLong: a decimal literal longer than its limit.
	// Parameters: length, max (characters).
	CodeDecimalTooLong Code = "decimal.too_long"
	// CodeDecimalNotFinite: NaN or Infinity. Parameters: text.
	CodeDecimalNotFinite Code = "decimal.not_finite"
	// CodeDecimalSyntax: text that is not a decimal ("abc", "14,5", ".5").
	// Parameters: text, [found]: the first unexpected character ("," for
	// "14,5").
	CodeDecimalSyntax Code = "decimal.syntax"
	// CodeDecimalDigits: more significant digits than the limit.
	// Parameters: text (maybe abbreviated), digits, max.
	CodeDecimalDigits Code = "decimal.digits"
	// CodeDecimalMagnitude: a decimal too large or too small in magnitude.
	// Parameters: text, max: the largest |e| of d.ddd×10^e.
	CodeDecimalMagnitude Code = "decimal.magnitude"
	// CodeScoreBelowMin: a score below its criterion's minimum.
	// Parameters: value, criterion, min, max, [step].
	CodeScoreBelowMin Code = "score.below_min"
	// CodeScoreAboveMax: a score above its criterion's maximum.
	// Parameters: value, criterion, min, max, [step].
	CodeScoreAboveMax Code = "score.above_max"
	// CodeScoreStep: a score in range but off its criterion's step grid
	// (value − min is not a whole multiple of step). Parameters: value,
	// criterion, min, max, step, below: the valid score just below value,
	// [above]: the valid score just above it, when it is within max.
	CodeScoreStep Code = "score.step"
	// CodeScoreDuplicate: a second score of one judge on one project and
	// criterion. Parameters: judge, project, criterion, first.
	CodeScoreDuplicate Code = "score.duplicate"
)

// The problems of references between the parts of an input.
const (
	// CodeCriterionUnknown: a score (or a sheet) names a criterion the
	// rubric does not have. Parameters: criterion.
	CodeCriterionUnknown Code = "criterion.unknown"
	// CodeProjectUnknown: a score names a project not in the projects.
	// Parameters: project.
	CodeProjectUnknown Code = "project.unknown"
	// CodeJudgeUnknown: a score names a judge not in the listed judges.
	// Parameters: judge.
	CodeJudgeUnknown Code = "judge.unknown"
	// CodeConflictUnknownProject: a judge's conflicts name a project not in
	// the projects. Parameters: project, [judge] (when the judge's id is
	// not empty).
	CodeConflictUnknownProject Code = "conflict.unknown_project"
	// CodeAbstentionUnknownProject: a judge's abstentions name a project
	// not in the projects. Parameters: project, [judge] (when the judge's
	// id is not empty).
	CodeAbstentionUnknownProject Code = "abstention.unknown_project"
)

// The problems of ids.
const (
	// CodeProjectInvalidID: a project id not of the form
	// ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$. Parameters: [id] (absent when
	// empty).
	CodeProjectInvalidID Code = "project.invalid_id"
	// CodeJudgeInvalidID: a judge id, listed or named by a score, not of
	// the project id form. Parameters: [id] (absent when empty).
	CodeJudgeInvalidID Code = "judge.invalid_id"
	// CodeCriterionInvalidID: a criterion id not of the form
	// ^[a-z][a-z0-9_-]{0,31}$. Parameters: [id] (absent when empty).
	CodeCriterionInvalidID Code = "criterion.invalid_id"
	// CodeProjectDuplicate: a project id listed twice. Parameters:
	// project, first.
	CodeProjectDuplicate Code = "project.duplicate"
	// CodeJudgeDuplicate: a judge id listed twice. Parameters: judge,
	// first.
	CodeJudgeDuplicate Code = "judge.duplicate"
	// CodeCriterionDuplicate: a criterion id listed twice. Parameters:
	// criterion, first.
	CodeCriterionDuplicate Code = "criterion.duplicate"
)

// The problems of the JSON text and its shape.
const (
	// CodeJSONSyntax: malformed JSON. Parameters: line, column (1-based,
	// the column counting characters).
	CodeJSONSyntax Code = "json.syntax"
	// CodeJSONType: a value of the wrong JSON type. Parameters: expected:
	// one of object, array, string, decimal, integer, label (a string or
	// an object of language tag to string), attributes (an object of
	// strings); found: one of null, boolean, number, string, array,
	// object.
	CodeJSONType Code = "json.type"
	// CodeJSONDuplicateKey: a key twice in one object. Parameters: key.
	CodeJSONDuplicateKey Code = "json.duplicate_key"
	// CodeJSONUnknownKey: a key the format does not have (usually a
	// typo). Parameters: key, expected: the allowed keys, comma-separated.
	CodeJSONUnknownKey Code = "json.unknown_key"
	// CodeFieldRequired: a required field is missing. Parameters: field:
	// its key ("weight", "scores").
	CodeFieldRequired Code = "field.required"
	// CodeInputTooLarge: an input larger than Limits.MaxBytes.
	// Parameters: bytes, max.
	CodeInputTooLarge Code = "input.too_large"
	// CodeInputTooMany: more projects, judges or scores than the limits
	// allow. Parameters: items: projects, judges or scores; count, max.
	CodeInputTooMany Code = "input.too_many"
	// CodeProblemsTruncated: the last problem listed, when there are more
	// than can be listed. Parameters: max.
	CodeProblemsTruncated Code = "problems.truncated"
	// CodeHeadToHeadPairs: the head_to_head tie-break would compare more
	// pairs of distinct ballots than Limits.MaxHeadToHeadPairs allows.
	// Parameters: count (the pairs counted when the limit was passed: at
	// least this many), max.
	CodeHeadToHeadPairs Code = "head_to_head.too_many_pairs"
)

// The problems of other values.
const (
	// CodeIntegerRange: not an integer, or an integer out of range.
	// Parameters: value (as written), min, [max].
	CodeIntegerRange Code = "integer.range"
	// CodeEnumInvalid: a value not among the allowed words (a weight mode,
	// a method, a style...). Parameters: found, allowed: the allowed
	// values, comma-separated.
	CodeEnumInvalid Code = "enum.invalid"
	// CodeFormatUnsupported: a format other than the one the engine reads.
	// Parameters: expected, found.
	CodeFormatUnsupported Code = "format.unsupported"
	// CodeDateInvalid: not a YYYY-MM-DD date. Parameters: text.
	CodeDateInvalid Code = "date.invalid"
	// CodeTimeInvalid: not an RFC 3339 timestamp. Parameters: text.
	CodeTimeInvalid Code = "time.invalid"
	// CodeLabelEmptyKey: a criterion label with an empty language tag. No
	// parameters.
	CodeLabelEmptyKey Code = "label.empty_key"
)

// The problems of free text: titles, names, labels, regions, sectors,
// cooperatives, attributes, group names and the ideathon's description.
// Ids have a form of their own and their own problems.
const (
	// CodeTextControl: a control character (escape sequences, NUL, tabs,
	// line breaks). Parameters: char, the character as "U+001B".
	CodeTextControl Code = "text.control"
	// CodeTextBidi: a bidirectional embedding, override or isolate
	// (U+202A–U+202E, U+2066–U+2069), which reorders the text after it.
	// Parameters: char.
	CodeTextBidi Code = "text.bidi"
	// CodeTextBlank: text that is not empty but shows nothing: only
	// spaces and invisible characters. No parameters.
	CodeTextBlank Code = "text.blank"
	// CodeTextEncoding: bytes that are not UTF-8. No parameters.
	CodeTextEncoding Code = "text.encoding"
)

// The problems of a rubric.
const (
	// CodeCriteriaCount: no criteria, or more than MaxCriteria.
	// Parameters: count, max.
	CodeCriteriaCount Code = "criteria.count"
	// CodeRangeOrder: a scale or criterion whose min is not below its max.
	// Parameters: min, max, [criterion].
	CodeRangeOrder Code = "range.order"
	// CodeStepNotPositive: a step ≤ 0. Parameters: value, [criterion].
	CodeStepNotPositive Code = "step.not_positive"
	// CodeWeightNegative: a criterion weight below 0. Parameters: value,
	// [criterion].
	CodeWeightNegative Code = "weight.negative"
	// CodeWeightsZero: every weight is 0. No parameters.
	CodeWeightsZero Code = "weights.zero"
	// CodeWeightsSum: under exact weights, weights that do not sum to 1.
	// Parameters: sum.
	CodeWeightsSum Code = "weights.sum"
	// CodeThresholdRange: a criterion threshold outside the criterion's
	// range. Parameters: value, min, max, [criterion].
	CodeThresholdRange Code = "threshold.range"
	// CodeTrimRequired: the trimmed mean without a trim. No parameters.
	CodeTrimRequired Code = "trim.required"
	// CodeTotalMaxNotPositive: a total_max ≤ 0. Parameters: value.
	CodeTotalMaxNotPositive Code = "total_max.not_positive"
	// CodeTotalThresholdRange: a total threshold outside [0, total_max].
	// Parameters: value, max.
	CodeTotalThresholdRange Code = "total_threshold.range"
	// CodeRoundingModeMissing: rounding places given without a mode.
	// Parameters: places.
	CodeRoundingModeMissing Code = "rounding.mode_missing"
)

// The problems of ranking rules.
const (
	// CodeRuleUnknown: not a tie-break rule. Parameters: rule.
	CodeRuleUnknown Code = "rule.unknown"
	// CodeRuleNoCriterion: "criterion:" without an id. Parameters: rule.
	CodeRuleNoCriterion Code = "rule.no_criterion"
	// CodeRuleEmptySeed: "lottery:" without a seed. Parameters: rule.
	CodeRuleEmptySeed Code = "rule.empty_seed"
	// CodeRuleUnknownCriterion: a criterion rule naming a criterion the
	// rubric does not have. Parameters: rule, criterion.
	CodeRuleUnknownCriterion Code = "rule.unknown_criterion"
	// CodeTieOnZScore: tie_on "exact" with the zscore method. No
	// parameters.
	CodeTieOnZScore Code = "tie_on.zscore"
)

// The problems of group values (ranking.group_by and ranking.groups).
const (
	// CodeGroupUnknown: a project's value of the grouped field that is
	// not one of the allowed groups: the 12 region codes when grouping by
	// region, or the dataset's ranking.groups. Parameters: value, field
	// (the group_by field: "region", "attributes.women_led"), closest (the
	// allowed value nearest to value), allowed: "regions" or
	// "ranking.groups".
	CodeGroupUnknown Code = "group.unknown"
	// CodeGroupCase: a project's value of the grouped field that differs
	// only in letter case from an earlier project's. Parameters: value,
	// other (the earlier value), field, first (the earlier project's
	// path, "projects[2]").
	CodeGroupCase Code = "group.case"
	// CodeGroupsEmpty: an empty string in ranking.groups. No parameters.
	CodeGroupsEmpty Code = "groups.empty"
	// CodeGroupsDuplicate: a value listed twice in ranking.groups, or
	// twice but for letter case. Parameters: value, other (the earlier
	// spelling), first (its path, "ranking.groups[0]").
	CodeGroupsDuplicate Code = "groups.duplicate"
	// CodeGroupsNoGroupBy: ranking.groups without ranking.group_by. No
	// parameters.
	CodeGroupsNoGroupBy Code = "groups.no_group_by"
)

// The problems of a tour document (package tour, docs/tour.md) and of its
// verification against the stages' files. Parameters stage and file name
// a stage's id and its dataset path.
const (
	// CodeTourStagesEmpty: a tour without stages. No parameters.
	CodeTourStagesEmpty Code = "tour.stages_empty"
	// CodeTourStageInvalidID: a stage id not of the form. Parameters: id.
	CodeTourStageInvalidID Code = "tour.stage_invalid_id"
	// CodeTourStageDuplicate: a stage id listed twice. Parameters: stage,
	// first.
	CodeTourStageDuplicate Code = "tour.stage_duplicate"
	// CodeTourStageUnknown: an advanced project's stage that the tour
	// does not list. Parameters: stage.
	CodeTourStageUnknown Code = "tour.stage_unknown"
	// CodeTourPathInvalid: a dataset path that is not relative and
	// slash-separated inside the tour's folder. Parameters: text.
	CodeTourPathInvalid Code = "tour.path_invalid"
	// CodeTourDigestForm: a digest not of the form sha256:<64 hex>.
	// Parameters: text.
	CodeTourDigestForm Code = "tour.digest_form"
	// CodeTourFile: a stage's dataset file that cannot be read.
	// Parameters: stage, file, error.
	CodeTourFile Code = "tour.file"
	// CodeTourDatasetInvalid: a stage's dataset that is not valid.
	// Parameters: stage, file, problem (the first, as path: message),
	// count (of problems).
	CodeTourDatasetInvalid Code = "tour.dataset_invalid"
	// CodeTourProjectRepeated: a project id in two stages. Parameters:
	// stage, file, project, other (the earlier stage).
	CodeTourProjectRepeated Code = "tour.project_repeated"
	// CodeTourNotSealed: a digest or the advanced list that the tour does
	// not record. Parameters: what (dataset_digest, result_digest or
	// advanced), [stage, file].
	CodeTourNotSealed Code = "tour.not_sealed"
	// CodeTourDigest: a digest that differs from the one recomputed.
	// Parameters: stage, file, what (dataset_digest or result_digest),
	// found (recomputed), expected (the tour's).
	CodeTourDigest Code = "tour.digest"
	// CodeTourAdvanced: an advanced project that differs from the one
	// the rule advances at that place. Parameters: listed, listed_stage,
	// listed_by (the tour's), project, stage, by (the rule's).
	CodeTourAdvanced Code = "tour.advanced"
	// CodeTourAdvancedMissing: fewer advanced projects than the rule
	// advances. Parameters: count (listed), project, stage, by (the next
	// one the rule advances).
	CodeTourAdvancedMissing Code = "tour.advanced_missing"
	// CodeTourAdvancedExtra: more advanced projects than the rule
	// advances. Parameters: listed (the first extra), count (advanced by
	// the rule).
	CodeTourAdvancedExtra Code = "tour.advanced_extra"
)

// The problems of comparability across juries (package
// analysis/comparability).
const (
	// CodeZScoreDisconnected: the zscore aggregation across juries that
	// share no project, refused unless forced. Parameters: count (of
	// juries), juries ("J1, J2 (P1, P2) | J3 (P3)"), needed (bridges
	// proposed), bridges ("J1 → P3", or "none").
	CodeZScoreDisconnected Code = "zscore.disconnected"
)

// Codes returns every Code the engine emits, in the order of their
// declaration: what a translation table must cover. The slice is new on
// every call.
func Codes() []Code {
	return []Code{
		CodeDecimalEmpty, CodeDecimalTooLong, CodeDecimalNotFinite, CodeDecimalSyntax,
		CodeDecimalDigits, CodeDecimalMagnitude,
		CodeScoreBelowMin, CodeScoreAboveMax, CodeScoreStep, CodeScoreDuplicate,
		CodeCriterionUnknown, CodeProjectUnknown, CodeJudgeUnknown, CodeConflictUnknownProject,
		CodeAbstentionUnknownProject,
		CodeProjectInvalidID, CodeJudgeInvalidID, CodeCriterionInvalidID,
		CodeProjectDuplicate, CodeJudgeDuplicate, CodeCriterionDuplicate,
		CodeJSONSyntax, CodeJSONType, CodeJSONDuplicateKey, CodeJSONUnknownKey, CodeFieldRequired,
		CodeInputTooLarge, CodeInputTooMany, CodeProblemsTruncated, CodeHeadToHeadPairs,
		CodeIntegerRange, CodeEnumInvalid, CodeFormatUnsupported, CodeDateInvalid, CodeTimeInvalid,
		CodeLabelEmptyKey,
		CodeTextControl, CodeTextBidi, CodeTextBlank, CodeTextEncoding,
		CodeCriteriaCount, CodeRangeOrder, CodeStepNotPositive, CodeWeightNegative, CodeWeightsZero,
		CodeWeightsSum, CodeThresholdRange, CodeTrimRequired, CodeTotalMaxNotPositive,
		CodeTotalThresholdRange, CodeRoundingModeMissing,
		CodeRuleUnknown, CodeRuleNoCriterion, CodeRuleEmptySeed, CodeRuleUnknownCriterion,
		CodeTieOnZScore,
		CodeGroupUnknown, CodeGroupCase, CodeGroupsEmpty, CodeGroupsDuplicate, CodeGroupsNoGroupBy,
		CodeTourStagesEmpty, CodeTourStageInvalidID, CodeTourStageDuplicate, CodeTourStageUnknown,
		CodeTourPathInvalid, CodeTourDigestForm, CodeTourFile, CodeTourDatasetInvalid, CodeTourProjectRepeated,
		CodeTourNotSealed, CodeTourDigest, CodeTourAdvanced, CodeTourAdvancedMissing, CodeTourAdvancedExtra,
		CodeZScoreDisconnected,
	}
}
