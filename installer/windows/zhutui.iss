; Inno Setup 6.5+ script: the per-user installer of 职工创新助推申报助手 for Windows.
;
; Built by installer\windows\build.ps1, which first builds the frozen bundle dist\zhutui\ from
; installer\zhutui.spec and passes the package's one version number (app\__init__.py):
;   ISCC.exe /DAppVersion=<version> /DSourceDir=...\dist\zhutui installer\windows\zhutui.iss
;
; No administrator rights are needed: the program goes to %LOCALAPPDATA%\Programs\zhutui, the
; shortcuts and the .zhutui association to the user's own Start menu, desktop and registry
; (HKCU). The user's workspace (%LOCALAPPDATA%\zhutui\zhutui: applications, scans, backups) is a
; different folder that neither an upgrade nor the uninstaller touches.
; tests/test_installer.py checks that what this file names exists and agrees with the spec.

#ifndef AppVersion
  #error AppVersion is not defined: build with installer\windows\build.ps1 (it reads app\__init__.py)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\zhutui"
#endif
#define AppName "职工创新助推申报助手"
#define AppExeName "zhutui.exe"
#define CliExeName "zhutui-cli.exe"
#define BundleExt ".zhutui"
#define BundleProgId "Zhutui.HandoverBundle"
#define BundleTypeName "职工创新助推交接包"
#define DataFolder "{localappdata}\zhutui\zhutui"

[Setup]
AppId={{09730E3F-2BA2-48A1-867F-513086D1F32E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={localappdata}\Programs\zhutui
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=zhutui-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\zhutui.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "associate"; Description: "双击交接包（{#BundleExt}）时用{#AppName}打开"; GroupDescription: "文件关联："

[InstallDelete]
; An upgrade replaces the program's own files completely (never the user's data folder).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; Double-clicking a hand-over bundle runs "zhutui.exe FILE.zhutui": the import preview, in the
; window already open if there is one.
Root: HKA; Subkey: "Software\Classes\{#BundleExt}\OpenWithProgids"; ValueType: string; ValueName: "{#BundleProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#BundleExt}"; ValueType: string; ValueName: ""; ValueData: "{#BundleProgId}"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}"; ValueType: string; ValueName: ""; ValueData: "{#BundleTypeName}"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: "{#BundleExt}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself left in its own folder; the data folder stays.
Type: dirifempty; Name: "{app}"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(ExpandConstant('{#DataFolder}')) and not UninstallSilent then
    MsgBox('程序已卸载。您的申报、扫描件和备份仍保存在：' + #13#10 + ExpandConstant('{#DataFolder}') + #13#10 + #13#10 +
           '重新安装后会继续使用这些内容；确实不再需要时，可以手动删除这个文件夹。', mbInformation, MB_OK);
end;
