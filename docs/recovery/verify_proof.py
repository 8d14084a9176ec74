#!/usr/bin/env python3
"""Check a Memory Vault existence proof without the vault's code (docs/PROOFS.md).

    verify_proof.py PROOF --vkey KEY [--content FILE --opening FILE]

KEY is the vault's verifier key as `vault audit key` printed it (<name>+<key id>+<base64>). Checks
the checkpoint's Ed25519 signature (C2SP signed note), that the entry is a memory.store or
memory.commit entry for the proof's memory id and commitment at the proof's index, and the RFC 9162
inclusion proof from the entry's leaf hash to the signed root; with --content and --opening, that
HMAC-SHA-256(commit key, memory id as 16 bytes || content) is the commitment.
Needs Python 3 and PyNaCl (Debian: python3-nacl). Exit codes: 0 holds, 2 bad input, 5 does not hold.
"""
import argparse, base64, hashlib, hmac, json, re, struct, sys, uuid

try:
    from nacl import exceptions, signing
except ImportError:
    print("verify_proof.py: PyNaCl is missing: install python3-nacl (Debian) or `pip install pynacl`"
          " (or run it with the python3 that has it, e.g. /usr/bin/python3)", file=sys.stderr)
    sys.exit(2)

HEX64 = re.compile(r"\A[0-9a-f]{64}\Z")


