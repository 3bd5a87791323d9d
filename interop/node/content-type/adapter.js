#!/usr/bin/env node
// mimispec adapter: jshttp `content-type` (the Content-Type parser express 4
// and body-parser 1 use) for application_mime.content_type.parse.
//
//   mimispec run --strict --impl 'node interop/node/content-type/adapter.js' \
//     --op application_mime.content_type.parse --expect interop/node/content-type/expect.yaml
//
// One call: contentType.parse(text). Glue: the library returns
// {type: "type/subtype", parameters}; the adapter splits `type` at its one
// "/" (the library's TYPE_REGEXP guarantees exactly one) into the op's
// {type, subtype}. A thrown TypeError is the error answer (code "TypeError",
// its message). Nothing else is checked or changed.
'use strict';

const { serve, result, error, packageVersion } = require('../common.js');
const contentType = require('content-type');

function contentTypeParse(input) {
  let parsed;
  try {
    parsed = contentType.parse(input.text);
  } catch (e) {
    return error(e.name, e.message);
  }
  const slash = parsed.type.indexOf('/');
  return result({
    type: parsed.type.slice(0, slash),
    subtype: parsed.type.slice(slash + 1),
    parameters: { ...parsed.parameters },
  });
}

serve({
  name: 'content-type',
  version: packageVersion('content-type'),
  ops: { 'application_mime.content_type.parse': contentTypeParse },
});
