#!/usr/bin/env node
// The published bin points here so the package installs before it is built.
import("../dist/cli/main.js");
