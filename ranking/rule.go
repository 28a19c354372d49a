package ranking

import (
	"fmt"
	"strings"
)

// RuleKind is the kind of a tie-break rule.
type RuleKind uint8

// The tie-break rule kinds.
const (
	ByCriterion RuleKind = iota + 1 // criterion:<id>
	HeadToHead                      // head_to_head
	SubmittedAt                     // submitted_at
	ByID                            // id
	Lottery                         // lottery:<seed>
)

// Rule is one tie-break rule. The zero Rule is not a valid rule.
type Rule struct {
	Kind      RuleKind
	Criterion string // for ByCriterion: the criterion's ID, a name in Config.Criteria
	Seed      string // for Lottery: the seed, not empty
}

// String returns the rule as written in a dataset and in decided_by:
// "criterion:social", "head_to_head", "lottery:42".
func (r Rule) String() string {
	switch r.Kind {
	case ByCriterion:
		return "criterion:" + r.Criterion
	case HeadToHead:
		return "head_to_head"
	case SubmittedAt:
		return "submitted_at"
	case ByID:
		return "id"
	case Lottery:
		return "lottery:" + r.Seed
	}
	return fmt.Sprintf("rule(%d)", r.Kind)
}

// ParseRule reads a rule as written in a dataset. The seed of a lottery is
// everything after the first colon, and may itself hold colons. Its error
// is a *[RuleError].
func ParseRule(s string) (Rule, error) {
	switch s {
	case "head_to_head":
		return Rule{Kind: HeadToHead}, nil
	case "submitted_at":
		return Rule{Kind: SubmittedAt}, nil
	case "id":
		return Rule{Kind: ByID}, nil
	}
	if id, ok := strings.CutPrefix(s, "criterion:"); ok {
		if id == "" {
			return Rule{}, &RuleError{Text: s, Kind: ByCriterion}
		}
		return Rule{Kind: ByCriterion, Criterion: id}, nil
	}
	if seed, ok := strings.CutPrefix(s, "lottery:"); ok {
		if seed == "" {
			return Rule{}, &RuleError{Text: s, Kind: Lottery}
		}
		return Rule{Kind: Lottery, Seed: seed}, nil
	}
	return Rule{}, &RuleError{Text: s}
}

// RuleError is the error of ParseRule: the text it refused and the kind of
// rule the text began as.
type RuleError struct {
	Text string
	// Kind is ByCriterion for "criterion:" without an id, Lottery for
	// "lottery:" without a seed, and zero for text that is no rule.
	Kind RuleKind
}

// Error says what is wrong and what was expected.
func (e *RuleError) Error() string {
	switch e.Kind {
	case ByCriterion:
		return fmt.Sprintf("rule %q names no criterion (expected criterion:<id>)", e.Text)
	case Lottery:
		return fmt.Sprintf("rule %q has an empty seed (expected lottery:<seed>)", e.Text)
	}
	return fmt.Sprintf("unknown tie-break rule %q (expected criterion:<id>, head_to_head, submitted_at, id or lottery:<seed>)", e.Text)
}

// MarshalText returns the rule's String.
func (r Rule) MarshalText() ([]byte, error) {
	if r.Kind < ByCriterion || r.Kind > Lottery {
		return nil, fmt.Errorf("ranking: invalid rule kind %d", r.Kind)
	}
	return []byte(r.String()), nil
}

// UnmarshalText parses a rule with ParseRule.
func (r *Rule) UnmarshalText(b []byte) error {
	v, err := ParseRule(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
