#!/usr/bin/env bash
# Installs what is missing, builds the GUI and the CLI (not the tests or benchmarks:
# scripts/test.sh builds those in the same build/), and opens the ConvScope GUI on a
# bundled sample (or on the files given as arguments).
# CONVSCOPE_QUIT_AFTER_LOAD=1 makes the GUI exit once its window is up and the files
# are loaded (docs/PERFORMANCE.md, "Build time", times the whole command that way).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh" --run
"$root/scripts/build.sh" "$root/build" --target convscope --target convscope-cli
if [ $# -eq 0 ]; then
  set -- "$root/resources/samples/transposed_input.convscope"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting ConvScope under xvfb-run" >&2
  exec xvfb-run -a -s "-screen 0 1440x900x24" "$root/build/app/gui/convscope" "$@"
fi
exec "$root/build/app/gui/convscope" "$@"
