//go:build js && wasm

// Command matchwasm is the matcher compiled to WebAssembly (GOOS=js
// GOARCH=wasm), so a static copy of the site can explain a pasted log in
// the browser with no server. It exports two functions to JavaScript:
//
//	errorcanonLoad(data)            the bytes of match-data.gob (internal/matchdata), as a Uint8Array;
//	                                makes the index from the data's prebuilt plan (match.FromPlan),
//	                                deriving it only when the plan does not fit; returns "" or an error message
//	errorcanonMatch(text, lang, n)  the n best results as JSON, in the API's match form:
//	                                {"matched": bool, "results": [summary...]} or {"error": "..."}
//
// Build: GOOS=js GOARCH=wasm go build -trimpath -ldflags=-s -o match.wasm ./cmd/matchwasm
package main

import (
	"encoding/json"
	"errors"
	"syscall/js"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/matchdata"
)

var ix *match.Index

func main() {
	js.Global().Set("errorcanonLoad", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 1 || !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
			return "errorcanonLoad needs the match data as a Uint8Array"
		}
		data := make([]byte, args[0].Length())
		js.CopyBytesToGo(data, args[0])
		var err error
		if ix, _, err = matchdata.DecodeIndex(data); err != nil {
			return err.Error()
		}
		return ""
	}))
	js.Global().Set("errorcanonMatch", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return answer(args)
	}))
	select {}
}

func answer(args []js.Value) string {
	fail := func(err error) string {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		return string(b)
	}
	if ix == nil {
		return fail(errors.New("call errorcanonLoad first"))
	}
	if len(args) < 1 || args[0].Type() != js.TypeString {
		return fail(errors.New("errorcanonMatch needs the text"))
	}
	lang, limit := "en", 5
	if len(args) > 1 && args[1].Type() == js.TypeString && args[1].String() == "zh" {
		lang = "zh"
	}
	if len(args) > 2 && args[2].Type() == js.TypeNumber {
		limit = min(max(args[2].Int(), 1), 50)
	}
	text := args[0].String()
	if len(text) > match.MaxInput {
		return fail(match.ErrTooLarge)
	}
	rs, err := ix.Match([]byte(text), match.Options{Limit: limit})
	if err != nil {
		return fail(err)
	}
	sums := match.Summarize(rs, lang, 3)
	b, err := json.Marshal(struct {
		Matched bool            `json:"matched"`
		Results []match.Summary `json:"results"`
	}{match.KnownSummaries(sums), sums})
	if err != nil {
		return fail(err)
	}
	return string(b)
}
