package jsonerr

import (
	"strings"
	"testing"
	"time"
)

func TestUnmarshal(t *testing.T) {
	t.Parallel()
	doc := Doc{What: "a thing file", Writer: "the tool writes"}
	type inner struct {
		N  int       `json:"n"`
		At time.Time `json:"at"`
	}
	type thing struct {
		Name  string  `json:"name"`
		On    bool    `json:"on"`
		List  []int   `json:"list"`
		Inner inner   `json:"inner"`
		Ptr   *inner  `json:"ptr"`
		F     float64 `json:"f"`
	}
	for _, tc := range []struct{ in, want string }{
		{`[]`, "not a thing file (expected a JSON object)"},
		{`null`, "not a thing file (expected a JSON object)"},
		{`"x"`, "not a thing file (expected a JSON object)"},
		{`{"name":`, "not valid JSON (unexpected end of JSON input), so not a thing file"},
		{`{"name": 'x'}`, "not valid JSON (invalid character '\\'' looking for beginning of value), so not a thing file"},
		{`{"name":5}`, "not a thing file: name is a number, where the tool writes a string"},
		{`{"on":"yes"}`, "not a thing file: on is a string, where the tool writes a boolean"},
		{`{"list":{}}`, "not a thing file: list is an object, where the tool writes an array"},
		{`{"inner":{"n":"7"}}`, "not a thing file: inner.n is a string, where the tool writes a number"},
		{`{"ptr":[1]}`, "not a thing file: ptr is an array, where the tool writes an object"},
		{`{"f":true}`, "not a thing file: f is a boolean, where the tool writes a number"},
		{`{"inner":{"at":5}}`, `not a thing file: a time is not an RFC 3339 string such as "2026-12-04T07:00:00Z"`},
		{`{"inner":{"at":"yesterday"}}`, `not a thing file: a time is not an RFC 3339 string such as "2026-12-04T07:00:00Z"`},
	} {
		var v thing
		err := doc.Unmarshal([]byte(tc.in), &v)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Unmarshal(%s) = %v, want %q", tc.in, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "Go ") {
			t.Errorf("Unmarshal(%s) speaks Go: %v", tc.in, err)
		}
	}
	var v thing
	if err := doc.Unmarshal([]byte(`{"name":"ok","list":[1]}`), &v); err != nil || v.Name != "ok" {
		t.Errorf("a good document: %v %+v", err, v)
	}
}
