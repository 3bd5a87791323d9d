#!/usr/bin/env node
// mimispec adapter: `postal-mime` (the zero-dependency MIME message parser
// from the makers of nodemailer's mailparser) for
// application_mime.multipart.parse.
//
//   mimispec run --strict --impl 'node interop/node/postal-mime/adapter.js' \
//     --op application_mime.multipart.parse --expect interop/node/postal-mime/expect.yaml
//
// One call: PostalMime.parse(entity bytes) with its default options. The
// library parses the multipart (boundary, parts, nested parts) but gives no
// raw part octets, no preamble or epilogue and not the boundary as read: its
// output is headers, text/html bodies and decoded attachments. So a parse
// that resolves is answered {"accepted": true} (valid, no result of the
// op's shape: PROTOCOL.md) and a parse that throws is the error answer (the
// exception's name, its message). No feature is declared.
//
// Not declared: immi.msg_id.parse and immi.msg_id_header.parse. postal-mime
// exposes no msg-id parser: Message-ID, In-Reply-To and References are
// returned as the header's unfolded text (messageId, inReplyTo), not split
// into id-left and id-right, and nothing is refused.
'use strict';

const { serve, asBytes, accepted, error, packageVersion } = require('../common.js');
const PostalMime = require('postal-mime');

const parse = (PostalMime.default || PostalMime).parse;

async function multipartParse(input) {
  const entity = asBytes(input.entity);
  try {
    await parse(entity);
  } catch (e) {
    return error(e && e.name ? e.name : 'Error', e && e.message ? e.message : String(e));
  }
  return accepted();
}

serve({
  name: 'postal-mime',
  version: packageVersion('postal-mime'),
  ops: { 'application_mime.multipart.parse': multipartParse },
});
