#!/usr/bin/env python3
"""mimispec adapter: GnuPG (the `gpg` binary) + Python's `email` package, pep ops.

Libraries: the OpenPGP work is GnuPG's (`gpg` run with subprocess argument
lists, never a shell; every call in a fresh temporary GNUPGHOME with --batch
--homedir, keys imported from the case input, a timeout on every call, the
agent of that home killed and the home removed afterwards). The MIME work is
Python's `email` package (policy `email.policy.default`: parsing, header
decoding, transfer decoding, building, generating with CRLF).

Ops:
- pep.message.unwrap: email parses the message; gpg decrypts the octet-stream
  part (`gpg --decrypt`); email parses the decrypted tree.
- pep.message.wrap: email builds the MIME trees; gpg signs and encrypts
  (`gpg --sign --encrypt --armor`).
- pep.message.signature: gpg decrypts and verifies (GOODSIG/BADSIG status).
- pep.message.structure: email parses the outer message.
- pep.message.peer_version: the X-pEp-Version of the message unwrap reads.

Glue (none of it is in gpg or email; kept to the MUST rules of PROTOCOL.md):
- the result shapes (the node tree, header list, structure members);
- a non-empty `defects` list of any parsed part is an error whose code is the
  first defect's class name (email never raises on bad input);
- RFC 3156 §4 envelope checks in PROTOCOL.md's order (root type, protocol,
  first part type, its Version field read by email's header parser, second
  part type, part count), answered with the suite's codes because the glue
  implements exactly that rule; gpg failures are answered with gpg's status
  keyword (NO_SECKEY, DECRYPTION_FAILED, INV_RECP, ...); a decryption counts
  only with DECRYPTION_OKAY, a PLAINTEXT (literal data reached) and no FAILURE;
- the p≡p reading of the decrypted tree (MUST rules only): 2.0 when the first
  line of the first text/plain leaf following first children is
  `X-pEp-Wrapped-Message-Info: OUTER` (name case-insensitive, value exact),
  the inner message the first message/rfc822 child and its marker line
  INNER/KEY_RESET/TRANSPORT the wrapped info; 2.1 when a direct child is
  message/rfc822 with parameter forwarded equal to "no" (email's get_param:
  name case-insensitive, quotes removed; value compared exactly), its
  X-pEp-Wrapped-Message-Info INNER/KEY_RESET/TRANSPORT the wrapped info;
  1.0 otherwise; X-pEp-Sender-FPR upper-cased without spaces; every other
  message/rfc822 leaf counted as forwarded. The engine's SHOULD conventions
  (marker removal, Subject line in the text, placeholder reading, refusing
  other info values, case-insensitive forwarded value, bounds) are NOT glued.
- the p≡p writing (MUST rules only): 1.0 encrypts the MIME tree (MIME-Version
  and Content-* fields and the body) and keeps the other fields but Subject;
  2.0 adds the line `X-pEp-Wrapped-Message-Info: INNER` at the start of the
  first text/plain leaf (following first children) and wraps the message in
  multipart/mixed after a text/plain `X-pEp-Wrapped-Message-Info: OUTER`;
  2.1 sets X-pEp-Wrapped-Message-Info: INNER and X-pEp-Sender-FPR (the
  sender key's fingerprint from gpg's IMPORT_OK status) and attaches it as
  message/rfc822; forwarded="no" after a text/plain part; a 2.x outer message
  gets From/To/Cc/Date, a Message-ID of its own (email.utils.make_msgid);
  the outer subject is replaced by "p≡p" (an RFC 2047 word: email.header);
  the outer tree is RFC 3156 (multipart/encrypted, "Version: 1",
  application/octet-stream holding gpg's armor). No Subject line is written
  into a 1.0 text (an engine convention, SHOULD).
- structure: "armored" is whether the decoded body holds the BEGIN and then
  the END PGP MESSAGE armor line.
"""
import base64
import copy
import email
import email.generator
import email.header
import email.policy
import email.utils
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
import email.encoders
import email.message

