// Checks of adapter.js's bytes rules and loop: node --test
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const test = require('node:test');

const { OPS, asBytes, bytesValue, BadInput } = require('./adapter.js');

test('both spellings of bytes are read', () => {
  assert.deepEqual(asBytes('p≡p'), Buffer.from([0x70, 0xe2, 0x89, 0xa1, 0x70]));
  assert.deepEqual(asBytes({ $base64: '/w==' }), Buffer.from([0xff]));
  assert.deepEqual(asBytes({ $base64: '' }), Buffer.alloc(0));
});

test('malformed bytes are bad input', () => {
  for (const bad of [{ $base64: '!' }, { $base64: '/w' }, { $base64: 'aGk=', x: 1 }, {}, [], 1, null, '\ud800']) {
    assert.throws(() => asBytes(bad), BadInput, JSON.stringify(bad));
  }
});

test('results are strings when UTF-8', () => {
  assert.equal(bytesValue(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a])), '\ufeffa\r\n'); // BOM kept
  assert.deepEqual(bytesValue(Buffer.from([0xff, 0xfe])), { $base64: '//4=' });
  assert.deepEqual(bytesValue(Buffer.from([0xed, 0xa0, 0x80])), { $base64: '7aCA' }); // a surrogate is not UTF-8
});

function runAdapter(stdin) {
  return spawnSync(process.execPath, [path.join(__dirname, 'adapter.js')], { input: stdin, timeout: 60000 });
}

test('every line is answered until end of input', () => {
  const kase = {
    type: 'case', id: 'a#b', op: 'pep.message.wrap',
    input: { message: 'm', recipient_key: { $base64: 'AAE=' }, sender_key: '', version: '2.1' },
  };
  const stdin = [JSON.stringify({ type: 'hello', protocol: 1, suite: {} }), '', JSON.stringify(kase), '{'].join('\n') + '\n';
  const done = runAdapter(stdin);
  assert.equal(done.status, 0, done.stderr.toString());
  const lines = done.stdout.toString().trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.equal(lines[0].type, 'hello');
  assert.deepEqual(lines[0].ops, Object.keys(OPS));
  assert.deepEqual(lines[1], { id: 'a#b', unsupported: 'not implemented yet (bytes read: 1, 2, 0)' });
  assert.equal(lines[2].error.code, 'mimispec.bad_request');
});

test('a bad member is bad input, not a crash', () => {
  const kase = { type: 'case', id: 'x', op: 'immi.message.parse', input: { message: { $base64: '%' } } };
  const done = runAdapter(JSON.stringify(kase)); // no final LF, as from a closed pipe
  assert.equal(done.status, 0, done.stderr.toString());
  assert.equal(JSON.parse(done.stdout.toString()).error.code, 'mimispec.bad_input');
});
