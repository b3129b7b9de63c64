// Command chartcheck is the offline half of `make chart-test`:
//
//	chartcheck schemas -swagger FILE -out DIR CRD_FILE_OR_DIR...
//	    writes kubeconform schemas (strict: unknown fields are errors) for
//	    every kind of Kubernetes' own OpenAPI (api/openapi-spec/swagger.json
//	    of the k8s.io/kubernetes module, so no download) and for every
//	    version of the given CRDs, laid out for the kubeconform schema
//	    location DIR/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json
//	chartcheck compare -chart FILE -kustomize FILE
//	    compares the objects of a Helm render and a kustomize build and
//	    fails on any difference that matters (see normalize).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: chartcheck schemas|compare ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "schemas":
		err = runSchemas(os.Args[2:])
	case "compare":
		err = runCompare(os.Args[2:], os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chartcheck:", err)
		os.Exit(1)
	}
}

// ---- schemas ---------------------------------------------------------------

const definitionsFile = "_definitions.json"
const objectMetaDef = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

func runSchemas(args []string) error {
	fs := flag.NewFlagSet("schemas", flag.ContinueOnError)
	swagger := fs.String("swagger", "", "Kubernetes' swagger.json (OpenAPI v2)")
	out := fs.String("out", "", "output directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *swagger == "" || *out == "" {
		return errors.New("schemas needs -swagger and -out")
	}
	raw, err := os.ReadFile(*swagger)
	if err != nil {
		return err
	}
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("%s: %w", *swagger, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	defs := map[string]any{}
	kinds := 0
	for name, def := range doc.Definitions {
		defs[name] = convertK8s(name, def)
		gvks, _ := def["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			gvk, _ := g.(map[string]any)
			group, _ := gvk["group"].(string)
			version, _ := gvk["version"].(string)
			kind, _ := gvk["kind"].(string)
			ref := map[string]any{"$ref": "../" + definitionsFile + "#/definitions/" + name}
			if err := writeSchema(*out, group, version, kind, ref); err != nil {
				return err
			}
			kinds++
		}
	}
	if err := writeJSON(filepath.Join(*out, definitionsFile), map[string]any{"definitions": defs}); err != nil {
		return err
	}
	crds := 0
	for _, path := range fs.Args() {
		files := []string{path}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			files, _ = filepath.Glob(filepath.Join(path, "*.yaml"))
		}
		for _, f := range files {
			n, err := crdSchemas(f, *out)
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			crds += n
		}
	}
	fmt.Printf("schemas: %d Kubernetes kinds, %d CRD versions in %s\n", kinds, crds, *out)
	return nil
}

// convertK8s makes one definition of Kubernetes' OpenAPI strict and fixes
// the types that OpenAPI v2 cannot say (as openapi2jsonschema does).
func convertK8s(name string, def map[string]any) any {
	switch name {
	case "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
		return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
	case "io.k8s.apimachinery.pkg.api.resource.Quantity":
		return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}}
	}
	return strict(def)
}

// strict walks a schema: drops descriptions, adds additionalProperties:
// false wherever properties are listed (unless unknown fields are kept),
// and turns the x-kubernetes-int-or-string and nullable extensions into
// plain JSON schema.
func strict(v any) any {
	switch s := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range s {
			switch k {
			case "description", "x-kubernetes-group-version-kind":
				continue
			case "properties", "patternProperties", "definitions":
				props := map[string]any{}
				for pk, pv := range val.(map[string]any) {
					props[pk] = strict(pv)
				}
				out[k] = props
			default:
				out[k] = strict(val)
			}
		}
		if _, ok := s["properties"]; ok {
			if _, set := s["additionalProperties"]; !set && s["x-kubernetes-preserve-unknown-fields"] != true {
				out["additionalProperties"] = false
			}
		}
		if s["x-kubernetes-int-or-string"] == true {
			delete(out, "type")
			delete(out, "format")
			out["oneOf"] = []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}
		}
		if s["nullable"] == true {
			if t, ok := out["type"].(string); ok {
				out["type"] = []any{t, "null"}
			}
		}
		return out
	case []any:
		out := make([]any, len(s))
		for i := range s {
			out[i] = strict(s[i])
		}
		return out
	default:
		return v
	}
}

// crdSchemas writes one schema per served version of every CRD in file;
// metadata is checked against Kubernetes' ObjectMeta.
func crdSchemas(file, out string) (int, error) {
	docs, err := readObjects(file)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, obj := range docs {
		if obj["kind"] != "CustomResourceDefinition" {
			continue
		}
		spec, _ := obj["spec"].(map[string]any)
		group, _ := spec["group"].(string)
		names, _ := spec["names"].(map[string]any)
		kind, _ := names["kind"].(string)
		versions, _ := spec["versions"].([]any)
		for _, v := range versions {
			ver, _ := v.(map[string]any)
			name, _ := ver["name"].(string)
			schema, _ := ver["schema"].(map[string]any)
			root, ok := schema["openAPIV3Schema"].(map[string]any)
			if !ok {
				return n, fmt.Errorf("%s %s has no openAPIV3Schema", kind, name)
			}
			s := strict(root).(map[string]any)
			props, _ := s["properties"].(map[string]any)
			if props == nil {
				props = map[string]any{}
				s["properties"] = props
			}
			props["metadata"] = map[string]any{"$ref": "../" + definitionsFile + "#/definitions/" + objectMetaDef}
			props["apiVersion"] = map[string]any{"enum": []any{group + "/" + name}}
			props["kind"] = map[string]any{"enum": []any{kind}}
			s["additionalProperties"] = false
			if err := writeSchema(out, group, name, kind, s); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// writeSchema lays a schema out as kubeconform's template
// {{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json expects:
// the core group is named by its version ("v1"), kinds are lower case.
func writeSchema(out, group, version, kind string, schema any) error {
	dir := group
	if dir == "" {
		dir = version
	}
	path := filepath.Join(out, dir, strings.ToLower(kind)+"_"+version+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeJSON(path, schema)
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// readObjects reads every YAML document of a file as a map.
func readObjects(file string) ([]map[string]any, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeAll(f)
}

func decodeAll(r io.Reader) ([]map[string]any, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	var out []map[string]any
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var obj map[string]any
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			return nil, err
		}
		if obj == nil {
			continue
		}
		if obj["kind"] == "List" {
			items, _ := obj["items"].([]any)
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					out = append(out, m)
				}
			}
			continue
		}
		out = append(out, obj)
	}
}
