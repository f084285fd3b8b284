package fakegh

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// openAPIFile is GitHub's REST description, relative to the fixtures folder.
const openAPIFile = "github/openapi/api.github.com.json"

// apiSpec is the part of GitHub's OpenAPI description the fake checks
// traffic against: which method+path pairs exist, and for each operation
// (decoded lazily, on first use) its request body and response codes.
type apiSpec struct {
	ops     map[string][]*operation // by upper-case method
	schemas map[string]json.RawMessage
	resps   map[string]json.RawMessage // components/responses
	bodies  map[string]json.RawMessage // components/requestBodies
}

var (
	specOnce sync.Once
	specVal  *apiSpec
	specErr  error
)

// loadSpec decodes the 13 MB description once per process. Only the path
// keys are compiled eagerly; each operation keeps its raw JSON until a request
// needs it.
func loadSpec() (*apiSpec, error) {
	specOnce.Do(func() {
		dir, err := findFixtures()
		if err != nil {
			specErr = err
			return
		}
		specVal, specErr = parseSpecFile(filepath.Join(dir, openAPIFile))
	})
	return specVal, specErr
}

func parseSpecFile(path string) (*apiSpec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read OpenAPI description: %w", err)
	}
	top, err := members(b)
	if err != nil {
		return nil, fmt.Errorf("decode OpenAPI description %s: %w", path, err)
	}
	doc := memberMap(top)
	paths, err := members(doc["paths"])
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("OpenAPI description %s: no paths (%v)", path, err)
	}
	comps, err := members(doc["components"])
	if err != nil {
		return nil, fmt.Errorf("OpenAPI description %s: components: %w", path, err)
	}
	s := &apiSpec{ops: map[string][]*operation{}}
	for _, c := range comps {
		var table *map[string]json.RawMessage
		switch c.key {
		case "schemas":
			table = &s.schemas
		case "responses":
			table = &s.resps
		case "requestBodies":
			table = &s.bodies
		default:
			continue
		}
		ms, err := members(c.val)
		if err != nil {
			return nil, fmt.Errorf("OpenAPI description %s: components/%s: %w", path, c.key, err)
		}
		*table = memberMap(ms)
	}
	for _, p := range paths {
		tmpl := p.key
		segs, err := compileTemplate(tmpl)
		if err != nil {
			return nil, err
		}
		methods, err := members(p.val)
		if err != nil {
			return nil, fmt.Errorf("OpenAPI path %q: %w", tmpl, err)
		}
		for _, mm := range methods {
			m, raw := mm.key, json.RawMessage(mm.val)
			switch m {
			case "get", "post", "put", "patch", "delete", "head", "options":
			default:
				continue // path-level "parameters", "summary", …
			}
			M := strings.ToUpper(m)
			s.ops[M] = append(s.ops[M], &operation{Method: M, Template: tmpl, segs: segs, raw: raw})
		}
	}
	// Literal segments beat parameters, so /repos/{o}/{r}/issues/comments is
	// preferred to /repos/{o}/{r}/issues/{issue_number} for "comments".
	for _, list := range s.ops {
		sort.Slice(list, func(i, j int) bool {
			return list[i].rank() > list[j].rank() || list[i].rank() == list[j].rank() && list[i].Template < list[j].Template
		})
	}
	return s, nil
}

// segment is one "/"-separated piece of a path template.
type segment struct {
	literal string         // when re is nil
	re      *regexp.Regexp // a segment with parameters, e.g. "{base}...{head}"
	param   bool           // the whole segment is one parameter
	greedy  bool           // a trailing {path} or {ref}: may span slashes
}

var paramRE = regexp.MustCompile(`\{[^}]+\}`)

