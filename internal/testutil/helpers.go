package testutil

// This file holds small helpers that tests in several packages need.

import (
	"bytes"
	"reflect"
	"sync"
)

// Buffer is a bytes.Buffer safe for concurrent use: servers and
// subprocesses write logs from their goroutines while the test reads.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Hostile is the text escape tests put in every field.
const Hostile = `<script>alert(1)</script>`

// FillStrings sets every string reachable from v to s (through pointers,
// structs, slices and maps; nil *string and nil struct pointers are
// allocated and filled), except in the struct fields named in keep.
func FillStrings(v reflect.Value, s string, keep map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			if v.Type().Elem().Kind() == reflect.String {
				v.Set(reflect.ValueOf(&s))
			} else if v.Type().Elem().Kind() == reflect.Struct {
				v.Set(reflect.New(v.Type().Elem()))
				FillStrings(v.Elem(), s, keep)
			}
			return
		}
		FillStrings(v.Elem(), s, keep)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() && !keep[f.Name] {
				FillStrings(v.Field(i), s, keep)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			FillStrings(v.Index(i), s, keep)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			x := reflect.New(v.Type().Elem()).Elem()
			x.Set(v.MapIndex(k))
			FillStrings(x, s, keep)
			v.SetMapIndex(k, x)
		}
	case reflect.String:
		v.SetString(s)
	}
}
