; AuthLens per-user installer (makensis, from packaging/package.sh).
; No administrator rights: everything goes under the user's profile and
; HKCU. Defines from the command line: VERSION, VERSION4, COMMIT, SRCDIR
; (authlens.exe and README.txt), OUTFILE.
Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"

!define APP "AuthLens"
!define PROGID "AuthLens.har"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\AuthLens"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\AuthLens"
InstallDirRegKey HKCU "Software\AuthLens" "InstallDir"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} ${VERSION} installer (commit ${COMMIT})"
VIAddVersionKey "LegalCopyright" "AuthLens contributors"

!define MUI_FINISHPAGE_RUN "$INSTDIR\authlens.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open AuthLens on its demo trace"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "AuthLens"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SRCDIR}\authlens.exe"
  File "${SRCDIR}\README.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\AuthLens" "InstallDir" "$INSTDIR"

  CreateShortcut "$SMPROGRAMS\AuthLens.lnk" "$INSTDIR\authlens.exe" "" "$INSTDIR\authlens.exe" 0

  ; .har opens in AuthLens. Windows matches the last extension only, so
  ; .har.gz is a .gz file to it: AuthLens is offered in its "Open with".
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "HTTP Archive (HAR)"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\authlens.exe,0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\authlens.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\.har" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\.har\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\.gz\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\Applications\authlens.exe\shell\open\command" "" '"$INSTDIR\authlens.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\Applications\authlens.exe\SupportedTypes" ".har" ""
  WriteRegStr HKCU "Software\Classes\Applications\authlens.exe\SupportedTypes" ".gz" ""

  ; Settings > Apps lists it, for the current user.
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "AuthLens"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\authlens.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1

  ; SHCNE_ASSOCCHANGED: Explorer picks up the association now.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\authlens.exe"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\AuthLens.lnk"

  ReadRegStr $0 HKCU "Software\Classes\.har" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegValue HKCU "Software\Classes\.har" ""
  DeleteRegValue HKCU "Software\Classes\.har\OpenWithProgids" "${PROGID}"
  DeleteRegValue HKCU "Software\Classes\.gz\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\.har\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "Software\Classes\.har"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\authlens.exe"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\AuthLens"
  ; %AppData%\authlens (the capture CA) is the user's data and stays:
  ; delete the folder by hand to remove the CA key as well.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