func compileTemplate(tmpl string) ([]segment, error) {
	parts := strings.Split(strings.TrimPrefix(tmpl, "/"), "/")
	segs := make([]segment, len(parts))
	for i, p := range parts {
		switch {
		case !strings.Contains(p, "{"):
			segs[i] = segment{literal: p}
		case paramRE.ReplaceAllString(p, "") == "":
			if strings.Count(p, "{") != 1 {
				return nil, fmt.Errorf("OpenAPI path %q: adjacent parameters in %q", tmpl, p)
			}
			// GitHub documents contents/{path} and git/refs/{ref} with
			// slashes inside the parameter ("heads/main", "a/b.txt").
			greedy := i == len(parts)-1 && (p == "{path}" || p == "{ref}")
			segs[i] = segment{param: true, greedy: greedy}
		default:
			re, err := regexp.Compile("^" + quoteAround(p) + "$")
			if err != nil {
				return nil, fmt.Errorf("OpenAPI path %q: %w", tmpl, err)
			}
			segs[i] = segment{re: re}
		}
	}
	return segs, nil
}

// quoteAround turns "{base}...{head}" into `.+?\.\.\..+?`.
func quoteAround(p string) string {
	var b strings.Builder
	last := 0
	for _, loc := range paramRE.FindAllStringIndex(p, -1) {
		b.WriteString(regexp.QuoteMeta(p[last:loc[0]]))
		b.WriteString(".+?")
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(p[last:]))
	return b.String()
}

// operation is one documented method+path.
type operation struct {
	Method, Template string
	segs             []segment
	raw              json.RawMessage

	once   sync.Once
	detail opDetail
}

// rank orders candidates: more literal segments first, a greedy tail last.
func (o *operation) rank() int {
	n := 0
	for _, s := range o.segs {
		if !s.param {
			n += 2
		}
	}
	if o.segs[len(o.segs)-1].greedy {
		n--
	}
	return n
}

func (o *operation) match(parts []string) bool {
	if len(parts) < len(o.segs) {
		return false
	}
	for i, s := range o.segs {
		if s.greedy {
			return parts[i] != "" // the last segment takes the rest
		}
		if i >= len(parts) {
			return false
		}
		p := parts[i]
		switch {
		case s.param:
			if p == "" {
				return false
			}
		case s.re != nil:
			if !s.re.MatchString(p) {
				return false
			}
		default:
			if p != s.literal {
				return false
			}
		}
	}
	return len(parts) == len(o.segs)
}

