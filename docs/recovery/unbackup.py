#!/usr/bin/env python3
"""Turn a Memory Vault backup file back into a vault directory with libsodium alone (docs/RECOVERY.md, "Backups").

    unbackup.py --backup FILE --backup-passphrase-file F --out DIR
    age -d -i key.txt FILE | unbackup.py --age-payload - --out DIR      (a backup made with --recipient)

Reads FILE as docs/FORMAT.md §14 describes, checks every chunk, and writes DIR/vault.db (its
tables created by the schema migrations of this repository, up to the backup's schema version,
then filled with the backup's rows) and the vault's files (config.toml, audit/signing-key-N).
recover.py then opens DIR as it opens a vault. Needs Python 3 and PyNaCl (Debian: python3-nacl); for the
age form, also the age tool, which checks every chunk of the age file and fails on a damaged one
(this script then refuses the payload as cut short: no end record). The owner's signature record is
checked against the key it names and that key printed: compare it with the owner's seal key
(`vault restore` checks it is the owner's; this script cannot know the owner).
Exit codes: 0 done, 2 bad input, 4 wrong passphrase, 5 the backup is damaged.
"""
import argparse, hashlib, os, re, sqlite3, struct, sys

try:
    from nacl import bindings, exceptions, pwhash, signing
except ImportError:
    sys.exit("unbackup.py: PyNaCl is missing: install python3-nacl (Debian) or `pip install pynacl`")

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vault-storage-sqlite", "src", "main",
                          "resources", "org", "memoryvault", "storage", "sqlite", "migration")
TAG_MESSAGE, TAG_FINAL = 0, 3


class Fail(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def read_exact(f, n, what):
    b = f.read(n)
    if len(b) != n:
        raise Fail(5, f"the backup is damaged: it ends inside {what}")
    return b


def passphrase_file(path):  # as the vault reads a passphrase file (FORMAT.md §3): 0600, one trailing \n then \r dropped
    st = os.stat(path)
    if st.st_mode & 0o177:
        raise Fail(2, f"{path} may be read by others (chmod 600 it)")
    data = open(path, "rb").read()
    if data.endswith(b"\n"):
        data = data[:-1]
    if data.endswith(b"\r"):
        data = data[:-1]
    if not data:
        raise Fail(2, f"{path} is empty")
    return data


def records(f, passphrase):
    """§14: the prefix, the key check, then every record of every chunk; the header's lines first."""
    if f.read(5) != b"MVBK\x01":
        raise Fail(2, "not a Memory Vault backup file")
    (hlen,) = struct.unpack(">I", read_exact(f, 4, "the header"))
    header = read_exact(f, hlen, "the header")
    alg, ops, mem = struct.unpack(">BIQ", read_exact(f, 13, "the Argon2id parameters"))
    salt = read_exact(f, 16, "the salt")
    check = read_exact(f, 16, "the key check")
    prefix = b"MVBK\x01" + struct.pack(">I", hlen) + header + struct.pack(">BIQ", alg, ops, mem) + salt + check
    if alg != 2:
        raise Fail(2, "unknown key derivation")
    if ops > 8 or mem > 1 << 30:  # as the vault: a cost beyond any preset is refused before it is run
        raise Fail(5, "the backup is damaged: it asks for an Argon2id cost beyond any preset")
    key = pwhash.argon2id.kdf(32, passphrase, salt, opslimit=ops, memlimit=mem)
    if hashlib.blake2b(b"memory-vault/backup/check", digest_size=16, key=key).digest() != check:
        raise Fail(4, "wrong backup passphrase")
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, read_exact(f, 24, "the stream header"), key)
    yield header
    while True:
        raw = f.read(4)
        if len(raw) != 4:
            raise Fail(5, "the backup is damaged: it ends before its final chunk (truncated)")
        (clen,) = struct.unpack(">I", raw)
        try:
            plain, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, read_exact(f, clen, "a chunk"), prefix)
        except (exceptions.CryptoError, ValueError):
            raise Fail(5, "the backup is damaged: a chunk failed authentication")
        i = 0
        while i < len(plain):
            (n,) = struct.unpack_from(">I", plain, i)
            yield plain[i + 4:i + 4 + n]
            i += 4 + n
        if tag == TAG_FINAL:
            if f.read(1):
                raise Fail(5, "the backup is damaged: bytes follow its final chunk")
            return
        if tag != TAG_MESSAGE:
            raise Fail(5, "the backup is damaged: a chunk with an unexpected tag")


