// Command printers_golden records the cells of kubectl's server-side tables, as a real
// kube-apiserver computes them, for the objects in a fixture file. It runs the real
// printers of k8s.io/kubernetes (pkg/printers/internalversion, the code behind every
// `kubectl get` table) with Wide set, as the API server does, so that the Python port in
// mcp_kubectl/shaping/printers.py can be checked against the original, not against itself.
//
//	go build -trimpath -o /tmp/printers_golden . && /tmp/printers_golden cases.json > golden.json
//
// (fixtures/printers/README.md has the whole recipe.)
//
// Ages depend on the clock: every timestamp in the input is shifted so that the file's
// "now" is this process's now, and the cells read as if printed at that instant.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/events/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	"k8s.io/kubernetes/pkg/printers"
	"k8s.io/kubernetes/pkg/printers/internalversion"
)

type input struct {
	Now    string     `json:"now"`
	Origin string     `json:"origin"`
	Cases  []testCase `json:"cases"`
}

type column struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Priority int32  `json:"priority"`
}

type golden struct {
	Case    string          `json:"case"`
	Object  json.RawMessage `json:"object"`
	Columns []column        `json:"columns"`
	Cells   []interface{}   `json:"cells"`
}

type testCase struct {
	Name   string          `json:"name"`
	Object json.RawMessage `json:"object"`
}

// shift moves every RFC 3339 string in v by d.
func shift(v interface{}, d time.Duration) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			x[k] = shift(e, d)
		}
	case []interface{}:
		for i, e := range x {
			x[i] = shift(e, d)
		}
	case string:
		// Time (whole seconds) or MicroTime (six digits): written back in the same form.
		for _, layout := range []string{"2006-01-02T15:04:05.000000Z07:00", time.RFC3339} {
			if t, err := time.Parse(layout, x); err == nil {
				return t.Add(d).UTC().Format(layout)
			}
		}
	}
	return v
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		return err
	}
	var in input
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	now, err := time.Parse(time.RFC3339, in.Now)
	if err != nil {
		return err
	}
	generator := printers.NewTableGenerator().With(internalversion.AddHandlers)
	decoder := legacyscheme.Codecs.UniversalDecoder()
	var out []golden
	for _, c := range in.Cases {
		raw := c.Object
		var generic interface{}
		if err := json.Unmarshal(raw, &generic); err != nil {
			return err
		}
		// Taken just before the case prints: ages are off by the microseconds it takes.
		offset := time.Since(now)
		var copied interface{}
		_ = json.Unmarshal(raw, &copied)
		shifted, _ := json.Marshal(shift(copied, offset))
		obj, _, err := decoder.Decode(shifted, nil, nil)
		if err != nil {
			return fmt.Errorf("decode %s: %w", c.Name, err)
		}
		table, err := generator.GenerateTable(obj, printers.GenerateOptions{Wide: true})
		if err != nil {
			return fmt.Errorf("print %s: %w", c.Name, err)
		}
		// The object as the API server serves it: defaulted (a CronJob's suspend, a
		// PVC's volumeMode, ...), which is what the port sees on a real cluster.
		gv, err := schema.ParseGroupVersion(fmt.Sprint(generic.(map[string]interface{})["apiVersion"]))
		if err != nil {
			return err
		}
		defaulted, _, err := decoder.Decode(raw, nil, nil)
		if err != nil {
			return err
		}
		served, err := runtime.Encode(legacyscheme.Codecs.LegacyCodec(gv), defaulted)
		if err != nil {
			return fmt.Errorf("encode %s: %w", c.Name, err)
		}
		g := golden{Case: c.Name, Object: served}
		for _, c := range table.ColumnDefinitions {
			g.Columns = append(g.Columns, column{c.Name, c.Type, c.Priority})
		}
		g.Cells = table.Rows[0].Cells
		out = append(out, g)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", " ")
	return encoder.Encode(map[string]interface{}{
		"origin": "k8s.io/kubernetes v1.37.2 pkg/printers/internalversion, run by tests/printers_golden (Wide, as the API server prints)",
		"now":    in.Now,
		"cases":  out,
	})
}
