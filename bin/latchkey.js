#!/usr/bin/env node
// The `latchkey` command: runs the build of cli/main.ts (dist/bin/latchkey.cjs, made by
// build-cli.ts at `npm ci` and `npm run build`). CommonJS (bin/package.json) and written for any
// Node that can parse it, so that an old Node is told which one Latchkey needs instead of failing
// on syntax or a missing feature.
'use strict';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write('latchkey needs Node.js 22.12 or later; this is Node.js ' + process.versions.node + '.\n');
  process.exitCode = 1;
} else {
  // V8's compile cache (in the OS temp folder) keeps the compiled command line between runs.
  require('node:module').enableCompileCache();
  let cli = null;
  try {
    cli = require('../dist/bin/latchkey.cjs');
  } catch (error) {
    if (error === null || error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('latchkey.cjs')) throw error;
    process.stderr.write('latchkey: the command line is not built: run `npm run build` in ' + require('node:path').join(__dirname, '..') + '.\n');
    process.exitCode = 1;
  }
  if (cli !== null) void cli.main();
}
