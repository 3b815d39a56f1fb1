//go:build windows

package localca

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// winACL reads and sets file ACLs with the Windows security API.
type winACL struct{}

func hostACL() aclOps { return winACL{} }

// currentUserSID is the SID of the user this process runs as.
func currentUserSID() (*windows.SID, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("reading the current user's SID: %w", err)
	}
	return tu.User.Sid.Copy()
}

func (winACL) Exposure(path string) ([]string, error) {
	user, err := currentUserSID()
	if err != nil {
		return nil, err
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return nil, err
	}
	owner := ""
	if o, _, err := sd.Owner(); err == nil && o != nil {
		owner = o.String()
	}
	dacl, _, err := sd.DACL()
	if err != nil && err != windows.ERROR_OBJECT_NOT_FOUND {
		return nil, fmt.Errorf("reading the DACL: %w", err)
	}
	var aces []aceInfo
	if dacl != nil {
		for i := 0; i < int(dacl.AceCount); i++ {
			var ace *windows.ACCESS_ALLOWED_ACE
			if err := windows.GetAce(dacl, uint32(i), &ace); err != nil {
				return nil, fmt.Errorf("reading ACE %d: %w", i, err)
			}
			info := aceInfo{Mask: uint32(ace.Mask)}
			switch ace.Header.AceType {
			case windows.ACCESS_ALLOWED_ACE_TYPE:
				info.Allow = true
				info.SID = (*windows.SID)(unsafe.Pointer(&ace.SidStart)).String()
			case windows.ACCESS_DENIED_ACE_TYPE:
				info.SID = (*windows.SID)(unsafe.Pointer(&ace.SidStart)).String()
			default:
				// Object or callback ACEs: not something a folder in
				// %AppData% carries; count them as exposure to be safe.
				info.Allow, info.SID = true, fmt.Sprintf("an access entry of type %d", ace.Header.AceType)
			}
			aces = append(aces, info)
		}
	}
	who := aclExposure(owner, dacl == nil, aces, user.String())
	for i, sid := range who {
		who[i] = describeSID(sid)
	}
	return who, nil
}

// describeSID names a SID for a message ("BUILTIN\Users (S-1-5-32-545)").
func describeSID(s string) string {
	sid, err := windows.StringToSid(s)
	if err != nil {
		return s
	}
	account, domain, _, err := sid.LookupAccount("")
	if err != nil || account == "" {
		return s
	}
	if domain != "" {
		account = domain + `\` + account
	}
	return account + " (" + s + ")"
}

func (winACL) Restrict(path string, dir bool) error {
	user, err := currentUserSID()
	if err != nil {
		return err
	}
	inherit := uint32(windows.NO_INHERITANCE)
	if dir {
		inherit = windows.SUB_CONTAINERS_AND_OBJECTS_INHERIT
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.STANDARD_RIGHTS_ALL | 0x1ff, // FILE_ALL_ACCESS (icacls F)
		AccessMode:        windows.SET_ACCESS,
		Inheritance:       inherit,
		Trustee: windows.TRUSTEE{
			TrusteeForm:  windows.TRUSTEE_IS_SID,
			TrusteeType:  windows.TRUSTEE_IS_USER,
			TrusteeValue: windows.TrusteeValueFromSID(user),
		},
	}}, nil)
	if err != nil {
		return err
	}
	// PROTECTED: the parent's entries (Users, …) are no longer inherited.
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
}
