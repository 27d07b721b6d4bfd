import { CrossEntropyLoss, type Module } from "@curv/autodiff";
import {
  EFLinearOperator, EKFACLinearOperator, GGNLinearOperator, HessianLinearOperator, KFACLinearOperator, type CurvatureOptions,
  type DataBatch, type LinearOperator,
} from "@curv/operators";
import { Generator, type Tensor } from "@curv/tensor";
import { syntheticClassification, tourCnn } from "curvature-tour/tour-model";
import type { BenchCase, BenchSuite } from "../suite.js";
import { NETWORKS, type Network } from "./autodiff.js";
import { summarizeOperators } from "./operators-summary.js";

// The curvature operators issue's benchmark (section 6), float32 throughout:
// 1. the six dense 683 x 683 matrices of the curvature tour's CNN with
//    toDense(), on ORT CPU (2 threads) and on js;
// 2. one matvec against one 64-column matmat per operator (ORT CPU), to show
//    what batching the columns into one program run gains;
// 3. KFAC's factors (construction and the data pass) for the autodiff suite's
//    MLP and CNN.
// Determinism checks are off (they are two extra passes before the first
// product, not part of building a matrix); see README.md for what each
// case's timed call contains.

/** ORT CPU with 2 threads, as the autodiff suite; js is the TypeScript interpreter. */
const RUNTIMES = {
  ort: { runtime: "ort", providers: ["cpu"], threads: 2 },
  js: { runtime: "js" },
} as const satisfies Record<string, CurvatureOptions>;
type RuntimeKey = keyof typeof RUNTIMES;

/** The tour's model, data and loss: curvlinops' visual tour (50 inputs of 3 x 10 x 10, batches of 20, 5 classes). */
interface TourSetup {
  model: Module;
  params: string[];
  data: DataBatch[];
  loss: CrossEntropyLoss;
}

const TOUR_NUM_DATA = 50;
const TOUR_PARAMETERS = 683;

function tourSetup(): TourSetup {
  const generator = new Generator(0);
  // As the tour: the data are drawn before the model.
  const data = syntheticClassification(generator, { numData: TOUR_NUM_DATA, batchSize: 20, inputShape: [3, 10, 10], numClasses: 5 });
  const model = tourCnn(generator);
  return { model, params: model.namedParameters().map(([name]) => name), data, loss: new CrossEntropyLoss({ reduction: "mean" }) };
}

type OperatorFactory = (setup: TourSetup, options: CurvatureOptions) => LinearOperator;

/** The tour's six operators in its order, with its options (MC Fisher: one sample; KFAC and EKFAC: curvlinops' defaults). */
const TOUR_OPERATORS: readonly { key: string; make: OperatorFactory }[] = [
  { key: "hessian", make: (s, o) => new HessianLinearOperator(s.model, s.loss, s.params, s.data, o) },
  { key: "ggn", make: (s, o) => new GGNLinearOperator(s.model, s.loss, s.params, s.data, o) },
  { key: "ef", make: (s, o) => new EFLinearOperator(s.model, s.loss, s.params, s.data, o) },
  { key: "ekfac", make: (s, o) => new EKFACLinearOperator(s.model, s.loss, s.params, s.data, o) },
  { key: "mc-fisher", make: (s, o) => new GGNLinearOperator(s.model, s.loss, s.params, s.data, { ...o, mcSamples: 1 }) },
  { key: "kfac", make: (s, o) => new KFACLinearOperator(s.model, s.loss, s.params, s.data, o) },
];

/**
 * The operators whose js toDense is benchmarked: all but the Hessian. Each js
 * case runs twice (the harness' warm-up call and one timed call), and one js
 * toDense of the Hessian takes 30-45 s on the 2-core machine, so it alone
 * would add over a minute to a suite meant to stay near four minutes.
 */
const JS_OPERATORS: ReadonlySet<string> = new Set(["ggn", "ef", "ekfac", "mc-fisher", "kfac"]);

const MATMAT_COLUMNS = 64;

function operatorOptions(runtime: RuntimeKey): CurvatureOptions {
  return { numData: TOUR_NUM_DATA, checkDeterministic: false, dtype: "float32", ...RUNTIMES[runtime] };
}

function extraOf(operator: string, measure: string, runtime: RuntimeKey): Record<string, string | number> {
  return { operator, measure, runtime, dtype: "float32", threads: runtime === "ort" ? RUNTIMES.ort.threads : 1 };
}

