#!/usr/bin/env node
// mimispec adapter: Node's built-in url.domainToASCII (WHATWG URL "domain to
// ASCII", implemented by the ada URL parser bundled with Node) for
// discovery.mui.parse.
//
//   mimispec run --strict --impl 'node interop/node/node-url/adapter.js' \
//     --op discovery.mui.parse --expect interop/node/node-url/expect.yaml
//
// One call: url.domainToASCII(text). It has no options: the WHATWG URL
// Standard runs UTS #46 ToASCII with CheckHyphens false, CheckBidi true,
// CheckJoiners true, UseSTD3ASCIIRules false, Transitional_Processing false,
// VerifyDnsLength false (beStrict false), then refuses forbidden domain code
// points and a name that ends in a number that is not a valid IPv4 address.
// Glue: the function returns "" for an invalid domain (its only failure
// signal), which is the error answer with code "domainToASCII.empty"; any
// other string is {"mui": it}, unchanged. The version is Node's, with ada's.
'use strict';

const url = require('node:url');
const { serve, result, error } = require('../common.js');

function muiParse(input) {
  const ascii = url.domainToASCII(input.text);
  if (ascii === '') return error('domainToASCII.empty', 'url.domainToASCII returned "" (invalid domain)');
  return result({ mui: ascii });
}

serve({
  name: 'node-url',
  version: `${process.versions.node} (ada ${process.versions.ada})`,
  ops: { 'discovery.mui.parse': muiParse },
});
