package validation_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/validation"
)

// Every broken rule comes back at its JSON path, in Arabic, French and
// English.
func ExampleValidator_Project() {
	var v validation.Validator
	p := bank.Project{
		ID: "DAK-02", Title: "Solar fish drying", Region: "dakhla", Sector: "fishing",
		SubmittedAt: time.Date(2025, 4, 16, 9, 30, 0, 0, time.UTC), Cooperative: "coop-042",
		BudgetMAD: decimal.RequireFromString("250000.505"),
	}
	err := v.Project(&p)
	var es validation.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			fmt.Println(e.Path, e.Rule)
			fmt.Println(" ", e.In("ar"))
			fmt.Println(" ", e.In("fr"))
			fmt.Println(" ", e.In("en"))
		}
	}
	// Output:
	// region region
	//   يجب أن يكون region رمز جهة من جهات المغرب الاثنتي عشرة، مثل souss-massa
	//   region doit être le code d'une des 12 régions du Maroc, par exemple souss-massa
	//   region must be the code of one of Morocco's 12 regions, such as souss-massa
	// budget_mad dplaces
	//   يجب ألا يتجاوز عدد المنازل العشرية في budget_mad 2
	//   budget_mad doit avoir au plus 2 décimales
	//   budget_mad must have at most 2 decimal places
}

func ExampleLanguage() {
	for _, h := range []string{"ar-MA,ar;q=0.9,fr;q=0.8", "es-ES, fr;q=0.5", "de"} {
		fmt.Printf("%q: %s\n", h, validation.Language(h))
	}
	// Output:
	// "ar-MA,ar;q=0.9,fr;q=0.8": ar
	// "es-ES, fr;q=0.5": fr
	// "de": en
}
