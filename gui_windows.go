//go:build windows

package main

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// hideOwnConsole hides the console window Windows opens for authlens.exe
// when the app is started from Explorer, the Start menu or a .har file.
// authlens.exe is a console program so that `authlens analyze` prints in
// cmd and PowerShell; a console that holds this process alone was made for
// it and is hidden, one shared with a shell stays.
func hideOwnConsole() {
	k32 := windows.NewLazySystemDLL("kernel32.dll")
	var pids [2]uint32
	n, _, _ := k32.NewProc("GetConsoleProcessList").Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	if n != 1 {
		return
	}
	hwnd, _, _ := k32.NewProc("GetConsoleWindow").Call()
	if hwnd == 0 {
		return
	}
	const swHide = 0
	windows.NewLazySystemDLL("user32.dll").NewProc("ShowWindow").Call(hwnd, swHide)
}
