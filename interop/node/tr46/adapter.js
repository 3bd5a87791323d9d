#!/usr/bin/env node
// mimispec adapter: `tr46` (the UTS #46 implementation whatwg-url uses) for
// discovery.mui.parse.
//
//   mimispec run --strict --impl 'node interop/node/tr46/adapter.js' \
//     --op discovery.mui.parse --expect interop/node/tr46/expect.yaml
//
// One call: tr46.toASCII(text, OPTIONS). The options are those of UTS #46
// ToASCII that come closest to IDNA2008 lookup (RFC 5891 §5.4) plus the
// host-name and DNS rules the op asks for:
//   transitionalProcessing: false  nontransitional: "ß" stays "ß" (IDNA2008,
//                                  DISCOVERY-MUI-IDN);
//   checkBidi: true                the Bidi rule of RFC 5893 (RFC 5891 §5.4);
//   checkJoiners: true             the CONTEXTJ rules of RFC 5892 Appendix A
//                                  (ZWJ/ZWNJ out of context, RFC 5891 §5.4);
//   checkHyphens: true             RFC 5891 §4.2.3.1 (no leading or trailing
//                                  hyphen, nothing but xn-- with "--" in
//                                  positions 3-4): the host-name rule
//                                  DISCOVERY-MUI-HOST-NAME; its 3-4 part is
//                                  stricter than the suite's informational
//                                  cases, which the library cannot switch off
//                                  alone;
//   useSTD3ASCIIRules: true        only letters, digits and hyphens in ASCII
//                                  (the LDH host-name rule, RFC 1123);
//   verifyDNSLength: true          labels 1-63 and names 1-253 octets
//                                  (DISCOVERY-DNS-LABEL-LENGTH, -NAME-LENGTH,
//                                  -EMPTY-LABEL);
//   ignoreInvalidPunycode: false   an xn-- label must decode (RFC 5891 §5.3).
// toASCII lowercases through the UTS #46 mapping. Glue: a null return (the
// library's only failure signal; it gives no reason) is the error answer
// with code "tr46.toASCII.null"; a string is {"mui": it}, unchanged (a
// trailing dot, a scheme, a single label are left as the library gives
// them: the library has no notion of them).
'use strict';

const { serve, result, error, packageVersion } = require('../common.js');
const tr46 = require('tr46');

const OPTIONS = Object.freeze({
  transitionalProcessing: false,
  checkBidi: true,
  checkJoiners: true,
  checkHyphens: true,
  useSTD3ASCIIRules: true,
  verifyDNSLength: true,
  ignoreInvalidPunycode: false,
});

function muiParse(input) {
  const ascii = tr46.toASCII(input.text, OPTIONS);
  if (ascii === null) return error('tr46.toASCII.null', 'toASCII returned null (UTS #46 processing or a check failed)');
  return result({ mui: ascii });
}

serve({
  name: 'tr46',
  version: packageVersion('tr46'),
  ops: { 'discovery.mui.parse': muiParse },
});