def age_payload(f):
    """§14, the age form once age has decrypted it: the prefix with no key derivation, then records to the end."""
    if f.read(5) != b"MVBK\x01":
        raise Fail(2, "not the payload of a Memory Vault age backup (decrypt the file with age first)")
    (hlen,) = struct.unpack(">I", read_exact(f, 4, "the header"))
    header = read_exact(f, hlen, "the header")
    if read_exact(f, 1, "the key derivation byte") != b"\x00":
        raise Fail(5, "the backup is damaged: an age payload names a key derivation")
    yield header
    while True:
        raw = f.read(4)
        if not raw:
            return
        if len(raw) != 4:
            raise Fail(5, "the backup is damaged: it ends inside a record's length")
        (n,) = struct.unpack(">I", raw)
        yield read_exact(f, n, "a record")


def take(b, i, n):
    if n < 0 or i + n > len(b):
        raise Fail(5, "the backup is damaged: a length beyond its record")
    return b[i:i + n], i + n


def string(b, i):
    raw, i = take(b, i, 2)
    (n,) = struct.unpack(">H", raw)
    raw, i = take(b, i, n)
    return raw.decode("utf-8"), i


def decode(r):
    """§14 records: 1 row (table, values), 2 file (path, bytes), 3 end (rows, files), 4 signature (key, signature)."""
    if not r:
        raise Fail(5, "the backup is damaged: an empty record")
    kind, i = r[0], 1
    if kind == 1:
        table, i = string(r, i)
        raw, i = take(r, i, 2)
        (count,) = struct.unpack(">H", raw)
        values = []
        for _ in range(count):
            tag, i = take(r, i, 1)
            tag = tag[0]
            if tag == 0:
                values.append(None)
            elif tag in (1, 2):
                raw, i = take(r, i, 8)
                values.append(struct.unpack(">q" if tag == 1 else ">d", raw)[0])
            elif tag in (3, 4):
                raw, i = take(r, i, 4)
                v, i = take(r, i, struct.unpack(">I", raw)[0])
                values.append(v.decode("utf-8") if tag == 3 else bytes(v))
            else:
                raise Fail(5, "the backup is damaged: an unknown value tag")
        value = ("row", table, values)
    elif kind == 2:
        path, i = string(r, i)
        raw, i = take(r, i, 4)
        content, i = take(r, i, struct.unpack(">I", raw)[0])
        value = ("file", path, content)
    elif kind == 3:
        raw, i = take(r, i, 16)
        value = ("end", None, struct.unpack(">qq", raw))
    elif kind == 4:
        raw, i = take(r, i, 96)
        value = ("signature", raw[:32], raw[32:])
    else:
        raise Fail(5, "the backup is damaged: an unknown record")
    if i != len(r):
        raise Fail(5, "the backup is damaged: bytes after a record's fields")
    return value


def parse_header(raw):
    """§14 header: the first line, then `name value` lines, each once; `schema` and `created` numbers."""
    lines = raw.decode("utf-8").split("\n")
    if lines[0] != "memory-vault backup v1" or lines[-1] != "":
        raise Fail(2, "not a Memory Vault backup of a format this script reads")
    header = {}
    for line in lines[1:-1]:
        name, sep, value = line.partition(" ")
        if not sep or not name or name in header:
            raise Fail(5, "the backup is damaged: its header is malformed")
        header[name] = value
    for name in ("id", "schema", "created", "kind"):
        if name not in header:
            raise Fail(5, f"the backup is damaged: its header has no {name}")
    if not re.fullmatch(r"[0-9]{1,4}", header["schema"]) or not re.fullmatch(r"[0-9]{1,15}", header["created"]):
        raise Fail(5, "the backup is damaged: its header is malformed")
    return header


def main(argv):
    ap = argparse.ArgumentParser(description="Turn a Memory Vault backup into a vault directory (docs/RECOVERY.md).")
    ap.add_argument("--backup", metavar="FILE", help="a backup made with --backup-passphrase-file")
    ap.add_argument("--backup-passphrase-file", metavar="F")
    ap.add_argument("--age-payload", metavar="FILE", help="what `age -d` wrote for a backup made with --recipient (- for stdin)")
    ap.add_argument("--out", required=True, metavar="DIR", help="a new directory")
    a = ap.parse_args(argv)
    if (a.age_payload is None) == (a.backup is None) or (a.backup is not None) != (a.backup_passphrase_file is not None):
        raise Fail(2, "give --backup FILE with --backup-passphrase-file F, or --age-payload FILE")
    if os.path.lexists(a.out):
        raise Fail(2, f"{a.out} exists")
    passphrase = passphrase_file(a.backup_passphrase_file) if a.backup else None
    os.makedirs(a.out, mode=0o700)
    try:
        return unpack(a, passphrase)
    except BaseException:
        for root, dirs, names in os.walk(a.out, topdown=False):  # nothing half-written stays behind
            for n in names:
                os.unlink(os.path.join(root, n))
            for d in dirs:
                os.rmdir(os.path.join(root, d))
        os.rmdir(a.out)
        raise


