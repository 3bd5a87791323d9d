#!/usr/bin/env node
// mimispec adapter: `whatwg-mimetype` (jsdom's MIME type parser, the WHATWG
// MIME Sniffing Standard's "parse a MIME type") for
// application_mime.content_type.parse.
//
//   mimispec run --strict --impl 'node interop/node/whatwg-mimetype/adapter.js' \
//     --op application_mime.content_type.parse --expect interop/node/whatwg-mimetype/expect.yaml
//
// One call: new MIMEType(text), which throws on a string the standard's
// algorithm returns failure for. Glue: the result's {type, subtype} are the
// object's .type and .subtype; parameters are its MIMETypeParameters map
// copied into a plain object in the library's order. A thrown Error is the
// error answer (its name, its message). Nothing else is checked or changed.
'use strict';

const { serve, result, error, packageVersion } = require('../common.js');
const { MIMEType } = require('whatwg-mimetype');

function contentTypeParse(input) {
  let mime;
  try {
    mime = new MIMEType(input.text);
  } catch (e) {
    return error(e.name, e.message);
  }
  return result({
    type: mime.type,
    subtype: mime.subtype,
    parameters: Object.fromEntries(mime.parameters.entries()),
  });
}

serve({
  name: 'whatwg-mimetype',
  version: packageVersion('whatwg-mimetype'),
  ops: { 'application_mime.content_type.parse': contentTypeParse },
});
