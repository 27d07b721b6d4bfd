// `pnpm bench`: runs the registered suites, prints a table as cases finish,
// and with --json FILE writes the results as JSON. See README.md.
import { resolve } from "node:path";
import { writeFileAtomicSync } from "@curv/tensor";
import { isSelected, parseCommandLine, USAGE, type BenchCommand } from "./command-line.js";
import { measureCase, type CaseResult } from "./measure-case.js";
import { buildReport, machineInfo, tableHeader, tableLayout, tableRow } from "./report.js";
import type { BenchCase } from "./suite.js";
import { suites } from "./suites.js";

async function listSuites(command: BenchCommand): Promise<void> {
  for (const suite of suites) {
    console.log(`${suite.name}: ${suite.description}`);
    for (const c of await suite.cases()) {
      if (isSelected(command.filters, suite.name, c.name)) console.log(`  ${c.name}`);
    }
  }
}

/** The cases `command` selects, in registry order. */
async function selectedCases(command: BenchCommand): Promise<{ suite: string; benchCase: BenchCase }[]> {
  const selected: { suite: string; benchCase: BenchCase }[] = [];
  for (const suite of suites) {
    for (const benchCase of await suite.cases()) {
      if (isSelected(command.filters, suite.name, benchCase.name)) selected.push({ suite: suite.name, benchCase });
    }
  }
  return selected;
}

/** Runs every selected case; a failing case is reported and the run goes on. Returns the results and the failures. */
async function runCases(selected: { suite: string; benchCase: BenchCase }[]): Promise<{ results: CaseResult[]; failures: string[] }> {
  const results: CaseResult[] = [];
  const failures: string[] = [];
  const layout = tableLayout(selected.map(({ suite, benchCase }) => ({ suite, name: benchCase.name })));
  for (const line of tableHeader(layout)) console.log(line);
  for (const { suite, benchCase } of selected) {
    const label = `${suite}/${benchCase.name}`;
    try {
      const fn = await benchCase.prepare();
      const result = await measureCase(suite, benchCase, fn);
      results.push(result);
      console.log(tableRow(layout, result));
    } catch (error) {
      failures.push(label);
      console.error(`${label} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { results, failures };
}

/** Runs each suite's `summarize` on its results, prints its lines, and returns the merged report fields. */
function summarizeSuites(results: readonly CaseResult[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const suite of suites) {
    const own = results.filter((r) => r.suite === suite.name);
    if (suite.summarize === undefined || own.length === 0) continue;
    const { report, lines } = suite.summarize(own);
    if (lines !== undefined && lines.length > 0) console.log(`\n${suite.name}:\n${lines.join("\n")}`);
    Object.assign(fields, report);
  }
  return fields;
}

async function main(): Promise<number> {
  let command: BenchCommand;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (command.help) {
    console.log(USAGE);
    return 0;
  }
  if (command.list) {
    await listSuites(command);
    return 0;
  }
  const machine = machineInfo();
  console.log(`node ${machine.node} on ${machine.cpuModel} (${machine.cpus} CPUs), ${machine.platform}-${machine.arch}\n`);
  const selected = await selectedCases(command);
  if (selected.length === 0) {
    console.error(`no case matches --filter ${command.filters.join(", ")}; try --list`);
    return 1;
  }
  const { results, failures } = await runCases(selected);
  const summaries = summarizeSuites(results);
  if (command.jsonPath !== undefined) {
    // pnpm runs the script in apps/bench; a relative path means relative to where `pnpm bench` was typed.
    const jsonPath = resolve(process.env.INIT_CWD ?? process.cwd(), command.jsonPath);
    writeFileAtomicSync(jsonPath, JSON.stringify({ ...buildReport(results, machine, new Date(), command.filters), ...summaries }, null, 2) + "\n");
    console.log(`\nwrote ${jsonPath}`);
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} case(s) failed: ${failures.join(", ")}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
