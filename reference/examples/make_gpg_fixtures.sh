#!/usr/bin/env bash
# Makes the pep-message-2 fixtures that come from GnuPG rather than rPGP,
# so the unwrap vectors also read what another OpenPGP implementation
# writes. Run once from the repository root (GnuPG 2.2.40 was used):
#
#   bash reference/examples/make_gpg_fixtures.sh vectors/pep-message-2
#
# Dave's and Erin's keys were made once with GnuPG, creation time fixed:
#   gpg --faked-system-time '20210601T000000!' --quick-gen-key \
#       'Dave (mimispec test key) <dave@example.org>' rsa2048 sign,encrypt never
#   gpg --faked-system-time '20210601T000000!' --quick-gen-key \
#       'Erin (mimispec test key) <erin@example.org>' ed25519 sign never
# and exported as keys/{dave,erin}.{pub,sec}.asc. This script only reads them.
set -euo pipefail
dir=${1:-vectors/pep-message-2}
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'rm -rf "$GNUPGHOME"' EXIT
gpg --batch -q --import "$dir/keys/alice.sec.asc" "$dir/keys/bob.pub.asc"

crlf() { sed 's/$/\r/'; }
boundary=515f007c5bd062c2122008544db127f8

# encrypt_to FILE MESSAGE-ID: stdin (a MIME tree), signed by Alice, ZLIB
# compressed (GnuPG's habit), encrypted to Bob, in an RFC 3156 envelope.
encrypt_to() {
    local armored
    armored=$(gpg --batch -q --trust-model always --compress-algo zlib \
        --local-user alice@example.org --recipient bob@example.org \
        --sign --encrypt --armor)
    {
        cat <<EOF
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Date: Tue, 01 Jun 2021 10:00:00 +0000
Subject: =?utf-8?B?cOKJoXA=?=
Message-ID: $2
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";
 boundary="$boundary"

This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
--$boundary
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--$boundary
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

EOF
        printf '%s\n--%s--\n' "$armored" "$boundary"
    } | crlf >"$1"
    echo "$1"
}

# A Message 1.0 tree, the same as v1-0.eml's.
crlf <<'EOF' | encrypt_to "$dir/messages/gpg-compressed.eml" "<original-1@example.org>"
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Subject: Phone calls

So this is a very exciting MIME mail. Yay!

Hi Bob. Is Eve listing in on our phone calls again?
EOF

# A tree of exactly 4 MiB (the suite's bound on a plaintext) and one of
# 4 MiB + 1 octet, which ZLIB compresses to a few kilobytes: a reader must
# bound what it decompresses, not what it receives.
big_tree() {
    python3 - "$1" <<'PY'
import sys
size = int(sys.argv[1])
head = (b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSubject: Big\r\n\r\nA large text follows.\r\n"
        b"--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
tail = b"\r\n--b--"
n = size - len(head) - len(tail)
line = b"a" * 78 + b"\r\n"
filler = (line * (n // len(line) + 1))[:n]
sys.stdout.buffer.write(head + filler + tail)
PY
}
big_tree 4194304 | encrypt_to "$dir/messages/gpg-4mib.eml" "<big-1@example.org>"
big_tree 4194305 | encrypt_to "$dir/messages/gpg-over-4mib.eml" "<big-2@example.org>"
