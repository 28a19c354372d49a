package agreement

import "math"

// LandisKoch reads a kappa-like agreement coefficient, such as
// Krippendorff's alpha, in the words of J. R. Landis and G. G. Koch, "The
// Measurement of Observer Agreement for Categorical Data", Biometrics
// 33(1), 1977, pp. 159–174: below 0 "poor", up to 0.20 "slight", up to 0.40
// "fair", up to 0.60 "moderate", up to 0.80 "substantial", above 0.80
// "almost perfect". Each band includes its upper end. It returns "" for
// NaN (an undefined coefficient).
//
// The bands are a convention, not a test: Landis and Koch call them
// "arbitrary divisions". Krippendorff (Content Analysis, 2nd ed., 2004) asks for alpha ≥ 0.800 to
// rely on the data, and ≥ 0.667 for tentative conclusions.
func LandisKoch(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case v < 0:
		return "poor"
	case v <= 0.20:
		return "slight"
	case v <= 0.40:
		return "fair"
	case v <= 0.60:
		return "moderate"
	case v <= 0.80:
		return "substantial"
	}
	return "almost perfect"
}

// KooLi reads an intraclass correlation in the words of T. K. Koo and M.
// Y. Li, "A Guideline of Selecting and Reporting Intraclass Correlation
// Coefficients for Reliability Research", Journal of Chiropractic
// Medicine 15(2), 2016, pp. 155–163: below 0.50 "poor", from 0.50 "moderate",
// from 0.75 "good", above 0.90 "excellent" (0.90 itself is good). It
// returns "" for NaN (an undefined coefficient).
//
// Koo and Li read the point estimate here; they advise reading the 95%
// confidence interval, which this package does not compute.
func KooLi(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case v < 0.50:
		return "poor"
	case v < 0.75:
		return "moderate"
	case v <= 0.90:
		return "good"
	}
	return "excellent"
}
