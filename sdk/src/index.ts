/**
 * `@continuum/sdk`: instruction builders, account decoders, PDAs, errors and the bit-exact
 * math mirror of the Continuum program.
 */
export * from "./constants.js";
export * from "./codec.js";
export * from "./discriminators.js";
export * from "./errors.js";
export * from "./pda.js";
export * from "./collateral.js";
export * from "./accounts/config.js";
export * from "./instructions/initializeConfig.js";
export * from "./accounts/shard.js";
export * from "./accounts/market.js";
export * from "./accounts/keeper.js";
export * from "./accounts/proposal.js";
export * from "./accounts/loadMeter.js";
export * from "./instructions/sharding.js";
export * from "./sharding/assign.js";
export * from "./sharding/latency.js";
export * from "./sharding/load.js";
export * from "./sharding/rebalance.js";
export * from "./events.js";
export * from "./accounts/amm.js";
export * from "./instructions/amm.js";
export * from "./amm/price.js";
export * from "./amm/events.js";
export * from "./math/index.js";
export * from "./keeper/index.js";
export * from "./deploy.js";
