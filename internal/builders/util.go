package builders

import (
	"sort"
	"strconv"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type metav1LabelSelector = metav1.LabelSelector

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func resourceMustParse(s string) resource.Quantity { return resource.MustParse(s) }

func itoa(i int32) string { return strconv.Itoa(int(i)) }
