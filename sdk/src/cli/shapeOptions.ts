/**
 * The shape of a new market from `market create`'s flags: exactly one of `--normal mu,sigma`,
 * `--uniform a:b`, `--mixture "mu,sigma,w;..."`, `--preset NAME` or `--shape-file FILE`.
 */
import { readFileSync } from "node:fs";
import type { ControlPoint, MixtureComponent, Shape } from "../math/shapes.js";
import { parseInteger, parseMixture, parseNormal, parseRange } from "./args.js";
import { CliError } from "./errors.js";

/** `--preset` names (and short forms) of the program's preset shapes. */
export const PRESETS: Readonly<Record<string, Shape["kind"]>> = {
  "trimodal-election": "TrimodalElection",
  election: "TrimodalElection",
  "skewed-launch": "SkewedLaunch",
  launch: "SkewedLaunch",
  "leptokurtic-indicator": "LeptokurticIndicator",
  indicator: "LeptokurticIndicator",
};

/** A shape and, for a Custom one, its control points. */
export interface ShapeChoice {
  shape: Shape;
  points: ControlPoint[];
}

export interface ShapeFlags {
  normal?: string;
  uniform?: string;
  mixture?: string;
  preset?: string;
  shapeFile?: string;
}

export function shapeFromFlags(f: ShapeFlags): ShapeChoice {
  const given = (["normal", "uniform", "mixture", "preset", "shapeFile"] as const).filter((k) => f[k] !== undefined);
  if (given.length !== 1) {
    throw new CliError(`choose exactly one shape: --normal mu,sigma | --uniform a:b | --mixture "mu,sigma,w;..." | --preset NAME | --shape-file FILE (got ${given.length})`);
  }
  if (f.normal !== undefined) return { shape: { kind: "Normal", ...parseNormal(f.normal) }, points: [] };
  if (f.uniform !== undefined) {
    const { from, to } = parseRange(f.uniform, "--uniform");
    return { shape: { kind: "Uniform", a: from, b: to }, points: [] };
  }
  if (f.mixture !== undefined) return { shape: { kind: "Mixture", comps: parseMixture(f.mixture) }, points: [] };
  if (f.preset !== undefined) {
    const kind = PRESETS[f.preset];
    if (!kind) throw new CliError(`unknown --preset ${f.preset}: one of ${Object.keys(PRESETS).join(", ")}`);
    return { shape: { kind } as Shape, points: [] };
  }
  return shapeFromFile(f.shapeFile!);
}

const text = (v: unknown, what: string): string => {
  if (typeof v === "number" || typeof v === "string") return String(v);
  throw new CliError(`shape file: ${what} must be a number or a string`);
};

/**
 * A shape file: `{"kind":"Normal","mean":0,"sigma":120}`, `{"kind":"Uniform","a":-100,"b":100}`,
 * `{"kind":"Mixture","components":[{"mean":-200,"sigma":80,"weight":0.5}, ...]}`,
 * `{"kind":"TrimodalElection"}` (or another preset), `{"kind":"Custom","points":[{"x":-500,"y":1}, ...]}`.
 */
export function shapeFromFile(file: string): ShapeChoice {
  let spec: Record<string, unknown>;
  try {
    spec = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`--shape-file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  switch (spec.kind) {
    case "Normal":
      return { shape: { kind: "Normal", ...parseNormal(`${text(spec.mean, "mean")},${text(spec.sigma, "sigma")}`, "shape file") }, points: [] };
    case "Uniform":
      return { shape: { kind: "Uniform", a: parseInteger(text(spec.a, "a"), "shape file a"), b: parseInteger(text(spec.b, "b"), "shape file b") }, points: [] };
    case "Mixture": {
      if (!Array.isArray(spec.components)) throw new CliError("shape file: Mixture needs components");
      const comps: MixtureComponent[] = parseMixture(
        (spec.components as Record<string, unknown>[]).map((c) => `${text(c.mean, "mean")},${text(c.sigma, "sigma")},${text(c.weight, "weight")}`).join(";"),
      );
      return { shape: { kind: "Mixture", comps }, points: [] };
    }
    case "TrimodalElection":
    case "SkewedLaunch":
    case "LeptokurticIndicator":
      return { shape: { kind: spec.kind }, points: [] };
    case "Custom": {
      if (!Array.isArray(spec.points)) throw new CliError("shape file: Custom needs points");
      const points = (spec.points as Record<string, unknown>[]).map((p, i) => ({
        x: parseInteger(text(p.x, `points[${i}].x`), `points[${i}].x`),
        y: parseInteger(text(p.y, `points[${i}].y`), `points[${i}].y`),
      }));
      return { shape: { kind: "Custom" }, points };
    }
    default:
      throw new CliError(`shape file: unknown kind ${String(spec.kind)} (Normal, Uniform, Mixture, TrimodalElection, SkewedLaunch, LeptokurticIndicator, Custom)`);
  }
}

/** A shape in words, for the text output. */
export function describeShape(s: Shape): string {
  const x = (v: bigint): string => {
    const neg = v < 0n;
    const a = neg ? -v : v;
    const frac = (a % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
    return `${neg ? "-" : ""}${a / 1_000_000_000n}${frac ? `.${frac}` : ""}`;
  };
  switch (s.kind) {
    case "Normal":
      return `Normal(mu ${x(s.mean1e9)}, sigma ${x(s.sigma1e9)})`;
    case "Uniform":
      return `Uniform[${s.a}, ${s.b}]`;
    case "Mixture":
      return `Mixture(${s.comps.map((c) => `${x(c.weight1e9)} x N(${x(c.mean1e9)}, ${x(c.sigma1e9)})`).join(" + ")})`;
    default:
      return s.kind;
  }
}
