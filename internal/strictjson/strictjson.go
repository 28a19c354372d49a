// Package strictjson decodes JSON request bodies as strictly as the
// library's dataset decoder reads a dataset: the input must be valid
// UTF-8 (no lone surrogates), one value, keys exactly as the Go type's
// JSON tags spell them (encoding/json would take "Judge" for "judge"),
// no unknown keys and no duplicate keys (encoding/json keeps the last).
// It checks the text with internal/jsontree against the type, then lets
// encoding/json fill the value.
package strictjson

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/afkarlab/afkar/internal/jsontree"
)

// Error is a problem of a JSON body: where (a JSON path such as
// $.scores[2].judge) and what.
type Error struct {
	Path    string
	Message string
}

// Error returns "path: message".
func (e *Error) Error() string { return e.Path + ": " + e.Message }

// Decode reads data into v, a non-nil pointer, strictly (see the package
// documentation). Problems are *Error, or *jsontree.SyntaxError for
// malformed JSON.
func Decode(data []byte, v any) error {
	root, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: 32, MaxStringBytes: 1 << 20})
	if err != nil {
		return err
	}
	if err := check(root, reflect.TypeOf(v), "$"); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &Error{Path: "$", Message: err.Error()}
	}
	return nil
}

var (
	unmarshaler     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// check walks the tree against type t.
func check(v *jsontree.Value, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		if t.Implements(unmarshaler) || t.Implements(textUnmarshaler) {
			return nil // the type reads itself: time.Time, decimal.Decimal, json.RawMessage
		}
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if v.Kind != jsontree.Object {
			return nil // encoding/json reports the wrong type
		}
		fields := map[string]reflect.Type{}
		collect(t, fields)
		seen := map[string]bool{}
		for i := range v.Members {
			m := &v.Members[i]
			at := path + "." + m.Key
			if seen[m.Key] {
				return &Error{Path: at, Message: fmt.Sprintf("duplicate key %q", m.Key)}
			}
			seen[m.Key] = true
			ft, ok := fields[m.Key]
			if !ok {
				return &Error{Path: at, Message: fmt.Sprintf("unknown key %q (keys are case-sensitive)", m.Key)}
			}
			if err := check(&m.Value, ft, at); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.Kind != jsontree.Object {
			return nil
		}
		seen := map[string]bool{}
		for i := range v.Members {
			m := &v.Members[i]
			if seen[m.Key] {
				return &Error{Path: path + "." + m.Key, Message: fmt.Sprintf("duplicate key %q", m.Key)}
			}
			seen[m.Key] = true
			if err := check(&m.Value, t.Elem(), path+"."+m.Key); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind != jsontree.Array {
			return nil
		}
		for i := range v.Elems {
			if err := check(&v.Elems[i], t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Interface:
		return nil
	}
	return nil
}

// collect adds the JSON names of t's fields, and of its embedded
// structs' fields, as encoding/json names them.
func collect(t reflect.Type, fields map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collect(ft, fields)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
}
