package sample

import (
	"time"

	"github.com/afkarlab/afkar/bank"
)

// idea is a project idea of the sample: a title and a sector, and whether
// it is women-led or youth-led for certain (otherwise drawn at random).
type idea struct {
	title        string
	sector       bank.Sector
	women, youth bool
}

// stagePlan is one stage of the sample tour.
type stagePlan struct {
	code   string    // project and judge ID infix, such as "DAK"
	region string    // the stage's region code, as bank.Tour has it
	date   time.Time // the stage day, invented: submissions come before it
	judges int       // jury size
	ideas  []idea    // the projects, numbered from 01 in this order
}

// tiePlan is a tie built on purpose: project x gets scores that give it the
// same total as the project at group rank `rank` among the others, and the
// tie-break rule `rule` is meant to separate the two.
type tiePlan struct {
	stage string // stage code
	x     string // project ID whose scores are rebuilt
	rank  int    // the pair's group ranks are rank and rank+1
	rule  string // "criterion:social", "head_to_head", "submitted_at" or "id"
}

// roles says which projects and judges play a part in the sample's
// demonstration of the rules.
type roles struct {
	// conflicts are declared conflicts of interest, judge → projects.
	conflicts map[string][]string
	// sameCoop gives a judge the cooperative of a project, judge → project,
	// so that the judge's scores on it are excluded.
	sameCoop map[string]string
	// weak projects get low scores, under the total threshold of 50.
	weak map[string]bool
	// noCoop projects are carried by a group with no cooperative yet.
	noCoop map[string]bool
	// paper projects were submitted on paper at the stage: no submitted_at.
	paper map[string]bool
	ties  []tiePlan
}

// sampleRoles returns the parts projects and judges play:
//
//   - GUE-05 fails the quorum (min_judges 2): of Guelmim's 3 judges,
//     J-GUE-1 declared a conflict and J-GUE-3 belongs to its cooperative.
//   - J-CAS-2 and J-TAN-3 share the cooperative of CAS-04 and TAN-06
//     (same_cooperative); J-MAR-4 both shares MAR-07's cooperative and
//     declared a conflict with it (reported as conflict); J-FES-1 and
//     J-AGA-2 declared conflicts with FES-02 and AGA-03.
//   - RAB-07 and BEN-06 score under the total threshold.
//   - Five ties inside a region, listed in ties. With [Seed] the pairs, in
//     final order, are MAR-08 and MAR-01 (group ranks 1 and 2, decided by
//     criterion:social), DAK-05 and DAK-03 (3 and 4, head_to_head), AGA-07
//     and AGA-02 (3 and 4, head_to_head), ERR-08 and ERR-06 (2 and 3,
//     submitted_at), TAN-04 and TAN-08 (3 and 4, id). There are no other
//     ties inside a region; TestDeliberateCases checks all of this.
func sampleRoles() roles {
	return roles{
		conflicts: map[string][]string{
			"J-GUE-1": {"GUE-05"},
			"J-FES-1": {"FES-02"},
			"J-MAR-4": {"MAR-07"},
			"J-AGA-2": {"AGA-03"},
		},
		sameCoop: map[string]string{
			"J-CAS-2": "CAS-04",
			"J-GUE-3": "GUE-05",
			"J-TAN-3": "TAN-06",
			"J-MAR-4": "MAR-07",
		},
		weak:   map[string]bool{"RAB-07": true, "BEN-06": true},
		noCoop: map[string]bool{"CAS-03": true, "RAB-08": true, "FES-07": true, "TAN-07": true},
		paper:  map[string]bool{"LAA-04": true},
		ties: []tiePlan{
			// Marrakech: the top two tie; the better social impact wins.
			{stage: "MAR", x: "MAR-08", rank: 1, rule: "criterion:social"},
			// Dakhla: third and fourth tie with equal social impact; more
			// of the 3 judges prefer one, which takes the last top-3 place.
			{stage: "DAK", x: "DAK-05", rank: 3, rule: "head_to_head"},
			// Agadir: the same with 5 judges, 3 against 2.
			{stage: "AGA", x: "AGA-07", rank: 3, rule: "head_to_head"},
			// Errachidia: second and third tie, judges split evenly; the
			// earlier submission wins, though its local clock time is later
			// (10:20+01:00 is before 09:40Z).
			{stage: "ERR", x: "ERR-06", rank: 2, rule: "submitted_at"},
			// Tangier: third and fourth tie, judges split evenly, both
			// submitted on paper: the smaller ID wins.
			{stage: "TAN", x: "TAN-04", rank: 3, rule: "id"},
		},
	}
}

