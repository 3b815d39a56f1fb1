#!/usr/bin/env node
// Validates HAR files against the HAR 1.2 schema with npm har-validator.
// Usage: node validate-har.js FILE.har [...]; exits 1 and prints the
// schema errors when any file is invalid.
'use strict';
const fs = require('fs');
const validator = require('har-validator');

async function main(files) {
  let bad = 0;
  for (const f of files) {
    let data;
    try {
      let text = fs.readFileSync(f, 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      data = JSON.parse(text);
    } catch (e) {
      console.error(`${f}: not JSON: ${e.message}`);
      bad++;
      continue;
    }
    try {
      await validator.har(data);
      console.log(`${f}: valid HAR`);
    } catch (e) {
      bad++;
      console.error(`${f}: invalid HAR: ${JSON.stringify(e.errors || e.message)}`);
    }
  }
  process.exit(bad ? 1 : 0);
}
main(process.argv.slice(2));
