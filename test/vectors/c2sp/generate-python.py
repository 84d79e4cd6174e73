"""Independent C2SP vectors, written from the spec texts (c2sp.org/signed-note, tlog-checkpoint,
tlog-cosignature) with Python `cryptography` (OpenSSL Ed25519) and hashlib; no code shared with the library.
Run: python3 generate-python.py > python-cryptography.json"""
import base64, hashlib, json
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

def key(label):
    seed = hashlib.sha256(label.encode()).digest()
    sk = Ed25519PrivateKey.from_private_bytes(seed)
    pub = sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return seed, sk, pub

def key_id(name, alg, pub):
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + pub).digest()[:4]

def vkey(name, alg, pub):
    return f"{name}+{key_id(name, alg, pub).hex()}+{base64.b64encode(bytes([alg]) + pub).decode()}"

origin = "ledger.example/vectors"
root = hashlib.sha256(b"root").digest()
body = f"{origin}\n1234567\n{base64.b64encode(root).decode()}\n"
log_seed, log_sk, log_pub = key("log key")
log_sig = key_id(origin, 1, log_pub) + log_sk.sign(body.encode())
note = body + "\n" + f"\u2014 {origin} {base64.b64encode(log_sig).decode()}\n"

w_name = "witness.example/w1"
w_seed, w_sk, w_pub = key("witness key")
t = 1679315147
msg = f"cosignature/v1\ntime {t}\n{body}".encode()
w_sig = key_id(w_name, 4, w_pub) + t.to_bytes(8, "big") + w_sk.sign(msg)
cosig_line = f"\u2014 {w_name} {base64.b64encode(w_sig).decode()}\n"

print(json.dumps({
    "source": "test/vectors/c2sp/generate-python.py (Python cryptography %s, OpenSSL Ed25519)" % __import__("cryptography").__version__,
    "log": {"name": origin, "seed": log_seed.hex(), "publicKey": log_pub.hex(), "vkey": vkey(origin, 1, log_pub)},
    "witness": {"name": w_name, "seed": w_seed.hex(), "publicKey": w_pub.hex(), "vkey": vkey(w_name, 4, w_pub)},
    "checkpoint": {"origin": origin, "size": 1234567, "rootHex": root.hex(), "body": body},
    "note": note,
    "cosignature": {"time": t, "message": msg.decode(), "line": cosig_line},
    "cosignedNote": note + cosig_line,
}, indent=2, ensure_ascii=False))
