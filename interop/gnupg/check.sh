#!/usr/bin/env bash
# Cross-checks the committed p≡p fixtures (vectors/pep-message-2/messages/*.eml)
# with a second OpenPGP implementation (GnuPG) and a second MIME library
# (Python's email package):
#  (1) gpg decrypts each fixture with the committed test keys (Bob's secret
#      key, Alice's public key for the signature), in a fresh GNUPGHOME, and
#      Python's email parses the decrypted tree: no defects, and it holds what
#      the unwrap vectors say (headers, subject, sender fingerprint, node types
#      and parameters, leaf bodies; line ends compared loosely because the
#      reading of bare LF is a SHOULD of the suite), or it is refused as they
#      say (bad_ciphertext: gpg fails; too_compressed: gpg fails, as GnuPG
#      opens at most 30 nested compressed packets; bad_plaintext: email finds
#      defects; too_large: over 4 MiB; too_deep: over 16 nested multiparts).
#  (2) the reference (`mimispec adapter`) unwraps each fixture with Bob's key,
#      and Python's email reads every unwrapped message: each message/rfc822
#      leaf parses without defects, and the whole result, built into a MIME
#      message by email and parsed back, has no defects and the same tree.
# One line per fixture; exit status 1 on any mismatch, 2 when it cannot run.
# Every gpg call has a timeout; the reference and the harness too.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MIMISPEC=${MIMISPEC:-/work/bin/mimispec}
GPG=${GPG:-gpg}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The vectors' expectations, with their $file inputs resolved, from a run of
# the unwrap cases against the reference (its verdicts are not used here).
timeout 300 "$MIMISPEC" run --impl "$MIMISPEC adapter" --op pep.message.unwrap \
    --json "$TMP/vectors.json" >/dev/null 2>&1
if [ ! -s "$TMP/vectors.json" ]; then
    echo "check.sh: no report from $MIMISPEC run" >&2
    exit 2
fi

exec python3 - "$ROOT" "$TMP/vectors.json" "$MIMISPEC" "$GPG" <<'PY'
import base64, email, email.policy, glob, io, json, os, re, shutil, subprocess, sys, tempfile
import email.generator, email.message

root, report, mimispec, gpg = sys.argv[1:5]
pep = os.path.join(root, "vectors", "pep-message-2")
keys = {n: open(os.path.join(pep, "keys", n), "rb").read() for n in ("bob.sec.asc", "alice.pub.asc")}
POLICY = email.policy.default
CRLF = POLICY.clone(linesep="\r\n")
BOUND, DEPTH = 4 * 1024 * 1024, 16
TIMEOUT = 30

def b(v):
    return base64.b64decode(v["$base64"]) if isinstance(v, dict) else v.encode("utf-8")

def loose(s):
    return s.replace("\r\n", "\n")

# --- the vectors' cases per fixture ------------------------------------------
cases = json.load(open(report))["cases"]
fixtures = sorted(glob.glob(os.path.join(pep, "messages", "*.eml")))
by_bytes = {open(f, "rb").read(): os.path.basename(f) for f in fixtures}
vector_cases = {}
for c in cases:
    inp = c.get("input") or {}
    if c["level"] == "informational" or "message" not in inp:
        continue
    if b(inp["recipient_key"]).strip() != keys["bob.sec.asc"].strip():
        continue
    name = by_bytes.get(b(inp["message"]))
    if name:
        vector_cases.setdefault(name, []).append(c)

