#!/usr/bin/env node
// mimispec adapter: `luxon` DateTime.fromISO for immi.datetime.parse.
//
//   mimispec run --strict --impl 'node interop/node/luxon/adapter.js' \
//     --op immi.datetime.parse --expect interop/node/luxon/expect.yaml
//
// One call: DateTime.fromISO(text, {setZone: true}) (setZone keeps the
// offset as written as the DateTime's zone, so .offset is it). Luxon reads
// ISO 8601, not only RFC 3339's profile of it. Glue, building the op's
// result from the DateTime:
//   utc            = dt.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'")
//   offset_minutes = dt.offset (minutes east of UTC)
//   unknown_offset = false, fraction = null: luxon exposes neither (it reads
//                    -00:00 as UTC and keeps milliseconds, not the digits as
//                    written), so the features datetime-unknown-offset and
//                    datetime-fraction are not declared and the harness does
//                    not compare these two members.
// An invalid DateTime is the error answer: code dt.invalidReason
// ("unparsable", "unit out of range", ...), message dt.invalidExplanation.
'use strict';

const { serve, result, error, packageVersion } = require('../common.js');
const { DateTime } = require('luxon');

function datetimeParse(input) {
  const dt = DateTime.fromISO(input.text, { setZone: true });
  if (!dt.isValid) return error(dt.invalidReason, dt.invalidExplanation || '');
  return result({
    utc: dt.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'"),
    offset_minutes: dt.offset,
    unknown_offset: false,
    fraction: null,
  });
}

serve({
  name: 'luxon',
  version: packageVersion('luxon'),
  ops: { 'immi.datetime.parse': datetimeParse },
});
