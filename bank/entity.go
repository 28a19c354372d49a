package bank

import (
	"time"

	"github.com/shopspring/decimal"
)

// Project is a project idea submitted to the project bank by a cooperative
// (or a group about to form one), as a dataset lists it. Only ID takes part
// in scoring; Region, Sector, Cooperative and Attributes may group the
// ranking, Cooperative also excludes scores by judges of the same
// cooperative, and SubmittedAt may break ties.
//
// The JSON tags give the dataset's field names (SPEC.md section 1); the
// strict dataset decoder lives in the root package afkar.
//
// The fields from Summary on are the project bank's: a dataset does not
// carry them, scoring and ranking ignore them, and their zero values mean
// "not given" (and, for Status, submitted). [Project.Advance] and
// [Project.Promote] move a project through the bank's lifecycle.
type Project struct {
	// ID identifies the project within a dataset: unique, and of the form
	// ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$, such as "DAK-02".
	ID string `json:"id"`
	// Title is the project's name as submitted, in any language. It is
	// informative only; empty means untitled.
	Title string `json:"title,omitempty"`
	// Region is where the project is based, usually a [Region.Code]; any
	// string is allowed. Empty means unknown.
	Region string `json:"region,omitempty"`
	// Sector is the project's field of activity, usually one of the
	// [Sector] constants; any string is allowed. Empty means unknown.
	Sector string `json:"sector,omitempty"`
	// Cooperative identifies the cooperative behind the project, such as
	// "coop-042". A judge of the same non-empty cooperative does not count
	// on this project. Empty means none.
	Cooperative string `json:"cooperative,omitempty"`
	// SubmittedAt is when the project was submitted; the zero Time means
	// unknown, and such a project comes after those with a time when
	// submission time breaks a tie.
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	// Attributes is free data about the project, such as
	// {"women_led": "yes"}, which the ranking may group by
	// ("attributes.women_led"). Nil means none.
	Attributes map[string]string `json:"attributes,omitempty"`

	// Summary describes the idea in a few sentences, in any language;
	// empty means none.
	Summary string `json:"summary,omitempty"`
	// Stage is the [Stage.Number] of the tour stage where the idea is
	// pitched, from 1; zero means none yet.
	Stage int `json:"stage,omitempty"`
	// Carrier is the person or group bringing the idea; nil means that the
	// cooperative named by Cooperative brings it alone.
	Carrier *Carrier `json:"carrier,omitempty"`
	// BudgetMAD is the estimated budget in Moroccan dirhams (MAD), exact,
	// with at most 2 decimal places (centimes); zero means not estimated.
	BudgetMAD decimal.Decimal `json:"budget_mad,omitzero"`
	// ExpectedJobs is the number of jobs the project expects to create;
	// zero means none given.
	ExpectedJobs int `json:"expected_jobs,omitempty"`
	// Beneficiaries is the number of people the project expects to benefit
	// directly; zero means none given.
	Beneficiaries int `json:"beneficiaries,omitempty"`
	// Tags are free keywords, such as "women" or "solar"; nil means none.
	Tags []string `json:"tags,omitempty"`
	// Status is where the idea stands in the bank's lifecycle; the empty
	// Status means [StatusSubmitted].
	Status Status `json:"status,omitempty"`
	// Adopter is the ID of the cooperative that adopted the idea (Status
	// [StatusAdopted], or archived after that); empty otherwise.
	Adopter string `json:"adopter,omitempty"`
	// Award is what the idea was awarded, set when it became
	// [StatusAwarded]; nil means none.
	Award *Award `json:"award,omitempty"`
	// History lists the idea's status changes, oldest first; nil means
	// none was recorded.
	History []Transition `json:"history,omitempty"`
}

// Judge is a member of a stage's jury.
type Judge struct {
	// ID identifies the judge within a dataset: unique, and of the same
	// form as a [Project.ID], such as "J-DAK-1".
	ID string `json:"id"`
	// Name is the judge's name, informative only; empty means not given.
	Name string `json:"name,omitempty"`
	// Cooperative is the cooperative the judge belongs to, if any. The
	// judge's scores on projects of the same non-empty cooperative are
	// excluded. Empty means none.
	Cooperative string `json:"cooperative,omitempty"`
	// Conflicts lists the IDs of projects the judge has declared a conflict
	// of interest with; the judge's scores on them are excluded. Nil means
	// none.
	Conflicts []string `json:"conflicts,omitempty"`
	// Abstains lists the IDs of projects the judge declares not being
	// competent to judge; the judge's scores on them are excluded, with
	// the reason "abstained" (SPEC.md section 7). Nil means none.
	Abstains []string `json:"abstains,omitempty"`
}

// Sector is a project's field of activity. The constants name sectors
// common in Moroccan cooperatives; a dataset may use any sector string, and
// [Project.Sector] is a plain string so that it can.
type Sector string

// Well-known sectors.
const (
	SectorFishing     Sector = "fishing"     // artisanal fishing, aquaculture, fish processing
	SectorArgan       Sector = "argan"       // argan oil, amlou, argan by-products
	SectorHandicrafts Sector = "handicrafts" // weaving, pottery, leather, zellige, jewellery
	SectorAgriFood    Sector = "agri-food"   // olive oil, dates, couscous, saffron, cactus, dairy
	SectorTourism     Sector = "tourism"     // rural and eco-tourism, guest houses, guiding
	SectorRecycling   Sector = "recycling"   // plastic, textile, e-waste, organic waste
	SectorDigital     Sector = "digital"     // software, online services, e-commerce platforms
	SectorEnergy      Sector = "energy"      // solar, wind, biomass
)
