#!/usr/bin/env bash
# Builds the frozen bundle dist/zhutui/ (PyInstaller, one folder, from installer/zhutui.spec) and
# proves it by running it (installer/smoke_test.py: the whole pipeline, the window on Xvfb, a
# second launch). On a fresh Debian or Ubuntu machine it first sets up what it needs
# (installer/setup.sh build: system libraries, .venv, PyInstaller).
#
#   bash installer/build.sh                      # set up, build into dist/, prove it
#   bash installer/build.sh --no-setup           # the .venv is already set up (the test suite)
#   bash installer/build.sh --dist DIR --work DIR --shot FILE.png
#
# Prints the bundle's size at the end. Windows: installer/windows/build.ps1 (same spec).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=dist work=build shot="" setup=1 smoke=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-setup) setup=0 ;;
    --no-smoke) smoke=0 ;;
    --dist) dist=$2; shift ;;
    --work) work=$2; shift ;;
    --shot) shot=$2; shift ;;
    *) echo "用法: bash installer/build.sh [--no-setup] [--no-smoke] [--dist DIR] [--work DIR] [--shot FILE.png]" >&2
       exit 2 ;;
  esac
  shift
done
[ "$setup" = 1 ] && bash installer/setup.sh build

echo "正在生成独立安装包（PyInstaller）……"
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath "$work" installer/zhutui.spec
bundle="$dist/zhutui"
[ -x "$bundle/zhutui" ] || { echo "错误：没有生成 $bundle/zhutui" >&2; exit 1; }

if [ "$smoke" = 1 ]; then
  echo "正在试运行 $bundle/zhutui（另一个文件夹、新的数据文件夹）……"
  args=("$bundle/zhutui")
  [ -n "$shot" ] && args+=(--shot "$shot")
  .venv/bin/python installer/smoke_test.py "${args[@]}"
fi
echo "已生成 $bundle：$(du -sh "$bundle" | cut -f1)（文件夹）。"
