// Package gfm is a fork of three of goldmark's GitHub Flavored Markdown
// extensions (tables, strikethrough, linkify) from
// github.com/yuin/goldmark@v1.8.7/extension, MIT licence (LICENSE in
// this directory). It renders the same HTML as upstream, and
// TestGFMSameAsUpstream and FuzzGFMSameAsUpstream in internal/render
// hold it to that.
//
// # Why a fork
//
// Upstream compiles its package-level regular expressions at init, and
// Go runs the init of every linked package in every process, whichever
// command it runs: linkify's two URL expressions (their {1,256}
// repetitions expand into large programs), table's four delimiter
// expressions and tasklist's one cost errorcanon about 2.7 ms at each
// start, also in `errorcanon match`, which renders no Markdown. Here
// every expression compiles on first use ([lazyregexp]), and the
// extensions ErrorCanon does not use are not linked at all.
//
// Node types stay goldmark's own (github.com/yuin/goldmark/extension/ast,
// which has no costly init), so a renderer or transformer written for
// upstream's nodes works on these.
//
// # Updating
//
// Diff upstream's extension/table.go, strikethrough.go and linkify.go
// between v1.8.7 and the new version, and apply the change here; the
// header of each file says what differs from upstream.
package gfm
