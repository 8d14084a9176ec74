#!/usr/bin/env bash
# Checks docs/recovery/recover.py against a real vault made by the CLI (docs/RECOVERY.md).
#
#   bash docs/recovery/check.sh VAULT_LAUNCHER          e.g. bash docs/recovery/check.sh ./vault
#
# Makes a fresh vault in a temporary directory, stores memories at every level (binary, empty and
# UTF-8 content, UTF-8 metadata, a tombstoned and a shredded one), recovers them with the key file
# and the passphrase and compares the bytes; checks that the key file alone recovers levels 0-2 and
# reports 3-5 as needing the passphrase; that a wrong secret is one line and exit 4; and that a
# memory committed only to vault.db-wal is recovered from a copy of vault.db + -wal + -shm; and that
# a vault made without a passphrase is recovered with its recovery code alone.
# $PYTHON: the Python with PyNaCl (default /usr/bin/python3). $INIT_PASS_FLAG: init's flag that
# creates the owner's passphrase (default --new-passphrase-file; --passphrase-file for older builds).
set -euo pipefail

VAULT_BIN=${1:?usage: check.sh VAULT_LAUNCHER (e.g. ./vault)}
PY=${PYTHON:-/usr/bin/python3}
INIT_PASS_FLAG=${INIT_PASS_FLAG:---new-passphrase-file}
RECOVER="$(cd "$(dirname "$0")" && pwd)/recover.py"

umask 077
T=$(mktemp -d)
HOLDER=
cleanup() {
  if [ -n "$HOLDER" ]; then kill "$HOLDER" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "recovery check: FAILED: $*" >&2; exit 1; }
vault() { "$VAULT_BIN" --vault "$T/vault" "$@"; }
recover() { "$PY" "$RECOVER" --vault "$1" "${@:3}" --out "$2" >/dev/null || fail "recover.py --vault $1 ${*:3} exited $?"; }
# field OUTDIR ID KEY: a manifest entry's field as JSON ("absent" if the memory is not listed)
field() {
  "$PY" -c 'import json, sys
m = {e["id"]: e for e in json.load(open(sys.argv[1], encoding="utf-8"))["memories"]}
e = m.get(sys.argv[2])
print("absent" if e is None else e[sys.argv[3]] if isinstance(e[sys.argv[3]], str)
      else json.dumps(e[sys.argv[3]], ensure_ascii=False, sort_keys=True))' "$1/manifest.json" "$2" "$3"
}

printf 'correct horse battery staple\n' > "$T/pass"          # created 0600 (umask 077)
printf 'not the passphrase\n' > "$T/wrong"
KEY="$T/vault/keys/default.key"
mkdir "$T/expect"
vault init --kdf-preset interactive "$INIT_PASS_FLAG" "$T/pass" >/dev/null \
  || fail "init $INIT_PASS_FLAG failed (builds before the flag's rename: INIT_PASS_FLAG=--passphrase-file)"
[ -f "$KEY" ] || fail "init wrote no key file at $KEY"

