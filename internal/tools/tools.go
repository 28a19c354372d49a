//go:build tools

// Package tools pins the versions of the tools CI installs (staticcheck),
// in a module of its own so that library users never download them.
package tools

import (
	_ "honnef.co/go/tools/cmd/staticcheck"
)
