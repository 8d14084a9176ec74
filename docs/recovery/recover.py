#!/usr/bin/env python3
"""Recover Memory Vault memories with libsodium alone (docs/RECOVERY.md).

    recover.py --vault DIR [--key-file F]... [--passphrase-file F]... [--level5-recovery-code-file F]... --out OUTDIR

Reads DIR/vault.db (with its vault.db-wal) read-only, opens the profile keys with the secrets
given, and writes every memory it can decrypt to OUTDIR/<id> plus OUTDIR/manifest.json. Secrets
come only from files. Needs Python 3 and PyNaCl (Debian: python3-nacl). Every section number
below is a section of docs/FORMAT.md. Exit codes (as the vault's): 0 done, 1 vault unreadable,
2 bad input, 4 a secret opened no key slot, 5 a memory failed authentication (others recovered).
"""
import argparse, hashlib, hmac, json, os, sqlite3, struct, sys, urllib.parse, uuid

try:
    from nacl import bindings, exceptions, pwhash
except ImportError:
    sys.exit("recover.py: PyNaCl is missing: install python3-nacl (Debian) or `pip install pynacl`")

KNOWN_SCHEMA = 12  # PRAGMA user_version this script was written for (§9; 6 added presence tokens, 7 IntentLog links, which
                  # recovery does not need; 8 level 5 bound to a device, §3; 9 re-keys, §3: a memory at the next key version
                  # of a profile being re-keyed is reported, not opened; 10 the change log of incremental backups, §14,
                  # 11 Shamir escrows, §15, 12 the dead-man switch: tables recovery does not need)


class Fail(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def string(s):  # §1: a string is u16be length || UTF-8 bytes
    b = s.encode("utf-8")
    return struct.pack(">H", len(b)) + b


def H(key, label):  # §1: H(key, label) = crypto_generichash(32, ASCII label, key), keyed BLAKE2b-256
    return hashlib.blake2b(label.encode("ascii"), digest_size=32, key=key).digest()


def aead_open(key, nonce, ad, ciphertext):  # §1 AEAD: XChaCha20-Poly1305-IETF; None if the tag fails
    try:
        return bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(ciphertext, ad, nonce, key)
    except (exceptions.CryptoError, TypeError, ValueError):  # tag failure, or a nonce or key of the wrong length
        return None


def read_secret_file(path, what, limit):  # §3, §7: 0600 or stricter, bounded size
    try:
        st = os.stat(path)
        if st.st_mode & 0o177:
            raise Fail(2, f"the {what} {path} is accessible to others or executable: chmod 600 {path}")
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise Fail(2, f"cannot read the {what} {path}: {e.strerror}")
    if len(data) > limit:
        raise Fail(2, f"the {what} {path} is larger than {limit} bytes")
    return data


def key_file(path):  # §7: exactly 32 raw bytes, which are the KEK of a key-file slot
    data = read_secret_file(path, "key file", 32)
    if len(data) != 32:
        raise Fail(2, f"the key file {path} holds {len(data)} bytes, not 32")
    return data


def passphrase_file(path):  # §3: UTF-8, one trailing LF (or CR LF) removed, as the vault's CLI reads it
    data = read_secret_file(path, "passphrase file", 4096)
    data = data[:-1] if data.endswith(b"\n") else data
    data = data[:-1] if data.endswith(b"\r") else data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise Fail(2, f"the passphrase file {path} is not UTF-8")
    if not data:
        raise Fail(2, f"the passphrase file {path} is empty")
    return data


def open_db(vault):
    """§9: vault.db in WAL mode. Committed transactions may still be in vault.db-wal only, so the
    database is opened in place, read-only, with its -wal and -shm alongside; SQLite needs to
    create vault.db-shm if it is missing, which a read-only directory forbids."""
    path = os.path.join(os.path.abspath(vault), "vault.db")
    if not os.path.isfile(path):
        raise Fail(1, f"{path} does not exist (give --vault the vault directory)")
    wal = path + "-wal"
    has_wal = os.path.exists(wal) and os.path.getsize(wal) > 0
    uri = "file:" + urllib.parse.quote(path) + "?mode=ro"
    try:
        try:
            db = sqlite3.connect(uri, uri=True, isolation_level=None)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            if has_wal:
                raise Fail(1, f"cannot open {path} with its vault.db-wal (is {os.path.dirname(path)} read-only?):"
                              " copy vault.db, vault.db-wal and vault.db-shm together to a writable directory")
            # no WAL content to miss: read the main file as it is (immutable = no -shm needed)
            db = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        db.row_factory = sqlite3.Row
        db.execute("BEGIN")  # one read transaction: one consistent snapshot of every table
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"profiles", "key_slots", "memories"} <= tables:
            raise Fail(1, f"{path} is not a Memory Vault database (no profiles, key_slots, memories tables)")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > KNOWN_SCHEMA:
            print(f"recover.py: note: schema {version} is newer than this script knows ({KNOWN_SCHEMA});"
                  " trying anyway", file=sys.stderr)
        return db
    except sqlite3.Error as e:
        raise Fail(1, f"cannot read {path}: {e}")


