import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { packageVersion } from "../package-version.js";
import type { LintResult } from "./lint-engine.js";
import type { Finding } from "./lint-rule.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * The lint result as SARIF 2.1.0, the format code-scanning services (GitHub, GitLab,
 * Azure DevOps) read: one run of the tool "mortar", a rule per lint rule applied (its
 * summary as help), a result per finding at the migration file, its path relative to
 * `cwd` with forward slashes, on the line where the operation's table or statement
 * first appears (line 1 when it cannot be found).
 */
export function toSarif(result: LintResult, cwd = process.cwd()): Record<string, unknown> {
  const ruleIndex = new Map(result.rules.map((rule, i) => [rule.id, i]));
  const files = new Map(result.migrations.map((m) => [m.name, m.path]));
  const sources = new Map<string, string>();
  const sourceOf = (path: string) => {
    let source = sources.get(path);
    if (source === undefined) {
      try {
        source = readFileSync(path, "utf8");
      } catch {
        source = "";
      }
      sources.set(path, source);
    }
    return source;
  };
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mortar",
            version: packageVersion(),
            rules: result.rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.summary },
              help: { text: rule.summary },
              defaultConfiguration: { level: "error" },
            })),
          },
        },
        results: result.findings.map((finding) => {
          const path = files.get(finding.migration) ?? finding.migration;
          return {
            ruleId: finding.rule,
            ...(ruleIndex.has(finding.rule) ? { ruleIndex: ruleIndex.get(finding.rule) } : {}),
            level: "error",
            message: { text: `${finding.operation} (${finding.dialect}): ${finding.message} Fix: ${finding.fix}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: relative(cwd, path).split(sep).join("/") },
                  region: { startLine: lineOf(sourceOf(path), finding) },
                },
              },
            ],
          };
        }),
      },
    ],
  };
}

/**
 * Where in the file the finding's operation is written, as well as the recorded
 * operation can tell: the first line after `up(`/`change(` naming its first quoted name
 * (a table, index or column) or starting its raw statement; else that method's line; else 1.
 */
export function lineOf(source: string, finding: Pick<Finding, "operation">): number {
  const lines = source.split("\n");
  const body = Math.max(0, lines.findIndex((line) => /\b(up|change)\s*\(/.test(line)));
  const quoted = /"([^"]+)"/.exec(finding.operation)?.[1];
  const needle = quoted === undefined ? undefined : finding.operation.startsWith("raw SQL") ? quoted.slice(0, 24) : quoted.split(".")[0]!;
  if (needle) {
    for (let i = body; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  }
  return lines.length > 1 || lines[0] ? body + 1 : 1;
}
