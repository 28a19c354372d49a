package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/afkarlab/afkar"
)

// versionText says which afkar this is, from the build information the
// Go toolchain records in the binary, and which formats it reads and
// writes.
func versionText() string {
	version, module, goVersion := "(unknown)", "github.com/afkarlab/afkar", "go?"
	var vcs []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		version, goVersion = bi.Main.Version, bi.GoVersion
		if bi.Main.Path != "" {
			module = bi.Main.Path
		}
		var revision, at, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if revision != "" {
			vcs = append(vcs, "commit "+revision[:min(12, len(revision))])
			if at != "" {
				vcs = append(vcs, at)
			}
			if modified == "true" {
				vcs = append(vcs, "with local changes")
			}
		}
	}
	if version == "" {
		version = "(devel)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "afkar %s (module %s, %s", version, module, goVersion)
	if len(vcs) > 0 {
		b.WriteString(", " + strings.Join(vcs, ", "))
	}
	b.WriteString(")\n")
	fmt.Fprintf(&b, "reads:  datasets %s (JSON); scores, projects and judges as CSV (',', ';' or tab; decimal point or comma; UTF-8)\n", afkar.Format)
	fmt.Fprintf(&b, "writes: results %s (JSON, CSV, tables); datasets %s (JSON); scores, projects and judges as CSV\n", afkar.ResultFormat, afkar.Format)
	return b.String()
}

func (e *env) version(args []string) error {
	if len(args) > 0 {
		return &usageError{fmt.Sprintf("version takes no arguments, found %q", strings.Join(args, " "))}
	}
	_, err := fmt.Fprint(e.stdout, versionText())
	return err
}