def names_in_index():
    return [n.strip() for n in open(os.path.join(MIGRATIONS, "index.txt")) if n.strip() and not n.startswith("#")]


def unpack(a, passphrase):
    source = sys.stdin.buffer if a.age_payload == "-" else open(a.age_payload or a.backup, "rb")
    with source as f:
        stream = records(f, passphrase) if passphrase is not None else age_payload(f)
        header_bytes = next(stream)
        header = parse_header(header_bytes)
        schema = int(header["schema"])
        if schema > len(names_in_index()):
            raise Fail(2, f"the backup is of schema {schema}; this repository's migrations go to {len(names_in_index())}")
        signed = hashlib.sha256(struct.pack(">I", len(header_bytes)) + header_bytes)
        signer = None
        names = names_in_index()
        db = sqlite3.connect(os.path.join(a.out, "vault.db"), isolation_level=None)
        for name in names[:schema]:  # schema N = the first N migrations (FORMAT.md §9)
            sql = open(os.path.join(MIGRATIONS, name)).read()
            if sqlite3.sqlite_version_info < (3, 44):  # FTS5 'secure-delete' (3.44+) only matters to a vault that deletes
                sql = re.sub(r"INSERT INTO \w+ \(\w+, rank\) VALUES \('secure-delete', 1\);", "", sql)
            db.executescript(sql)
        db.execute("PRAGMA user_version = %d" % schema)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        db.execute("BEGIN")
        db.execute("DELETE FROM vault_state")
        rows = files = 0
        ended = False
        for raw in stream:
            if ended:
                raise Fail(5, "the backup is damaged: records follow its end record")
            kind, name, value = decode(raw)
            if signer is not None and kind != "end":
                raise Fail(5, "the backup is damaged: records follow its signature")
            if kind in ("row", "file"):
                signed.update(struct.pack(">I", len(raw)) + raw)
            if kind == "signature":  # §14: Ed25519 over "MVBS" || 0x01 || SHA-256(header, then each record before it)
                try:
                    signing.VerifyKey(name).verify(b"MVBS\x01" + signed.digest(), value)
                except (exceptions.BadSignatureError, exceptions.CryptoError, ValueError, TypeError):
                    raise Fail(5, "the backup is damaged: its signature does not verify")
                signer = name.hex()
            elif kind == "file":
                if rows:
                    raise Fail(5, "the backup is damaged: a file record follows the rows")
                if name != "config.toml" and not re.fullmatch(r"audit/signing-key-[0-9]{1,9}", name):
                    raise Fail(5, f"the backup is damaged: a file record named {name!r}")
                path = os.path.join(a.out, name)
                os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(value)
                files += 1
            elif kind == "row":
                if name not in tables:
                    raise Fail(5, f"the backup is damaged: a row of an unknown table {name!r}")
                db.execute(f"INSERT INTO {name} VALUES ({', '.join('?' * len(value))})", value)
                rows += 1
            elif value != (rows, files):
                raise Fail(5, f"the backup is damaged: its end record counts {value}, it holds {(rows, files)}")
            else:
                ended = True
        if not ended:
            raise Fail(5, "the backup is damaged: it ends before its end record (cut short, or age failed)")
        db.execute("INSERT INTO memory_search (memory_search) VALUES ('rebuild')")
        db.execute("INSERT INTO recall_search (recall_search) VALUES ('rebuild')")
        db.execute("COMMIT")
        db.close()
    os.chmod(os.path.join(a.out, "vault.db"), 0o600)
    print(f"wrote {a.out}: {rows} rows, {files} files of backup {header['id']} (schema {schema}); "
          + (f"signed by owner seal key {signer}" if signer else "NOT signed (made before backups were signed, or stripped)"))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fail as e:
        print(f"unbackup.py: {e}", file=sys.stderr)
        sys.exit(e.code)
    except (struct.error, UnicodeDecodeError, KeyError, IndexError, FileExistsError, sqlite3.Error) as e:
        print(f"unbackup.py: the backup is damaged: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(5)
