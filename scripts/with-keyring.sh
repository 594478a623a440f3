#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (Secret Service) under a
# temporary HOME, so tests use a real OS keychain without touching the user's own.
# Usage: scripts/with-keyring.sh CMD …
set -euo pipefail
if [ -n "${INVITE_DESK_TEST_KEYRING:-}" ]; then exec "$@"; fi  # already inside one
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing: apt-get install dbus gnome-keyring" >&2; exit 1; }
done
export INVITE_DESK_TEST_KEYRING=1
exec dbus-run-session -- bash -c '
  set -euo pipefail
  export HOME="$(mktemp -d)"; export XDG_DATA_HOME="$HOME/.local/share" XDG_RUNTIME_DIR="$HOME/run"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  status=0; "$@" || status=$?
  rm -rf "$HOME"; exit $status
' with-keyring "$@"
