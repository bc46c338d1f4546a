#!/usr/bin/env bash
# Checks a built ConvScope .deb the way a user meets it, without installing it:
# lintian must report no error, and from a root extracted with dpkg-deb -x the
# installed programs must run on the installed samples.
#   scripts/check_package.sh PACKAGE.deb
set -euo pipefail
deb="$(realpath "$1")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "-- lintian"
# Exit status 1 means "tags of error level were emitted" (checked below); above that, lintian itself failed.
status=0
lintian --no-tag-display-limit "$deb" >"$tmp/lintian.txt" 2>"$tmp/lintian.err" || status=$?
cat "$tmp/lintian.txt"
if [ "$status" -gt 1 ]; then
  cat "$tmp/lintian.err" >&2
  echo "check_package: lintian could not check the package (exit status $status)" >&2
  exit 1
fi
if grep -q '^E:' "$tmp/lintian.txt"; then
  echo "check_package: lintian reports errors" >&2
  exit 1
fi

root="$tmp/root"
dpkg-deb -x "$deb" "$root"
share="$root/usr/share/convscope"
cli="$root/usr/bin/convscope-cli"
gui="$root/usr/bin/convscope"
test -x "$cli" && test -x "$gui"
test -f "$root/usr/share/applications/convscope.desktop"
test -f "$root/usr/share/mime/packages/convscope.xml"
test -f "$root/usr/share/icons/hicolor/scalable/apps/convscope.svg"
test -f "$root/usr/share/man/man1/convscope-cli.1.gz"
test -f "$root/usr/share/bash-completion/completions/convscope-cli"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/convscope.desktop"
fi

echo "-- convscope-cli --version"
"$cli" --version | grep -q '^convscope-cli [0-9]'

echo "-- convscope-cli trace on an installed stack and sample"
# The transposed sample must be diagnosed: exit status 1 with the failing axis named.
set +e
"$cli" trace "$share/stacks/transposed_input.convscope.json" --input "$share/samples/transposed_batch.npy" >"$tmp/trace.txt"
status=$?
set -e
cat "$tmp/trace.txt"
test "$status" -eq 1
grep -q 'Transposed input on axis 2 (channels)' "$tmp/trace.txt"

echo "-- convscope (GUI, offscreen) on an installed sample"
# Its own settings and autosave folder, so the user's are untouched.
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
QT_QPA_PLATFORM=offscreen "$gui" --quit-after-load "$share/samples/transposed_input.convscope"
# A first run with no file opens the bundled sample, found beside the program (../share/convscope).
XDG_CONFIG_HOME="$tmp/config-first-run" QT_QPA_PLATFORM=offscreen "$gui" --quit-after-load
# ...and it must fail when a file does not load.
if QT_QPA_PLATFORM=offscreen "$gui" --quit-after-load "$share/samples/no_such_file.convscope" 2>/dev/null; then
  echo "check_package: the GUI reported success for a missing file" >&2
  exit 1
fi

echo "-- bash completion lists the CLI's commands"
completion="$(bash -c '
  source /usr/share/bash-completion/bash_completion 2>/dev/null || true
  source "$1"; PATH="$2:$PATH"
  COMP_WORDS=(convscope-cli ""); COMP_CWORD=1; COMP_LINE="convscope-cli "; COMP_POINT=${#COMP_LINE}
  _convscope_cli; printf "%s\n" "${COMPREPLY[@]}"' _ "$root/usr/share/bash-completion/completions/convscope-cli" "$root/usr/bin")"
for command in $("$cli" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p'); do
  grep -qx "$command" <<<"$completion" || { echo "check_package: completion misses $command" >&2; exit 1; }
done
echo "package check passed: $(basename "$deb")"
