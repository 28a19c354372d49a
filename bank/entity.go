package bank

import "time"

// Project is a project idea submitted to the project bank by a cooperative
// (or a group about to form one), as a dataset lists it. Only ID takes part
// in scoring; Region, Sector, Cooperative and Attributes may group the
// ranking, Cooperative also excludes scores by judges of the same
// cooperative, and SubmittedAt may break ties.
//
// The JSON tags give the dataset's field names (SPEC.md section 1); the
// strict dataset decoder lives in the root package afkar.
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
