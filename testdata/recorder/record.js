#!/usr/bin/env node
// The one recorder's scenario runner: every scenario of every stack
// (scenarios/<stack>.js, plus the capture-proxy ones of capture.js) in one
// list with unique names. Run by record.sh:
//
//   node record.js --plan [name ...]    prints "<stack> <name>..." per stack
//                                       (all scenarios when none is named)
//   node record.js --dirs [name ...]    prints each scenario's output folder
//   node record.js STACK name ...       records the named scenarios of STACK
//                                       (its servers must be running)
//
// Recordings go to $OUT/<cause>/<name>/trace.har ($OUT defaults to
// testdata/traces; the cause folder is the committed one, or the
// scenario's `cause:` for a new one).
'use strict';
const path = require('path');
const { traceDir, recordEach, runMain } = require(path.join(__dirname, 'lib', 'recorder.js'));
const capture = require(path.join(__dirname, 'capture.js'));

const STACKS = ['web', 'mixed', 'gateway', 'multi-origin'];
const modules = STACKS.map((s) => require(path.join(__dirname, 'scenarios', `${s}.js`)));

// name -> { stack, sc, launchOptions }
const all = new Map();
function add(stack, sc, launchOptions) {
  if (all.has(sc.name)) throw new Error(`record.js: scenario ${sc.name} is defined twice (${all.get(sc.name).stack}, ${stack})`);
  all.set(sc.name, { stack, sc, launchOptions });
}
for (const m of modules) for (const sc of m.scenarios) add(m.stack, sc, m.launchOptions);
for (const name of capture.NAMES) add('capture', { name }, null);

function chosen(names) {
  const unknown = names.filter((n) => !all.has(n));
  if (unknown.length) throw new Error(`record.js: unknown scenario(s): ${unknown.join(', ')}`);
  return names.length ? names.map((n) => all.get(n)) : [...all.values()];
}

async function main(args) {
  if (args[0] === '--plan') {
    const byStack = new Map();
    for (const c of chosen(args.slice(1))) byStack.set(c.stack, [...(byStack.get(c.stack) || []), c.sc.name]);
    for (const [stack, names] of byStack) console.log(`${stack} ${names.join(' ')}`);
    return;
  }
  if (args[0] === '--dirs') {
    for (const c of chosen(args.slice(1))) console.log(traceDir(c.sc.name, c.sc.cause));
    return;
  }
  const [stack, ...names] = args;
  const list = chosen(names);
  const wrong = list.filter((c) => c.stack !== stack);
  if (wrong.length || stack === 'capture') throw new Error(`record.js: not Playwright scenarios of stack ${stack}: ${wrong.map((c) => c.sc.name).join(', ')}`);
  await recordEach(list.map((c) => c.sc), list[0].launchOptions);
}

runMain(main);
