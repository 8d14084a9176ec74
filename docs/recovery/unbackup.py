#!/usr/bin/env python3
"""Turn a Memory Vault backup file back into a vault directory with libsodium alone (docs/RECOVERY.md, "Backups").

    unbackup.py --backup FILE [--backup INCREMENTAL]... --backup-passphrase-file F --out DIR
    age -d -i key.txt FILE | unbackup.py --age-payload - --out DIR      (a backup made with --recipient)

Reads FILE as docs/FORMAT.md §14 describes, checks every chunk, and writes DIR/vault.db (its
tables created by the schema migrations of this repository, up to the backup's schema version,
then filled with the backup's rows) and the vault's files (config.toml, audit/signing-key-N).
Incremental backups (§14) follow their full backup, each given after the one it names as its
parent, in the order they were made; each is applied in turn (its rows replace theirs, its
deletions remove theirs), and after each file every table must hold the rows its summary record
names (their count and a digest of their keys).
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
    """§14 records: 1 row (table, values), 2 file (path, bytes), 3 end (rows, files), 4 signature (key, signature),
    5 deletion (table, key values), 6 summary ({table: (rows, key digest)})."""
    if not r:
        raise Fail(5, "the backup is damaged: an empty record")
    kind, i = r[0], 1
    if kind in (1, 5):
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
        value = ("row" if kind == 1 else "deletion", table, values)
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
    elif kind == 6:
        raw, i = take(r, i, 2)
        counts = {}
        for _ in range(struct.unpack(">H", raw)[0]):
            table, i = string(r, i)
            raw, i = take(r, i, 40)
            (n,) = struct.unpack(">q", raw[:8])
            if n < 0 or table in counts:
                raise Fail(5, "the backup is damaged: its summary is malformed")
            counts[table] = (n, raw[8:].hex())
        value = ("summary", None, counts)
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
    if header["kind"] not in ("full", "incremental") or (header["kind"] == "incremental") != ("parent" in header) \
            or not re.fullmatch(r"[0-9a-f]{64}", header.get("parent", "0" * 64)):
        raise Fail(5, "the backup is damaged: its header is malformed")
    return header


class Hashed:
    """A file read through SHA-256: an incremental names its parent by the hash of the parent's whole file."""
    def __init__(self, f):
        self.f, self.hash = f, hashlib.sha256()

    def read(self, n=-1):
        b = self.f.read(n)
        self.hash.update(b)
        return b


def main(argv):
    ap = argparse.ArgumentParser(description="Turn a Memory Vault backup into a vault directory (docs/RECOVERY.md).")
    ap.add_argument("--backup", metavar="FILE", action="append", help="a backup made with --backup-passphrase-file; again for"
                    " each incremental after it, in order (all under the one passphrase)")
    ap.add_argument("--backup-passphrase-file", metavar="F")
    ap.add_argument("--age-payload", metavar="FILE", action="append", help="what `age -d` wrote for a backup made with"
                    " --recipient (- for stdin); again for each incremental after it, in order")
    ap.add_argument("--out", required=True, metavar="DIR", help="a new or empty directory (as recover.py's --out)")
    a = ap.parse_args(argv)
    if (a.age_payload is None) == (a.backup is None) or (a.backup is not None) != (a.backup_passphrase_file is not None):
        raise Fail(2, "give --backup FILE with --backup-passphrase-file F, or --age-payload FILE")
    if (a.age_payload or []).count("-") > 1:
        raise Fail(2, "only one --age-payload may be standard input")
    if a.out == "":
        raise Fail(2, "--out is empty: name a new or empty directory")
    existed = os.path.lexists(a.out)
    if existed and (not os.path.isdir(a.out) or os.path.islink(a.out) or os.listdir(a.out)):
        raise Fail(2, f"{a.out} exists and is not an empty directory")
    passphrase = passphrase_file(a.backup_passphrase_file) if a.backup else None
    if not existed:
        try:
            os.mkdir(a.out, 0o700)           # its parent must exist: nothing else is created
        except FileNotFoundError:
            raise Fail(2, f"the parent directory of {a.out} does not exist")
    try:
        done = unpack(a, passphrase)
        os.chmod(a.out, 0o700)               # an existing empty directory becomes private once it holds the vault
        return done
    except BaseException:
        for root, dirs, names in os.walk(a.out, topdown=False):  # nothing half-written stays behind
            for n in names:
                os.unlink(os.path.join(root, n))
            for d in dirs:
                os.rmdir(os.path.join(root, d))
        if not existed:
            os.rmdir(a.out)
        raise