def columns(db, table):
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def kek_of(slot, key_files, passphrases, argon_cache):
    """§3 KEK by type, as (secret, KEK) for every secret given that fits the slot's type (keyfile:
    the bytes, §7; passphrase: Argon2id with the slot's own salt and cost, §6)."""
    if slot["type"] == "keyfile":
        return [(k, k) for k in key_files]
    if slot["type"] not in ("passphrase", "recovery-code"):
        return []  # another backend's slot (docs/HARDWARE.md): not openable here
    ops, mem, salt = slot["kdf_opslimit"], slot["kdf_memlimit"], slot["salt"]
    if ops is None or mem is None or len(salt) != 16 or not (1 <= ops <= 64 and 8192 <= mem <= 4 << 30):
        return []  # §3: such a slot cannot be genuine
    keks = []
    for p in passphrases:
        # a recovery code (§3) is stretched as the vault stores it: spaces, dashes and case do not matter
        q = recovery_code(p) if slot["type"] == "recovery-code" else p
        k = (q, bytes(salt), ops, mem)
        if k not in argon_cache:
            try:
                argon_cache[k] = pwhash.argon2id.kdf(32, q, bytes(salt), opslimit=ops, memlimit=mem)
            except (RuntimeError, MemoryError):
                raise Fail(1, f"Argon2id with memlimit {mem} bytes failed: this machine needs that much free memory")
        keks.append((p, argon_cache[k]))
    return keks


def recovery_code(typed):
    """A recovery code as the vault stores it (§3): lower case letters in groups of four joined by '-'."""
    letters = bytes(c for c in typed.lower() if c not in b" \t\r\n-")
    return b"-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def open_profile(db, profile, key_files, passphrases, codes, argon_cache, opened):
    """§3: any one slot and its secret give T2; a passphrase slot also gives O (owner key); with O,
    a level-5 recovery code gives the device secret D of a profile whose level 5 is bound.
    Returns (T2 or None, O or None, D or None). `opened` collects the secrets that opened a slot."""
    pid, kv = profile["id"], profile["key_version"]
    t2 = owner = None
    for slot in db.execute("SELECT * FROM key_slots WHERE profile_id = ? ORDER BY slot_id", (pid,)):
        code = {"passphrase": 1, "keyfile": 2}.get(slot["type"])
        if (code is None and slot["type"] != "recovery-code") or len(slot["nonce"]) != 24 or len(slot["wrapped_key"]) not in (48, 80):
            continue
        if code is not None:
            # §3 slot associated data, version 1: "MVKS" || 1 || string profile || u32be key_version || u32be slot_id || u8 type
            ad = b"MVKS\x01" + string(pid) + struct.pack(">IIB", kv, slot["slot_id"], code)
        else:
            # §3 version 2 (every other type): "MVKS" || 2 || string profile || u32be key_version || u32be slot_id || string type
            ad = b"MVKS\x02" + string(pid) + struct.pack(">II", kv, slot["slot_id"]) + string(slot["type"])
        for secret, kek in kek_of(slot, key_files, passphrases, argon_cache):
            keys = aead_open(kek, bytes(slot["nonce"]), ad, bytes(slot["wrapped_key"]))
            if keys is None:
                continue
            opened.add(secret)
            t2 = keys[:32]  # every slot wraps the same T2
            if len(keys) == 64:  # a passphrase slot: T2 || O (32 bytes only for a profile from before key tiers)
                owner = keys[32:]
    if t2 is not None and owner is None and profile["owner_escrow"] is not None:
        # §3 owner escrow: a profile without a passphrase slot; its key file is the owner
        esc = bytes(profile["owner_escrow"])
        owner = aead_open(t2, esc[:24], b"MVOE\x01" + string(pid) + struct.pack(">I", kv), esc[24:])
    device = None
    if owner is not None and profile["binding_mac"] is not None:
        device = open_device_secret(db, pid, kv, codes, argon_cache, opened)
    if owner is not None and profile["tier_public_keys"] is not None:
        # §10: the stored level 3-5 public keys must be the ones O derives (level 5 bound: with D, §3)
        stored = bytes(profile["tier_public_keys"])
        derived = b"".join(tier_pair(owner, device, n)[0] for n in (3, 4, 5))
        checked = 96 if profile["binding_mac"] is None or device is not None else 64
        replaced = not hmac.compare_digest(derived[:checked], stored[:checked])
        if profile["binding_mac"] is not None:
            # §3: binding_mac = BLAKE2b-256(key = H(O, "memory-vault/tier/5/binding"), "MVL5" || 1 || string profile || u32be kv || pk_3..5)
            mac = hashlib.blake2b(b"MVL5\x01" + string(pid) + struct.pack(">I", kv) + stored, digest_size=32,
                                  key=H(owner, "memory-vault/tier/5/binding")).digest()
            replaced |= not hmac.compare_digest(mac, bytes(profile["binding_mac"]))
        if replaced:
            print(f"recover.py: warning: the level 3-5 public keys of profile {pid} were replaced in vault.db"
                  " (memories sealed to them will not open)", file=sys.stderr)
    return t2, owner, device