# store LEVEL FILE [store options...]: stores FILE's bytes (stdin from level 3, as the CLI demands); sets ID
declare -A LEVEL=()
ID=
store() {
  local level=$1 file=$2; shift 2
  if [ "$level" -ge 3 ]; then ID=$(vault store -c "$level" "$@" < "$file")
  else ID=$(vault store -c "$level" --file "$file" "$@"); fi
  cp "$file" "$T/expect/$ID"
  LEVEL[$ID]=$level
}
printf 'level 0: an ephemeral note' > "$T/c0"
printf 'level 1: ünïcødé content ✓ 日本語' > "$T/c1"
{ "$PY" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))'; head -c 1000 /dev/urandom; } > "$T/c2"
printf 'level 2: tombstoned, not shredded' > "$T/c2t"
printf 'level 3: sealed\nsecond line\n' > "$T/c3"
: > "$T/c4"                                                   # empty content: a 16-byte ciphertext
head -c 4096 /dev/urandom > "$T/c5"
META='{"sujet": "café ☕", "日本語": ["naïve", "Ω"], "n": 1}'
store 0 "$T/c0"
store 1 "$T/c1" --metadata "$META"; ID_META=$ID
store 2 "$T/c2"
store 2 "$T/c2t"; ID_TOMB=$ID
store 3 "$T/c3"
store 4 "$T/c4" --allow-empty
store 5 "$T/c5"
ID_SHRED=$(vault store -c 1 --content 'shredded: gone for good')
vault --passphrase-file "$T/pass" tombstone "$ID_TOMB" --reason 'recovery check' >/dev/null
vault --passphrase-file "$T/pass" tombstone "$ID_SHRED" --reason 'recovery check' --shred >/dev/null
N=$(( ${#LEVEL[@]} + 1 ))

# 1. key file and passphrase: every memory, byte for byte; the shredded one reported as such
recover "$T/vault" "$T/all" --key-file "$KEY" --passphrase-file "$T/pass"
[ "$(stat -c %a "$T/all")" = 700 ] || fail "output directory is not 0700"
for id in "${!LEVEL[@]}"; do
  [ "$(field "$T/all" "$id" result)" = recovered ] || fail "$id: $(field "$T/all" "$id" result)"
  cmp -s "$T/expect/$id" "$T/all/$id" || fail "$id (level ${LEVEL[$id]}): recovered bytes differ"
  [ "$(stat -c %a "$T/all/$id")" = 600 ] || fail "$id: recovered file is not 0600"
done
[ "$(field "$T/all" "$ID_TOMB" tombstoned)" = true ] || fail "tombstoned memory not marked tombstoned"
[ "$(field "$T/all" "$ID_META" metadata)" = "$("$PY" -c 'import json, sys
print(json.dumps(json.loads(sys.argv[1]), ensure_ascii=False, sort_keys=True))' "$META")" ] || fail "UTF-8 metadata differs"
case "$(field "$T/all" "$ID_SHRED" result)" in crypto-shredded*) ;; *) fail "shredded memory not reported as shredded";; esac
[ ! -e "$T/all/$ID_SHRED" ] || fail "a file was written for the shredded memory"

# 2. key file alone: levels 0-2 recovered, 3-5 need the passphrase
recover "$T/vault" "$T/keyfile" --key-file "$KEY"
for id in "${!LEVEL[@]}"; do
  level=${LEVEL[$id]}
  if [ "$level" -le 2 ]; then
    cmp -s "$T/expect/$id" "$T/keyfile/$id" || fail "$id (level $level): not recovered with the key file"
  else
    [ "$(field "$T/keyfile" "$id" result)" = "level $level needs the passphrase" ] || fail "$id: $(field "$T/keyfile" "$id" result)"
    [ ! -e "$T/keyfile/$id" ] || fail "$id (level $level) was written without the passphrase"
  fi
done

# 3. a wrong passphrase: exit 4, one line on stderr, nothing written
rc=0; "$PY" "$RECOVER" --vault "$T/vault" --passphrase-file "$T/wrong" --out "$T/wrong-out" 2>"$T/err" >/dev/null || rc=$?
[ "$rc" = 4 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q 'wrong passphrase' "$T/err" || fail "wrong passphrase: exit $rc, $(cat "$T/err")"
[ ! -e "$T/wrong-out" ] || fail "output written with a wrong passphrase"

# 4. WAL: a reader holds a read transaction on the live vault, so the next commit cannot be
# checkpointed into vault.db and stays in vault.db-wal only (as it may in any copy of a live vault)
coproc HOLD { "$PY" -c 'import pathlib, sqlite3, sys
db = sqlite3.connect(pathlib.Path(sys.argv[1]).as_uri() + "?mode=ro", uri=True, isolation_level=None)
db.execute("BEGIN"); db.execute("SELECT count(*) FROM memories").fetchone()
print("holding", flush=True); sys.stdin.readline()' "$T/vault/vault.db"; }
HOLDER=$HOLD_PID
read -r _ <&"${HOLD[0]}"
printf 'level 4: committed, but only in vault.db-wal' > "$T/cw"
store 4 "$T/cw"; ID_WAL=$ID
N=$((N + 1))
[ -s "$T/vault/vault.db-wal" ] || fail "vault.db-wal is empty: the test did not keep the commit in the WAL"
mkdir "$T/copy" "$T/dbonly"
cp -p "$T/vault/vault.db" "$T/vault/vault.db-wal" "$T/vault/vault.db-shm" "$T/copy/"
cp -p "$T/vault/vault.db" "$T/dbonly/"
echo release >&"${HOLD[1]}"
wait "$HOLDER"
HOLDER=
recover "$T/copy" "$T/walout" --key-file "$KEY" --passphrase-file "$T/pass"
cmp -s "$T/cw" "$T/walout/$ID_WAL" || fail "the memory in vault.db-wal was not recovered from the copy with its -wal"
# vault.db copied alone misses it: the commit is not in the main file yet, and nothing can tell
recover "$T/dbonly" "$T/dbout" --key-file "$KEY" --passphrase-file "$T/pass"
[ "$(field "$T/dbout" "$ID_WAL" result)" = absent ] || fail "vault.db alone unexpectedly held the WAL's memory"

# 5. a vault without a passphrase: its recovery code, printed once by init, recovers every level alone
"$VAULT_BIN" --vault "$T/kf" init --kdf-preset interactive --json > "$T/kf.json" 2>/dev/null || fail "init without a passphrase failed"
"$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["recovery_code"].upper().replace("-", " "))' "$T/kf.json" > "$T/code"
KF1=$("$VAULT_BIN" --vault "$T/kf" store -c 1 --content 'level 1, no passphrase')
KF4=$(printf 'level 4, no passphrase' | "$VAULT_BIN" --vault "$T/kf" store -c 4)
recover "$T/kf" "$T/kfout" --passphrase-file "$T/code"
[ "$(cat "$T/kfout/$KF1")" = 'level 1, no passphrase' ] || fail "the recovery code did not recover level 1"
[ "$(cat "$T/kfout/$KF4")" = 'level 4, no passphrase' ] || fail "the recovery code did not recover level 4"
N=$((N + 2))

echo "recovery check: OK ($N memories)"
