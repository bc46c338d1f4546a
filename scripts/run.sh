#!/usr/bin/env bash
# Installs what is missing, builds, and opens the ConvScope GUI on a bundled sample
# (or on the files given as arguments).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
if [ $# -eq 0 ]; then
  set -- "$root/resources/samples/transposed_input.convscope"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting ConvScope under xvfb-run" >&2
  exec xvfb-run -a -s "-screen 0 1440x900x24" "$root/build/app/gui/convscope" "$@"
fi
exec "$root/build/app/gui/convscope" "$@"
