/**
 * Bit-exact TypeScript mirror of `crates/continuum-math` (`bigint` throughout), checked against
 * the vectors in `tests/vectors/*.json`. One module per Rust module, plus `quote`.
 */
export * from "./constants.js";
export * from "./errors.js";
export * from "./wide.js";
export * from "./simpson.js";
export * from "./exp.js";
export * from "./shapes.js";
export * from "./project.js";
export * from "./trade.js";
export * from "./trade-general.js";
export * from "./quote.js";
export {
  collateralForBumpFast,
  FastRangeBet,
  fastPathApplies,
  rangeBetApplyFast,
  solveRangeBetFast,
} from "./fast.js";
export * from "./kernel.js";
