// Loads dist/extension.js outside VS Code, with a stand-in for the "vscode" module, and checks that the
// bundle evaluates and exports activate/deactivate. Catches a bundle that throws at load time (a missing
// module, a bad esbuild setting) without a VS Code to run it in.
"use strict";
const Module = require("module");
const path = require("path");

function stub() {
  // A callable, constructible, extendable object whose every property is another stub.
  const target = function () {};
  return new Proxy(target, {
    get(t, prop) {
      if (prop === "prototype") return t.prototype;
      if (prop === Symbol.toPrimitive) return () => "stub";
      if (prop === "then") return undefined; // not a thenable
      return stub();
    },
    apply: () => stub(),
    construct: () => stub(),
  });
}

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return stub();
  return load.call(this, request, ...rest);
};

const file = path.resolve(__dirname, "..", "dist", "extension.js");
let ext;
try {
  ext = require(file);
} catch (error) {
  console.error(`check-bundle: ${file} throws when loaded: ${String(error && error.stack ? error.stack.split("\n").slice(0, 3).join(" | ") : error).slice(0, 600)}`);
  process.exit(1);
}
for (const name of ["activate", "deactivate"]) {
  if (typeof ext[name] !== "function") {
    console.error(`check-bundle: ${file} does not export ${name}()`);
    process.exit(1);
  }
}
console.log(`check-bundle: ${path.relative(process.cwd(), file)} loads and exports activate() and deactivate()`);
