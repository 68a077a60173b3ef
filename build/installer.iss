; Inno Setup 6 script of the Windows installer: a per-user install of the PyInstaller folder.
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\dist\bankcode build\installer.iss
;
; Installs into %LOCALAPPDATA%\Programs\bankcode without administrator rights, adds a
; Start-menu entry and an uninstaller. The program keeps its data (directory database,
; trained models, logs) in %LOCALAPPDATA%\bankcode, the platformdirs user data folder
; of core/paths.py; the uninstaller deletes that folder only when the user ticks the box.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\bankcode"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "bankcode"
#define AppExe "bankcode-gui.exe"

[Setup]
; A fixed AppId lets a new version install over the old one; never change it.
AppId={{6C0E7B52-2F0B-4B8E-9E55-4A1B0B2C7D31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=bankcode
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user: no UAC prompt, {autopf} is %LOCALAPPDATA%\Programs, uninstall entry under HKCU.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=bankcode-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersion}
CloseApplications=yes

[Languages]
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
DesktopIcon=在桌面创建快捷方式
SelftestIcon=bankcode 安装自检
DeleteDataTitle=卸载 bankcode
DeleteDataText=程序文件将被删除。下面的数据目录中保存着行号数据库、自己训练的模型和日志：
DeleteDataCheck=同时删除这些数据（无法恢复）
DeleteDataContinue=继续卸载

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
; The whole one-folder app; replacing it on upgrade leaves the user data folder alone.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Files of an older version that the new one no longer ships (PyInstaller names change).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:SelftestIcon}"; Filename: "{cmd}"; Parameters: "/k ""{app}\bankcode.exe"" selftest"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  DeleteUserData: Boolean;

function UserDataDir(): String;
begin
  { core/paths.py: platformdirs.user_data_dir("bankcode", appauthor=False) on Windows. }
  Result := ExpandConstant('{localappdata}\{#AppName}');
end;

{ Asks before anything is removed; a silent uninstall always keeps the data. }
function InitializeUninstall(): Boolean;
var
  Form: TSetupForm;
  Text: TNewStaticText;
  PathText: TNewStaticText;
  Check: TNewCheckBox;
  OkButton: TNewButton;
begin
  Result := True;
  DeleteUserData := False;
  if UninstallSilent() or not DirExists(UserDataDir()) then
    Exit;

  Form := CreateCustomForm();
  try
    Form.ClientWidth := ScaleX(420);
    Form.ClientHeight := ScaleY(150);
    Form.Caption := CustomMessage('DeleteDataTitle');

    Text := TNewStaticText.Create(Form);
    Text.Parent := Form;
    Text.Left := ScaleX(12);
    Text.Top := ScaleY(12);
    Text.Width := Form.ClientWidth - ScaleX(24);
    Text.WordWrap := True;
    Text.AutoSize := True;
    Text.Caption := CustomMessage('DeleteDataText');

    PathText := TNewStaticText.Create(Form);
    PathText.Parent := Form;
    PathText.Left := ScaleX(12);
    PathText.Top := ScaleY(56);
    PathText.Caption := UserDataDir();

    Check := TNewCheckBox.Create(Form);
    Check.Parent := Form;
    Check.Left := ScaleX(12);
    Check.Top := ScaleY(80);
    Check.Width := Form.ClientWidth - ScaleX(24);
    Check.Caption := CustomMessage('DeleteDataCheck');
    Check.Checked := False;

    OkButton := TNewButton.Create(Form);
    OkButton.Parent := Form;
    OkButton.Width := ScaleX(100);
    OkButton.Height := ScaleY(24);
    OkButton.Left := Form.ClientWidth - OkButton.Width - ScaleX(12);
    OkButton.Top := Form.ClientHeight - OkButton.Height - ScaleY(12);
    OkButton.Caption := CustomMessage('DeleteDataContinue');
    OkButton.ModalResult := mrOk;
    OkButton.Default := True;

    Form.ActiveControl := OkButton;
    { Closing the window cancels the whole uninstall. }
    Result := Form.ShowModal() = mrOk;
    DeleteUserData := Check.Checked;
  finally
    Form.Free();
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DeleteUserData then
    DelTree(UserDataDir(), True, True, True);
end;
