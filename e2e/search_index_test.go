package e2e

import (
	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/search"
)

func init() {
	newSearcher = func(entries []*canon.Entry) (api.SearchIndex, func(), error) {
		ix, err := search.Build(entries)
		if err != nil {
			return nil, nil, err
		}
		return ix, func() { _ = ix.Close() }, nil
	}
}
