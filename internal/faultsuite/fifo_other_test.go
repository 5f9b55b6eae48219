//go:build !unix

package faultsuite

import "errors"

func mkfifo(string) error { return errors.New("no named pipes here") }
