package fakegh

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The description is 13 MB; encoding/json takes over a second to read it
// under -race. These few functions only find where the members of an object
// start and end, without decoding, and are exempt from race
// instrumentation, so loading stays well under 100 ms. The pieces that are
// used are decoded with encoding/json later, which validates them.

// member is one "key": value pair of a JSON object; val is the raw value.
type member struct {
	key string
	val []byte
}

// members lists the members of the JSON object b (surrounding whitespace
// allowed).
//
//go:norace
func members(b []byte) ([]member, error) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, fmt.Errorf("offset %d: want a JSON object", i)
	}
	i++
	var out []member
	for {
		i = skipWS(b, i)
		if i < len(b) && b[i] == '}' {
			return out, nil
		}
		if i >= len(b) || b[i] != '"' {
			return nil, fmt.Errorf("offset %d: want a key", i)
		}
		end, err := skipString(b, i)
		if err != nil {
			return nil, err
		}
		key := string(b[i+1 : end-1])
		if strings.IndexByte(key, '\\') >= 0 {
			if err := json.Unmarshal(b[i:end], &key); err != nil {
				return nil, fmt.Errorf("offset %d: %w", i, err)
			}
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, fmt.Errorf("offset %d: want ':'", i)
		}
		i = skipWS(b, i+1)
		start := i
		if i, err = skipValue(b, i); err != nil {
			return nil, err
		}
		out = append(out, member{key: key, val: b[start:i]})
		i = skipWS(b, i)
		if i < len(b) && b[i] == ',' {
			i++
			continue
		}
		if i < len(b) && b[i] == '}' {
			return out, nil
		}
		return nil, fmt.Errorf("offset %d: want ',' or '}'", i)
	}
}

//go:norace
func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset just past the string starting at b[i] == '"'.
//
//go:norace
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("offset %d: unterminated string", i)
}

// skipValue returns the offset just past the value starting at b[i].
//
//go:norace
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, fmt.Errorf("offset %d: want a value", i)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, fmt.Errorf("offset %d: unterminated value", i)
	}
	j := i
	for j < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[j])) {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("offset %d: want a value", i)
	}
	return j, nil
}

// memberMap indexes members by key.
func memberMap(ms []member) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(ms))
	for _, x := range ms {
		m[x.key] = x.val
	}
	return m
}
