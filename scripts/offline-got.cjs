// Electronegativity fetches translations and Electron's release list with `got`; offline, a retry
// timer in got throws an uncaught error and kills the scan. CI has no internet, so answer those
// fetches with an immediate failure instead (the scanner then uses its bundled English strings).
const Module = require('node:module');
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'got' && parent && parent.filename.includes('electronegativity')) {
    const fail = () =>
      Promise.reject(new Error('offline: network fetches are disabled for the security scan'));
    return Object.assign(fail, { default: fail, get: fail });
  }
  return originalLoad.call(this, request, parent, isMain);
};
