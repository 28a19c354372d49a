package bank

import "time"

// Stage is one stage of the Afkar ideathon tour: a day in one city where
// the cooperative project ideas of its region are pitched and judged.
type Stage struct {
	// Number is the stage's place in the tour, from 1.
	Number int `json:"number"`
	// City is the host city's name in Arabic, French and English.
	City Names `json:"city"`
	// Region is the code of the host region, as in [Region.Code].
	Region string `json:"region"`
	// Date is the day of the stage; the zero Time means not scheduled or
	// not published.
	Date time.Time `json:"date,omitzero"`
	// Partners names the stage's partner organisations; nil means none
	// published.
	Partners []string `json:"partners,omitempty"`
}

// Tour returns the 12 stages of the Afkar ideathon tour in tour order, one
// per region: Oujda, Casablanca, Dakhla, Rabat, Laayoune, Fes, Guelmim,
// Errachidia, Marrakech, Beni Mellal, Tangier and Agadir.
//
// This package publishes no dates and no partners: every stage's Date is the
// zero Time and its Partners nil, to be filled in by the caller from the
// organisers' own announcements. The slice is built afresh on every call:
// the caller owns it.
func Tour() []Stage {
	return []Stage{
		{Number: 1, City: Names{AR: "وجدة", FR: "Oujda", EN: "Oujda"}, Region: "oriental"},
		{Number: 2, City: Names{AR: "الدار البيضاء", FR: "Casablanca", EN: "Casablanca"}, Region: "casablanca-settat"},
		{Number: 3, City: Names{AR: "الداخلة", FR: "Dakhla", EN: "Dakhla"}, Region: "dakhla-oued-ed-dahab"},
		{Number: 4, City: Names{AR: "الرباط", FR: "Rabat", EN: "Rabat"}, Region: "rabat-sale-kenitra"},
		{Number: 5, City: Names{AR: "العيون", FR: "Laâyoune", EN: "Laayoune"}, Region: "laayoune-sakia-el-hamra"},
		{Number: 6, City: Names{AR: "فاس", FR: "Fès", EN: "Fes"}, Region: "fes-meknes"},
		{Number: 7, City: Names{AR: "كلميم", FR: "Guelmim", EN: "Guelmim"}, Region: "guelmim-oued-noun"},
		{Number: 8, City: Names{AR: "الرشيدية", FR: "Errachidia", EN: "Errachidia"}, Region: "draa-tafilalet"},
		{Number: 9, City: Names{AR: "مراكش", FR: "Marrakech", EN: "Marrakesh"}, Region: "marrakech-safi"},
		{Number: 10, City: Names{AR: "بني ملال", FR: "Béni Mellal", EN: "Beni Mellal"}, Region: "beni-mellal-khenifra"},
		{Number: 11, City: Names{AR: "طنجة", FR: "Tanger", EN: "Tangier"}, Region: "tanger-tetouan-al-hoceima"},
		{Number: 12, City: Names{AR: "أكادير", FR: "Agadir", EN: "Agadir"}, Region: "souss-massa"},
	}
}
