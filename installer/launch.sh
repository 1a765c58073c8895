#!/usr/bin/env bash
# Starts the app from a set-up checkout (see installer/setup.sh).
# Until the desktop window exists, this shows the command-line pipeline on a sample batch:
# it writes a demo batch and checks it against the 2022 notice.
set -euo pipefail
cd "$(dirname "$0")/.."
batch="demo-batch/$(date +%Y%m%d-%H%M%S)"
.venv/bin/zhutui demo "$batch" --patents 3 --projects 1 "$@"
echo
.venv/bin/zhutui check "$batch" --today 2022-10-20