def names_in_index():
    return [n.strip() for n in open(os.path.join(MIGRATIONS, "index.txt")) if n.strip() and not n.startswith("#")]


def key_columns(db, table):
    return [r[1] for r in sorted((r for r in db.execute(f"PRAGMA table_info({table})") if r[5] > 0), key=lambda r: r[5])]


def unpack(a, passphrase):
    db = previous = None
    rows = files = 0
    signers = []
    for path in a.backup or a.age_payload:
        source = sys.stdin.buffer if path == "-" else open(path, "rb")
        with source as raw_file:
            f = Hashed(raw_file)
            stream = records(f, passphrase) if passphrase is not None else age_payload(f)
            header_bytes = next(stream)
            header = parse_header(header_bytes)
            schema = int(header["schema"])
            incremental = header["kind"] == "incremental"
            if previous is None:
                if incremental:
                    raise Fail(2, "an incremental backup restores only after its parent: give the full backup first, then"
                                  " each incremental in the order they were made")
                if schema > len(names_in_index()):
                    raise Fail(2, f"the backup is of schema {schema}; this repository's migrations go to {len(names_in_index())}")
                db = create(a.out, schema)
            elif not incremental:
                raise Fail(2, "only incrementals follow the first backup")
            elif header["vault"] != previous[0]["vault"] or schema != int(previous[0]["schema"]):
                raise Fail(2, "an incremental of another vault or schema than the backup before it")
            elif passphrase is not None and header["parent"] != previous[1]:
                raise Fail(2, f"the chain is broken: {path} names a parent that is not the file before it (give the full"
                              " backup, then each incremental in the order they were made, none left out)")
            elif passphrase is None and header.get("parent-id") != previous[0]["id"]:
                raise Fail(2, f"the chain is broken: {path} names a parent backup that is not the one before it")
            r, n, signer = apply(db, a.out, header_bytes, stream, incremental)
            if path != "-" and f.read(1):
                raise Fail(5, "the backup is damaged: bytes follow its end")
            rows, files = rows + r, files + n
            signers.append(signer)
            previous = (header, f.hash.hexdigest())
    db.close()
    os.chmod(os.path.join(a.out, "vault.db"), 0o600)
    header = previous[0]
    owners = {s for s in signers if s}
    print(f"wrote {a.out}: {rows} rows, {files} files of backup {header['id']} (schema {header['schema']}"
          + (f", after {len(signers) - 1} incrementals" if len(signers) > 1 else "") + "); "
          + (f"signed by owner seal key {owners.pop()}" if len(owners) == 1 and all(signers)
             else "NOT signed by one key (made before backups were signed, stripped, or signed by different keys: "
                  + ", ".join(s or "none" for s in signers) + ")"))
    return 0


def create(out, schema):
    db = sqlite3.connect(os.path.join(out, "vault.db"), isolation_level=None)
    for name in names_in_index()[:schema]:  # schema N = the first N migrations (FORMAT.md §9)
        sql = open(os.path.join(MIGRATIONS, name)).read()
        if sqlite3.sqlite_version_info < (3, 44):  # FTS5 'secure-delete' (3.44+) only matters to a vault that deletes
            sql = re.sub(r"INSERT INTO \w+ \(\w+, rank\) VALUES \('secure-delete', 1\);", "", sql)
        db.executescript(sql)
    db.execute("PRAGMA user_version = %d" % schema)
    db.execute("DELETE FROM vault_state")
    return db


def encode_value(v):
    """A value as §14's row records encode it."""
    if v is None:
        return b"\x00"
    if isinstance(v, int):
        return b"\x01" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"\x02" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode("utf-8")
        return b"\x03" + struct.pack(">I", len(b)) + b
    return b"\x04" + struct.pack(">I", len(v)) + bytes(v)


def summary(db, table):
    """§14 summary of a table: its row count and SHA-256 over, for each row in key order, u32be length || the
    deletion record of its key (memories: id and seq, in id order)."""
    key = ["id", "seq"] if table == "memories" else key_columns(db, table)
    digest, n = hashlib.sha256(), 0
    name = table.encode("utf-8")
    for row in db.execute(f"SELECT {', '.join(key)} FROM {table} ORDER BY {', '.join(key)}"):
        record = b"\x05" + struct.pack(">H", len(name)) + name + struct.pack(">H", len(row)) + b"".join(encode_value(v) for v in row)
        digest.update(struct.pack(">I", len(record)) + record)
        n += 1
    return n, digest.hexdigest()


