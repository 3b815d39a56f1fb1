//go:build !windows

package main

// hideOwnConsole is Windows-only (gui_windows.go).
func hideOwnConsole() {}
