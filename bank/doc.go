// Package bank holds the entities of the cooperative project bank that an
// Afkar dataset carries ([Project], [Judge], [Sector]) and Morocco's
// reference data: the 12 regions of the 2015 territorial division
// ([Regions], [LookupRegion]) and the 12 stages of the Afkar ideathon tour
// ([Tour]).
//
// Region codes are stable lowercase ASCII slugs of the French names, such as
// "dakhla-oued-ed-dahab"; they are what a dataset's project "region" field
// usually holds. A dataset may use other region strings: nothing in this
// module requires a region to be one of the 12.
//
// Names come in Arabic, French and English ([Names]); [Names.In] picks one
// by language tag.
//
// The package has no mutable state. [Regions] and [Tour] build a fresh slice
// on every call, which the caller may change freely, and every function is
// safe for concurrent use.
package bank
