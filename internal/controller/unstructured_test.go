package controller_test

import "k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

type unstructuredObj = unstructured.Unstructured
