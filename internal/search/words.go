// This file lends the index's English analysis and field weights to
// indexes made elsewhere (the static site's, internal/sitesearch), so
// that their words and ranking resemble Search's.

package search

// Field weights of a word, as Search weighs a match in each field group.
const (
	WeightSignature = wSig
	WeightCode      = wCode
	WeightExample   = wEx
	WeightBody      = wBody
)

// EnglishTerms returns the terms the index's English fields make of
// text: words lowercased, stop words dropped, Porter-stemmed.
func EnglishTerms(text string) []string {
	var out []string
	for _, tok := range enAnalyzer.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}
