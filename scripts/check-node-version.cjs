// Run first by the npm scripts (and imported first by src/server/main.ts): stops at once, with one line,
// when the Node.js running it is too old for Guichet. Plain CommonJS in old syntax on purpose: any Node.js
// must be able to read this file, which is the point (Node.js before 22.18 cannot even load a .ts file).
// `npm install` brings Node.js 24 (the `node` dependency), which the npm scripts find first on their PATH;
// this only fires when that did not happen (npm install --ignore-scripts, an interrupted install, or
// `node src/server/main.ts` run by an older Node.js).
'use strict';

var REQUIRED_MAJOR = 24;
var major = Number(process.versions.node.split('.')[0]);

if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write(
    'Guichet needs Node.js ' +
      REQUIRED_MAJOR +
      ' or later, but this is Node.js ' +
      process.version +
      ' (' +
      process.execPath +
      '): ' +
      'run it with `npm start` after a plain `npm install` (which brings Node.js ' +
      REQUIRED_MAJOR +
      ' from the npm registry; ' +
      'not with --ignore-scripts), or install Node.js ' +
      REQUIRED_MAJOR +
      ' from https://nodejs.org.\n',
  );
  process.exit(1);
}

module.exports = { REQUIRED_MAJOR: REQUIRED_MAJOR };