// stagePlans returns the 12 stages in tour order. The dates are invented.
func stagePlans() []stagePlan {
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	return []stagePlan{
		{"OUJ", "oriental", day(time.February, 13), 4, []idea{
			{"Huile d'olive extra vierge des Beni Snassen : pressage coopératif", bank.SectorAgriFood, false, false},
			{"Clementine sorting, packing and cold chain for Berkane growers", bank.SectorAgriFood, false, false},
			{"Solar pumping for smallholder irrigation in the Figuig oasis", bank.SectorEnergy, false, true},
			{"Plastic bottle collection and PET flake production in Oujda", bank.SectorRecycling, false, true},
			{"Tourisme de montagne à Tafoughalt : gîtes et randonnées", bank.SectorTourism, false, false},
			{"Mobile bookkeeping app for cooperatives, in Arabic and Amazigh", bank.SectorDigital, false, true},
			{"Tapis de Debdou : tissage traditionnel et vente en ligne", bank.SectorHandicrafts, true, false},
		}},
		{"CAS", "casablanca-settat", day(time.February, 27), 5, []idea{
			{"Recyclage des chutes textiles des ateliers de confection", bank.SectorRecycling, true, false},
			{"Women's couscous and rolled-grain cooperative in Settat", bank.SectorAgriFood, true, false},
			{"Last-mile delivery platform for neighbourhood cooperatives", bank.SectorDigital, false, true},
			{"Compost from the wholesale market's organic waste", bank.SectorRecycling, false, false},
			{"Solar cold rooms for milk collection in Berrechid", bank.SectorEnergy, false, false},
			{"Zellige : formation des jeunes artisans et export", bank.SectorHandicrafts, false, true},
			{"Fish by-products into animal feed at El Jadida port", bank.SectorFishing, false, false},
			{"Coastal eco-tourism circuits around Azemmour", bank.SectorTourism, false, false},
			{"Plateforme de financement participatif solidaire pour coopératives", bank.SectorDigital, false, true},
		}},
		{"DAK", "dakhla-oued-ed-dahab", day(time.April, 17), 3, []idea{
			{"Solar fish drying for artisanal fishers", bank.SectorFishing, false, false},
			{"Oyster farming in the Dakhla lagoon", bank.SectorFishing, false, false},
			{"Kitesurf eco-lodge run by local youth", bank.SectorTourism, false, true},
			{"Camel milk processing and cheese", bank.SectorAgriFood, true, false},
			{"Greenhouse tomatoes irrigated with solar-desalinated water", bank.SectorEnergy, false, false},
			{"Fishing nets recycled into ropes and crafts", bank.SectorRecycling, true, false},
		}},
		{"RAB", "rabat-sale-kenitra", day(time.May, 8), 4, []idea{
			{"Plateforme de réservation en ligne pour les artisans de Salé", bank.SectorDigital, false, true},
			{"Strawberry and red berry processing in the Gharb", bank.SectorAgriFood, true, false},
			{"Poterie de Salé : four solaire et émaux sans plomb", bank.SectorHandicrafts, false, false},
			{"Refurbished computers from e-waste for rural schools", bank.SectorRecycling, false, true},
			{"Cork and honey from the Maamora forest", bank.SectorAgriFood, false, false},
			{"Rural homestays around Oulmès", bank.SectorTourism, true, false},
			{"Rice straw briquettes for hammams in Kénitra", bank.SectorEnergy, false, false},
			{"Coding bootcamp for young women in Sidi Slimane", bank.SectorDigital, true, true},
		}},
		{"LAA", "laayoune-sakia-el-hamra", day(time.May, 22), 3, []idea{
			{"Conserverie coopérative de sardines à Foum El Oued", bank.SectorFishing, false, false},
			{"Camel leather goods", bank.SectorHandicrafts, true, false},
			{"Wind-powered water pumping for herders", bank.SectorEnergy, false, false},
			{"Desert bivouac tourism with nomad families", bank.SectorTourism, false, true},
			{"Seaweed harvesting and drying", bank.SectorFishing, true, false},
			{"Solar-powered phone repair kiosks", bank.SectorDigital, false, true},
		}},
		{"FES", "fes-meknes", day(time.June, 19), 5, []idea{
			{"E-commerce for Fes medina handicrafts", bank.SectorHandicrafts, false, true},
			{"Olive pomace into biomass fuel in Meknes", bank.SectorEnergy, false, false},
			{"Cuir de Chouara : tannage végétal et traçabilité", bank.SectorHandicrafts, false, false},
			{"Cherry processing cooperative in Sefrou", bank.SectorAgriFood, true, false},
			{"Eco-tourism trails in the Ifrane cedar forest", bank.SectorTourism, false, true},
			{"Brass and copper recycling for dinanderie", bank.SectorRecycling, false, false},
			{"Online courses in calligraphy and zellige design", bank.SectorDigital, false, true},
			{"Aromatic and medicinal plants of Taounate", bank.SectorAgriFood, true, false},
			{"Broderie de Fès : coopérative de jeunes diplômées", bank.SectorHandicrafts, true, true},
		}},
		{"GUE", "guelmim-oued-noun", day(time.July, 3), 3, []idea{
			{"Prickly pear seed oil for cosmetics", bank.SectorAgriFood, true, false},
			{"Cactus cladode flour and prickly pear jam", bank.SectorAgriFood, true, false},
			{"Camel trekking from Guelmim to Plage Blanche", bank.SectorTourism, false, true},
			{"Solar dryers for cactus fruit", bank.SectorEnergy, false, false},
			{"Cold storage for Sidi Ifni artisanal fishers", bank.SectorFishing, false, false},
			{"Henna and dates of the Assa oasis", bank.SectorAgriFood, true, false},
			{"Tissage de khaïmas sahraouies pour l'hôtellerie", bank.SectorHandicrafts, true, false},
		}},
		{"ERR", "draa-tafilalet", day(time.September, 18), 4, []idea{
			{"Date palm valorisation: date paste and date syrup", bank.SectorAgriFood, true, false},
			{"Palm waste into compost and fibre boards", bank.SectorRecycling, false, true},
			{"Ksar restoration and heritage guest houses in Merzouga", bank.SectorTourism, false, false},
			{"Rose water and essential oil of Kelaat M'Gouna", bank.SectorAgriFood, true, false},
			{"Cold chain for Midelt apples", bank.SectorAgriFood, false, false},
			{"Solar pumps to revive the khettaras of Tafilalet", bank.SectorEnergy, false, true},
			{"Online marketplace for Tafilalet dates", bank.SectorDigital, false, true},
			{"Tapis de Tinghir : teintures naturelles", bank.SectorHandicrafts, true, false},
		}},
		{"MAR", "marrakech-safi", day(time.October, 2), 5, []idea{
			{"High Atlas eco-tourism: trekking with village guides", bank.SectorTourism, false, true},
			{"Sardine by-products of Safi into fish meal", bank.SectorFishing, false, false},
			{"Huile d'olive d'Al Haouz : certification de qualité", bank.SectorAgriFood, false, false},
			{"Argan oil of Essaouira sold direct to consumers", bank.SectorArgan, true, false},
			{"Poterie de Safi : émaux et design contemporain", bank.SectorHandicrafts, false, true},
			{"Plastic bags recycled into paving tiles", bank.SectorRecycling, false, true},
			{"Solar kits for Atlas mountain villages", bank.SectorEnergy, false, false},
			{"Booking app for riads and cooperative guest houses", bank.SectorDigital, false, true},
			{"Thuya wood marquetry of Essaouira", bank.SectorHandicrafts, false, false},
			{"Women's couscous cooperative of Chichaoua", bank.SectorAgriFood, true, false},
		}},
		{"BEN", "beni-mellal-khenifra", day(time.October, 16), 3, []idea{
			{"Olive mill modernisation in Beni Mellal", bank.SectorAgriFood, false, false},
			{"Sustainable tourism at the Ouzoud waterfalls", bank.SectorTourism, false, true},
			{"Goat cheese from the Middle Atlas", bank.SectorAgriFood, true, false},
			{"Irrigation scheduling by SMS for Tadla farmers", bank.SectorDigital, false, true},
			{"Sheep wool washing and felt products in Khénifra", bank.SectorHandicrafts, true, false},
			{"Collecte et tri des déchets ménagers à Fquih Ben Salah", bank.SectorRecycling, false, false},
			{"Honey and beeswax of Azilal", bank.SectorAgriFood, false, false},
		}},
		{"TAN", "tanger-tetouan-al-hoceima", day(time.November, 6), 4, []idea{
			{"Goat cheese and farm stays in Chefchaouen", bank.SectorTourism, true, false},
			{"Fresh fish online from Al Hoceima's artisanal fishers", bank.SectorFishing, false, true},
			{"Broderie et tissage de Tétouan", bank.SectorHandicrafts, true, false},
			{"Recyclage des filets de pêche du port de Larache", bank.SectorRecycling, false, false},
			{"Wind turbine maintenance training for Tangier youth", bank.SectorEnergy, false, true},
			{"Olive oil of Ouezzane", bank.SectorAgriFood, false, false},
			{"Freelance digital services hub for young graduates", bank.SectorDigital, false, true},
			{"Red fruit cooperative in Larache", bank.SectorAgriFood, true, false},
		}},
		{"AGA", "souss-massa", day(time.November, 20), 5, []idea{
			{"Argan oil traceability with QR codes, from tree to bottle", bank.SectorArgan, true, false},
			{"Taliouine saffron: drying, grading and certification", bank.SectorAgriFood, false, false},
			{"Argan press-cake into animal feed", bank.SectorArgan, false, false},
			{"Surf and eco-tourism in Taghazout", bank.SectorTourism, false, true},
			{"Amlou: a women's argan and almond paste cooperative", bank.SectorArgan, true, false},
			{"Greenhouse plastic recycling in Chtouka", bank.SectorRecycling, false, false},
			{"Solar desalination for small farms of the Souss", bank.SectorEnergy, false, true},
			{"Tiznit silver jewellery online", bank.SectorHandicrafts, false, true},
			{"Fish processing cooperative at Agadir port", bank.SectorFishing, false, false},
		}},
	}
}

// judgeNames are the parts synthetic judge names are drawn from.
func judgeNames() (first, last []string) {
	first = []string{
		"Fatima-Zahra", "Khadija", "Amina", "Salma", "Meryem", "Nadia", "Houda", "Zineb",
		"Samira", "Latifa", "Imane", "Hanane", "Youssef", "Mohamed", "Hassan", "Omar",
		"Rachid", "Abdellah", "Karim", "Said", "Mustapha", "Brahim", "Hamza", "Lahcen",
	}
	last = []string{
		"Alaoui", "Bennani", "El Idrissi", "Tazi", "Berrada", "Amrani", "Chraibi", "Ouazzani",
		"El Fassi", "Benjelloun", "Lahlou", "Naciri", "Bouzid", "Ait Lahcen", "Oubella", "El Mansouri",
		"Zerouali", "Haddaoui", "Boukhari", "Ouchen", "Lamrani", "Saidi", "Belhaj", "Tahiri",
	}
	return first, last
}
