// Package lru is a bounded, least-recently-used cache, safe for
// concurrent use. Search results (internal/search) and rendered search
// pages (internal/web) are kept in one.
package lru

import (
	"container/list"
	"sync"
)

// Cache keeps at most its size of values, dropping the least recently
// used first. The zero value is not usable: call New.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	ll    *list.List // of *item[K, V], most recent first
	byKey map[K]*list.Element
	max   int
}

type item[K comparable, V any] struct {
	key K
	val V
}

// New returns a cache of at most n values; n <= 0 keeps none.
func New[K comparable, V any](n int) *Cache[K, V] {
	return &Cache[K, V]{ll: list.New(), byKey: map[K]*list.Element{}, max: n}
}

// Get returns key's value and marks it used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*item[K, V]).val, true
}

// Add stores key's value (replacing an older one) as the most recently
// used, and drops the least recently used past the bound.
func (c *Cache[K, V]) Add(key K, val V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		el.Value.(*item[K, V]).val = val
		c.ll.MoveToFront(el)
		return
	}
	c.byKey[key] = c.ll.PushFront(&item[K, V]{key, val})
	for c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.byKey, last.Value.(*item[K, V]).key)
	}
}

// Len is the number of values kept.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Purge drops every value.
func (c *Cache[K, V]) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	clear(c.byKey)
}
