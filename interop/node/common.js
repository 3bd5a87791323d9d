// The mimispec protocol loop shared by the adapters in interop/node/<library>/
// (harness/PROTOCOL.md). No library logic here: the read loop, flushing,
// the $base64 rules, and the library version read from its package.json.
// Copied in shape from ci/skeletons/node/adapter.js.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

class BadInput extends Error {}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// An input member documented as bytes: a JSON string (its UTF-8) or
// {"$base64": "..."}, as a Buffer.
function asBytes(value) {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new BadInput('bytes: a lone surrogate is not UTF-8');
    return Buffer.from(value, 'utf8');
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const b64 = value.$base64;
    if (keys.length === 1 && typeof b64 === 'string') {
      if (!BASE64.test(b64)) throw new BadInput('$base64: not padded standard base64');
      return Buffer.from(b64, 'base64');
    }
  }
  throw new BadInput('bytes are a string or {"$base64": "..."}');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Bytes for a result member: a JSON string when UTF-8, else {"$base64"}.
function bytesValue(data) {
  try {
    return UTF8.decode(data);
  } catch {
    return { $base64: Buffer.from(data).toString('base64') };
  }
}

const result = (value) => ({ result: value });
const accepted = () => ({ accepted: true });
const unsupported = (why) => ({ unsupported: why || true });
// A library's rejection: its own error name and message (interop/README.md).
const error = (code, message = '') => ({ error: { code: String(code), message: String(message) } });

// The installed version of a package under interop/node/node_modules.
function packageVersion(name) {
  const file = path.join(__dirname, 'node_modules', ...name.split('/'), 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

// Serve the protocol: ops maps op name -> function(input) returning an
// answer object (result/error/unsupported/accepted), possibly async.
function serve({ name, version, ops, features = [] }) {
  function hello() {
    return { type: 'hello', protocol: 1, implementation: { name, version }, ops: Object.keys(ops), features };
  }

  async function answer(line) {
    let request;
    try {
      request = JSON.parse(line);
    } catch (e) {
      return { id: null, ...error('mimispec.bad_request', e.message) };
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      return { id: null, ...error('mimispec.bad_request', 'not an object') };
    }
    if (request.type === 'hello') return hello();
    const id = request.id ?? null;
    let reply;
    if (request.type !== 'case') {
      reply = error('mimispec.bad_request', 'type must be hello or case');
    } else if (!Object.hasOwn(ops, request.op)) {
      reply = unsupported(`op ${JSON.stringify(request.op)} not declared`);
    } else if (request.input === null || typeof request.input !== 'object' || Array.isArray(request.input)) {
      reply = error('mimispec.bad_input', 'input is not an object');
    } else {
      try {
        reply = await ops[request.op](request.input);
      } catch (e) {
        // Anything else the glue did not expect is a crash, stack on stderr.
        if (!(e instanceof BadInput)) throw e;
        reply = error('mimispec.bad_input', e.message);
      }
    }
    return { id, ...reply };
  }

  function send(out, value) {
    return new Promise((resolve, reject) => {
      out.write(JSON.stringify(value) + '\n', (e) => (e ? reject(e) : resolve()));
    });
  }

  async function main() {
    const out = process.stdout;
    console.log = console.error;
    console.info = console.error;
    console.warn = console.error;
    out.on('error', (e) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      await send(out, await answer(line));
    }
  }

  main().catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(70);
  });
}

module.exports = { BadInput, asBytes, bytesValue, result, accepted, unsupported, error, packageVersion, serve };
