#!/usr/bin/env bash
# docs/INTEGRATIONS.md, "Setting it up", steps 1, 3 and 4 as one script (CI runs it against a stand-in
# daemon: BoundaryExamplesIT).
#
#   boundary-daemon-setup.sh [SOCKET] TOKEN_FILE
#
# SOCKET: the daemon's socket (default /var/run/boundary-daemon/boundary.sock); TOKEN_FILE: a file
# holding the daemon API token (bd_...) with the CHECK_RECALL capability, copied into the vault's
# 0600 token file. The vault is $MEMORY_VAULT_HOME (else ~/.memory-vault); `config set` proves the
# owner's secret ($MEMORY_VAULT_PASSPHRASE_FILE, or typed when asked).
set -euo pipefail
if [ $# -eq 1 ]; then set -- /var/run/boundary-daemon/boundary.sock "$1"; fi
SOCKET=${1:?usage: boundary-daemon-setup.sh [SOCKET] TOKEN_FILE}
TOKEN_FILE=${2:?usage: boundary-daemon-setup.sh [SOCKET] TOKEN_FILE}
VAULT_DIR=${MEMORY_VAULT_HOME:-$HOME/.memory-vault}

# 1. the token, in a file only the vault's user can read (0600 from its creation)
install -m 600 /dev/null "$VAULT_DIR/boundary.token"
cat "$TOKEN_FILE" > "$VAULT_DIR/boundary.token"

# 3. where the daemon listens (discover only proposes; the owner names the socket), then the guard
vault boundary discover
vault config set boundary.socket "$SOCKET"
vault config set boundary.guard daemon

# 4. check: the daemon's mode, network and lockdown (one `status` request, no token used)
vault boundary status
