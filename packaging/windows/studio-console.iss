; Inno Setup 6 script: Windows installer for the Studio Console (直播中控台) bundle.
;
; Build the one-folder bundle first, on Windows (see packaging/windows/README.md):
;     .venv\Scripts\python packaging\build_bundle.py
; then compile this script (Inno Setup 6.2 or newer, https://jrsoftware.org/isinfo.php):
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\studio-console.iss
; The installer lands in dist\studio-console-<version>-windows-x64-setup.exe.
; NOT CHECKED on this project's Linux CI: written to Inno Setup's documentation, to be
; compiled and tried on a Windows PC before the first release.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Studio Console"
#define BundleDir "..\..\dist\studio-console"
; The windowed desk (no console window); studio-console.exe beside it is the command-line tool.
#define DeskExe "StudioConsole.exe"
#define CliExe "studio-console.exe"

[Setup]
AppId={{6E0F3B1C-7D0B-4D8E-9C61-3A5F1E0B2C47}
AppName={#AppName}
AppVerName={#AppName} {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=Studio Console team
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Installs for all users (admin) by default; a studio PC without admin rights can choose "only for me".
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename=studio-console-{#AppVersion}-windows-x64-setup
SetupIconFile=studio-console.ico
UninstallDisplayIcon={app}\{#DeskExe}
UninstallDisplayName={#AppName}
; Closing a running desk before an update replaces its files.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[CustomMessages]
english.DeskName=Studio Console
english.LaunchDesk=Open the control desk now
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
chinesesimplified.DeskName=直播中控台
chinesesimplified.LaunchDesk=立即打开中控台
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An update replaces the whole program folder: stale DLLs from an older Qt/OpenCV must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:DeskName}"; Filename: "{app}\{#DeskExe}"
Name: "{autodesktop}\{cm:DeskName}"; Filename: "{app}\{#DeskExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#DeskExe}"; Description: "{cm:LaunchDesk}"; Flags: nowait postinstall skipifsilent

; The event log, settings and layout live in the user's folders (%LOCALAPPDATA%\StudioConsole),
; not in {app}: uninstalling keeps them, like a show's history should be kept.
