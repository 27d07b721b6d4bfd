/**
 * The window geometry of a convolution layer (kernel, stride, padding,
 * dilation, groups), which KFAC needs to unfold the layer's inputs into
 * patches (Grosse & Martens 2016). An nn `Conv2d` carries it; a Conv that
 * `importOnnx` recognized does not, so it is read off the traced `conv2d`
 * that consumes the layer's input.
 */
import { Conv2d, type LayerRecord, type Value } from "@curv/autodiff";
import { ValueError } from "@curv/tensor";

/** A convolution's geometry, padding as `[top, left, bottom, right]`. */
export interface ConvolutionGeometry {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

/** The `conv2d` application between a layer's input and its output, if any (a bounded walk back from the output). */
function tracedConvolution(record: LayerRecord): Extract<Value["source"], { kind: "apply" }> | undefined {
  const pending: Value[] = [record.output];
  const seen = new Set<Value>();
  while (pending.length > 0 && seen.size < 256) {
    const value = pending.pop() as Value;
    if (seen.has(value) || value === record.input) continue;
    seen.add(value);
    const source = value.source;
    if (source.kind !== "apply") continue;
    if (source.primitive.name === "conv2d" && source.inputs[0] === record.input) return source;
    pending.push(...source.inputs);
  }
  return undefined;
}

/** The geometry of the convolution layer `record` applies. */
export function convolutionGeometry(record: LayerRecord, who: string): ConvolutionGeometry {
  const module = record.module;
  if (module instanceof Conv2d) {
    const { kernelSize, stride, explicitPadding: padding, dilation, groups } = module;
    return { kernelSize, stride, padding, dilation, groups };
  }
  const conv = tracedConvolution(record);
  if (conv === undefined) throw new ValueError(`${who}: cannot find the convolution of Conv2d layer "${record.name}" in its traced forward`);
  const params = conv.params as unknown as Omit<ConvolutionGeometry, "kernelSize">;
  const [, , kh, kw] = conv.inputs[1].shape as number[];
  return { kernelSize: [kh, kw], stride: params.stride, padding: params.padding, dilation: params.dilation, groups: params.groups };
}
