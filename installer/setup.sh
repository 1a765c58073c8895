#!/usr/bin/env bash
# Sets up everything 职工创新助推申报助手 needs on Debian or Ubuntu, then runs it or its tests.
#
#   bash installer/setup.sh run    # set up, then start the app
#   bash installer/setup.sh test   # set up with the test tools, then run the whole test suite
#   bash installer/setup.sh build  # set up with PyInstaller, for installer/build.sh (runs nothing)
#
# Installs the system packages (Qt's libraries, Chinese fonts, poppler/qpdf for the tests) with
# apt-get (as root, or through sudo), a virtual environment in .venv and the Python packages.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
case "$mode" in run|test|build) ;; *) echo "用法: bash installer/setup.sh run|test|build" >&2; exit 2 ;; esac
shift || true

# Libraries Qt's xcb platform plugin loads (FACTS.md), the Chinese fonts the PDFs embed, and
# the tools the tests read PDFs back with.
app_packages=(fontconfig fonts-arphic-uming fonts-wqy-zenhei
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libglib2.0-0
  libdbus-1-3)
# What building and proving the frozen bundle needs (installer/build.sh): PyInstaller reads
# libraries with objdump (binutils); the bundle's smoke test opens its window on Xvfb.
build_packages=(binutils xvfb xauth)
# gnome-keyring and dbus: a real Secret Service for the keyring test (dbus-run-session); ripmime,
# and mutt driven in tmux, read the mail package's attachment names as other mail programs do;
# LibreOffice converts the Word copies to PDF (Liberation Serif: Times New Roman's metrics).
test_packages=(poppler-utils qpdf unzip gnome-keyring dbus ripmime mutt tmux
  libreoffice-writer-nogui fonts-liberation2 "${build_packages[@]}")

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "警告：不是 Debian/Ubuntu 系统，请自行安装：${missing[*]}" >&2
    return 0
  fi
  echo "安装系统软件包：${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

python=$(find_python) || { apt_install python3 python3-venv; python=$(find_python) || {
  apt_install python3.11 python3.11-venv; python=$(find_python); } ; } || {
  echo "错误：需要 Python 3.11 或更高版本，请先安装。" >&2; exit 1; }
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  apt_install "python${version}-venv"
fi

packages=("${app_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")
[ "$mode" = build ] && packages+=("${build_packages[@]}")
apt_install "${packages[@]}"

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""
[ "$mode" = test ] && extras="[test]"
[ "$mode" = build ] && extras="[build]"
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
# Earlier checkouts used PySide6-Pdf 6.12 (see pyproject.toml): its Qt libraries must not stay
# next to 6.11's.
if .venv/bin/python -m pip show -q PySide6-Pdf >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall -y -q PySide6-Pdf PySide6-Essentials shiboken6 >/dev/null
fi
# The build backend warns that an editable install sits next to its source folder: intended here.
PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"

if [ "$mode" = test ]; then
  export QT_QPA_PLATFORM=offscreen
  exec .venv/bin/python -m pytest "$@"
fi
[ "$mode" = build ] && exit 0
exec bash installer/launch.sh "$@"