def open_device_secret(db, pid, kv, codes, argon_cache, opened):
    """§3, "Level 5 bound to a device": D from a recovery-code device slot (the slots of the devices
    themselves need their device, which this script cannot ask)."""
    for slot in db.execute("SELECT * FROM level5_slots WHERE profile_id = ? AND type = 'recovery-code' ORDER BY slot_id", (pid,)):
        if len(slot["nonce"]) != 24 or len(slot["wrapped_key"]) != 48:
            continue
        # device slot associated data: "MVDS" || 1 || string profile || u32be key_version || u32be slot_id || string type
        ad = b"MVDS\x01" + string(pid) + struct.pack(">II", kv, slot["slot_id"]) + string(slot["type"])
        for secret, kek in kek_of(slot, [], codes, argon_cache):
            d = aead_open(kek, bytes(slot["nonce"]), ad, bytes(slot["wrapped_key"]))
            if d is not None:
                opened.add(secret)
                return d
    return None


def tier_pair(owner, device, level):
    """§3: the X25519 key pair of level 3-5: seed H(O, "memory-vault/tier/<n>"); level 5 bound to a
    device: seed BLAKE2b-256(key = O, "memory-vault/tier/5/device" || D)."""
    if level == 5 and device is not None:
        return bindings.crypto_box_seed_keypair(
            hashlib.blake2b(b"memory-vault/tier/5/device" + device, digest_size=32, key=owner).digest())
    return bindings.crypto_box_seed_keypair(H(owner, f"memory-vault/tier/{level}"))


def memory_ad(row, fmt):
    # §2: "MVAD" || u8 format || 16-byte id || u8 level || string profile || u32be key_version
    #     || i64be created_at (ms) || string created_by
    return (b"MVAD" + bytes([fmt]) + uuid.UUID(row["id"]).bytes + bytes([row["classification"]])
            + string(row["profile_id"]) + struct.pack(">Iq", row["key_version"], row["created_at"])
            + string(row["created_by"]))


