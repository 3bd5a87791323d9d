#!/usr/bin/env node
// A mimispec adapter skeleton for Node.js 18+, no dependencies.
//
// Every op of the suite is declared and answered "unsupported", so a run
// passes with every case unsupported. Fill it in one op at a time: replace a
// stub below with a call into your library and return result(...) or
// error(...); a stub may be async. Input and result shapes:
// harness/PROTOCOL.md, or `mimispec schema OP`.
//
//   mimispec run --impl 'node adapter.js'              # one process for the run
//   mimispec run --impl 'node adapter.js' --one-shot   # one process per case
//   node --test                                        # this file's own checks
'use strict';

const readline = require('node:readline');

const NAME = 'node-skeleton'; // your implementation's name and version, for reports
const VERSION = '0.1.0';
// Optional features you support (PROTOCOL.md, Features), such as 'enum-apex'.
const FEATURES = [];

class BadInput extends Error {}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// An input member documented as bytes: a JSON string (its UTF-8) or
// {"$base64": "..."} (standard alphabet, padded), as a Buffer.
function asBytes(value) {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new BadInput('bytes: a lone surrogate is not UTF-8');
    return Buffer.from(value, 'utf8');
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const b64 = value.$base64;
    if (keys.length === 1 && typeof b64 === 'string') {
      // Buffer.from skips what is not base64; the pattern does not.
      if (!BASE64.test(b64)) throw new BadInput('$base64: not padded standard base64');
      return Buffer.from(b64, 'base64');
    }
  }
  throw new BadInput('bytes are a string or {"$base64": "..."}');
}

// ignoreBOM keeps a leading U+FEFF: the bytes are the bytes.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Bytes (a Buffer or Uint8Array) for a result member: a JSON string when
// they are UTF-8, else {"$base64": "..."}.
// Example: return result({ entity: bytesValue(out) });
function bytesValue(data) {
  try {
    return UTF8.decode(data);
  } catch {
    return { $base64: Buffer.from(data).toString('base64') };
  }
}

const result = (value) => ({ result: value });

// A rejection: the suite's code (PROTOCOL.md lists each op's) or yours (map
// yours with an error-map in your --expect file).
const error = (code, message = '') => ({ error: { code, message } });

// What a stub answers. The reason names the sizes of the bytes it decoded,
// so a run shows each stub read its input (ci/skeletons/check.sh checks
// them); any string or true will do once you fill it in.
function unsupported(...read) {
  if (read.length === 0) return { unsupported: 'not implemented yet' };
  return { unsupported: `not implemented yet (bytes read: ${read.map((b) => b.length).join(', ')})` };
}

// One stub per op, in PROTOCOL.md's order. Each gets the case's input (an
// object) and returns result(...), error(...) or unsupported(...).

// input {text}
// result {id_left, id_right}
function immiMsgIdParse(_input) {
  return unsupported();
}

// input {text}
// result {msg_id: object, name}
function immiMsgIdHeaderParse(_input) {
  return unsupported();
}

// input {text}
// result {entries: [object]}
function immiDispositionNotificationParse(_input) {
  return unsupported();
}

// input {entries: [{msg_id, status}]}
// result {text}
function immiDispositionNotificationBuild(_input) {
  return unsupported();
}

// input {text}
// result {fraction, offset_minutes: integer, unknown_offset: boolean, utc}
function immiDatetimeParse(_input) {
  return unsupported();
}

// input {message: bytes}
// result {body: bytes, content_disposition: object, content_length: integer, content_type:
//     object, datetime: object, dispositions: [object], expires: object, expiring: boolean,
//     from: object, headers: [object], in_reply_to, kind, message_id, supersedes}
function immiMessageParse(input) {
  const message = asBytes(input.message);
  return unsupported(message);
}

// input {message: bytes}
// result {body: bytes, content_disposition: object, content_type: object, datetime: object,
//     dispositions: [object], expires: object, expiring: boolean, from: object,
//     in_reply_to, kind, message_id, supersedes}
function immiMessageSummary(input) {
  const message = asBytes(input.message);
  return unsupported(message);
}

// input {body: bytes, content_disposition?, content_type?, datetime, expires?, from:
//     {display_name?, uri}, in_reply_to?, message_id, supersedes?}
// result {message: bytes}
function immiMessageBuild(input) {
  const body = asBytes(input.body);
  return unsupported(body);
}

