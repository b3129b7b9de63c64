package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
)

// What the comparison leaves out, and why:
//   - labels and annotations Helm adds for itself (helm.sh/*,
//     meta.helm.sh/*) and the app.kubernetes.io/* labels on objects'
//     metadata: bookkeeping, not behaviour. Selectors and pod template
//     labels are compared, they select pods.
//   - the Namespace: kustomize creates it (with Pod Security "restricted"),
//     Helm leaves it to --create-namespace or the platform.
//   - whitespace inside CEL expressions: the two YAML parsers fold the
//     admission policy's `>-` blocks differently; CEL ignores it.
var onlyInKustomize = map[string]bool{"Namespace": true}

func runCompare(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	chartFile := fs.String("chart", "", "helm template output")
	kustFile := fs.String("kustomize", "", "kustomize build output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	chart, err := indexObjects(*chartFile)
	if err != nil {
		return err
	}
	kust, err := indexObjects(*kustFile)
	if err != nil {
		return err
	}
	var problems []string
	same := 0
	for _, k := range sortedKeys(chart, kust) {
		c, inChart := chart[k]
		u, inKust := kust[k]
		switch {
		case !inChart && inKust && onlyInKustomize[strings.SplitN(k, " ", 2)[0]]:
			continue
		case !inChart:
			problems = append(problems, k+": only in the kustomize build")
		case !inKust:
			problems = append(problems, k+": only in the chart")
		default:
			var diffs []string
			diff("", normalize(c), normalize(u), &diffs)
			for _, d := range diffs {
				problems = append(problems, k+": "+d)
			}
			if len(diffs) == 0 {
				same++
			}
		}
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stdout, "  "+p)
		}
		return fmt.Errorf("%s and %s differ (%d differences; chart left, kustomize right)", *chartFile, *kustFile, len(problems))
	}
	fmt.Fprintf(stdout, "compare: %d objects identical in %s and %s\n", same, *chartFile, *kustFile)
	return nil
}

// indexObjects keys a file's objects by "Kind namespace/name".
func indexObjects(file string) (map[string]map[string]any, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	objs, err := decodeAll(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	out := map[string]map[string]any{}
	for _, o := range objs {
		meta, _ := o["metadata"].(map[string]any)
		ns, _ := meta["namespace"].(string)
		key := fmt.Sprintf("%v %s/%v", o["kind"], ns, meta["name"])
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("%s: %s twice", file, key)
		}
		out[key] = o
	}
	return out, nil
}

func normalize(obj map[string]any) map[string]any {
	obj = deepCopyMap(obj)
	if meta, ok := obj["metadata"].(map[string]any); ok {
		for _, field := range []string{"labels", "annotations"} {
			m, _ := meta[field].(map[string]any)
			for k := range m {
				if strings.HasPrefix(k, "helm.sh/") || strings.HasPrefix(k, "meta.helm.sh/") ||
					(field == "labels" && strings.HasPrefix(k, "app.kubernetes.io/")) {
					delete(m, k)
				}
			}
			if len(m) == 0 {
				delete(meta, field)
			}
		}
	}
	return normalizeCEL(obj).(map[string]any)
}

func normalizeCEL(v any) any {
	switch s := v.(type) {
	case map[string]any:
		for k, val := range s {
			if str, ok := val.(string); ok && (k == "expression" || k == "messageExpression") {
				s[k] = strings.Join(strings.Fields(str), " ")
				continue
			}
			s[k] = normalizeCEL(val)
		}
	case []any:
		for i := range s {
			s[i] = normalizeCEL(s[i])
		}
	}
	return v
}

func deepCopyMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

func deepCopy(v any) any {
	switch s := v.(type) {
	case map[string]any:
		return deepCopyMap(s)
	case []any:
		out := make([]any, len(s))
		for i := range s {
			out[i] = deepCopy(s[i])
		}
		return out
	default:
		return v
	}
}

// sortedKeys is the keys of a and b together, sorted, each once.
func sortedKeys[V any](a, b map[string]V) []string {
	keys := slices.AppendSeq(slices.Collect(maps.Keys(a)), maps.Keys(b))
	slices.Sort(keys)
	return slices.Compact(keys)
}

// diff lists the paths where a and b differ.
func diff(path string, a, b any, out *[]string) {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: %s vs %s", pathOr(path), short(a), short(b)))
			return
		}
		for _, k := range sortedKeys(av, bv) {
			x, inA := av[k]
			y, inB := bv[k]
			switch {
			case !inA:
				*out = append(*out, fmt.Sprintf("%s.%s: missing vs %s", path, k, short(y)))
			case !inB:
				*out = append(*out, fmt.Sprintf("%s.%s: %s vs missing", path, k, short(x)))
			default:
				diff(path+"."+k, x, y, out)
			}
		}
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			*out = append(*out, fmt.Sprintf("%s: %s vs %s", pathOr(path), short(a), short(b)))
			return
		}
		for i := range av {
			diff(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i], out)
		}
	default:
		if !reflect.DeepEqual(a, b) {
			*out = append(*out, fmt.Sprintf("%s: %s vs %s", pathOr(path), short(a), short(b)))
		}
	}
}

func pathOr(p string) string {
	if p == "" {
		return "."
	}
	return p
}

func short(v any) string {
	s := fmt.Sprintf("%#v", v)
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}