def recover(row, keys):
    """Returns (content, None) or (None, reason); reason starts with "tampered" for an authentication failure."""
    level, pid = row["classification"], row["profile_id"]
    if row["shredded"] or row["ciphertext"] is None:
        return None, "crypto-shredded: the ciphertext was destroyed"  # §5, §9
    t2, owner, device, bound, kv = keys.get((pid, row["key_version"])) or keys.get(pid, (None, None, None, False, None))
    if t2 is None:
        return None, f"profile {pid} is not open: no key file or passphrase given opens its slots"
    if row["key_version"] != kv:
        return None, f"sealed under key version {row['key_version']}; the slots hold version {kv}"
    wrapped = row["wrapped_key"]
    fmt = 1 if wrapped is None else 2
    ad = memory_ad(row, fmt)
    if fmt == 1:
        ck = t2  # §4: format 1 was sealed directly under the profile's key of that time, its T2 (any level)
    elif level <= 2:
        tier = t2  # §3: T1 = H(T2, "memory-vault/tier/1"), T0 = H(T1, "memory-vault/tier/0")
        for n in range(1, level - 1, -1):
            tier = H(tier, f"memory-vault/tier/{n}")
        wrapped = bytes(wrapped)  # §4: nonce (24) || AEAD(T_level, nonce, CK, ad = §2)
        ck = aead_open(tier, wrapped[:24], ad, wrapped[24:]) if len(wrapped) == 72 else None
    else:
        if owner is None:
            return None, f"level {level} needs the passphrase"
        if level == 5 and bound and device is None:
            return None, "level 5 is bound to a device: give its recovery code with --level5-recovery-code-file"
        pk, sk = tier_pair(owner, device, level)  # §3
        try:  # §4: seal(CK, pk_level), 80 bytes
            ck = bindings.crypto_box_seal_open(bytes(wrapped), pk, sk)
        except (exceptions.CryptoError, TypeError, ValueError):
            ck = None
    if ck is None or len(ck) != 32:
        return None, "tampered: the wrapped content key failed authentication"
    content = aead_open(ck, bytes(row["nonce"]), ad, bytes(row["ciphertext"]))  # §4
    if content is None:
        return None, "tampered: the content failed authentication (a field of the row was changed)"
    # §5: commitment = HMAC-SHA-256(crypto_kdf_derive_from_key(32, 1, "mvcommit", CK), id || content)
    commit_key = hashlib.blake2b(b"", digest_size=32, key=ck, salt=(1).to_bytes(8, "little"), person=b"mvcommit").digest()
    mac = hmac.new(commit_key, uuid.UUID(row["id"]).bytes + content, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, row["commitment"]):
        return None, "tampered: the content does not match its commitment"
    return content, None


def make_out_dir(out):
    if out == "":
        raise Fail(2, "--out is empty: name a new or empty directory")
    if os.path.lexists(out) and (not os.path.isdir(out) or os.path.islink(out) or os.listdir(out)):
        raise Fail(2, f"{out} exists and is not an empty directory")
    os.makedirs(out, mode=0o700, exist_ok=True)
    os.chmod(out, 0o700)


