/**
 * The part of onnxruntime-common's API that curv uses. onnxruntime-node and
 * onnxruntime-web both export it (they re-export onnxruntime-common), so the
 * two ORT backends share one session implementation written against this.
 */

/** An ORT tensor, as far as curv reads it. */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
  readonly location?: string;
  getData?(releaseData?: boolean): Promise<unknown>;
  dispose?(): void;
}

/** ORT's session options that curv sets. */
export interface OrtSessionOptions {
  executionProviders: readonly ({ readonly name: string } & Record<string, unknown>)[];
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  executionMode?: "sequential" | "parallel";
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** An ORT inference session. */
export interface OrtInferenceSession {
  run(feeds: Record<string, OrtTensor>, fetches: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** The ORT module: its Tensor constructor and session factory. */
export interface OrtApi {
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: OrtSessionOptions): Promise<OrtInferenceSession> };
}
