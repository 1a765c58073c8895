#!/usr/bin/env bash
# Starts the desktop app from a set-up checkout (see installer/setup.sh). Arguments go to
# zhutui, e.g. --data-dir DIR (another data folder) or gui --today 2022-10-20.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "没有图形桌面（DISPLAY 未设置），无法打开窗口。请在桌面环境的终端里运行，" >&2
  echo "或用 xvfb-run -a bash installer/launch.sh 在虚拟屏幕上运行；命令行用法见 .venv/bin/zhutui --help。" >&2
  exit 1
fi
exec .venv/bin/zhutui "$@"