def write_private(path, data):  # 0600, never over an existing file, never through a link
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def main(argv):
    ap = argparse.ArgumentParser(description="Recover Memory Vault memories with libsodium alone (docs/RECOVERY.md).")
    ap.add_argument("--vault", required=True, metavar="DIR", help="the vault directory (holding vault.db)")
    ap.add_argument("--key-file", action="append", default=[], metavar="F", help="a 32-byte key file: levels 0-2")
    ap.add_argument("--passphrase-file", action="append", default=[], metavar="F",
                    help="a file holding the owner's passphrase: every level")
    ap.add_argument("--level5-recovery-code-file", action="append", default=[], metavar="F",
                    help="a file holding the level-5 recovery code `vault profile bind-level5` printed: level 5 of a bound profile")
    ap.add_argument("--out", required=True, metavar="OUTDIR", help="new or empty directory for the recovered memories")
    a = ap.parse_args(argv)
    if not a.key_file and not a.passphrase_file:
        raise Fail(2, "give at least one --key-file or --passphrase-file")
    key_files = [key_file(p) for p in a.key_file]
    passphrases = [passphrase_file(p) for p in a.passphrase_file]
    codes = [passphrase_file(p) for p in a.level5_recovery_code_file]
    db = open_db(a.vault)
    try:
        p_cols, m_cols = columns(db, "profiles"), columns(db, "memories")
        esc = "owner_escrow" if "owner_escrow" in p_cols else "NULL AS owner_escrow"  # schema < 4: no key tiers
        tpk = "tier_public_keys" if "tier_public_keys" in p_cols else "NULL AS tier_public_keys"
        wk = "wrapped_key" if "wrapped_key" in m_cols else "NULL AS wrapped_key"
        bm = ("(SELECT binding_mac FROM level5_bindings b WHERE b.profile_id = profiles.id) AS binding_mac"
              if "level5_bindings" in {r[0] for r in db.execute("SELECT name FROM sqlite_master")} else "NULL AS binding_mac")
        keys, opened, argon_cache = {}, set(), {}
        for p in db.execute(f"SELECT id, key_version, {esc}, {tpk}, {bm} FROM profiles ORDER BY id").fetchall():
            t2, owner, device = open_profile(db, p, key_files, passphrases, codes, argon_cache, opened)
            keys[p["id"]] = (t2, owner, device, p["binding_mac"] is not None, p["key_version"])
        pending = {}  # §3 "Re-keying": a re-key stopped midway; its memories at the next version open with the pending key
        if "rekeys" in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}:
            for r in db.execute("SELECT profile_id, key_version, sealed_key FROM rekeys").fetchall():
                owner = keys.get(r["profile_id"], (None, None))[1]
                sealed = bytes(r["sealed_key"])
                if owner is None or len(sealed) != 24 + 32 + 16:
                    continue
                ad = b"MVRK\x01" + string(r["profile_id"]) + struct.pack(">I", r["key_version"])
                t2 = aead_open(H(owner, "memory-vault/owner-secret"), sealed[:24], ad, sealed[24:])
                if t2 is not None:
                    pending[r["profile_id"]] = (r["key_version"], t2)
        for pid, (version, t2) in pending.items():
            _, owner, device, bound, _ = keys[pid]
            keys[(pid, version)] = (t2, owner, device, bound, version)
        # a secret that opens no slot of any profile is a wrong secret (§3: ACCESS_WRONG_SECRET)
        if any(k not in opened for k in key_files):
            raise Fail(4, "a key file given opens no key-file slot of this vault (wrong key file?)")
        if any(p not in opened for p in passphrases):
            raise Fail(4, "the passphrase opens no passphrase slot of this vault (wrong passphrase?)")
        if any(c not in opened for c in codes):
            raise Fail(4, "the level-5 recovery code opens no level-5 slot of a profile the passphrase opened (wrong code?)")
        rows = db.execute("SELECT id, created_at, created_by, classification, profile_id, key_version, metadata,"
                          " commitment, nonce, ciphertext, tombstoned_at, tombstone_reason, shredded,"
                          f" {wk} FROM memories ORDER BY seq").fetchall()
    except sqlite3.Error as e:
        raise Fail(1, f"cannot read the vault database: {e}")
    make_out_dir(a.out)
    manifest, recovered, tampered = [], 0, 0
    for row in rows:
        if str(uuid.UUID(row["id"])) != row["id"]:
            raise Fail(1, f"memory id {row['id']!r} is not a canonical UUID (§9)")
        content, reason = recover(row, keys)
        if content is not None:
            write_private(os.path.join(a.out, row["id"]), content)
            recovered += 1
        tampered += bool(reason and reason.startswith("tampered"))
        entry = {"id": row["id"], "profile": row["profile_id"], "classification": row["classification"],
                 "created_at": row["created_at"], "created_by": row["created_by"],
                 "metadata": json.loads(row["metadata"]), "tombstoned": row["tombstoned_at"] is not None}
        if row["tombstoned_at"] is not None:
            entry["tombstone_reason"] = row["tombstone_reason"]
        entry["result"] = "recovered" if content is not None else reason
        manifest.append(entry)
    text = json.dumps({"vault": os.path.abspath(a.vault), "memories": manifest}, ensure_ascii=False, indent=2)
    write_private(os.path.join(a.out, "manifest.json"), (text + "\n").encode("utf-8"))
    print(f"recovered {recovered} of {len(rows)} memories into {a.out}" + (f"; {tampered} failed authentication" if tampered else ""))
    return 5 if tampered else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fail as e:
        print(f"recover.py: {e}", file=sys.stderr)
        sys.exit(e.code)
    except OSError as e:
        print(f"recover.py: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
