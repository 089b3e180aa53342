#!/usr/bin/env node
// The published entry point: everything lives in the compiled library (dist/).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv);
