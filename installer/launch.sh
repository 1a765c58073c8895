#!/usr/bin/env bash
# Starts the app from a set-up checkout (see installer/setup.sh).
# Until the desktop window exists, this shows the command-line pipeline on a sample batch:
# it writes a demo batch, checks it against the 2022 notice, and writes its print PDFs and
# summary tables.
set -euo pipefail
cd "$(dirname "$0")/.."
batch="demo-batch/$(date +%Y%m%d-%H%M%S)"
.venv/bin/zhutui demo "$batch" --patents 3 --projects 1 "$@"
echo
.venv/bin/zhutui check "$batch" --today 2022-10-20
echo
.venv/bin/zhutui render "$batch" --out "$batch/输出" --today 2022-10-20
.venv/bin/zhutui summary "$batch" --out "$batch/输出" --today 2022-10-20
