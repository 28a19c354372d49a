package bank

import (
	"strings"

	"github.com/afkarlab/afkar/bank/internal/fold"
)

// Names is a name in Arabic, French and English. The zero Names has no
// name in any language.
type Names struct {
	AR string `json:"ar"` // Arabic
	FR string `json:"fr"` // French
	EN string `json:"en"` // English
}

// In returns the name in the language of the BCP 47 tag lang, chosen by its
// primary subtag, case-insensitively: "ar", "ar-MA" and "AR" give AR, "fr"
// and "fr-MA" give FR, "en" and "en-GB" give EN. An underscore is accepted
// in place of the hyphen ("fr_MA"), as POSIX locale names write it.
//
// Any other language, an empty tag, or a language whose name is empty falls
// back to EN; when EN is empty too, In returns the first non-empty of FR
// and AR, or "" when all three are empty.
func (n Names) In(lang string) string {
	primary, _, _ := strings.Cut(lang, "-")
	primary, _, _ = strings.Cut(primary, "_")
	var s string
	switch strings.ToLower(primary) {
	case "ar":
		s = n.AR
	case "fr":
		s = n.FR
	case "en":
		s = n.EN
	}
	for _, s := range []string{s, n.EN, n.FR, n.AR} {
		if s != "" {
			return s
		}
	}
	return ""
}

// Region is one of Morocco's 12 regions.
type Region struct {
	// Code is the region's stable identifier, a lowercase ASCII slug of
	// its French name, such as "dakhla-oued-ed-dahab".
	Code string `json:"code"`
	// Name is the region's name in Arabic, French (the official name) and
	// English.
	Name Names `json:"name"`
}

// Regions returns Morocco's 12 regions as defined by the 2015 territorial
// division (decree 2.15.40 of 20 February 2015), in the official order of
// that decree, from Tanger-Tétouan-Al Hoceïma (1) to Dakhla-Oued Ed-Dahab
// (12). The slice is built afresh on every call: the caller owns it.
func Regions() []Region {
	return []Region{
		{"tanger-tetouan-al-hoceima", Names{AR: "طنجة - تطوان - الحسيمة", FR: "Tanger-Tétouan-Al Hoceïma", EN: "Tangier-Tetouan-Al Hoceima"}},
		{"oriental", Names{AR: "الشرق", FR: "L'Oriental", EN: "Oriental"}},
		{"fes-meknes", Names{AR: "فاس - مكناس", FR: "Fès-Meknès", EN: "Fes-Meknes"}},
		{"rabat-sale-kenitra", Names{AR: "الرباط - سلا - القنيطرة", FR: "Rabat-Salé-Kénitra", EN: "Rabat-Sale-Kenitra"}},
		{"beni-mellal-khenifra", Names{AR: "بني ملال - خنيفرة", FR: "Béni Mellal-Khénifra", EN: "Beni Mellal-Khenifra"}},
		{"casablanca-settat", Names{AR: "الدار البيضاء - سطات", FR: "Casablanca-Settat", EN: "Casablanca-Settat"}},
		{"marrakech-safi", Names{AR: "مراكش - آسفي", FR: "Marrakech-Safi", EN: "Marrakesh-Safi"}},
		{"draa-tafilalet", Names{AR: "درعة - تافيلالت", FR: "Drâa-Tafilalet", EN: "Draa-Tafilalet"}},
		{"souss-massa", Names{AR: "سوس - ماسة", FR: "Souss-Massa", EN: "Souss-Massa"}},
		{"guelmim-oued-noun", Names{AR: "كلميم - واد نون", FR: "Guelmim-Oued Noun", EN: "Guelmim-Oued Noun"}},
		{"laayoune-sakia-el-hamra", Names{AR: "العيون - الساقية الحمراء", FR: "Laâyoune-Sakia El Hamra", EN: "Laayoune-Sakia El Hamra"}},
		{"dakhla-oued-ed-dahab", Names{AR: "الداخلة - وادي الذهب", FR: "Dakhla-Oued Ed-Dahab", EN: "Dakhla-Oued Ed-Dahab"}},
	}
}

