package exact_test

import (
	"fmt"

	"github.com/afkarlab/afkar/exact"
)

func ExampleNum_Round() {
	// A mean of three scores: (15 + 16 + 17.5)/3 = 48.5/3.
	mean := exact.Frac(485, 30)
	fmt.Println(mean, mean.Round(2, exact.HalfUp).Text(2), mean.Round(2, exact.Down).Text(2))
	// Output: 97/6 16.17 16.16
}

func ExampleNum_Cmp() {
	a, b := exact.Frac(1, 3), exact.Frac(333, 1000)
	fmt.Println(a.Cmp(b), b.Cmp(a), a.Cmp(exact.Frac(2, 6)))
	// Output: 1 -1 0
}
