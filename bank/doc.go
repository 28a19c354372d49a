// Package bank holds the entities of the cooperative project bank: the
// national bank of project ideas that cooperatives can take up, filled by
// the regional Afkar ideathons.
//
// The entities: a project idea ([Project], which an Afkar dataset carries,
// with its budget, jobs, beneficiaries, tags and lifecycle), the
// [Cooperative] that may carry or adopt it, the [Carrier] who brings it,
// the [Judge]s who score it, the [Award] it may win, and [Sector]s.
//
// The lifecycle: an idea is submitted, found eligible or ineligible,
// shortlisted, awarded, then adopted by a named cooperative or archived
// ([Status], [Allowed], [Project.Advance], [Project.Promote]); every
// transition records its time and actor, and the clock is always passed
// in.
//
// Reference data: Morocco's 12 regions of the 2015 territorial division
// ([Regions], [LookupRegion], with their main [Cities]) and the 12 stages
// of the Afkar ideathon tour ([Tour]). Region codes are stable lowercase
// ASCII slugs of the French names, such as "dakhla-oued-ed-dahab"; a
// dataset grouped by region uses them, unless it lists its own groups.
// Names come in Arabic, French and English ([Names]); [Names.In] picks one
// by language tag. [NearestRegion] reads a mistyped region ("Dakhla",
// "Casablanca") as the region it most likely means, and [Nearest] finds
// the nearest of any list of names, to suggest it.
//
// Related packages: bank/store defines the catalogue of ideas
// (store.Catalogue) and keeps one in memory, safe for concurrent use, with
// search, snapshots and CSV import and export; bank/store/sqlite keeps the
// same catalogue in a SQLite file;
// bank/validation checks entities with messages in Arabic, French and
// English. This package imports neither, so the WebAssembly build stays
// small.
//
// The package has no mutable state. [Regions] and [Tour] build a fresh slice
// on every call, which the caller may change freely, and every function is
// safe for concurrent use.
package bank
