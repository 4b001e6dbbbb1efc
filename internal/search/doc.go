// Package search is the catalog's full-text index, in English and Chinese:
// the site's /search page, the REST API's search, the MCP tool
// search_errors and the errorcanon search command all ask it.
//
// [Build] indexes the entries in memory once, at startup (an inverted index
// per field, scored with BM25; no search engine underneath, so a process
// that never searches pays nothing for one at start), or [FromData] reads
// an index [Index.Encode] stored (the embedded catalog's is made at go
// generate time and kept in its snapshot); [Index.Search]
// answers a [Query] with one page of [Results]: the hits, best first, with
// highlighted snippets, and the facet counts. An Index is safe for
// concurrent use and never changes; [Index.Close] releases it.
//
//	ix, err := search.Build(cat.Entries)
//	if err != nil {
//		return err
//	}
//	defer ix.Close()
//	res, err := ix.Search(ctx, search.Query{Text: "permission denied 权限", Domain: "docker"})
//	if errors.Is(err, search.ErrInvalid) {
//		// a bad page, page size or language: answer 400 with err's message
//	}
//
// # No query syntax
//
// The text of a query is words, nothing more: the search is made of the
// analyzed words (term, prefix and typo-tolerant lookups), and there is no
// query-string syntax. Characters such as
// + - : " * ( ) { } [ ] ^ ~ are just text. People paste error messages,
// which are full of them ("error: cannot find -lssl", "E: Unable to
// locate package"); with a syntax, a paste could fail to parse or mean
// something else ("-lssl" would exclude a word, "error:" name a field),
// and user text could ask for wildcards or fuzziness at any cost.
//
// # Only the rarest words
//
// A query's cost grows with its words: each is looked up in every field
// it may match, and a typo-tolerant word is compared with the field's
// terms of the same first letter as well, so a pasted paragraph would
// cost as much as it is long. Search reads only the first [MaxTerms] distinct words of
// the text (looking up how many entries hold each) and searches the
// [MaxSearchWords] rarest: a pasted sentence or log line costs no more
// than that many words, and the rare words ("EACCES", a tool's name) are
// the ones that tell an error apart, where "error" or "failed" match most
// entries.
//
// # How words match
//
// Every word searched must match, in any field; an entry matching a word
// in a weightier field (the signature, the error code and the tags, then
// the examples) or in several fields ranks higher. When no entry has every
// word, the entries with at least half of them are returned and
// Results.Partial is set. A blank text lists every entry passing the
// filters, by id; a text of only stop words or punctuation finds nothing.
//
// English words are stemmed (Porter), and a short stop list keeps "no",
// "not" and "cannot", which carry meaning in error messages. A word of 5
// or more characters also matches with one typo (the first letter kept)
// in the signature, root cause, workarounds and dead ends (not in
// examples, and not with Lang "zh") at 0.3 of the weight, so an exact
// match outranks a typo;
// words in more than a tenth of the entries (and more than 1000) skip
// this, as their exact matches are plenty.
//
// Chinese text is searched by pairs of adjacent characters (bigrams), each
// pair counting as a word; a lone character is searched as a prefix, and
// so finds every entry holding it.
//
// Lang "en" searches the English fields, "zh" the Chinese ones (for
// English words as well as Chinese), "" both; examples, the
// error code and the tags are searched whatever the language, since they
// are the tools' own text. The filters (domain, category, verification,
// resolvable) are exact values and do not change scores. Results.Facets
// count the entries matching the text and the filters, per value, most
// frequent first.
//
// # What is indexed
//
// English: the signature, the examples, the root cause, the workarounds'
// actions and steps, the dead ends' actions and why they fail, with an
// English analyzer. Chinese (the *_zh texts): a CJK analyzer (width
// folding, bigrams), plus the last character of every run of Chinese
// characters, so that a one-character word ("锁", "包"), looked up as a
// prefix, finds every entry holding the character. Tags and the error code are indexed
// lowercased, unstemmed.
//
// The index holds each field's terms, how often each entry holds them
// and, in the signature and examples, where (for the phrase bonus);
// snippets and facet counts are made from the entries themselves.
//
// # Limits
//
// The limits are part of the API, and the errors are written to be shown
// as they are.
//   - The text is cleaned (invalid UTF-8, U+FFFD, control and format
//     characters become spaces), trimmed and cut to [MaxQueryBytes] at a
//     character boundary, as [Clean] does; Results.Truncated says it was
//     cut. Long text is never an error.
//   - Words: [MaxTerms] read, [MaxSearchWords] searched (see above).
//   - PerPage is 1 to [MaxPerPage], 0 meaning [DefaultPerPage]; Page is 1
//     to [MaxPage], 0 meaning 1. Anything else, and a Lang other than
//     "en", "zh" or "", is an error wrapping [ErrInvalid].
//
// # Snippets
//
// Hit.Snippets hold fragments (about 160 characters, whitespace folded, "…"
// where cut) of the first [MaxSnippets] matched fields, in the order of
// Hit.Fields (signature first), as HTML: everything is escaped except the
// <mark> and </mark> tags around the matched words, so a page may embed
// them as they are. Hit.Fields names every matched field. Highlighting
// re-analyzes the hits' own text with the index's analyzers, so it marks
// what matched, typos included; for Lang "en" or "zh" only that
// language's fields (and examples, error code, tags) are considered.
package search