GPG = os.environ.get("GPG", "gpg")
GPG_TIMEOUT = 8  # seconds per gpg call; the harness allows 10 s per case
POLICY = email.policy.default
CRLF_POLICY = POLICY.clone(linesep="\r\n")
WRAPPED_INFO = "x-pep-wrapped-message-info"
INNER_VALUES = ("INNER", "KEY_RESET", "TRANSPORT")
PLACEHOLDER = "p≡p"
OPS = [
    "pep.message.unwrap",
    "pep.message.wrap",
    "pep.message.signature",
    "pep.message.structure",
    "pep.message.peer_version",
]


class Fail(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def gpg_version():
    out = subprocess.run([GPG, "--version"], capture_output=True, timeout=GPG_TIMEOUT).stdout
    return out.decode("utf-8", "replace").splitlines()[0].split()[-1]


def to_bytes(value):
    if isinstance(value, dict):
        return base64.b64decode(value["$base64"])
    return value.encode("utf-8")


def from_bytes(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"$base64": base64.b64encode(data).decode("ascii")}


class Home:
    """A fresh GNUPGHOME for one case."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="gpg-")
        return self

    def __exit__(self, *exc):
        try:
            subprocess.run(["gpgconf", "--homedir", self.path, "--kill", "gpg-agent"],
                           capture_output=True, timeout=GPG_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.path, ignore_errors=True)

    def run(self, args, data):
        """gpg with --status-fd 2: (exit code, stdout, status keywords list)."""
        cmd = [GPG, "--batch", "--quiet", "--homedir", self.path, "--no-tty", "--status-fd", "2",
               "--pinentry-mode", "loopback", "--passphrase", ""] + args
        try:
            p = subprocess.run(cmd, input=data, capture_output=True, timeout=GPG_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Fail("gpg.timeout", "gpg took longer than %d s" % GPG_TIMEOUT)
        status = []
        self.last_message = ""
        for line in p.stderr.decode("utf-8", "replace").splitlines():
            if line.startswith("[GNUPG:] "):
                status.append(line[9:].split())
            else:
                self.last_message = self.last_message or line
                sys.stderr.write(line + "\n")
        return p.returncode, p.stdout, status

    def import_key(self, key):
        """Imports a key; returns [(fingerprint, reason flags)] from IMPORT_OK."""
        rc, _, status = self.run(["--import"], key)
        ok = [(s[2], int(s[1])) for s in status if s[0] == "IMPORT_OK" and len(s) > 2]
        if not ok:
            raise Fail(first_failure(status, "gpg.import"), "gpg imported no key (exit %d)" % rc)
        return ok


FAILURES = ("NO_SECKEY", "BADMDC", "DECRYPTION_FAILED", "NODATA", "INV_RECP", "INV_SGNR",
            "FAILURE", "ERROR", "IMPORT_PROBLEM", "NO_PUBKEY")


def first_failure(status, default):
    for s in status:
        if s[0] in FAILURES:
            return s[0] if s[0] != "ERROR" or len(s) < 2 else "ERROR " + s[1]
    return default


# --- email glue -------------------------------------------------------------

def parse(data):
    return email.message_from_bytes(data, policy=POLICY)


def check_defects(msg):
    for part in msg.walk():
        if part.defects:
            d = part.defects[0]
            raise Fail(type(d).__name__, str(d) or type(d).__name__)


def first_text_leaf(msg):
    node = msg
    while node.get_content_maintype() == "multipart":
        parts = node.get_payload()
        if not parts:
            return None
        node = parts[0]
    return node if node.get_content_type() == "text/plain" else None


def first_line(leaf):
    if leaf is None:
        return None
    text = (leaf.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return re.split(r"\r\n|\n", text, maxsplit=1)[0]


def marker_value(line):
    if line is None or ":" not in line:
        return None
    name, value = line.split(":", 1)
    return value.strip() if name.strip().lower() == WRAPPED_INFO else None


def header_value(msg, name):
    value = msg.get(name)
    return None if value is None else str(value).strip()


def node(part, counter):
    ctype = part.get_content_type()
    params = {}
    header = part.get("content-type")
    if header is not None and hasattr(header, "params"):
        params = {k.lower(): v for k, v in header.params.items() if k.lower() != "boundary"}
    if part.get_content_maintype() == "multipart":
        return {"type": ctype, "params": params,
                "parts": [node(p, counter) for p in part.get_payload()]}
    if ctype == "message/rfc822":
        counter[0] += 1
        buf = io.BytesIO()
        email.generator.BytesGenerator(buf, mangle_from_=False, policy=CRLF_POLICY).flatten(
            part.get_payload(0))
        return {"type": ctype, "params": params, "body": from_bytes(buf.getvalue())}
    return {"type": ctype, "params": params, "body": from_bytes(part.get_payload(decode=True) or b"")}


def shown_headers(msg):
    out = []
    for name, value in msg.items():
        low = name.lower()
        if low in ("subject", "mime-version") or low.startswith("content-") or low.startswith("x-pep-"):
            continue
        out.append([name, str(value).strip()])
    return out


def read_envelope(msg):
    """RFC 3156 §4 checks (glue), in PROTOCOL.md's order; returns the armored bytes."""
    if msg.get_content_type() != "multipart/encrypted":
        raise Fail("pep.message.not_encrypted", "root is %s" % msg.get_content_type())
    if (msg.get_param("protocol") or "").lower() != "application/pgp-encrypted":
        raise Fail("pep.message.bad_protocol", "protocol=%r" % msg.get_param("protocol"))
    parts = msg.get_payload()
    if not parts or parts[0].get_content_type() != "application/pgp-encrypted":
        raise Fail("pep.message.missing_pgp_encrypted", "first part is not application/pgp-encrypted")
    control = email.message_from_bytes(parts[0].get_payload(decode=True) or b"", policy=POLICY)
    if header_value(control, "Version") != "1":
        raise Fail("pep.message.bad_version", "control part has no Version: 1")
    if len(parts) < 2 or parts[1].get_content_type() != "application/octet-stream":
        raise Fail("pep.message.missing_octet_stream", "second part is not application/octet-stream")
    if len(parts) != 2:
        raise Fail("pep.message.part_count", "%d parts" % len(parts))
    return parts[1].get_payload(decode=True) or b""


def decrypt(home, inp, extra_keys=()):
    """Returns (outer message, decrypted bytes, gpg status)."""
    home.import_key(to_bytes(inp["recipient_key"]))
    for key in extra_keys:
        home.import_key(key)
    msg = parse(to_bytes(inp["message"]))
    check_defects(msg)
    armored = read_envelope(msg)
    rc, plain, status = home.run(["--trust-model", "always", "--decrypt"], armored)
    words = [s[0] for s in status]
    # DECRYPTION_OKAY is the encryption layer's alone: gpg says it, then
    # FAILURE, when what is inside fails (too deeply nested packets).
    if ("DECRYPTION_OKAY" not in words or "PLAINTEXT" not in words or "FAILURE" in words
            or "DECRYPTION_FAILED" in words or "BADMDC" in words):
        raise Fail(first_failure(status, "gpg.exit%d" % rc), "gpg did not decrypt (exit %d)" % rc)
    return msg, plain, status


def read_tree(outer, plain):
    """The p≡p reading (glue, MUST rules): (version, wrapped_info, message read, body root)."""
    tree = parse(plain)
    check_defects(tree)
    outer_marker = marker_value(first_line(first_text_leaf(tree)))
    children = tree.get_payload() if tree.get_content_maintype() == "multipart" else []
    if outer_marker == "OUTER":
        rfc822 = [p for p in children if p.get_content_type() == "message/rfc822"]
        if not rfc822:
            raise Fail("pep.message.missing_inner", "2.0 OUTER text without a message/rfc822 part")
        inner = rfc822[0].get_payload(0)
        value = marker_value(first_line(first_text_leaf(inner)))
        return "2.0", value if value in INNER_VALUES else None, inner
    for p in children:
        if p.get_content_type() == "message/rfc822" and p.get_param("forwarded") == "no":
            inner = p.get_payload(0)
            value = header_value(inner, "X-pEp-Wrapped-Message-Info")
            return "2.1", value if value in INNER_VALUES else None, inner
    # 1.0: the decrypted tree under the outer IMF headers
    return "1.0", None, (outer, tree)


def unwrap(inp):
    with Home() as home:
        outer, plain, _ = decrypt(home, inp)
    version, info, read = read_tree(outer, plain)
    if version == "1.0":
        head, body = read
        fpr = None
    else:
        head = body = read
        fpr = header_value(head, "X-pEp-Sender-FPR")
        fpr = None if fpr is None else fpr.replace(" ", "").upper()
    counter = [0]
    tree = node(body, counter)
    return {"version_detected": version, "wrapped_info": info, "sender_fpr": fpr,
            "subject": header_value(head, "Subject"), "headers": shown_headers(head),
            "body": tree, "forwarded_attachments": counter[0]}


def peer_version(inp):
    with Home() as home:
        outer, plain, _ = decrypt(home, inp)
    version, _, read = read_tree(outer, plain)
    head = read[0] if version == "1.0" else read
    return {"peer_version": header_value(head, "X-pEp-Version")}


def signature(inp):
    with Home() as home:
        sender = [fpr for fpr, _ in home.import_key(to_bytes(inp["sender_key"]))]
        _, _, status = decrypt(home, inp)
    words = [s[0] for s in status]
    if "GOODSIG" in words and "VALIDSIG" in words:
        signer = [s[1] for s in status if s[0] == "VALIDSIG"]
        primary = [s[-1] for s in status if s[0] == "VALIDSIG"]
        if any(f in sender for f in signer + primary):
            return {"signature": "valid"}
        return {"signature": "invalid"}
    if any(w in words for w in ("BADSIG", "ERRSIG", "EXPSIG", "REVKEYSIG", "EXPKEYSIG")):
        return {"signature": "invalid"}
    return {"signature": "unsigned"}


def structure(inp):
    msg = parse(to_bytes(inp["message"]))
    check_defects(msg)
    parts = []
    if msg.get_content_maintype() == "multipart":
        for p in msg.get_payload():
            data = p.get_payload(decode=True) or b""
            if p.get_content_type() == "application/pgp-encrypted":
                parts.append({"content_type": p.get_content_type(),
                              "version": header_value(email.message_from_bytes(data, policy=POLICY), "Version")})
            else:
                lines = [l.strip() for l in data.decode("utf-8", "replace").splitlines()]
                begin = "-----BEGIN PGP MESSAGE-----" in lines
                end = begin and "-----END PGP MESSAGE-----" in lines[lines.index("-----BEGIN PGP MESSAGE-----"):]
                parts.append({"content_type": p.get_content_type(), "armored": end})
    protocol = msg.get_param("protocol")
    raw_subject = msg.get("Subject")
    subject_8bit = False
    raw_id = msg.get("Message-ID")
    message_id = None if raw_id is None else re.sub(r"\r?\n", "", str(raw_id)).strip(" \t")
    for name, raw in msg.raw_items():
        if name.lower() == "subject":
            subject_8bit = any(ord(c) > 127 for c in raw)
            break
    return {"content_type": msg.get_content_type(),
            "protocol": protocol.lower() if protocol else None,
            "parts": parts,
            "header_names": sorted({n.lower() for n in msg.keys()}),
            "subject": None if raw_subject is None else str(raw_subject).strip(),
            "subject_8bit": subject_8bit,
            "message_id": message_id}


# --- wrap -------------------------------------------------------------------

def flatten(msg):
    buf = io.BytesIO()
    email.generator.BytesGenerator(buf, mangle_from_=False, policy=CRLF_POLICY).flatten(msg)
    return buf.getvalue()


def prepend_line(leaf, line):
    """Adds a first line to a text/plain leaf, keeping its transfer encoding."""
    cte = (leaf.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    if cte == "base64":
        data = line.encode("ascii") + b"\r\n" + (leaf.get_payload(decode=True) or b"")
        leaf.set_payload(base64.encodebytes(data).decode("ascii"))
    else:
        leaf.set_payload(line + "\r\n" + leaf.get_payload())


def text_part(text):
    part = email.message.MIMEPart(policy=POLICY)
    part.set_content(text, subtype="plain", charset="utf-8", cte="8bit")
    return part


def wrap(inp):
    version = inp["version"]
    if version not in ("1.0", "2.0", "2.1"):
        raise Fail("pep.wrap.unknown_version", "version %r" % version)
    msg = parse(to_bytes(inp["message"]))
    check_defects(msg)
    with Home() as home:
        sender = [f for f, flags in home.import_key(to_bytes(inp["sender_key"])) if flags & 16]
        if not sender:
            raise Fail("gpg.no_secret_key", "sender_key holds no secret key")
        recipient = [f for f, _ in home.import_key(to_bytes(inp["recipient_key"]))]
        if version == "1.0":
            tree = copy.deepcopy(msg)
            for name in set(tree.keys()):
                low = name.lower()
                if not (low == "mime-version" or low.startswith("content-")):
                    del tree[name]
            plain = flatten(tree)
        else:
            inner = copy.deepcopy(msg)
            if version == "2.0":
                leaf = first_text_leaf(inner)
                if leaf is not None:
                    prepend_line(leaf, "X-pEp-Wrapped-Message-Info: INNER")
                text = text_part("X-pEp-Wrapped-Message-Info: OUTER\n")
                attached = email.message.Message()
                attached["Content-Type"] = "message/rfc822"
            else:
                del inner["X-pEp-Wrapped-Message-Info"]
                del inner["X-pEp-Sender-FPR"]
                inner["X-pEp-Wrapped-Message-Info"] = "INNER"
                inner["X-pEp-Sender-FPR"] = sender[0]
                text = text_part("This message was encrypted with p\u2261p.\n")
                attached = email.message.Message()
                attached["Content-Type"] = 'message/rfc822; forwarded="no"'
            attached.set_payload([inner])
            mixed = MIMEMultipart("mixed")
            del mixed["MIME-Version"]
            mixed.attach(text)
            mixed.attach(attached)
            plain = flatten(mixed)
        args = ["--trust-model", "always", "--armor", "--sign", "--encrypt", "--local-user", sender[0]]
        for fpr in recipient:
            args += ["--recipient", fpr]
        rc, armored, status = home.run(args, plain)
        if rc != 0 or not armored:
            raise Fail(first_failure(status, "gpg.exit%d" % rc), "gpg did not encrypt (exit %d)" % rc)
    outer = MIMEMultipart("encrypted", protocol="application/pgp-encrypted")
    if version == "1.0":
        keep = [(n, v) for n, v in msg.raw_items()
                if n.lower() not in ("subject", "mime-version") and not n.lower().startswith("content-")]
    else:
        keep = [(n, v) for n, v in msg.raw_items() if n.lower() in ("from", "to", "cc", "date")]
    head = email.message.Message()
    for n, v in keep:
        head[n] = v
    head["Subject"] = email.header.Header(PLACEHOLDER, "utf-8").encode()
    if version != "1.0":
        domain = (email.utils.parseaddr(str(msg.get("From", "")))[1].rpartition("@")[2] or None)
        head["Message-ID"] = email.utils.make_msgid("pEp", domain=domain)
    for n, v in head.items():
        outer[n] = v
    # MIME-Version and Content-Type last, as the outer MIME tree's root node
    ctype = outer["Content-Type"]
    del outer["MIME-Version"], outer["Content-Type"]
    outer["MIME-Version"] = "1.0"
    outer["Content-Type"] = ctype
    control = MIMEApplication(b"Version: 1\r\n", "pgp-encrypted", _encoder=email.encoders.encode_7or8bit)
    data = MIMEApplication(armored, "octet-stream", _encoder=email.encoders.encode_7or8bit)
    for part in (control, data):
        del part["MIME-Version"]
        outer.attach(part)
    buf = io.BytesIO()
    email.generator.BytesGenerator(buf, mangle_from_=False,
                                   policy=email.policy.compat32.clone(linesep="\r\n")).flatten(outer)
    return {"message": from_bytes(buf.getvalue())}


HANDLERS = {
    "pep.message.unwrap": unwrap,
    "pep.message.wrap": wrap,
    "pep.message.signature": signature,
    "pep.message.structure": structure,
    "pep.message.peer_version": peer_version,
}


def answer(request):
    if request.get("type") == "hello":
        return {"type": "hello", "protocol": 1,
                "implementation": {"name": "gnupg+python-email",
                                   "version": "gnupg %s + python-email %s"
                                   % (gpg_version(), platform.python_version())},
                "ops": OPS, "features": []}
    case_id = request.get("id")
    handler = HANDLERS.get(request.get("op"))
    if handler is None:
        return {"id": case_id, "unsupported": "not an op of gpg + email"}
    try:
        return {"id": case_id, "result": handler(request["input"])}
    except Fail as e:
        return {"id": case_id, "error": {"code": e.code, "message": str(e)}}
    except Exception as e:  # a library exception: its class name is the code
        return {"id": case_id, "error": {"code": type(e).__name__, "message": str(e)}}


def main():
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(answer(json.loads(line)), ensure_ascii=False) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
