// The registry of benchmark suites, run in this order. To add a suite, write
// src/suites/<name>.ts exporting a BenchSuite (see suite.ts) and add one line here.
import type { BenchSuite } from "./suite.js";
import { algorithmsSuite } from "./suites/algorithms.js";
import { autodiffSuite } from "./suites/autodiff.js";
import { linalgSuite } from "./suites/linalg.js";
import { matmulSuite } from "./suites/matmul.js";
import { operatorsSuite } from "./suites/operators.js";
import { pspaceSuite } from "./suites/pspace.js";
import { reliabilitySuite } from "./suites/reliability.js";
import { runtimeSuite } from "./suites/runtime.js";
import { singdSuite } from "./suites/singd.js";
import { structuresSuite } from "./suites/structures.js";
import { transformerSuite } from "./suites/transformer.js";

export const suites: readonly BenchSuite[] = [
  matmulSuite,
  linalgSuite,
  structuresSuite,
  autodiffSuite,
  runtimeSuite,
  operatorsSuite,
  pspaceSuite,
  algorithmsSuite,
  reliabilitySuite,
  singdSuite,
  transformerSuite,
];
