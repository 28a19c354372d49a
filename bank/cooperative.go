package bank

import (
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Cooperative is a cooperative known to the project bank: one that brings
// ideas ([Project.Cooperative]), adopts them ([Project.Adopter]) or has
// members on a jury ([Judge.Cooperative]).
type Cooperative struct {
	// ID identifies the cooperative in the bank, of the same form as a
	// [Project.ID], such as "coop-042".
	ID string `json:"id"`
	// Name is the cooperative's registered name, in any language.
	Name string `json:"name"`
	// RegistrationNumber is the cooperative's number in the register of
	// cooperatives, as written on its registration certificate; empty
	// means not given.
	RegistrationNumber string `json:"registration_number,omitempty"`
	// Region is the code of the region of its registered office, a
	// [Region.Code].
	Region string `json:"region"`
	// Sector is its main field of activity, usually one of the [Sector]
	// constants.
	Sector string `json:"sector"`
	// Founded is the day the cooperative was founded, at midnight UTC; the
	// zero Time means not given.
	Founded time.Time `json:"founded,omitzero"`
	// Members is the number of members; zero means not given.
	Members int `json:"members,omitempty"`
	// WomenMembers is how many of the members are women, at most Members.
	WomenMembers int `json:"women_members,omitempty"`
	// YoungMembers is how many of the members are young (under 35, as
	// [AgeBand.Youth] counts), at most Members.
	YoungMembers int `json:"young_members,omitempty"`
}

// WomenShare returns the share of women among the members, in percent,
// rounded to 2 decimal places half away from zero: 62.50 for 5 women of 8
// members. It is zero when Members is zero.
func (c *Cooperative) WomenShare() decimal.Decimal { return percent(c.WomenMembers, c.Members) }

// YouthShare returns the share of young members, in percent, rounded as
// [Cooperative.WomenShare] is. It is zero when Members is zero.
func (c *Cooperative) YouthShare() decimal.Decimal { return percent(c.YoungMembers, c.Members) }

// percent returns 100·part/whole rounded to 2 places, half away from zero
// (decimal.DivRound), or zero when whole is not positive.
func percent(part, whole int) decimal.Decimal {
	if whole <= 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(part)*100).DivRound(decimal.NewFromInt(int64(whole)), 2)
}

// CarrierKind says whether a [Carrier] is one person or a group.
type CarrierKind string

// The carrier kinds.
const (
	CarrierPerson CarrierKind = "person"
	CarrierGroup  CarrierKind = "group" // a group of people about to form a cooperative
)

// AgeBand is a band of ages in whole years, such as "25-29".
type AgeBand string

// The age bands, youngest first.
const (
	AgeUnder18 AgeBand = "under-18"
	Age18to24  AgeBand = "18-24"
	Age25to29  AgeBand = "25-29"
	Age30to34  AgeBand = "30-34"
	Age35to44  AgeBand = "35-44"
	Age45to59  AgeBand = "45-59"
	Age60Plus  AgeBand = "60+"
)

// AgeBands returns the age bands, youngest first. The slice is built
// afresh on every call: the caller owns it.
func AgeBands() []AgeBand {
	return []AgeBand{AgeUnder18, Age18to24, Age25to29, Age30to34, Age35to44, Age45to59, Age60Plus}
}

// Youth reports whether the band lies below 35 years, the bound this
// package uses for "young" (the youth empowerment criterion and
// [Cooperative.YoungMembers]). A caller with another bound reads the band
// itself. The empty band, and any band not among [AgeBands], is not youth.
func (b AgeBand) Youth() bool {
	switch b {
	case AgeUnder18, Age18to24, Age25to29, Age30to34:
		return true
	}
	return false
}

// Carrier is the person or group bringing an idea to the bank, when no
// registered cooperative brings it alone.
type Carrier struct {
	// Name is the person's name, or the group's.
	Name string `json:"name"`
	// Kind says whether the carrier is one person or a group; empty means
	// not given.
	Kind CarrierKind `json:"kind,omitempty"`
	// AgeBand is the person's age band; for a group, that of the person who
	// speaks for it. Empty means not given.
	AgeBand AgeBand `json:"age_band,omitempty"`
	// Members is the number of people in a group; zero means not given (and
	// one, for a person).
	Members int `json:"members,omitempty"`
	// Email is where the bank can write to the carrier; empty means none.
	Email string `json:"email,omitempty"`
}

// Youth reports whether the carrier is young: its AgeBand is youth, as
// [AgeBand.Youth] says.
func (c *Carrier) Youth() bool { return c.AgeBand.Youth() }

// Award is what an idea was awarded at a stage of the tour.
type Award struct {
	// Stage is the [Stage.Number] of the stage that awarded it; zero means
	// none.
	Stage int `json:"stage,omitempty"`
	// Prize names the prize, such as "Prix régional"; empty means not
	// named.
	Prize string `json:"prize,omitempty"`
	// Rank is the rank as the result published it, such as "1" or "2.5";
	// empty means not ranked.
	Rank string `json:"rank,omitempty"`
	// Total is the total as the result published it, such as "88.18";
	// empty means none.
	Total string `json:"total,omitempty"`
	// AmountMAD is the prize money in Moroccan dirhams, exact, with at most
	// 2 decimal places; zero means none.
	AmountMAD decimal.Decimal `json:"amount_mad,omitzero"`
	// Result is the input digest ("sha256:…") of the afkar result that
	// decided the award; empty means none.
	Result string `json:"result,omitempty"`
}

// Clone returns a deep copy of p: changing the copy's tags, attributes,
// carrier, award or history does not change p.
func (p Project) Clone() Project {
	p.Attributes = maps.Clone(p.Attributes)
	p.Tags = slices.Clone(p.Tags)
	if p.Carrier != nil {
		c := *p.Carrier
		p.Carrier = &c
	}
	if p.Award != nil {
		a := *p.Award
		p.Award = &a
	}
	if p.History != nil {
		h := make([]Transition, len(p.History))
		for i, t := range p.History {
			if t.Award != nil {
				a := *t.Award
				t.Award = &a
			}
			h[i] = t
		}
		p.History = h
	}
	return p
}

// Clone returns a deep copy of j.
func (j Judge) Clone() Judge {
	j.Conflicts = slices.Clone(j.Conflicts)
	j.Abstains = slices.Clone(j.Abstains)
	return j
}
