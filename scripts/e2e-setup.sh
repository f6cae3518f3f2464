#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e/run.mjs) need, and caches it so a second run is fast:
#   - Debian packages: chromium (driven headless), ripgrep (VS Code's search; @vscode/ripgrep would
#     download its own binary), fonts for readable screenshots, neovim (the language server driven
#     by headless Neovim, test/e2e/neovim/: whatever version the release has, 0.7.2 on bookworm)
#   - code-server (VS Code's workbench served to a browser) from the npm registry, built on this Node
#   - playwright-core from the npm registry, kept out of the extension's own dependencies
# Nothing is downloaded from anywhere but the npm registry and Debian's archive.
# Idempotent: each part is skipped when its stamp file says it is installed at the pinned version.
# Cache folder: $LINGER_E2E_CACHE, default ~/.cache/linger-e2e. Prints the cache folder as its last line.
set -euo pipefail

CODE_SERVER_VERSION="${LINGER_E2E_CODE_SERVER_VERSION:-4.100.3}"
PLAYWRIGHT_VERSION="${LINGER_E2E_PLAYWRIGHT_VERSION:-1.65.1}"
CACHE="${LINGER_E2E_CACHE:-$HOME/.cache/linger-e2e}"
# libkrb5-dev: VS Code's kerberos module builds from source.
APT_PACKAGES=(chromium ripgrep fonts-liberation fonts-dejavu-core libkrb5-dev neovim)

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
started=$SECONDS
mkdir -p "$CACHE"

# One setup at a time per cache folder.
exec 9>"$CACHE/.lock"
if command -v flock >/dev/null; then flock 9; fi

# npm prints a warning for a machine-level "nodedir" key it does not know; keep the log readable.
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# ---------------------------------------------------------------- Debian packages
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { log "need root (or sudo) to install: ${missing[*]}"; exit 1; }
    SUDO=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Install from the current lists first; only when that fails (no lists yet, or stale ones), update once.
  if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium missing after install"; exit 1; }
[ -x /usr/bin/rg ] || { log "/usr/bin/rg missing after install"; exit 1; }
[ -x /usr/bin/nvim ] || { log "/usr/bin/nvim missing after install"; exit 1; }

# ---------------------------------------------------------------- code-server
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_STAMP="$CS_DIR/.installed"
if [ ! -f "$CS_STAMP" ] || [ "$(cat "$CS_STAMP")" != "$CODE_SERVER_VERSION node-$(node --version)" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR"
  t=$SECONDS
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  (
    cd "$CS_DIR"
    echo '{"private":true}' > package.json
    npm install --no-save --ignore-scripts "code-server@$CODE_SERVER_VERSION" >/dev/null
    npm rebuild argon2 >/dev/null
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts >/dev/null
    # @vscode/ripgrep's install script downloads a binary: point it at Debian's rg instead.
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild >/dev/null
    cd extensions
    npm install --omit=dev >/dev/null
  )
  echo "$CODE_SERVER_VERSION node-$(node --version)" > "$CS_STAMP"
  log "code-server installed in $((SECONDS - t)) s"
else
  log "code-server $CODE_SERVER_VERSION already installed"
fi
[ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ] || { log "code-server entry point missing"; exit 1; }

# ---------------------------------------------------------------- playwright-core
PW_DIR="$CACHE/playwright-core-$PLAYWRIGHT_VERSION"
PW_STAMP="$PW_DIR/.installed"
if [ ! -f "$PW_STAMP" ]; then
  log "installing playwright-core $PLAYWRIGHT_VERSION into $PW_DIR"
  rm -rf "$PW_DIR"
  mkdir -p "$PW_DIR"
  (
    cd "$PW_DIR"
    echo '{"private":true}' > package.json
    # playwright-core has no install script and downloads no browser: Debian's chromium is used.
    npm install --no-save --ignore-scripts "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
  )
  echo "$PLAYWRIGHT_VERSION" > "$PW_STAMP"
else
  log "playwright-core $PLAYWRIGHT_VERSION already installed"
fi

# Where run.mjs finds everything.
cat > "$CACHE/env.json" <<EOF
{
  "codeServer": "$CS_DIR/node_modules/code-server/out/node/entry.js",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "playwrightCore": "$PW_DIR/node_modules/playwright-core",
  "chromium": "/usr/bin/chromium",
  "nvim": "/usr/bin/nvim"
}
EOF
log "ready in $((SECONDS - started)) s"
echo "$CACHE"
