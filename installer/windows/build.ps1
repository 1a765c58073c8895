# Builds the Windows installer of 职工创新助推申报助手 on a Windows machine (PyInstaller builds
# for the platform it runs on only).
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
#
# Needs: Python 3.11+ (python.org, "py" launcher) and Inno Setup 6.5 or later (its Chinese
# Simplified messages are official from 6.5 on). Steps:
#   1. .venv with the app and PyInstaller (pip install -e .[build]);
#   2. the frozen bundle dist\zhutui\ from installer\zhutui.spec (zhutui.exe without a console
#      window, zhutui-cli.exe for the command line and the app's background work);
#   3. the bundle proven by running it (installer\smoke_test.py: the pipeline, the window and
#      its screenshot, a second launch), unless -NoSmoke;
#   4. dist\zhutui-<version>-setup.exe from installer\windows\zhutui.iss, with the package's one
#      version number (app\__init__.py) passed as /DAppVersion.
param(
    [string]$Python = "",
    [switch]$NoSmoke
)
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root

function Invoke-Checked([string]$what, [scriptblock]$block) {
    & $block
    if ($LASTEXITCODE -ne 0) { throw "$what 失败（退出码 $LASTEXITCODE）" }
}

# 1. The virtual environment.
$venvPython = Join-Path $root ".venv\Scripts\python.exe"
if (-not (Test-Path $venvPython)) {
    if ($Python) { Invoke-Checked "创建虚拟环境" { & $Python -m venv .venv } }
    else { Invoke-Checked "创建虚拟环境" { py -3 -m venv .venv } }
}
Invoke-Checked "升级 pip" { & $venvPython -m pip install --quiet --upgrade pip }
Invoke-Checked "安装依赖" { & $venvPython -m pip install --quiet -e ".[build]" }
$version = (& $venvPython -c "import zhutui; print(zhutui.__version__)").Trim()
Write-Host "职工创新助推申报助手 $version"

# 2. The frozen bundle.
Invoke-Checked "PyInstaller" {
    & $venvPython -m PyInstaller --noconfirm --clean --distpath dist --workpath build installer\zhutui.spec
}
$bundle = Join-Path $root "dist\zhutui"
foreach ($exe in @("zhutui.exe", "zhutui-cli.exe")) {
    if (-not (Test-Path (Join-Path $bundle $exe))) { throw "没有生成 $bundle\$exe" }
}

# 3. Proven by running it, from another folder on a fresh data folder.
if (-not $NoSmoke) {
    Invoke-Checked "试运行" {
        & $venvPython installer\smoke_test.py (Join-Path $bundle "zhutui-cli.exe") --shot (Join-Path $root "dist\window.png")
    }
}

# 4. The installer.
$iscc = @(
    (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
    (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
    (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
) | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) {
    $found = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($found) { $iscc = $found.Source } else { throw "找不到 Inno Setup 6（ISCC.exe），请先安装 Inno Setup 6.5 或更高版本" }
}
Invoke-Checked "Inno Setup" {
    & $iscc "/DAppVersion=$version" "/DSourceDir=$bundle" "/O$(Join-Path $root 'dist')" installer\windows\zhutui.iss
}
$setup = Join-Path $root "dist\zhutui-$version-setup.exe"
Write-Host "已生成安装程序：$setup（$([math]::Round((Get-Item $setup).Length / 1MB, 1)) MB）"
