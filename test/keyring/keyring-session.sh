#!/bin/sh
# Runs a command inside a D-Bus session of its own with a real Secret Service: GNOME Keyring,
# unlocked with a throw-away password, its keyrings under $HOME (a test's temporary folder). The
# daemon's pid is in KEYRING_PID, so a test can take the keyring away while its command runs.
set -eu
# Its sockets in a short folder of this session's own: a unix socket's path holds at most 107
# bytes, which a test's folder under .test-runs/ can pass.
control=$(mktemp -d /tmp/lk-keyring-XXXXXX)
printf 'throw-away' | gnome-keyring-daemon --foreground --unlock --components=secrets --control-directory="$control" >"$HOME/keyring-daemon.log" 2>&1 &
KEYRING_PID=$!
export KEYRING_PID
# The daemon registers on the bus on its own time: wait until the Secret Service answers.
tries=0
until secret-tool search --all latchkey-probe none >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 400 ]; then echo "the Secret Service did not start:" >&2; cat "$HOME/keyring-daemon.log" >&2; secret-tool search --all latchkey-probe none >&2; exit 90; fi
  sleep 0.05
done
status=0
"$@" || status=$?
kill "$KEYRING_PID" 2>/dev/null || true
rm -rf "$control"
exit "$status"