# --- gpg ---------------------------------------------------------------------
def gpg_decrypt(armored):
    home = tempfile.mkdtemp(prefix="gpg-check-")
    try:
        base = [gpg, "--batch", "--homedir", home, "--no-tty", "--status-fd", "2"]
        for k in keys.values():
            subprocess.run(base + ["--import"], input=k, capture_output=True, timeout=TIMEOUT)
        p = subprocess.run(base + ["--trust-model", "always", "--decrypt"], input=armored,
                           capture_output=True, timeout=TIMEOUT)
        status = [l[9:].split() for l in p.stderr.decode("utf-8", "replace").splitlines()
                  if l.startswith("[GNUPG:] ")]
        words = [s[0] for s in status]
        # DECRYPTION_OKAY is the encryption layer's: FAILURE may follow it.
        ok = ("DECRYPTION_OKAY" in words and "PLAINTEXT" in words and "FAILURE" not in words
              and "DECRYPTION_FAILED" not in words and "BADMDC" not in words)
        sig = "good" if "GOODSIG" in words else "bad" if "BADSIG" in words else "none"
        first = next((l for l in p.stderr.decode("utf-8", "replace").splitlines()
                      if l.startswith("gpg: ")), "")
        return ok, p.stdout, sig, first
    finally:
        try:
            subprocess.run(["gpgconf", "--homedir", home, "--kill", "gpg-agent"],
                           capture_output=True, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(home, ignore_errors=True)

# --- what the decrypted tree holds ---------------------------------------------
def walk(msg, depth=0, out=None):
    """Every part, message/rfc822 insides included: (part, multipart depth)."""
    out = [] if out is None else out
    out.append((msg, depth))
    if msg.get_content_maintype() == "multipart":
        for p in msg.get_payload():
            walk(p, depth + 1, out)
    elif msg.get_content_type() == "message/rfc822" and isinstance(msg.get_payload(), list):
        walk(msg.get_payload(0), 0, out)
    return out

def defects(msg):
    return [type(d).__name__ for p, _ in walk(msg) for d in p.defects]

def depth(msg):
    return max(d for _, d in walk(msg))

def params(part):
    h = part.get("content-type")
    ps = dict(h.params) if h is not None and hasattr(h, "params") else {}
    return {k.lower(): v for k, v in ps.items() if k.lower() != "boundary"}

def holdings(outer, tree):
    parts = [p for p, _ in walk(tree)]
    messages = [outer, tree] + [p.get_payload(0) for p in parts
                                if p.get_content_type() == "message/rfc822"
                                and isinstance(p.get_payload(), list)]
    headers = {(n.lower(), str(v).strip()) for m in messages for n, v in m.items()}
    leaves = []
    for p in parts:
        if p.get_content_maintype() != "multipart" and p.get_content_type() != "message/rfc822":
            leaves.append(loose((p.get_payload(decode=True) or b"").decode("utf-8", "replace")))
    subjects = {v for n, v in headers if n == "subject"}
    for text in leaves:   # a Subject line at the start of a text (the engine's 1.0 way)
        line = text.split("\n", 1)[0]
        if line.lower().startswith("subject:"):
            subjects.add(str(POLICY.header_factory("subject", line.split(":", 1)[1].strip())))
    fprs = {v.replace(" ", "").upper() for n, v in headers if n == "x-pep-sender-fpr"}
    types = [(p.get_content_type(), params(p)) for p in parts]
    return headers, leaves, subjects, fprs, types

def expected_items(case):
    """(kind, value) pairs a case's expectation says the message holds."""
    e = case["expected"]
    items = []
    def node(n):
        items.append(("type", (n["type"], n.get("params", {}))))
        if "parts" in n:
            for p in n["parts"]:
                node(p)
        elif isinstance(n.get("body"), (str, dict)):
            items.append(("rfc822" if n["type"] == "message/rfc822" else "leaf", n["body"]))
    def member(path, v):
        if path == "/headers":
            items.extend(("header", tuple(h)) for h in v)
        elif path == "/subject" and v is not None:
            items.append(("subject", v))
        elif path == "/sender_fpr" and v is not None:
            items.append(("fpr", v))
        elif path.startswith("/body"):
            if isinstance(v, dict) and "type" in v:
                node(v)
            elif path.endswith("/body") and isinstance(v, str):
                items.append(("leaf", v))
    if "result" in e:
        for k, v in e["result"].items():
            member("/" + k, v)
    for prop in e.get("properties", []):
        eq = prop.get("equals")
        if eq:
            member(eq["path"], eq["value"])
    return items

def check_items(items, held, plain):
    headers, leaves, subjects, fprs, types = held
    missing = []
    for kind, v in items:
        if kind == "header":
            ok = (v[0].lower(), v[1]) in headers
        elif kind == "subject":
            ok = v in subjects
        elif kind == "fpr":
            ok = v in fprs
        elif kind == "type":
            ok = any(t == v[0] and all(p.get(k) == x for k, x in v[1].items()) for t, p in types)
        elif kind == "leaf":
            want = loose(b(v).decode("utf-8", "replace"))
            ok = any(l == want or l.endswith("\n" + want) for l in leaves)
        elif kind == "rfc822":
            ok = loose(b(v).decode("utf-8", "replace")) in loose(plain.decode("utf-8", "replace"))
        if not ok:
            missing.append("%s %s" % (kind, json.dumps(v, ensure_ascii=False)[:80]))
    return missing

# --- the reference's unwrap, read by email ---------------------------------------
def reference_answers():
    lines = [json.dumps({"type": "hello", "protocol": 1, "suite": {"name": "gnupg-check", "version": "1"}})]
    for f in fixtures:
        lines.append(json.dumps({"type": "case", "id": os.path.basename(f), "op": "pep.message.unwrap",
                                 "input": {"message": {"$base64": base64.b64encode(open(f, "rb").read()).decode()},
                                           "recipient_key": keys["bob.sec.asc"].decode()}}))
    p = subprocess.run([mimispec, "adapter"], input=("\n".join(lines) + "\n").encode(),
                       capture_output=True, timeout=300)
    answers = {}
    for line in p.stdout.decode("utf-8").splitlines()[1:]:
        a = json.loads(line)
        answers[a["id"]] = a
    return answers

def build(n):
    """The unwrapped tree as a MIME entity, built by email."""
    part = email.message.MIMEPart(policy=POLICY)
    ctype = n["type"]
    if "parts" in n:
        part["Content-Type"] = ctype
        for k, v in n["params"].items():
            part.set_param(k, v)
        part.set_boundary("=check-%d=" % id(part))
        part.set_payload([build(p) for p in n["parts"]])
    else:
        part["Content-Type"] = ctype
        for k, v in n["params"].items():
            part.set_param(k, v)
        data = b(n["body"])
        if ctype == "message/rfc822":
            part.set_payload([email.message_from_bytes(data, policy=POLICY)])
        else:
            part["Content-Transfer-Encoding"] = "base64"
            part.set_payload(base64.encodebytes(data).decode("ascii"))
    return part

def tree_of(part):
    t = {"type": part.get_content_type(), "params": params(part)}
    if part.get_content_maintype() == "multipart":
        t["parts"] = [tree_of(p) for p in part.get_payload()]
    elif part.get_content_type() == "message/rfc822":
        buf = io.BytesIO()
        email.generator.BytesGenerator(buf, mangle_from_=False, policy=CRLF).flatten(part.get_payload(0))
        t["body"] = buf.getvalue()
    else:
        t["body"] = part.get_payload(decode=True) or b""
    return t

def norm(n):
    t = {"type": n["type"], "params": n["params"]}
    if "parts" in n:
        t["parts"] = [norm(p) for p in n["parts"]]
    else:
        t["body"] = b(n["body"])
    return t

def read_reference(result):
    problems = []
    def leaves(n):
        if "parts" in n:
            for p in n["parts"]:
                yield from leaves(p)
        else:
            yield n
    for leaf in leaves(result["body"]):
        if leaf["type"] == "message/rfc822":
            d = defects(email.message_from_bytes(b(leaf["body"]), policy=POLICY))
            if d:
                problems.append("forwarded message: " + ",".join(d))
    msg = build(result["body"])
    for name, value in result["headers"]:
        msg[name] = value
    if result["subject"] is not None:
        msg["Subject"] = result["subject"]
    buf = io.BytesIO()
    email.generator.BytesGenerator(buf, mangle_from_=False, policy=CRLF).flatten(msg)
    again = email.message_from_bytes(buf.getvalue(), policy=POLICY)
    d = defects(again)
    if d:
        problems.append("rebuilt message: " + ",".join(d))
    if tree_of(again) != norm(result["body"]):
        problems.append("rebuilt message reads back as another tree")
    got = [[n, str(v).strip()] for n, v in again.items()
           if n.lower() not in ("subject", "mime-version") and not n.lower().startswith("content-")]
    if got != result["headers"]:
        problems.append("headers read back as %s" % json.dumps(got, ensure_ascii=False)[:120])
    if result["subject"] is not None and str(again["Subject"]) != result["subject"]:
        problems.append("subject reads back as %r" % str(again["Subject"]))
    return problems

# --- per fixture ----------------------------------------------------------------
answers = reference_answers()
failures = 0
for f in fixtures:
    name = os.path.basename(f)
    raw = open(f, "rb").read()
    outer = email.message_from_bytes(raw, policy=POLICY)
    wanted = vector_cases.get(name, [])
    rejects = {c["expected"]["error"].get("code") for c in wanted if "error" in c["expected"]}
    problems, notes = [], []
    d = defects(outer)
    if d:
        problems.append("outer message defects " + ",".join(d))
    armored = [p.get_payload(decode=True) for p in outer.walk()
               if p.get_content_maintype() != "multipart"
               and b"-----BEGIN PGP MESSAGE-----" in (p.get_payload(decode=True) or b"")]
    if not armored:
        problems.append("no armored part")
        plain = None
    else:
        try:
            ok, plain, sig, first = gpg_decrypt(armored[0])
        except subprocess.TimeoutExpired:
            ok, plain, sig, first = False, b"", "none", "timeout"
        if not ok:
            notes.append("gpg refuses (%s)" % first)
            if not rejects & {"pep.message.bad_ciphertext", "pep.message.too_compressed"}:
                problems.append("gpg does not decrypt it")
            plain = None
        else:
            if "pep.message.bad_ciphertext" in rejects:
                problems.append("gpg decrypts what the vectors call bad_ciphertext")
            if sig != "good":
                problems.append("signature by Alice: %s" % sig)
            notes.append("gpg %d B, sig %s" % (len(plain), sig))
    if plain is not None:
        tree = email.message_from_bytes(plain, policy=POLICY)
        d = defects(tree)
        if "pep.message.bad_plaintext" in rejects:
            if not d:
                problems.append("email finds no defect in what the vectors call bad_plaintext")
            notes.append("email defects %s (expected)" % ",".join(d))
        elif d:
            problems.append("email defects " + ",".join(d))
        if ("pep.message.too_large" in rejects) != (len(plain) > BOUND):
            problems.append("size %d against the vectors' too_large" % len(plain))
        if ("pep.message.too_deep" in rejects) != (depth(tree) > DEPTH):
            problems.append("depth %d against the vectors' too_deep" % depth(tree))
        held = holdings(outer, tree)
        items = [i for c in wanted if "error" not in c["expected"] for i in expected_items(c)]
        missing = check_items(items, held, plain)
        problems.extend("vectors say it holds " + m for m in missing)
        notes.append("%d vector checks on %d cases" % (len(items), len(wanted)))
    a = answers.get(name)
    if a is None:
        problems.append("no answer from the reference")
    elif "error" in a:
        code = a["error"]["code"]
        notes.append("reference refuses %s" % code)
        if wanted and not any(c["expected"].get("error", {}).get("code") in (None, code)
                              for c in wanted if "error" in c["expected"]):
            problems.append("reference refuses (%s) what the vectors read" % code)
    else:
        r = a["result"]
        notes.append("reference reads %s" % r["version_detected"])
        problems.extend("email on the reference's unwrap: " + p for p in read_reference(r))
    if problems:
        failures += 1
    print("%-4s %-36s %s%s" % ("FAIL" if problems else "ok", name, "; ".join(notes),
                              "".join("\n       - " + p for p in problems)))
print("%d fixtures, %d mismatching" % (len(fixtures), failures))
sys.exit(1 if failures else 0)
PY
