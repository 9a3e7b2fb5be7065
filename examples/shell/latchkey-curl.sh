#!/bin/sh
# Gets a site's session from the Latchkey agent with curl over its unix socket, then calls the
# site's API with it. Needs only sh, sed and curl (curl resolves *.localhost to this machine).
#
#   examples/shell/latchkey-curl.sh [SITE] [PATH]     e.g.  latchkey-curl.sh demo /api/whoami
#
# The token is passed to curl on standard input (-H @-), never on the command line, where other
# processes could read it.
set -eu

site=${1:-${LATCHKEY_SITE:-default}}
path=${2:-}

if [ -n "${LATCHKEY_HOME:-}" ]; then home=$LATCHKEY_HOME
elif [ "$(uname)" = Darwin ]; then home="$HOME/Library/Application Support/Latchkey"
else home="${XDG_CONFIG_HOME:-$HOME/.config}/Latchkey"
fi
# This machine's folder in the home (a home may be shared by several): LATCHKEY_HOST, else the host
# name; A-Z lower case, every other byte but a-z, 0-9, ".", "_" and "-" made "_" (bytes: LC_ALL=C).
host=$(printf '%s' "${LATCHKEY_HOST:-$(uname -n)}" | LC_ALL=C tr 'A-Z' 'a-z' | LC_ALL=C tr -c 'a-z0-9._-' '_' | sed 's/^\.*//' | cut -c1-64)
discovery=${LATCHKEY_AGENT:-$home/hosts/${host:-localhost}/agent.json}
[ -r "$discovery" ] || { echo "latchkey: the agent is not running (start it with: latchkey agent)" >&2; exit 3; }

field() { sed -n "s/^ *\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$discovery"; }
socket=$(field socket)
token=$(field token)

session=$(printf 'Authorization: Bearer %s\n' "$token" |
  curl -sS --unix-socket "$socket" -H @- -H 'X-Latchkey-Client: shell-example' \
    -w '\n%{http_code}' "http://localhost/v1/sites/$site/session?wait=300")
status=$(printf '%s' "$session" | tail -n 1)
body=$(printf '%s' "$session" | sed '$d')
if [ "$status" != 200 ]; then
  echo "latchkey: $(printf '%s' "$body" | sed -n 's/.*"message":"\([^"]*\)".*/\1/p')" >&2
  [ "$status" = 409 ] && exit 4
  exit 1
fi

# The agent answers with credential {kind, name, value}, siteUrl and ready-made headers.
value() { printf '%s' "$body" | sed -n "s/.*\"credential\":{[^}]*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
site_url=$(printf '%s' "$body" | sed -n 's/.*"siteUrl":"\([^"]*\)".*/\1/p')
user=$(printf '%s' "$body" | sed -n 's/.*"user":"\([^"]*\)".*/\1/p')
echo "user: $user"
[ -n "$path" ] || exit 0

name=$(value name)
if [ "$(value kind)" = cookie ]; then
  printf 'Cookie: %s=%s\n' "$name" "$(value value)" | curl -sS -H @- -w '\n' "$site_url$path"
else
  printf 'Authorization: Bearer %s\n' "$(value value)" | curl -sS -H @- -w '\n' "$site_url$path"
fi
