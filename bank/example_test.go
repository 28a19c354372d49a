package bank_test

import (
	"fmt"

	"github.com/afkarlab/afkar/bank"
)

// The Afkar tour: one stage per region.
func ExampleTour() {
	for _, s := range bank.Tour() {
		r, _ := bank.LookupRegion(s.Region)
		fmt.Printf("%2d %-11s %s\n", s.Number, s.City.EN, r.Name.FR)
	}
	// Output:
	//  1 Oujda       L'Oriental
	//  2 Casablanca  Casablanca-Settat
	//  3 Dakhla      Dakhla-Oued Ed-Dahab
	//  4 Rabat       Rabat-Salé-Kénitra
	//  5 Laayoune    Laâyoune-Sakia El Hamra
	//  6 Fes         Fès-Meknès
	//  7 Guelmim     Guelmim-Oued Noun
	//  8 Errachidia  Drâa-Tafilalet
	//  9 Marrakesh   Marrakech-Safi
	// 10 Beni Mellal Béni Mellal-Khénifra
	// 11 Tangier     Tanger-Tétouan-Al Hoceïma
	// 12 Agadir      Souss-Massa
}

func ExampleRegions() {
	for _, r := range bank.Regions()[:3] {
		fmt.Println(r.Code, "|", r.Name.AR)
	}
	fmt.Println(len(bank.Regions()), "regions")
	// Output:
	// tanger-tetouan-al-hoceima | طنجة - تطوان - الحسيمة
	// oriental | الشرق
	// fes-meknes | فاس - مكناس
	// 12 regions
}

func ExampleLookupRegion() {
	r, ok := bank.LookupRegion("souss-massa")
	fmt.Println(ok, r.Name.In("ar"), "/", r.Name.In("fr-MA"))
	_, ok = bank.LookupRegion("grand-casablanca")
	fmt.Println(ok)
	// Output:
	// true سوس - ماسة / Souss-Massa
	// false
}

func ExampleNames_In() {
	city := bank.Names{AR: "الداخلة", FR: "Dakhla", EN: "Dakhla"}
	for _, lang := range []string{"ar-MA", "fr", "es"} {
		fmt.Printf("%s: %s\n", lang, city.In(lang))
	}
	// Output:
	// ar-MA: الداخلة
	// fr: Dakhla
	// es: Dakhla
}

// A dataset may use any sector string; the constants name common ones.
func ExampleSector() {
	p := bank.Project{ID: "DAK-01", Title: "Solar fish drying", Sector: string(bank.SectorFishing)}
	fmt.Println(p.ID, p.Sector, bank.Sector(p.Sector) == bank.SectorFishing)
	// Output:
	// DAK-01 fishing true
}
