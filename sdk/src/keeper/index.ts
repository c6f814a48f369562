/** The keeper service: `Keeper`, its chain interface and adapters, policy and snapshot. */
export * from "./actions.js";
export * from "./chain.js";
export * from "./connection.js";
export * from "./keeper.js";
export * from "./policy.js";
export * from "./snapshot.js";
export * from "./format.js";