// find returns the documented operation for method and an escaped path
// (without the /api/v3 prefix), or nil.
func (s *apiSpec) find(method, path string) *operation {
	if method == "HEAD" {
		method = "GET" // GitHub answers HEAD wherever GET is documented
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, o := range s.ops[method] {
		if o.match(parts) {
			return o
		}
	}
	return nil
}

// opDetail is what the fake checks about one operation.
type opDetail struct {
	err error

	hasBody      bool           // a JSON request body is documented
	bodyRequired bool           // requestBody.required
	body         *shape         // nil when the schema is not an object
	responses    map[int]*shape // documented codes; nil shape = no JSON body checked
	defaultResp  bool           // a "default" response is documented
}

// shape is the top level of a JSON schema: required properties (any one of
// alts must be met) and the declared types and enums of top-level properties.
type shape struct {
	array bool       // the body is an array of such objects
	alts  [][]string // required property sets; empty = nothing required
	props map[string]propShape
}

type propShape struct {
	types    []string // JSON schema types ("string", "integer", …); empty = any
	nullable bool
	enum     []any
}

func (s *apiSpec) details(o *operation) *opDetail {
	o.once.Do(func() { o.detail = s.decodeOp(o) })
	return &o.detail
}

type rawSchema struct {
	Ref        string                     `json:"$ref"`
	Type       json.RawMessage            `json:"type"`
	Nullable   bool                       `json:"nullable"`
	Required   []string                   `json:"required"`
	Properties map[string]json.RawMessage `json:"properties"`
	Items      json.RawMessage            `json:"items"`
	OneOf      []json.RawMessage          `json:"oneOf"`
	AnyOf      []json.RawMessage          `json:"anyOf"`
	AllOf      []json.RawMessage          `json:"allOf"`
	Enum       []any                      `json:"enum"`
}

type rawMedia struct {
	Schema json.RawMessage `json:"schema"`
}

type rawBody struct {
	Ref      string              `json:"$ref"`
	Required bool                `json:"required"`
	Content  map[string]rawMedia `json:"content"`
}

func (s *apiSpec) decodeOp(o *operation) opDetail {
	var op struct {
		RequestBody json.RawMessage            `json:"requestBody"`
		Responses   map[string]json.RawMessage `json:"responses"`
	}
	var d opDetail
	if err := json.Unmarshal(o.raw, &op); err != nil {
		d.err = fmt.Errorf("decode %s %s: %w", o.Method, o.Template, err)
		return d
	}
	if len(op.RequestBody) > 0 {
		var rb rawBody
		if err := s.decodeRef(op.RequestBody, s.bodies, "#/components/requestBodies/", &rb); err != nil {
			d.err = err
			return d
		}
		d.bodyRequired = rb.Required
		for ct, m := range rb.Content {
			if !strings.Contains(ct, "json") {
				continue
			}
			d.hasBody = true
			d.body = s.shapeOf(m.Schema, 0)
		}
	}
	d.responses = map[int]*shape{}
	for code, raw := range op.Responses {
		if code == "default" {
			d.defaultResp = true
			continue
		}
		n, err := strconv.Atoi(code)
		if err != nil {
			continue
		}
		var rb rawBody
		if err := s.decodeRef(raw, s.resps, "#/components/responses/", &rb); err != nil {
			d.err = err
			return d
		}
		var sh *shape
		for ct, m := range rb.Content {
			if strings.Contains(ct, "json") && len(m.Schema) > 0 {
				sh = s.shapeOf(m.Schema, 0)
			}
		}
		d.responses[n] = sh
	}
	return d
}

// decodeRef decodes raw into v, following one "$ref" into table.
func (s *apiSpec) decodeRef(raw json.RawMessage, table map[string]json.RawMessage, prefix string, v any) error {
	var ref struct {
		Ref string `json:"$ref"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		return err
	}
	if ref.Ref != "" {
		name, ok := strings.CutPrefix(ref.Ref, prefix)
		if !ok || table[name] == nil {
			return fmt.Errorf("unresolvable $ref %q", ref.Ref)
		}
		raw = table[name]
	}
	return json.Unmarshal(raw, v)
}

// resolveSchema follows "$ref"s to components/schemas.
func (s *apiSpec) resolveSchema(raw json.RawMessage) (*rawSchema, error) {
	for range 16 {
		var rs rawSchema
		if err := json.Unmarshal(raw, &rs); err != nil {
			return nil, err
		}
		if rs.Ref == "" {
			return &rs, nil
		}
		name, ok := strings.CutPrefix(rs.Ref, "#/components/schemas/")
		if !ok || s.schemas[name] == nil {
			return nil, fmt.Errorf("unresolvable $ref %q", rs.Ref)
		}
		raw = s.schemas[name]
	}
	return nil, fmt.Errorf("$ref chain too long")
}

// shapeOf reduces a schema to its top level; nil when it is not an object or
// an array of objects (or cannot be resolved: the fake then checks less).
func (s *apiSpec) shapeOf(raw json.RawMessage, depth int) *shape {
	if len(raw) == 0 || depth > 4 {
		return nil
	}
	rs, err := s.resolveSchema(raw)
	if err != nil {
		return nil
	}
	types := schemaTypes(rs.Type)
	if len(types) == 1 && types[0] == "array" {
		if depth > 0 {
			return nil
		}
		item := s.shapeOf(rs.Items, depth+1)
		if item == nil {
			return &shape{array: true}
		}
		item.array = true
		return item
	}
	sh := &shape{props: map[string]propShape{}}
	switch {
	case len(rs.OneOf) > 0 || len(rs.AnyOf) > 0:
		for _, alt := range append(rs.OneOf, rs.AnyOf...) {
			a := s.shapeOf(alt, depth+1)
			if a == nil || a.array {
				return nil // an alternative that is not an object: check nothing
			}
			if len(a.alts) == 0 {
				sh.alts = nil
				break
			}
			sh.alts = append(sh.alts, a.alts...)
		}
	case len(rs.AllOf) > 0:
		var req []string
		for _, part := range rs.AllOf {
			if a := s.shapeOf(part, depth+1); a != nil && len(a.alts) == 1 {
				req = append(req, a.alts[0]...)
				for k, v := range a.props {
					sh.props[k] = v
				}
			}
		}
		if len(req) > 0 {
			sh.alts = [][]string{req}
		}
	}
	if len(types) > 0 && !(len(types) == 1 && types[0] == "object") && len(rs.Properties) == 0 {
		return nil
	}
	if len(rs.Required) > 0 {
		if len(sh.alts) == 0 {
			sh.alts = [][]string{rs.Required}
		} else {
			for i := range sh.alts {
				sh.alts[i] = append(append([]string(nil), sh.alts[i]...), rs.Required...)
			}
		}
	}
	for name, p := range rs.Properties {
		ps, err := s.resolveSchema(p)
		if err != nil {
			continue
		}
		sh.props[name] = propShape{types: schemaTypes(ps.Type), nullable: ps.Nullable, enum: ps.Enum}
	}
	return sh
}

func schemaTypes(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

// check reports why a decoded JSON value does not fit the shape ("" if it does).
func (sh *shape) check(v any) []string {
	if sh == nil {
		return nil
	}
	if sh.array {
		list, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("want a JSON array, got %s", jsonKind(v))}
		}
		var probs []string
		for i, e := range list {
			for _, p := range sh.object(e) {
				probs = append(probs, fmt.Sprintf("[%d]: %s", i, p))
			}
			if len(probs) > 10 {
				break
			}
		}
		return probs
	}
	return sh.object(v)
}

func (sh *shape) object(v any) []string {
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("want a JSON object, got %s", jsonKind(v))}
	}
	var probs []string
	if len(sh.alts) > 0 {
		var best []string
		for i, alt := range sh.alts {
			var missing []string
			for _, k := range alt {
				if _, ok := obj[k]; !ok {
					missing = append(missing, k)
				}
			}
			if len(missing) == 0 {
				best = nil
				break
			}
			if i == 0 || len(missing) < len(best) {
				best = missing
			}
		}
		if len(best) > 0 {
			probs = append(probs, fmt.Sprintf("missing required properties %q", best))
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ps, ok := sh.props[k]
		if !ok {
			continue
		}
		val := obj[k]
		if val == nil {
			if !ps.nullable && len(ps.types) > 0 && !contains(ps.types, "null") {
				probs = append(probs, fmt.Sprintf("property %q is null, but it is not nullable", k))
			}
			continue
		}
		if len(ps.types) > 0 && !typeFits(ps.types, val) {
			probs = append(probs, fmt.Sprintf("property %q is %s, want %s", k, jsonKind(val), strings.Join(ps.types, " or ")))
			continue
		}
		if len(ps.enum) > 0 && !enumHas(ps.enum, val) {
			probs = append(probs, fmt.Sprintf("property %q is %v, want one of %v", k, val, ps.enum))
		}
	}
	return probs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func typeFits(types []string, v any) bool {
	for _, t := range types {
		switch t {
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "integer":
			if n, ok := v.(float64); ok && n == float64(int64(n)) {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		default:
			return true
		}
	}
	return false
}

func enumHas(enum []any, v any) bool {
	for _, e := range enum {
		if e == v {
			return true
		}
	}
	return false
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
