/**
 * `@continuum/sdk`: instruction builders, account decoders, PDAs, errors and the bit-exact
 * math mirror of the Continuum program.
 */
export * from "./constants.js";
export * from "./codec.js";
export * from "./discriminators.js";
export * from "./errors.js";
export * from "./pda.js";
export * from "./accounts/config.js";
export * from "./instructions/initializeConfig.js";
