// Package jsonerr words the errors of decoding a JSON document that someone
// else wrote (an event payload, a results.json) in JSON's terms — "a number
// where an object belongs" — never in Go's ("Go value of type …").
package jsonerr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Doc names a kind of document for the errors: What it is ("a GitHub
// webhook payload") and who writes its fields ("GitHub sends").
type Doc struct{ What, Writer string }

// Unmarshal decodes data, which must be one JSON object, into v.
func (d Doc) Unmarshal(data []byte, v any) error {
	if json.Valid(data) && !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		// null would decode into nothing at all.
		return fmt.Errorf("not %s (expected a JSON object)", d.What)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return d.Describe(data, err)
	}
	return nil
}

// Describe words err, from decoding data with encoding/json, for a reader
// of the document (Unmarshal does this for a document that is an object).
func (d Doc) Describe(data []byte, err error) error {
	what := d.What
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), !json.Valid(data):
		msg := strings.TrimPrefix(err.Error(), "json: ")
		return fmt.Errorf("not valid JSON (%s), so not %s", msg, what)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("not %s: %s is %s, where %s %s", what, typ.Field, article(typ.Value), d.Writer, kind(typ.Type))
	case errors.As(err, &typ):
		return fmt.Errorf("not %s (expected %s, got %s)", what, kind(typ.Type), article(typ.Value))
	case errors.As(err, new(*time.ParseError)), strings.HasPrefix(err.Error(), "Time.UnmarshalJSON"):
		// time.Time's own decoder does not say which field it was.
		return fmt.Errorf("not %s: a time is not an RFC 3339 string such as %q", what, "2026-12-04T07:00:00Z")
	}
	return fmt.Errorf("not %s: %s", what, strings.TrimPrefix(err.Error(), "json: "))
}

// kind says which JSON type decodes into t.
func kind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// article puts "a" or "an" before a JSON type name as encoding/json gives
// it ("number", "array", "object", "string", "bool").
func article(v string) string {
	switch v {
	case "array", "object":
		return "an " + v
	case "bool":
		return "a boolean"
	}
	return "a " + v
}
