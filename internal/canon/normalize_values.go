package canon

import "reflect"

// NoNil replaces every nil slice and map reachable from v (a pointer) with
// an empty one. Decoders differ on absent lists (YAML and gob leave them
// nil, a snapshot cannot tell nil from empty), and JSON prints nil as null:
// after NoNil an entry reads the same however it was loaded, and every
// list is an array on every surface.
func NoNil(v any) { noNil(reflect.ValueOf(v)) }

func noNil(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			noNil(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				noNil(f)
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			if v.CanSet() {
				v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			noNil(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() && v.CanSet() {
			v.Set(reflect.MakeMap(v.Type()))
		}
	}
}
