#!/usr/bin/env bash
# docs/INTEGRATIONS.md, "Human approvals for agents", as one script on a throw-away vault (CI runs it:
# BoundaryExamplesIT). The owner stores a level-3 memory; an agent with a credential asks for it and
# gets exit 75 and an approval id; the owner approves with the passphrase; the agent retries with
# the id and gets the content. Needs `vault` on PATH.
set -euo pipefail
umask 077
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export MEMORY_VAULT_HOME="$T/vault"
printf 'the owner passphrase\n' > "$T/owner.pass"

# the owner, once
vault init --kdf-preset interactive --new-passphrase-file "$T/owner.pass" > /dev/null
vault principal add agent-7 --clearance 3 --passphrase-file "$T/owner.pass" > /dev/null
vault config set approval.gate queue --passphrase-file "$T/owner.pass" > /dev/null
# (the local boundary guard refuses levels 3-5 while a network interface is up; this demo ignores them)
vault config set boundary.local.ignore-interfaces "$(ls /sys/class/net | grep -vx lo | paste -sd, -)" \
  --passphrase-file "$T/owner.pass" > /dev/null
ID=$(printf 'the contract draft' | vault store -c 3)

# the agent: no terminal, no passphrase; its credential only
CRED="$MEMORY_VAULT_HOME/principals/agent-7.key"
rc=0
PENDING=$(MEMORY_VAULT_PRINCIPAL_FILE=$CRED vault recall "$ID" --justification "draft the contract" --json) || rc=$?
[ "$rc" = 75 ] || { echo "expected exit 75 (pending), got $rc: $PENDING" >&2; exit 1; }
APPROVAL=$(printf '%s' "$PENDING" | sed -n 's/.*"approval_id":"\([0-9a-f]*\)".*/\1/p')
echo "pending: $APPROVAL"

# the owner, out of band
vault approvals list
vault approvals approve "$APPROVAL" --passphrase-file "$T/owner.pass"

# the agent retries with the id
MEMORY_VAULT_PRINCIPAL_FILE=$CRED vault recall "$ID" --justification "draft the contract" --approval "$APPROVAL"
echo
