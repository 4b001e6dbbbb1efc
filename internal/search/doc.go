// Package search is the catalog's full-text index, in English and Chinese.
//
// Build indexes a slice of entries in memory (bleve v2, scorch segments
// that never touch the disk) at startup; Search answers a Query with the
// page of hits, their highlighted snippets and the facet counts.
//
// # What is indexed
//
// English: the signature, the examples, the root cause, the workarounds'
// actions and steps, the dead ends' actions and why they fail, with an
// English analyzer (Porter stemming, a short stop list that keeps "no" and
// "not"). Chinese (the *_zh texts): bleve's CJK analyzer (bigrams), plus
// the last character of every run of Chinese characters, so that a
// one-character query ("锁", "包"), run as a prefix query, finds every
// entry holding the character. Tags and the error code are indexed
// lowercased, unstemmed. Examples, tags and the error code are searched
// whatever the language, since they are the tools' own text.
//
// Nothing is stored in the index, and no term vectors or doc values are
// kept: snippets and facet counts are made from the entries themselves.
//
// # Queries
//
// Queries are built programmatically (term, prefix and fuzzy queries over
// the analyzed words): bleve's query-string syntax is never exposed, so
// characters such as + - : " * ( ) { } [ ] ^ ~ in user text are just text.
//
// Every word must match, in any field; an entry matching a word in a
// weightier field (the signature, the error code, the tags) or in several
// ranks higher. An English word of 5 or more characters also matches with
// one typo (fuzziness 1, the first letter kept; in the signature and the
// English texts, not in examples, and not with Lang "zh") at a third of
// the weight, so an exact match outranks a typo; words in more than a
// tenth of the entries (and more than 1000) skip this, as their exact
// matches are plenty. When no entry has every word, the entries with at least half of
// them are returned and Results.Partial is set. Filters (domain, category,
// verification, resolvable) are exact-match term filters that do not
// change scores. Facets count the entries matching the query and the
// filters. A blank query lists every entry passing the filters, by id.
//
// # Limits
//
// These are part of the API; the caller can show the errors as they are.
//   - The query text is cleaned (invalid UTF-8 and control characters
//     become spaces), trimmed and then cut to MaxQueryBytes (512) bytes at a
//     character boundary; Results.Truncated says it was cut. Long input is
//     never an error.
//   - Only the first MaxTerms (32) distinct words are read, and of those
//     the MaxSearchWords (12) rarest (in the fewest entries) are searched:
//     a pasted sentence costs no more than a dozen words.
//   - PerPage is 1..MaxPerPage (50), 0 meaning DefaultPerPage (10); Page is
//     1..MaxPage (100), 0 meaning 1. Anything else, and a Lang other than
//     "en", "zh" or "", is an error wrapping ErrInvalid.
//
// # Snippets
//
// Hit.Snippets hold fragments (about 160 characters, whitespace folded, "…"
// where cut) of the first MaxSnippets (3) matched fields, in the order of
// Hit.Fields (signature first), as HTML: everything is escaped except the
// <mark> and </mark> tags around the matched words, so a page may embed
// them as they are. Hit.Fields names every matched field. Highlighting
// re-analyzes the hits' own text with the index's analyzers, so it marks
// what matched, typos included; for Lang "en" or "zh" only that
// language's fields (and examples, error code, tags) are considered.
package search