// LookupRegion returns the region whose Code is code, compared exactly (the
// codes are lowercase), and whether there is one.
func LookupRegion(code string) (Region, bool) {
	for _, r := range Regions() {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}

// Cities returns the main cities of the region with the given code, in
// French spelling (with the English one where it differs: Tangier, Fez,
// Marrakesh), the tour's host city first; nil for an unknown code. They
// are the seats of the region's prefectures and provinces and a few
// other towns an organiser may type for the region: they help
// [NearestRegion] read "Dakhla" as dakhla-oued-ed-dahab. The slice is
// built afresh on every call: the caller owns it.
func Cities(code string) []string {
	switch code {
	case "tanger-tetouan-al-hoceima":
		return []string{"Tanger", "Tangier", "Tétouan", "Al Hoceïma", "Larache", "Chefchaouen", "Ouezzane", "Fnideq", "M'diq", "Asilah", "Ksar El Kébir"}
	case "oriental":
		return []string{"Oujda", "Nador", "Berkane", "Taourirt", "Jerada", "Guercif", "Figuig", "Driouch", "Bouarfa"}
	case "fes-meknes":
		return []string{"Fès", "Fez", "Meknès", "Taza", "Ifrane", "Sefrou", "Boulemane", "El Hajeb", "Taounate", "Moulay Yacoub"}
	case "rabat-sale-kenitra":
		return []string{"Rabat", "Salé", "Kénitra", "Témara", "Skhirat", "Khémisset", "Sidi Kacem", "Sidi Slimane"}
	case "beni-mellal-khenifra":
		return []string{"Béni Mellal", "Khénifra", "Khouribga", "Fquih Ben Salah", "Azilal"}
	case "casablanca-settat":
		return []string{"Casablanca", "Settat", "Mohammedia", "El Jadida", "Berrechid", "Benslimane", "Sidi Bennour", "Médiouna", "Nouaceur"}
	case "marrakech-safi":
		return []string{"Marrakech", "Marrakesh", "Safi", "Essaouira", "El Kelâa des Sraghna", "Chichaoua", "Youssoufia", "Ben Guerir"}
	case "draa-tafilalet":
		return []string{"Errachidia", "Ouarzazate", "Zagora", "Tinghir", "Midelt", "Rissani", "Merzouga"}
	case "souss-massa":
		return []string{"Agadir", "Inezgane", "Aït Melloul", "Taroudant", "Tiznit", "Tata", "Biougra"}
	case "guelmim-oued-noun":
		return []string{"Guelmim", "Tan-Tan", "Sidi Ifni", "Assa"}
	case "laayoune-sakia-el-hamra":
		return []string{"Laâyoune", "Boujdour", "Smara", "Tarfaya"}
	case "dakhla-oued-ed-dahab":
		return []string{"Dakhla", "Aousserd"}
	}
	return nil
}

// NearestRegion returns the region that s most likely stands for, to
// suggest a region code for a mistyped one: the region with a name
// closest to s among its code, its names in Arabic, French and English,
// its [Cities] and the tour's host city in Arabic, by the measure of
// [Nearest]. "Dakhla" gives dakhla-oued-ed-dahab, "Casablanca"
// casablanca-settat, "Souss Massa" souss-massa, "الداخلة"
// dakhla-oued-ed-dahab. It always returns one of the 12 regions.
func NearestRegion(s string) Region {
	regions := Regions()
	host := map[string]Names{}
	for _, st := range Tour() {
		host[st.Region] = st.City
	}
	candidates := make([][]string, len(regions))
	for i, r := range regions {
		names := []string{r.Code, r.Name.AR, r.Name.FR, r.Name.EN, host[r.Code].AR}
		candidates[i] = append(names, Cities(r.Code)...)
	}
	return regions[fold.Closest(s, candidates)]
}

// Nearest returns the index in names of the name closest to s, the first
// on ties, or −1 when names is empty: the value to suggest for a mistyped
// one. Names are compared as search keys (letter case, accents, tashkeel
// and Arabic letter variants ignored, punctuation read as spaces) and
// ranked, best first:
//
//  1. the same key ("Souss Massa" for souss-massa);
//  2. a key that begins a word of the other's, or whose own word the
//     other's begins ("Casa" and "casablanca", "Tetouan" and "Tanger
//     Tétouan"), the nearer in length first;
//  3. any other, by the edit distance (Levenshtein, in characters) of
//     their keys' first 32 characters ("Dakla" is 1 from "Dakhla").
func Nearest(s string, names []string) int {
	return NewVocabulary(names).Nearest(s)
}

// Vocabulary is a fixed list of names in which to find, many times, the
// nearest to a value: the work of reading the names is done once. It is
// read-only once made: any number of goroutines may use it at once.
type Vocabulary struct {
	c *fold.Candidates
}

// NewVocabulary returns the vocabulary of names, in their order.
func NewVocabulary(names []string) *Vocabulary {
	candidates := make([][]string, len(names))
	for i, n := range names {
		candidates[i] = []string{n}
	}
	return &Vocabulary{fold.NewCandidates(candidates)}
}

// Nearest returns the index of the name nearest to s, as [Nearest] does.
func (v *Vocabulary) Nearest(s string) int { return v.c.Closest(s) }
