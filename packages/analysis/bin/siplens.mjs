#!/usr/bin/env node
// The published bin points here so the package installs before it is built.
await import("../dist/cli/main.js");