def apply(db, out, header_bytes, stream, incremental):
    """One backup's records into db, in one transaction: a full one's rows inserted, an incremental's upserted or deleted."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    signed = hashlib.sha256(struct.pack(">I", len(header_bytes)) + header_bytes)
    signer = counts = None
    rows = files = 0
    ended = False
    db.execute("BEGIN")
    for raw in stream:
        if ended:
            raise Fail(5, "the backup is damaged: records follow its end record")
        kind, name, value = decode(raw)
        if signer is not None and kind != "end":
            raise Fail(5, "the backup is damaged: records follow its signature")
        if counts is not None and kind not in ("signature", "end"):
            raise Fail(5, "the backup is damaged: records follow its summary")
        if kind in ("row", "file", "deletion", "summary"):
            signed.update(struct.pack(">I", len(raw)) + raw)
        if kind == "signature":  # §14: Ed25519 over "MVBS" || 0x01 || SHA-256(header, then each record before it)
            try:
                signing.VerifyKey(name).verify(b"MVBS\x01" + signed.digest(), value)
            except (exceptions.BadSignatureError, exceptions.CryptoError, ValueError, TypeError):
                raise Fail(5, "the backup is damaged: its signature does not verify")
            signer = name.hex()
        elif kind == "summary":
            counts = value
        elif kind == "file":
            if rows:
                raise Fail(5, "the backup is damaged: a file record follows the rows")
            if name != "config.toml" and not re.fullmatch(r"audit/signing-key-[0-9]{1,9}", name):
                raise Fail(5, f"the backup is damaged: a file record named {name!r}")
            path = os.path.join(out, name)
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            # a later file of the chain replaces the earlier one's copy (the directory is this script's own)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | (0 if incremental else os.O_EXCL), 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(value)
            files += 1
        elif kind in ("row", "deletion"):
            if name not in tables or name in ("changes", "backup_chain"):
                raise Fail(5, f"the backup is damaged: a record of an unknown table {name!r}")
            if kind == "deletion" and not incremental:
                raise Fail(5, "the backup is damaged: a deletion in a full backup")
            if not incremental:
                db.execute(f"INSERT INTO {name} VALUES ({', '.join('?' * len(value))})", value)
            else:
                key = key_columns(db, name)
                if kind == "deletion":
                    if len(value) != len(key):
                        raise Fail(5, f"the backup is damaged: a deletion of {name} with {len(value)} key values")
                    db.execute(f"DELETE FROM {name} WHERE " + " AND ".join(f"{k} = ?" for k in key), value)
                else:  # an upsert, not a REPLACE: a REPLACE deletes first, and a delete cascades to other tables
                    columns = [r[1] for r in db.execute(f"PRAGMA table_info({name})")]
                    others = [c for c in columns if c not in key]
                    db.execute(f"INSERT INTO {name} VALUES ({', '.join('?' * len(value))}) ON CONFLICT ({', '.join(key)}) DO "
                               + ("UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in others) if others else "NOTHING"), value)
            rows += 1
        elif value != (rows, files):
            raise Fail(5, f"the backup is damaged: its end record counts {value}, it holds {(rows, files)}")
        else:
            ended = True
    if not ended:
        raise Fail(5, "the backup is damaged: it ends before its end record (cut short, or age failed)")
    if incremental and counts is None:
        raise Fail(5, "the backup is damaged: an incremental without its summary")
    for table, expected in (counts or {}).items():
        if table not in tables or summary(db, table) != expected:
            raise Fail(5, f"the backup is damaged: the rows of {table} restored are not the rows its summary names (a"
                          " change is missing from the chain)")
    db.execute("INSERT INTO memory_search (memory_search) VALUES ('rebuild')")
    db.execute("INSERT INTO recall_search (recall_search) VALUES ('rebuild')")
    db.execute("COMMIT")
    return rows, files, signer


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fail as e:
        print(f"unbackup.py: {e}", file=sys.stderr)
        sys.exit(e.code)
    except (struct.error, UnicodeDecodeError, KeyError, IndexError, FileExistsError, sqlite3.Error) as e:
        print(f"unbackup.py: the backup is damaged: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(5)
    except OSError as e:  # a file given that is missing, a directory, unreadable
        print(f"unbackup.py: {e.strerror or e}: {e.filename or ''}", file=sys.stderr)
        sys.exit(2)
