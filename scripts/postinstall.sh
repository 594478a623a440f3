#!/usr/bin/env bash
# After `npm install`: make sure the pinned Node 24 is in .tools/ and that keytar's native module is built
# against Node 24's headers (keytar's own install step ran on whatever Node ran npm, with the machine's nodedir).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
if [ -z "${npm_config_nodedir:-}" ]; then exit 0; fi  # system Node is already 24: nothing to redo
if [ -d node_modules/keytar ]; then
  # npm's own node-gyp, which reads npm_config_nodedir (set by node-env.sh) for the headers.
  npm rebuild keytar --ignore-scripts=false --loglevel=error >/dev/null 2>&1 \
    || { echo "postinstall: building keytar failed; install libsecret-1-dev and pkg-config (apt-get install libsecret-1-dev pkg-config), then run npm install again" >&2; exit 1; }
fi