// input {members: object, message: bytes, required: [string]}
// result {reason?, render: object, sendable: boolean}
function immiContentNegotiate(input) {
  const message = asBytes(input.message);
  return unsupported(message);
}

// input {events: [{message: bytes, sender}], known_reactions?: [string], now}
// result {ignored: [object], messages: [object], rejected: [object]}
function immiConversationApply(input) {
  const messages = input.events.map((event) => asBytes(event.message));
  return unsupported(...messages);
}

// input {text}
// result {record: object, status, unknown_tags: object} | {reason, status, v}
function discoveryMssiParse(_input) {
  return unsupported();
}

// input {text}
// result {mui}
function discoveryMuiParse(_input) {
  return unsupported();
}

// input {apex?, number}
// result {domain}
function discoveryEnumDomain(_input) {
  return unsupported();
}

// input {address, mimix_target}
// result {mui}
function discoveryEmailMui(_input) {
  return unsupported();
}

// input {dns: {mimi_type: integer, mimix_type: integer, server, timeout_ms?: integer},
//     identifier, kind, oracle?}
// result {mui, services: [object], via}
function discoveryIdentifierResolve(_input) {
  return unsupported();
}

// input {text}
// result {parameters: object, subtype, type}
function applicationMimeContentTypeParse(_input) {
  return unsupported();
}

// input {entity: bytes}
// result {boundary, epilogue?: bytes, parts: [bytes], preamble?: bytes}
function applicationMimeMultipartParse(input) {
  const entity = asBytes(input.entity);
  return unsupported(entity);
}

// input {entity: bytes}
// result {entity: bytes}
function applicationMimeWrapperWrap(input) {
  const entity = asBytes(input.entity);
  return unsupported(entity);
}

// input {depth?: integer, entity: bytes}
// result {entity: bytes, layers: integer}
function applicationMimeWrapperUnwrap(input) {
  const entity = asBytes(input.entity);
  return unsupported(entity);
}

// input {entity: bytes}
// result {contained_type, parameters: object}
function applicationMimeWrapperDescribe(input) {
  const entity = asBytes(input.entity);
  return unsupported(entity);
}

// input {entity: bytes}
// result {transfer_encoding}
function applicationMimeEntityTransferEncoding(input) {
  const entity = asBytes(input.entity);
  return unsupported(entity);
}

// input {entity: bytes}
// result {class, long_lines: boolean}
function applicationMimeEntityDataClass(input) {
  const entity = asBytes(input.entity);
  return unsupported(entity);
}

// input {message: bytes}
// result {parts: [object]}
function applicationMimePartsList(input) {
  const message = asBytes(input.message);
  return unsupported(message);
}

// input {message: bytes}
// result {wrappers: [bytes]}
function applicationMimeWrappersList(input) {
  const message = asBytes(input.message);
  return unsupported(message);
}

// input {action, message: bytes}
// result {message: bytes}
function applicationMimeGatewayProcess(input) {
  const message = asBytes(input.message);
  return unsupported(message);
}

// input {peer_version}
// result {send}
function pepVersionChoose(_input) {
  return unsupported();
}

// input {message: bytes, recipient_key: bytes, sender_key: bytes, version}
// result {message: bytes}
function pepMessageWrap(input) {
  const message = asBytes(input.message);
  const recipientKey = asBytes(input.recipient_key);
  const senderKey = asBytes(input.sender_key);
  return unsupported(message, recipientKey, senderKey);
}

// input {message: bytes, recipient_key: bytes}
// result {body: object, forwarded_attachments: integer, headers: [[string, string]],
//     sender_fpr, subject, version_detected, wrapped_info}
function pepMessageUnwrap(input) {
  const message = asBytes(input.message);
  const recipientKey = asBytes(input.recipient_key);
  return unsupported(message, recipientKey);
}

// input {message: bytes}
// result {content_type, header_names: [string], message_id, parts: [object], protocol,
//     subject, subject_8bit: boolean}
function pepMessageStructure(input) {
  const message = asBytes(input.message);
  return unsupported(message);
}

// input {message: bytes, recipient_key: bytes}
// result {peer_version}
function pepMessagePeerVersion(input) {
  const message = asBytes(input.message);
  const recipientKey = asBytes(input.recipient_key);
  return unsupported(message, recipientKey);
}

