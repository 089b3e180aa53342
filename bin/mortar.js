#!/usr/bin/env node
// The published entry point: the command line lives in the bundled library (dist/mortar.mjs),
// the same module migrations import as "mortar".
import { main } from "../dist/mortar.mjs";

process.exitCode = await main(process.argv);