class Fail(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def no(why):
    raise Fail(5, "proof rejected: " + why)


def parse_key(text):
    parts = text.strip().split("+", 2)      # the base64 key may itself hold a '+'
    if len(parts) == 3 and (not parts[0] or any(c.isspace() or c == "+" for c in parts[0]) or not re.fullmatch(r"[0-9a-f]{8}", parts[1])):
        parts = []
    if len(parts) != 3:
        raise Fail(2, "--vkey is not <name>+<key id>+<base64 key>")
    name, key_id, b64 = parts
    try:
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        raise Fail(2, "--vkey's key is not base64")
    if len(raw) != 33 or raw[0] != 1:
        raise Fail(2, "--vkey does not hold an Ed25519 key")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex()
    if key_id != expected:
        raise Fail(2, "--vkey's key id does not match its key")
    return name, bytes.fromhex(key_id), raw[1:]


def verify_checkpoint(note, name, key_id, public_key):
    if not isinstance(note, str) or not note.endswith("\n") or "\n\n" not in note:
        no("the checkpoint is not a signed note")
    split = note.rfind("\n\n")
    text, block = note[:split + 1], note[split + 2:]
    lines = block[:-1].split("\n")
    if not block or len(lines) > 100:
        no("the checkpoint has no signature, or too many")
    found = None
    for line in lines:        # every signature line must be well formed, as the vault's own parser requires
        if not line.startswith("\u2014 "):
            no("the checkpoint has a malformed signature line")
        who, _, sig = line[2:].partition(" ")
        if not who or any(c.isspace() or c == "+" or ord(c) < 0x21 for c in who):
            no("the checkpoint has a signature line with an invalid key name")
        try:
            raw = base64.b64decode(sig, validate=True)
        except ValueError:
            no("the checkpoint has a signature that is not base64")
        if len(raw) < 5 or base64.b64encode(raw).decode() != sig:
            no("the checkpoint has a malformed signature")
        if found is None and who == name and raw[:4] == key_id:
            found = raw[4:]
    if found is None:
        no("the checkpoint is not signed by the verifier key")
    try:
        signing.VerifyKey(public_key).verify(text.encode(), found)
    except (exceptions.BadSignatureError, ValueError, TypeError):
        no("the checkpoint's signature does not verify under the verifier key")
    body = text[:-1].split("\n")
    if len(body) != 3 or body[0] != name or not re.fullmatch(r"0|[1-9][0-9]{0,18}", body[1]):
        no("the checkpoint's text is not origin, size and root")
    try:
        root = base64.b64decode(body[2], validate=True)
    except ValueError:
        no("the checkpoint's root is not base64")
    if len(root) != 32:
        no("the checkpoint's root is not 32 bytes")
    return int(body[1]), root


def root_from_path(leaf, index, size, path):
    """RFC 9162 §2.1.3.2: the root that leaf `index` of a tree of `size` leaves gives with `path`."""
    if index >= size:
        no("the index is not in the tree")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            no("the inclusion path is too long")
        if fn % 2 == 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        no("the inclusion path is too short")
    return r


def unique(pairs):
    """A JSON object whose members each appear once (a repeated one is refused, as the vault refuses it)."""
    out = {}
    for k, v in pairs:
        if k in out:
            raise Fail(2, "a JSON member appears twice: " + k)
        out[k] = v
    return out


def read_json(path, what):
    """One JSON value in UTF-8, without a byte order mark, with nothing after it."""
    with open(path, "rb") as f:
        data = f.read((4 << 20) + 1)
    if len(data) > 4 << 20:
        raise Fail(2, "the %s file is too large" % what)
    if data.startswith(b"\xef\xbb\xbf"):
        raise Fail(2, "the %s file starts with a byte order mark" % what)
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=unique)
    except (UnicodeDecodeError, ValueError):
        raise Fail(2, "the %s file is not one JSON value in UTF-8" % what)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("proof")
    ap.add_argument("--vkey", required=True)
    ap.add_argument("--content")
    ap.add_argument("--opening")
    a = ap.parse_args()
    if (a.content is None) != (a.opening is None):
        raise Fail(2, "--content and --opening go together")
    name, key_id, public_key = parse_key(a.vkey)
    proof = read_json(a.proof, "proof")
    members = {"format", "memory_id", "commitment", "entry", "index", "tree_size", "inclusion_path", "checkpoint"}
    if not isinstance(proof, dict) or set(proof) != members or proof["format"] != "memory-vault/existence-proof/1":
        raise Fail(2, "not an existence proof of format memory-vault/existence-proof/1 (exactly its members)")
    index, size, path = proof["index"], proof["tree_size"], proof["inclusion_path"]
    if type(index) is not int or type(size) is not int or not -2**63 <= index < 2**63 or not -2**63 <= size < 2**63:
        raise Fail(2, "index and tree_size must be 64-bit integers")
    if not isinstance(path, list) or not all(isinstance(h, str) for h in path):
        raise Fail(2, "inclusion_path must be an array of strings")
    if not all(isinstance(proof[m], str) for m in ("memory_id", "commitment", "entry", "checkpoint")):
        raise Fail(2, "memory_id, commitment, entry and checkpoint must be strings")

    signed_size, root = verify_checkpoint(proof["checkpoint"], name, key_id, public_key)
    if signed_size != size:
        no("tree_size is not the checkpoint's tree size")
    if not 0 <= index < size:
        no("the index is not in the tree")
    entry_text = proof["entry"]
    try:
        entry = json.loads(entry_text, object_pairs_hook=unique)
    except (ValueError, Fail):
        no("the entry is not JSON with each member once")
    if not isinstance(entry, dict):
        no("the entry is not a JSON object")
    if entry.get("type") not in ("memory.store", "memory.commit"):
        no("the entry is not a memory.store or memory.commit entry")
    if entry.get("seq") != index or entry.get("memory_id") != proof["memory_id"] or entry.get("commitment") != proof["commitment"]:
        no("the entry's seq, memory_id or commitment is not the proof's")
    if type(entry.get("classification")) is not int or not 0 <= entry["classification"] <= 5:
        no("the entry has no classification 0-5")
    if not isinstance(entry.get("at"), str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["at"]):
        no("the entry's time is malformed")
    if not all(HEX64.match(h) for h in path):
        no("the inclusion path holds something other than hashes")
    leaf = hashlib.sha256(b"\x00" + entry_text.encode("utf-8")).digest()
    if not hmac.compare_digest(root_from_path(leaf, index, size, [bytes.fromhex(h) for h in path]), root):
        no("the inclusion proof does not lead to the signed root")

    shown = "content not checked"
    if a.content is not None:
        opening = read_json(a.opening, "opening")
        if not isinstance(opening, dict) or set(opening) != {"format", "memory_id", "commit_key"} \
                or opening["format"] != "memory-vault/commitment-opening/1" or not isinstance(opening["commit_key"], str) \
                or not HEX64.match(opening["commit_key"]):
            raise Fail(2, "not a commitment opening of format memory-vault/commitment-opening/1")
        if opening["memory_id"] != proof["memory_id"]:
            no("the opening is for another memory")
        mac = hmac.new(bytes.fromhex(opening["commit_key"]), uuid.UUID(proof["memory_id"]).bytes, hashlib.sha256)
        with open(a.content, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 16), b""):
                mac.update(chunk)
        if not hmac.compare_digest(mac.hexdigest(), proof["commitment"]):
            no("the content is not what was committed")
        shown = "the content is what was committed"
    print("proof holds: memory %s, entry %d (%s, logged at %s) of the tree of %d signed by %s; %s"
          % (proof["memory_id"], index, entry["type"], entry["at"], size, name, shown))


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        print("verify_proof.py: " + str(e), file=sys.stderr)
        sys.exit(e.code)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print("verify_proof.py: bad input: %s" % e, file=sys.stderr)
        sys.exit(2)