// input {message: bytes, recipient_key: bytes, sender_key: bytes}
// result {signature}
function pepMessageSignature(input) {
  const message = asBytes(input.message);
  const recipientKey = asBytes(input.recipient_key);
  const senderKey = asBytes(input.sender_key);
  return unsupported(message, recipientKey, senderKey);
}

// The one table: op name -> stub. The hello declares exactly these.
const OPS = {
  'immi.msg_id.parse': immiMsgIdParse,
  'immi.msg_id_header.parse': immiMsgIdHeaderParse,
  'immi.disposition_notification.parse': immiDispositionNotificationParse,
  'immi.disposition_notification.build': immiDispositionNotificationBuild,
  'immi.datetime.parse': immiDatetimeParse,
  'immi.message.parse': immiMessageParse,
  'immi.message.summary': immiMessageSummary,
  'immi.message.build': immiMessageBuild,
  'immi.content.negotiate': immiContentNegotiate,
  'immi.conversation.apply': immiConversationApply,
  'discovery.mssi.parse': discoveryMssiParse,
  'discovery.mui.parse': discoveryMuiParse,
  'discovery.enum.domain': discoveryEnumDomain,
  'discovery.email.mui': discoveryEmailMui,
  'discovery.identifier.resolve': discoveryIdentifierResolve,
  'application_mime.content_type.parse': applicationMimeContentTypeParse,
  'application_mime.multipart.parse': applicationMimeMultipartParse,
  'application_mime.wrapper.wrap': applicationMimeWrapperWrap,
  'application_mime.wrapper.unwrap': applicationMimeWrapperUnwrap,
  'application_mime.wrapper.describe': applicationMimeWrapperDescribe,
  'application_mime.entity.transfer_encoding': applicationMimeEntityTransferEncoding,
  'application_mime.entity.data_class': applicationMimeEntityDataClass,
  'application_mime.parts.list': applicationMimePartsList,
  'application_mime.wrappers.list': applicationMimeWrappersList,
  'application_mime.gateway.process': applicationMimeGatewayProcess,
  'pep.version.choose': pepVersionChoose,
  'pep.message.wrap': pepMessageWrap,
  'pep.message.unwrap': pepMessageUnwrap,
  'pep.message.structure': pepMessageStructure,
  'pep.message.peer_version': pepMessagePeerVersion,
  'pep.message.signature': pepMessageSignature,
};
function hello() {
  return {
    type: 'hello',
    protocol: 1,
    implementation: { name: NAME, version: VERSION },
    ops: Object.keys(OPS),
    features: FEATURES,
  };
}

// The answer to one request line, as an object.
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
  } else if (!Object.hasOwn(OPS, request.op)) {
    reply = { unsupported: `no stub for op ${JSON.stringify(request.op)}` };
  } else if (request.input === null || typeof request.input !== 'object' || Array.isArray(request.input)) {
    reply = error('mimispec.bad_input', 'input is not an object');
  } else {
    try {
      reply = await OPS[request.op](request.input);
    } catch (e) {
      // Any other exception ends the process with its stack on stderr: the
      // harness records the case as a crash and starts a new process.
      if (!(e instanceof BadInput)) throw e;
      reply = error('mimispec.bad_input', e.message);
    }
  }
  return { id, ...reply };
}

// Resolves once the line is handed to the OS: Node keeps no buffer of its own
// to flush, but the next request is read only after this.
function send(out, value) {
  return new Promise((resolve, reject) => {
    out.write(JSON.stringify(value) + '\n', (e) => (e ? reject(e) : resolve()));
  });
}

async function main() {
  const out = process.stdout;
  // Answers only on stdout: console.log (yours or a library's) goes to
  // stderr, where the harness shows it beside the case.
  console.log = console.error;
  console.info = console.error;
  out.on('error', (e) => {
    // The harness closed our stdout: nothing left to answer.
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // One request per line until stdin ends: this serves both modes
  // (persistent: many lines; --one-shot: one line, then end of input).
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    await send(out, await answer(line));
  }
  // End of input: return and let Node exit once the last write is done
  // (process.exit() here could cut it off).
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { OPS, asBytes, bytesValue, answer, BadInput };
