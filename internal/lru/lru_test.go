package lru

import (
	"strconv"
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	c := New[string, int](3)
	for i := range 5 {
		c.Add(strconv.Itoa(i), i)
	}
	if _, ok := c.Get("0"); ok || c.Len() != 3 {
		t.Errorf("bound: %d kept, oldest there: %v", c.Len(), ok)
	}
	c.Get("2") // used: now the newest
	c.Add("5", 5)
	if v, ok := c.Get("2"); !ok || v != 2 {
		t.Error("a recently used value was dropped")
	}
	if _, ok := c.Get("3"); ok {
		t.Error("the least recently used value was kept")
	}
	c.Add("2", 20)
	if v, _ := c.Get("2"); v != 20 || c.Len() != 3 {
		t.Errorf("replace: %d, len %d", v, c.Len())
	}
	if z := New[int, int](0); func() bool { z.Add(1, 1); _, ok := z.Get(1); return ok }() {
		t.Error("a cache of size 0 kept a value")
	}
}

func TestConcurrent(t *testing.T) {
	c := New[int, int](8)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 1000 {
				c.Add((g*1000+i)%20, i)
				c.Get(i % 20)
			}
		})
	}
	wg.Wait()
	if c.Len() != 8 {
		t.Errorf("len %d", c.Len())
	}
}
