/**
 * `@curv/singd`: SINGD (structured inverse-free natural gradient descent) and
 * the SGD / AdamW baselines it is compared against.
 *
 * @packageDocumentation
 */
export const SINGD_PACKAGE = "@curv/singd";