/**
 * toDense of one tour operator. `fresh`: every call builds a new operator,
 * so it pays tracing and lowering the graphs (and KFAC's and EKFAC's
 * factors), as the tour does, but not ORT session creation: the
 * process-wide compile cache (keyed by graph hash) keeps the sessions of the
 * warm-up call. Otherwise one operator is reused, so the timed calls are the
 * products (and, for KFAC and EKFAC, the dense matrix from factors already
 * computed).
 */
function toDenseCase(key: string, make: OperatorFactory, runtime: RuntimeKey, fresh: boolean): BenchCase {
  return {
    name: `${key} toDense ${runtime}${fresh ? " fresh" : ""}`,
    n: TOUR_PARAMETERS,
    iterations: runtime === "js" || fresh ? 1 : 2,
    extra: extraOf(key, fresh ? "toDense-fresh" : "toDense", runtime),
    prepare: () => {
      const setup = tourSetup();
      if (fresh) return () => make(setup, operatorOptions(runtime)).toDense();
      const operator = make(setup, operatorOptions(runtime));
      return () => operator.toDense();
    },
  };
}

/** One product with a random `[683]` vector (`columns` 1) or `[683, columns]` matrix; the warm-up call compiles its program. */
function productCase(key: string, make: OperatorFactory, columns: number): BenchCase {
  const measure = columns === 1 ? "matvec" : `matmat${columns}`;
  return {
    name: `${key} ${measure} ort`,
    n: TOUR_PARAMETERS,
    iterations: columns === 1 ? 10 : 5,
    extra: { ...extraOf(key, measure, "ort"), columns },
    prepare: () => {
      const operator = make(tourSetup(), operatorOptions("ort"));
      const generator = new Generator(1);
      const operand = columns === 1 ? generator.normal([TOUR_PARAMETERS]) : generator.normal([TOUR_PARAMETERS, columns]);
      return () => (columns === 1 ? operator.matvec(operand) : operator.matmat(operand));
    },
  };
}

/** One batch of the autodiff suite's data: standard normal inputs, uniform int64 labels. */
function networkBatch(network: Network, generator: Generator): [Tensor, Tensor] {
  return [generator.normal([network.batch, ...network.features]), generator.integers(0, network.classes, [network.batch], "int64")];
}

/**
 * KFAC's factors for one of the autodiff suite's networks (curvlinops'
 * defaults: MC Fisher type, one sample, separate weight and bias): every
 * call constructs the operator and awaits `ready()`, which traces and lowers
 * the factor program (its ORT session comes from the compile cache after
 * the warm-up call) and runs the data pass (one batch).
 */
function kfacFactorsCase(network: Network, runtime: RuntimeKey): BenchCase {
  return {
    name: `kfac factors ${network.name} ${runtime}`,
    n: network.batch,
    iterations: 2,
    extra: { ...extraOf("kfac", "factors", runtime), model: network.name, batch: network.batch },
    prepare: () => {
      const generator = new Generator(0);
      const model = network.make(generator);
      const params = model.namedParameters().map(([name]) => name);
      const data = [networkBatch(network, generator)];
      const loss = new CrossEntropyLoss();
      const options = { ...operatorOptions(runtime), numData: network.batch };
      return () => new KFACLinearOperator(model, loss, params, data, options).ready();
    },
  };
}

function operatorsCases(): BenchCase[] {
  return [
    ...TOUR_OPERATORS.flatMap(({ key, make }) => [
      toDenseCase(key, make, "ort", false),
      toDenseCase(key, make, "ort", true),
      ...(JS_OPERATORS.has(key) ? [toDenseCase(key, make, "js", true)] : []),
    ]),
    ...TOUR_OPERATORS.flatMap(({ key, make }) => [productCase(key, make, 1), productCase(key, make, MATMAT_COLUMNS)]),
    ...NETWORKS.map((network) => kfacFactorsCase(network, "ort")),
  ];
}

/** toDense of the tour CNN's six curvature matrices, matvec against matmat, and KFAC factor builds (float32). */
export const operatorsSuite: BenchSuite = {
  name: "operators",
  description: "toDense of the curvature tour's six 683x683 matrices (ORT CPU 2 threads, js), matvec vs 64-column matmat, KFAC factors of the autodiff MLP and CNN (float32)",
  cases: operatorsCases,
  summarize: summarizeOperators,
};
