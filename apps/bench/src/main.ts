// `pnpm bench`: runs the registered suites, prints a table as cases finish,
// and with --json FILE writes the results as JSON. See README.md.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { isSelected, parseCommandLine, USAGE, type BenchCommand } from "./command-line.js";
import { measureCase, type CaseResult } from "./measure-case.js";
import { buildReport, machineInfo, tableHeader, tableRow } from "./report.js";
import { suites } from "./suites.js";

async function listSuites(command: BenchCommand): Promise<void> {
  for (const suite of suites) {
    console.log(`${suite.name}: ${suite.description}`);
    for (const c of await suite.cases()) {
      if (isSelected(command.filters, suite.name, c.name)) console.log(`  ${c.name}`);
    }
  }
}

/** Runs every selected case; a failing case is reported and the run goes on. Returns the results and the failures. */
async function runSuites(command: BenchCommand): Promise<{ results: CaseResult[]; failures: string[] }> {
  const results: CaseResult[] = [];
  const failures: string[] = [];
  for (const line of tableHeader()) console.log(line);
  for (const suite of suites) {
    for (const benchCase of await suite.cases()) {
      if (!isSelected(command.filters, suite.name, benchCase.name)) continue;
      const label = `${suite.name}/${benchCase.name}`;
      try {
        const fn = await benchCase.prepare();
        const result = await measureCase(suite.name, benchCase, fn);
        results.push(result);
        console.log(tableRow(result));
      } catch (error) {
        failures.push(label);
        console.error(`${label} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { results, failures };
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
  const { results, failures } = await runSuites(command);
  if (results.length === 0 && failures.length === 0) {
    console.error(`no case matches --filter ${command.filters.join(", ")}; try --list`);
    return 1;
  }
  if (command.jsonPath !== undefined) {
    // pnpm runs the script in apps/bench; a relative path means relative to where `pnpm bench` was typed.
    const jsonPath = resolve(process.env.INIT_CWD ?? process.cwd(), command.jsonPath);
    writeFileSync(jsonPath, JSON.stringify(buildReport(results, machine, new Date(), command.filters), null, 2) + "\n");
    console.log(`\nwrote ${jsonPath}`);
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} case(s) failed: ${failures.join(", ")}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
