/**
 * Quotes along a belief shape or an unwind on the fast kernel (`FastRangeBet.setDirection`,
 * `sdk/src/math/fast.ts`; `directionOracle` in `trade-quote.ts`): the exact limbs of
 * `h = max(0, f + floor(t phi / 1e9))`, the certified scale bounds from the float `h` (with its
 * one-unit slack) and past the exact domain, the collateral lower bound on two points, and whole
 * quotes against the search on exact bigint figures (no hints, no kernel) and the bigint mirror
 * of the trade and its display, at caps up to 2^56 and N = 11, 101, 615.
 */
import { describe, expect, it } from "vitest";
import * as M from "../../sdk/src/math/index.js";
import { DIRECTION_T_MAX, FastRangeBet, kernelWork } from "../../sdk/src/math/fast.js";
import { exactSizeOracle, nettedCost, rng } from "./helpers.js";

const E9 = 1_000_000_000n;
const CAPS = [10n ** 10n, 1n << 40n, 1n << 56n] as const;

/** A projected Normal market (random mean, sigma and k) as a `TradeMarket`, fee 30 bps. */
function market(r: () => number, n: number, b: bigint): M.TradeMarket {
  const width = BigInt(10 * (n - 1));
  const grid = { lo: 0n, hi: width, n };
  for (;;) {
    const h = M.shapeValues(grid, { kind: "Normal", mean1e9: BigInt(Math.floor(r() * 10 * (n - 1))) * E9, sigma1e9: BigInt(Math.max(5, Math.floor((0.05 + r() * 0.3) * 10 * n))) * E9 });
    const budget = M.normSqBudgetFromKSq((b * b * width) / BigInt(2 + Math.floor(r() * 12)), 10n);
    try {
      return { curve: M.project(h, b, budget).curve, b, normSqBudget: budget, lo: 0n, hi: width, nPoints: n, feeBps: 30n, tradeCount: 5n };
    } catch (e) {
      // No canonical market curve for this k (the cap holds every point): draw again.
      if (!M.isMathError(e, "NormConstraintViolated")) throw e;
    }
  }
}

function belief(r: () => number, n: number): M.TradeDirectionInput {
  const width = 10 * (n - 1);
  return { kind: "shape", shape: { kind: "Normal", mean1e9: BigInt(Math.floor(r() * width)) * E9, sigma1e9: BigInt(Math.max(2, Math.floor((0.03 + r() * 0.2) * width))) * E9 } };
}

const gridOf = (m: M.TradeMarket): M.Grid => ({ lo: m.lo, hi: m.hi, n: m.nPoints });

/** A position: a range buy of b / 40 on the market, and the market after it. */
function withPosition(r: () => number, m: M.TradeMarket): { m: M.TradeMarket; pos: M.TradePosition } | null {
  const i0 = Math.floor(r() * (m.nPoints - 3));
  try {
    const q = M.quoteTrade(m, null, { kind: "range", i0, i1: i0 + 1 + Math.floor(r() * 3) }, { budget: m.b / 40n });
    return { m: { ...m, curve: q.g }, pos: { payoff: q.payoff, collateral: q.collateralAfter } };
  } catch {
    return null;
  }
}

/** Log-uniform size in [1, 2^bits). */
function size(r: () => number, bits: number): bigint {
  return BigInt(Math.floor(2 ** (r() * bits))) + 1n;
}

describe("h along a direction: exact limbs", () => {
  it("equals tradeTarget for shapes and signed directions (an unwind's -P), sizes of either sign up to 2^53 (past 2^22 1e9 the split product), values up to 2^57", () => {
    const r = rng(501);
    let compared = 0;
    let floats = 0;
    let wide = 0;
    let wideCompared = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = [11, 101, 615][trial % 3] as number;
      const top = [40, 53, 57][Math.floor(r() * 3)] as number;
      const f = Array.from({ length: n }, () => (r() < 0.1 ? 0n : size(r, top - 1)));
      const signed = r() < 0.4;
      const phi = Array.from({ length: n }, () => {
        const v = r() < 0.2 ? 0n : r() < 0.5 ? BigInt(Math.floor(r() * 1e9)) : size(r, 56);
        return signed && r() < 0.5 ? -v : v;
      });
      const kernel = new FastRangeBet(f, { b: 1n << 56n, budget: 1n << 120n, i0: 0, i1: n - 1 });
      expect(kernel.setDirection(phi)).toBe(true);
      for (let k = 0; k < 6; k++) {
        const pick = r();
        // Near the top, past 2^22 1e9 (the split product of a size's limbs), below it.
        const mag =
          pick < 0.2 ? BigInt(DIRECTION_T_MAX) - 1n - BigInt(Math.floor(r() * 100)) : pick < 0.45 ? (1n << 52n) + BigInt(Math.floor(r() * 2 ** 52)) : size(r, 51);
        if (mag >= 4_194_304n * E9) wide++;
        const t = r() < 0.4 ? -mag : mag;
        kernel.setBump(Number(t));
        // The mirror: a shape (phi >= 0) or the unwind of P = -phi (d = floor(-t P / 1e9)).
        const dir: M.DirectionVector = signed ? { kind: "unwind" } : { kind: "shape", phi };
        const payoff = signed ? phi.map((v) => -v) : f.map(() => 0n);
        let want: bigint[];
        try {
          want = M.tradeTarget(f, dir, t, payoff);
        } catch (e) {
          expect(M.isMathError(e, "Overflow")).toBe(true);
          expect(kernel.inDomain).toBe(false);
          continue;
        }
        const top57 = want.reduce((a, v) => (v > a ? v : a), 0n);
        if (kernel.inDomain) {
          expect(top57 < (1n << 57n) + 64n).toBe(true);
          expect(kernel.target()).toEqual(want);
          compared++;
          if (mag >= 4_194_304n * E9) wideCompared++;
          if (!signed && t > 0n) floats++;
        } else {
          expect(top57 > (1n << 57n) - 64n).toBe(true);
        }
      }
      kernel.release();
    }
    expect(compared).toBeGreaterThan(700);
    expect(floats).toBeGreaterThan(200);
    expect(wide).toBeGreaterThan(500);
    expect(wideCompared).toBeGreaterThan(150);
  });

  it("sizes a few units apart (limbs walked from the last size's, steps up to 2^20, across zero) equal tradeTarget", () => {
    const r = rng(502);
    let walked = 0;
    for (let trial = 0; trial < 120; trial++) {
      const n = [11, 101, 615][trial % 3] as number;
      const f = Array.from({ length: n }, () => (r() < 0.1 ? 0n : size(r, 52)));
      const signed = r() < 0.5;
      const phi = Array.from({ length: n }, () => {
        const v = r() < 0.2 ? 0n : r() < 0.5 ? BigInt(Math.floor(r() * 1e9)) : size(r, 56);
        return signed && r() < 0.5 ? -v : v;
      });
      const dir: M.DirectionVector = signed ? { kind: "unwind" } : { kind: "shape", phi };
      const payoff = signed ? phi.map((v) => -v) : f.map(() => 0n);
      const kernel = new FastRangeBet(f, { b: 1n << 56n, budget: 1n << 120n, i0: 0, i1: n - 1 });
      expect(kernel.setDirection(phi)).toBe(true);
      // Near zero (sign changes), then around a random size; some full-step and far jumps between.
      let t = r() < 0.3 ? BigInt(Math.floor(r() * 40)) - 20n : size(r, 40);
      for (let k = 0; k < 12; k++) {
        const u = r();
        const step = u < 0.15 ? 1n << 20n : u < 0.3 ? -(1n << 20n) : u < 0.4 ? size(r, 45) : BigInt(Math.floor(r() * 64)) - 32n;
        t += step;
        if (t === 0n) t = 1n;
        kernel.setBump(Number(t));
        let want: bigint[];
        try {
          want = M.tradeTarget(f, dir, t, payoff);
        } catch (e) {
          expect(M.isMathError(e, "Overflow")).toBe(true);
          continue;
        }
        if (!kernel.inDomain) continue;
        expect(kernel.target()).toEqual(want);
        walked++;
      }
      kernel.release();
    }
    expect(walked).toBeGreaterThan(1000);
  });

  it("refuses directions of 2^57 or more (the bigint mirror quotes those)", () => {
    const f = [1n, 2n, 3n];
    const kernel = new FastRangeBet(f, { b: 10n, budget: 10n, i0: 0, i1: 2 });
    expect(kernel.setDirection([0n, 1n << 57n, 0n])).toBe(false);
    expect(kernel.setDirection([0n, -(1n << 57n), 0n])).toBe(false);
    expect(kernel.setDirection([0n, (1n << 57n) - 1n, 0n])).toBe(true);
    kernel.release();
  });
});

describe("sizes past 2^53 along a direction (FastRangeBet.setSize)", () => {
  it("limbs, exact scale, collateral and its lower bound equal the bigint mirror for i64 sizes, also for neighbours sharing one double and after Number sizes", () => {
    const r = rng(907);
    let compared = 0;
    let shared = 0;
    let capped = 0;
    let bigCompared = 0;
    for (let trial = 0; trial < 120; trial++) {
      const n = [11, 101, 615][trial % 3] as number;
      const b = [1n << 40n, 1n << 56n][trial % 2] as bigint;
      const m = market(r, n, b);
      const signed = trial % 4 === 3;
      // Belief values, or an unwind's -P (mixed signs), small enough that a size past 2^53 keeps h below 2^57.
      const phi = Array.from({ length: n }, () => {
        const v = r() < 0.2 ? 0n : BigInt(Math.floor(r() * (r() < 0.5 ? 1e9 : 4e6)));
        return signed && r() < 0.5 ? -v : v;
      });
      const dir: M.DirectionVector = signed ? { kind: "unwind" } : { kind: "shape", phi };
      const payoff = signed ? phi.map((v) => -v) : m.curve.map(() => 0n);
      const kernel = new FastRangeBet(m.curve, { b, budget: m.normSqBudget, i0: 0, i1: n - 1 }, payoff);
      expect(kernel.setDirection(phi)).toBe(true);
      const check = (t: bigint): void => {
        kernel.setSize(t);
        let want: bigint[];
        try {
          want = M.tradeTarget(m.curve, dir, t, payoff);
        } catch (e) {
          expect(M.isMathError(e, "Overflow")).toBe(true);
          expect(kernel.inDomain).toBe(false);
          return;
        }
        if (!kernel.inDomain) {
          expect(want.some((v) => v > (1n << 57n) - 64n)).toBe(true);
          return;
        }
        expect(kernel.target()).toEqual(want);
        let c: bigint;
        try {
          c = M.canonicalScaleOf(want, b, m.normSqBudget);
        } catch (e) {
          expect(M.isMathError(e, "NormConstraintViolated")).toBe(true);
          expect(() => kernel.exactScaleOfSize(t)).toThrow();
          return;
        }
        expect(kernel.exactScaleOfSize(t)).toBe(c);
        const cost = nettedCost(m.curve, payoff, want, b, c);
        // Exact below 2^53 (past it, the oracle recomputes the figure in bigint).
        const coll = kernel.collateralAtSize(t, c);
        if (cost < 1n << 53n) expect(BigInt(coll)).toBe(cost);
        else expect(coll).toBeGreaterThanOrEqual(2 ** 53);
        const lower = kernel.collateralLowerBoundOfSize(t, c);
        if (lower < 2 ** 53) expect(BigInt(lower) <= cost).toBe(true);
        const bd = kernel.scaleBoundsOfSize(t);
        if (bd !== null) expect(BigInt(bd.lo) <= c && c <= BigInt(bd.hi)).toBe(true);
        if (want.some((v) => (v * c) / E9 >= b)) capped++;
        compared++;
        if (t >= 1n << 53n || -t >= 1n << 53n) bigCompared++;
      };
      for (let k = 0; k < 4; k++) {
        const mag = (1n << 53n) + size(r, 40) * size(r, 17);
        const t = signed && r() < 0.5 ? -mag : mag;
        check(t);
        // Its neighbour has the same double past 2^54: nothing may be reused from t.
        if (Number(t + 1n) === Number(t)) shared++;
        check(t + 1n);
        // A Number size and back: the kernel's own memos must not confuse the two.
        const small = BigInt(Math.floor(r() * 2 ** 40)) + 1n;
        check(signed && r() < 0.5 ? -small : small);
        check(t);
      }
      const max = (1n << 63n) - 1n;
      check(signed ? -max : max);
      kernel.release();
    }
    expect(compared).toBeGreaterThan(1500);
    expect(bigCompared).toBeGreaterThan(1100);
    expect(shared).toBeGreaterThan(250);
    expect(capped).toBeGreaterThan(450);
  });
});

describe("scale bounds and the collateral bound along a shape", () => {
  it("certified bounds contain the canonical scale: float h of buys (in and past the domain), exact limbs of sells", () => {
    const r = rng(502);
    let certified = 0;
    let past = 0;
    let bounded = 0;
    let stillBuys = 0;
    for (let trial = 0; trial < 60; trial++) {
      const n = [11, 101, 615][trial % 3] as number;
      const b = CAPS[trial % 3] as bigint;
      const m = market(r, n, b);
      const dir = M.directionVector(belief(r, n), gridOf(m)) as M.DirectionVector & { kind: "shape" };
      const zero = m.curve.map(() => 0n);
      const kernel = new FastRangeBet(m.curve, { b, budget: m.normSqBudget, i0: 0, i1: n - 1 }, zero);
      expect(kernel.setDirection(dir.phi)).toBe(true);
      for (let k = 0; k < 5; k++) {
        const sell = k === 4;
        const t = sell ? -size(r, Math.log2(Number(b))) : size(r, k === 3 ? 63 : Math.log2(Number(b)) + 4);
        let h: bigint[];
        try {
          h = M.tradeTarget(m.curve, dir, t, zero);
        } catch {
          continue; // past u64: outside every search
        }
        let c: bigint;
        try {
          c = M.canonicalScaleOf(h, b, m.normSqBudget);
        } catch (e) {
          expect(M.isMathError(e, "NormConstraintViolated")).toBe(true);
          continue;
        }
        const bd = kernel.scaleBounds(Number(t));
        if (bd !== null) {
          expect(BigInt(bd.lo) <= c && c <= BigInt(bd.hi), `t ${t}: ${bd.lo} <= ${c} <= ${bd.hi}`).toBe(true);
          certified++;
          if (!kernel.inDomain) past++;
        }
        if (kernel.inDomain) {
          // The two-point bound never exceeds the exact netted collateral, at c and nearby scales.
          for (const x of [c, c + 1n, c > 0n ? c - 1n : 0n, c + 1000n]) {
            const exact = nettedCost(m.curve, zero, h, b, x);
            const lb = kernel.collateralLowerBound(Number(t), x);
            expect(BigInt(lb) <= exact).toBe(true);
            if (BigInt(lb) === exact) bounded++;
            // The same bound of a buy without moving the kernel (its float h picks the same points).
            const still = kernel.buyLowerBound(Number(t), Number(x));
            if (t > 0n) {
              expect(still).toBe(lb);
              stillBuys++;
            } else {
              expect(still).toBeNaN();
            }
          }
        }
      }
      kernel.release();
    }
    expect(certified).toBeGreaterThan(180);
    expect(past).toBeGreaterThan(20);
    expect(bounded).toBeGreaterThan(400);
    expect(stillBuys).toBeGreaterThan(400);
  });
});

describe("exact verdicts next to a pass (FastRangeBet.passesNear)", () => {
  /** `S(c; u) <= budget` and the netted collateral at `(u, c)`, in bigint (the Rust rules). */
  function truth(m: M.TradeMarket, dir: M.DirectionVector, u: bigint, c: bigint): { ok: boolean; sum: bigint; coll: bigint } {
    const zero = m.curve.map(() => 0n);
    const h = M.tradeTarget(m.curve, dir, u, zero);
    const n = h.length;
    let acc = 0n;
    for (let i = 0; i < n; i++) {
      const raw = (c * (h[i] as bigint)) / E9;
      const g = raw < m.b ? raw : m.b;
      acc += (g * g) << BigInt(M.simpsonWeightShift(i, n));
    }
    return { ok: acc <= m.normSqBudget, sum: acc, coll: nettedCost(m.curve, zero, h, m.b, c) };
  }

  it("equal the exact sum at every size a few units from the base and one scale unit off it, across plateau ends, inside the rounding band (b = 2^56); the ends tighten the scale bounds", () => {
    const r = rng(503);
    let probes = 0;
    let flips = 0;
    let band = 0;
    let capped = 0;
    let scaled = 0;
    let scaleFlips = 0;
    let tightened = 0;
    for (let trial = 0; trial < 36; trial++) {
      const n = [11, 101, 615][trial % 3] as number;
      const b = CAPS[Math.floor(trial / 3) % 3] as bigint;
      const m = market(r, n, b);
      const dir = M.directionVector(belief(r, n), gridOf(m)) as M.DirectionVector & { kind: "shape" };
      const kernel = new FastRangeBet(m.curve, { b, budget: m.normSqBudget, i0: 0, i1: n - 1 }, m.curve.map(() => 0n));
      expect(kernel.setDirection(dir.phi)).toBe(true);
      const t0 = Number(b / 50n) + Math.floor(r() * 1000);
      const ends = kernel.plateauEnds(t0, 1, Number(b) * 4);
      if (ends === null) continue;
      for (const [end, x] of ends) {
        // A base a few units left of the plateau's end, then sizes on both sides of it.
        const base = end - 1 - Math.floor(r() * 6);
        kernel.setBump(base);
        kernel.passesNumber(x);
        const before = kernel.nearBandDecisions;
        const at = truth(m, dir, BigInt(base), BigInt(x)).sum;
        const cappedBase = kernel.g.some((v) => v === Number(b));
        let last: boolean | undefined;
        for (const delta of [-40, -7, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 60, 400, 5000]) {
          const u = base + delta;
          const got = kernel.passesNear(x, u);
          if (got === undefined) continue;
          const want = truth(m, dir, BigInt(u), BigInt(x));
          expect(got, `n ${n} b ${b} u ${u} c ${x}`).toBe(want.ok);
          // Its difference of the norm from the base's is the exact one.
          expect(BigInt(kernel.nearDeltaHi) * E9 + BigInt(kernel.nearDeltaLo)).toBe(want.sum - at);
          // The collateral it remembers is the exact one.
          expect(BigInt(kernel.collateralAtBump(u, BigInt(x)))).toBe(want.coll);
          probes++;
          if (cappedBase) capped++;
          if (last !== undefined && last !== got) flips++;
          last = got;
          // One scale unit off the base: exact limbs, the float sum's verdict (undefined in its band).
          for (const dx of [-1, 1]) {
            const other = kernel.passesNear(x + dx, u);
            if (other === undefined) continue;
            const at2 = truth(m, dir, BigInt(u), BigInt(x + dx));
            expect(other, `n ${n} b ${b} u ${u} c ${x + dx}`).toBe(at2.ok);
            const cc = BigInt(kernel.collateralAtBump(u, BigInt(x + dx)));
            expect(cc).toBe(at2.coll);
            scaled++;
            if (other !== got) scaleFlips++;
          }
        }
        band += kernel.nearBandDecisions - before;
        // The end tightens the certified bounds next to it: c >= x up to T(x), c <= x - 1 past it.
        for (const u of [end - 1, end, end + 1, end + 2]) {
          const bd = kernel.scaleBounds(u);
          if (bd === null) continue;
          const exact = M.canonicalScaleOf(M.tradeTarget(m.curve, dir, BigInt(u), m.curve.map(() => 0n)), b, m.normSqBudget);
          expect(BigInt(bd.lo) <= exact && exact <= BigInt(bd.hi), `u ${u}: ${bd.lo} <= ${exact} <= ${bd.hi}`).toBe(true);
          if (u <= end) expect(bd.lo).toBeGreaterThanOrEqual(x);
          else expect(bd.hi).toBeLessThanOrEqual(x - 1);
          tightened++;
        }
        // A scan at another size replaces the limbs: no verdict from the stale base.
        kernel.collateralAtBump(base + 3, BigInt(x + 5));
        expect(kernel.passesNear(x, base + 2)).toBeUndefined();
        expect(kernel.passesNear(x + 1, base)).toBeUndefined();
      }
      kernel.release();
    }
    expect(probes).toBeGreaterThan(800);
    expect(flips).toBeGreaterThan(60);
    expect(band).toBeGreaterThan(20);
    expect(capped).toBeGreaterThan(100);
    expect(scaled).toBeGreaterThan(1500);
    expect(scaleFlips).toBeGreaterThan(100);
    expect(tightened).toBeGreaterThan(300);
  });
});

/**
 * The reference answer of a shape size request: the same branch and bound without hints, on
 * exact scales of each bigint `h` (`canonicalScaleOf`, equal to the Rust bisection) and exact
 * bigint netted collateral, over the quote's interval (`sizeBounds` in trade-quote.ts).
 */
function referenceSize(m: M.TradeMarket, pos: M.TradePosition | null, dir: M.DirectionVector & { kind: "shape" }, req: M.TradeSize): string {
  const f = m.curve;
  const payoff = pos?.payoff ?? f.map(() => 0n);
  const sell = "refund" in req;
  const cap = M.collateralCap(pos?.collateral ?? 0n, BigInt(m.feeBps ?? 0n), sell ? { refund: req.refund } : { budget: (req as { budget: bigint }).budget });
  if (cap === null) return "ZeroBet";
  const oracle = exactSizeOracle(m, payoff, dir);
  let reach = 0n;
  let room = M.I64_MAX;
  for (let i = 0; i < f.length; i++) {
    const phi = dir.phi[i] as bigint;
    if (phi === 0n) continue;
    const zero = ((f[i] as bigint) * E9 + phi - 1n) / phi;
    if (zero > reach) reach = zero;
    const up = ((M.U64_MAX - (f[i] as bigint)) * E9) / phi;
    if (up < room) room = up;
  }
  const lo = reach > M.I64_MAX ? M.I64_MAX : reach < 1n ? 1n : reach;
  const found = sell ? M.largestFeasibleSize(oracle, -lo, -1n, cap) : M.largestFeasibleSize(oracle, 1n, room, cap);
  return found === null ? "ZeroBet" : found.t.toString();
}

describe("shape quotes = the search on exact bigint figures", () => {
  it("budget buys and refund sells along Normal beliefs, with and without positions, at every cap, N = 11, 101, 615", () => {
    const r = rng(503);
    let compared = 0;
    let sells = 0;
    let held = 0;
    let sized = 0;
    const ns = new Set<number>();
    for (let iter = 0; iter < 30; iter++) {
      const n = [11, 101, 11, 101, 615][iter % 5] as number;
      const b = CAPS[iter % 3] as bigint;
      let m = market(r, n, b);
      let pos: M.TradePosition | null = null;
      if (iter % 2 === 1) {
        const p = withPosition(r, m);
        if (p !== null) ({ m, pos } = p);
      }
      const input = belief(r, n);
      const dir = M.directionVector(input, gridOf(m)) as M.DirectionVector & { kind: "shape" };
      const sell = pos !== null && iter % 4 === 3;
      const req: M.TradeSize = sell ? { refund: pos!.collateral / BigInt(2 + Math.floor(r() * 6)) } : { budget: b / BigInt(10 + Math.floor(r() * 200)) };
      let got: string;
      try {
        got = M.quoteTrade(m, pos, input, req).t.toString();
      } catch (e) {
        got = (e as M.MathError).errorName;
      }
      const want = referenceSize(m, pos, dir, req);
      // The largest size that fits may move nothing or post nothing: the quote refuses it (ZeroBet).
      if (want !== "ZeroBet" && got === "ZeroBet") {
        const a = M.tradeApply(m.curve, pos?.payoff ?? m.curve.map(() => 0n), dir, BigInt(want), M.canonicalScaleOf(M.tradeTarget(m.curve, dir, BigInt(want), pos?.payoff ?? m.curve.map(() => 0n)), b, m.normSqBudget), b, m.normSqBudget, 30n, pos?.collateral ?? 0n);
        expect(pos === null && a.collateralAfter === 0n, `iter ${iter}`).toBe(true);
      } else {
        expect(got, `iter ${iter} (N ${n}, b ${b})`).toBe(want);
      }
      compared++;
      if (want !== "ZeroBet") sized++;
      ns.add(n);
      if (sell) sells++;
      if (pos !== null) held++;
    }
    expect(compared).toBe(30);
    expect(sized).toBeGreaterThanOrEqual(20);
    expect(sells).toBeGreaterThanOrEqual(4);
    expect(held).toBeGreaterThanOrEqual(10);
    expect(ns.size).toBe(3);
  });
});

/**
 * A market (with a position on odd iterations) and a belief for the interval-bound tests: the
 * kernel along the belief, and the exact scale, netted collateral and h of a size (null when h
 * leaves u64 or has no scale: not a trade). `targeted`: with a position, the belief sits where
 * the position lost most (there the bet raises g, the norm ratio grows with t, and the loss
 * makes those points bind).
 */
function intervalCase(r: () => number, iter: number, targeted: boolean) {
  const n = [11, 101, 615][iter % 3] as number;
  const b = CAPS[iter % 3] as bigint;
  let m = market(r, n, b);
  let pos: M.TradePosition | null = null;
  if (iter % 2 === 1) {
    const p = withPosition(r, m);
    if (p !== null) ({ m, pos } = p);
  }
  let input = belief(r, n);
  if (targeted && pos !== null) {
    let worst = 0;
    for (let i = 1; i < n; i++) if ((pos.payoff[i] as bigint) < (pos.payoff[worst] as bigint)) worst = i;
    const width = 10 * (n - 1);
    input = { kind: "shape", shape: { kind: "Normal", mean1e9: BigInt(worst * 10) * E9, sigma1e9: BigInt(Math.max(2, Math.floor((0.02 + r() * 0.1) * width))) * E9 } };
  }
  const dir = M.directionVector(input, gridOf(m)) as M.DirectionVector & { kind: "shape" };
  const payoff = pos?.payoff ?? m.curve.map(() => 0n);
  const kernel = new FastRangeBet(m.curve, { b, budget: m.normSqBudget, i0: 0, i1: n - 1 }, payoff);
  expect(kernel.setDirection(dir.phi)).toBe(true);
  const exact = (t: bigint): { c: bigint; coll: bigint; h: bigint[] } | null => {
    try {
      const h = M.tradeTarget(m.curve, dir, t, payoff);
      const c = M.canonicalScaleOf(h, b, m.normSqBudget);
      return { c, coll: nettedCost(m.curve, payoff, h, b, c), h };
    } catch (e) {
      if (!M.isMathError(e, "Overflow") && !M.isMathError(e, "NormConstraintViolated")) throw e;
      return null;
    }
  };
  return { n, b, m, pos, input, payoff, kernel, exact };
}

/** Asserts `bound` at most the exact netted collateral at each size that is a trade; how many were. */
function boundHolds(bound: number, sizes: readonly bigint[], exact: (t: bigint) => { coll: bigint } | null, label: string): number {
  let checked = 0;
  for (const t of sizes) {
    const e = exact(t);
    if (e === null) continue;
    expect(BigInt(bound) <= e.coll, `${label} at ${t}: bound ${bound} > ${e.coll}`).toBe(true);
    checked++;
  }
  return checked;
}

describe("the interval bound of a belief buy (FastRangeBet.rescaledLowerBound)", () => {
  it("is at most the exact netted collateral at every size of [a, b] (ends, interior, plateau ends), and prunes wide intervals far right that the one-size bound cannot", () => {
    const r = rng(911);
    let checked = 0;
    let positive = 0;
    let beyond = 0;
    for (let iter = 0; iter < 36; iter++) {
      const { b, m, payoff, kernel, exact } = intervalCase(r, iter, false);
      for (let k = 0; k < 6; k++) {
        // Log-uniform ends from 2^20 to 2^62, b / a from 1.1 to 2^20.
        const a = BigInt(Math.floor(2 ** (20 + r() * 40)));
        const bEnd = a + BigInt(Math.floor(Number(a) * (0.1 + r() * 2 ** (r() * 20))));
        const ea = exact(a);
        const eb = exact(bEnd);
        if (ea === null || eb === null || ea.c >= 1n << 52n) continue;
        const bound = kernel.rescaledLowerBound(a, bEnd, Number(ea.c), Number(eb.c));
        expect(bound).toBeGreaterThanOrEqual(0);
        if (bound > 0) positive++;
        // The old one-size bound at (b, c(a)).
        const oneSize = nettedCost(m.curve, payoff, eb.h, b, ea.c);
        if (BigInt(bound) > oneSize) beyond++;
        const sizes = [a, bEnd, a + (bEnd - a) / 2n, bEnd - 1n, a + 1n];
        for (let j = 0; j < 4; j++) sizes.push(a + BigInt(Math.floor(r() * Number(bEnd - a))));
        checked += boundHolds(bound, sizes, exact, `iter ${iter}: [${a}, ${bEnd}]`);
      }
      kernel.release();
    }
    expect(checked).toBeGreaterThan(1500);
    expect(positive).toBeGreaterThan(120);
    // Tighter than the one-size bound on about a quarter of the intervals that have a bound.
    expect(beyond).toBeGreaterThan(35);
  });
});

describe("the bound on every size past a start (FastRangeBet.tailLowerBound)", () => {
  it("is at most the exact netted collateral at sizes from a to 2^63, and settles far parts the interval bounds leave at 0", () => {
    const r = rng(917);
    let checked = 0;
    let positive = 0;
    let beyond = 0;
    for (let iter = 0; iter < 36; iter++) {
      const { kernel, exact } = intervalCase(r, iter, iter % 4 === 3);
      for (let k = 0; k < 6; k++) {
        // Log-uniform starts from 2^20 to 2^60; sizes up to the i64 limit.
        const a = BigInt(Math.floor(2 ** (20 + r() * 40)));
        const ea = exact(a);
        if (ea === null || ea.c >= 1n << 52n) continue;
        const slack = k % 2 === 0 ? 0 : 1 + Math.floor(r() * 50);
        const bound = kernel.tailLowerBound(a, Number(ea.c) + slack);
        expect(bound).toBeGreaterThanOrEqual(0);
        if (bound > 0) positive++;
        // Where the norm-ratio and rescaled bounds of [a, 2^62] have nothing, this one may.
        const far = 1n << 62n;
        const ef = exact(far);
        if (ef !== null && bound > Math.max(kernel.normRatioLowerBound(a, far, Number(ea.c), Number(ef.c)), kernel.rescaledLowerBound(a, far, Number(ea.c), Number(ef.c)))) beyond++;
        const sizes = [a, a + 1n, 2n * a, 16n * a, far, (1n << 63n) - 1n];
        for (let j = 0; j < 6; j++) sizes.push(a + BigInt(Math.floor(2 ** (r() * 62))));
        checked += boundHolds(bound, sizes.filter((t) => t >= a && t < 1n << 63n), exact, `iter ${iter}: from ${a}`);
      }
      kernel.release();
    }
    expect(checked).toBeGreaterThan(2000);
    // A bound on about half the starts; on a third of them where the two interval bounds of
    // [a, 2^62] have none (or a smaller one).
    expect(positive).toBeGreaterThan(120);
    expect(beyond).toBeGreaterThan(60);
  });
});

describe("the norm-ratio bound of a belief buy (FastRangeBet.normRatioLowerBound)", () => {
  it("is at most the exact netted collateral at every size of [a, b], for intervals from one unit to 2^40 wide around the quoted answer, tight and loose scale bounds", () => {
    const r = rng(913);
    let checked = 0;
    let positive = 0;
    let near = 0;
    let tight = 0;
    let pointsChecked = 0;
    for (let iter = 0; iter < 30; iter++) {
      const { n, b, pos, input, m, kernel, exact } = intervalCase(r, iter, true);
      let answer: bigint;
      let cap: bigint;
      try {
        const q = M.quoteTrade(m, pos, input, { budget: b / BigInt(20 + Math.floor(r() * 200)) });
        answer = q.t;
        cap = q.collateralAfter - (pos?.collateral ?? 0n);
      } catch {
        kernel.release();
        continue;
      }
      const gMax = new Float64Array(n);
      for (let k = 0; k < 8; k++) {
        // Just right of the answer (where the search needs it), or anywhere up to 2^40 past it.
        const a = answer + 1n + (k < 5 ? BigInt(Math.floor(2 ** (r() * 20))) : BigInt(Math.floor(2 ** (r() * 40))));
        const bEnd = a + BigInt(Math.floor(2 ** (r() * (k < 5 ? 30 : 40)))) + 1n;
        const ea = exact(a);
        const eb = exact(bEnd);
        if (ea === null || eb === null || ea.c >= 1n << 52n) continue;
        const slack = k % 2 === 0 ? 0 : 1 + Math.floor(r() * 50);
        const bound = kernel.normRatioLowerBound(a, bEnd, Number(ea.c) + slack, Math.max(0, Number(eb.c) - slack), gMax);
        expect(bound).toBeGreaterThanOrEqual(0);
        if (bound > 0) positive++;
        if (k < 5) near++;
        // Within a part in 10^6 of the smaller end collateral: the bound follows c(t) h(t).
        const lo = ea.coll < eb.coll ? ea.coll : eb.coll;
        if (slack === 0 && BigInt(bound) * 1_000_000n >= lo * 999_999n) tight++;
        const sizes = [a, bEnd, a + (bEnd - a) / 2n, bEnd - 1n, a + 1n];
        for (let j = 0; j < 5; j++) sizes.push(a + BigInt(Math.floor(r() * Number(bEnd - a))));
        for (const t of sizes) {
          const e = exact(t);
          if (e === null) continue;
          expect(BigInt(bound) <= e.coll, `iter ${iter}: [${a}, ${bEnd}] at ${t}: bound ${bound} > ${e.coll} (cap ${cap})`).toBe(true);
          // Each point's own bound on g (the increasing, decreasing and turning branches alike).
          const sc = new M.Scale1e9(e.c);
          for (let i = 0; i < n; i++) {
            const raw = sc.apply(e.h[i] as bigint);
            const g = raw < b ? raw : b;
            if (!(Number(g) <= gMax[i]!)) expect.fail(`iter ${iter}: [${a}, ${bEnd}] at ${t}, point ${i}: g ${g} > ${gMax[i]}`);
            pointsChecked++;
          }
          checked++;
        }
      }
      kernel.release();
    }
    expect(checked).toBeGreaterThan(2000);
    expect(pointsChecked).toBeGreaterThan(400_000);
    expect(near).toBeGreaterThan(100);
    // Nearly every interval gets a bound, half of them within a part in 10^6 of the smaller end's
    // collateral (what lets the search drop a plateau next to the answer at once).
    expect(positive).toBeGreaterThan(200);
    expect(tight).toBeGreaterThan(90);
  });
});

describe("belief buys whose size is past 2^53 (b = 2^56; the shifted kernel of far-sizes.ts)", () => {
  it("equal the search on exact bigint figures, with and without positions, and apply as the bigint mirror does", () => {
    const r = rng(509);
    let far = 0;
    let held = 0;
    const farPasses: number[] = [];
    for (let iter = 0; iter < 40; iter++) {
      const n = [11, 101, 101, 615][iter % 4] as number;
      const b = 1n << 56n;
      let m = market(r, n, b);
      let pos: M.TradePosition | null = null;
      if (iter % 3 === 1) {
        const p = withPosition(r, m);
        if (p !== null) ({ m, pos } = p);
      }
      // Narrow beliefs (3-8% of the domain): their sizes are the far ones.
      const width = 10 * (n - 1);
      const input: M.TradeDirectionInput = { kind: "shape", shape: { kind: "Normal", mean1e9: BigInt(Math.floor(r() * width)) * E9, sigma1e9: BigInt(Math.max(2, Math.floor((0.03 + r() * 0.05) * width))) * E9 } };
      const dir = M.directionVector(input, gridOf(m)) as M.DirectionVector & { kind: "shape" };
      const req: M.TradeSize = { budget: b / BigInt(20 + Math.floor(r() * 200)) };
      let q: M.TradeQuote;
      const passes0 = kernelWork.exactPasses;
      try {
        q = M.quoteTrade(m, pos, input, req);
      } catch (e) {
        expect(referenceSize(m, pos, dir, req), `iter ${iter}`).toBe((e as M.MathError).errorName);
        continue;
      }
      const passes = kernelWork.exactPasses - passes0;
      expect(q.t.toString(), `iter ${iter} (N ${n})`).toBe(referenceSize(m, pos, dir, req));
      if (q.t < 1n << 53n) continue;
      far++;
      farPasses.push(passes);
      if (pos !== null) held++;
      // The trade at that size, on the bigint mirror.
      const payoff = pos?.payoff ?? m.curve.map(() => 0n);
      const c = M.canonicalScaleOf(M.tradeTarget(m.curve, dir, q.t, payoff), b, m.normSqBudget);
      expect(q.c).toBe(c);
      const a = M.tradeApply(m.curve, payoff, dir, q.t, c, b, m.normSqBudget, 30n, pos?.collateral ?? 0n);
      expect(q.g).toEqual(a.g);
      expect(q.collateralAfter).toBe(a.collateralAfter);
    }
    expect(far).toBeGreaterThanOrEqual(10);
    expect(held).toBeGreaterThanOrEqual(3);
    // On the shifted kernel: the plateau ends and probes of Number sizes (54-202 exact passes
    // each when such sizes only had the bigint route).
    expect(Math.max(...farPasses)).toBeLessThanOrEqual(8);
  });
});

describe("shape and unwind quotes are the bigint mirror's trade and display", () => {
  it("given sizes, budgets and unwind fractions: every figure equals tradeApplyGeneral and the bigint display rules", () => {
    const r = rng(504);
    let checked = 0;
    let unwinds = 0;
    for (let iter = 0; iter < 45; iter++) {
      const n = [11, 101, 615][iter % 3] as number;
      const b = CAPS[Math.floor(iter / 3) % 3] as bigint;
      let m = market(r, n, b);
      let pos: M.TradePosition | null = null;
      if (iter % 3 !== 0) {
        const p = withPosition(r, m);
        if (p !== null) ({ m, pos } = p);
      }
      const unwind = pos !== null && iter % 2 === 0;
      const input: M.TradeDirectionInput = unwind ? { kind: "unwind" } : belief(r, n);
      let q: M.TradeQuote;
      try {
        if (unwind) q = M.quoteUnwind(m, pos!, BigInt(1 + Math.floor(r() * 1e9)));
        else q = M.quoteTrade(m, pos, input, r() < 0.5 ? { budget: b / BigInt(5 + Math.floor(r() * 100)) } : { t: size(r, Math.log2(Number(b))) });
      } catch (e) {
        expect(["ZeroBet", "NormConstraintViolated"]).toContain((e as M.MathError).errorName);
        continue;
      }
      const dir = M.directionVector(input, gridOf(m));
      const payoff = pos?.payoff ?? m.curve.map(() => 0n);
      const h = M.tradeTarget(m.curve, dir, q.t, payoff);
      expect(q.c).toBe(M.canonicalScaleOf(h, b, m.normSqBudget));
      const a = M.tradeApply(m.curve, payoff, dir, q.t, q.c, b, m.normSqBudget, 30n, pos?.collateral ?? 0n);
      expect([q.h, q.g, q.payoff, q.normSq, q.collateralBefore, q.collateralAfter, q.delta, q.fee, q.netIn, q.amountIn, q.amountOut]).toEqual([
        a.h,
        a.g,
        a.payoff,
        a.normSq,
        a.collateralBefore,
        a.collateralAfter,
        a.delta,
        a.fee,
        a.netIn,
        a.amountIn,
        a.amountOut,
      ]);
      const total = a.g.reduce((acc, v, i) => acc + (i === 0 || i === n - 1 ? v : 2n * v), 0n);
      expect(q.pointProbabilities).toEqual(a.g.map((v, i) => M.probability1e9(i === 0 || i === n - 1 ? v : 2n * v, total)));
      expect(q.probabilityBefore).toBe(M.regionProbability1e9(m.curve, q.region));
      expect(q.probabilityAfter).toBe(M.regionProbability1e9(a.g, q.region));
      expect(q.expectedCost).toBe(a.fee + M.expectedCost(m.curve, a.g));
      checked++;
      if (unwind) unwinds++;
    }
    expect(checked).toBeGreaterThanOrEqual(35);
    expect(unwinds).toBeGreaterThanOrEqual(8);
  });

  it("a market curve changed in place is read again (the kernel's figures of a curve are kept per array and values)", () => {
    const r = rng(504);
    const show = (q: M.TradeQuote): string => JSON.stringify(q, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    for (let trial = 0; trial < 6; trial++) {
      const n = [11, 101][trial % 2] as number;
      const b = CAPS[trial % 3] as bigint;
      const m1 = market(r, n, b);
      const m2 = market(r, n, b);
      const dir = belief(r, n);
      const curve = m1.curve.slice();
      const live: M.TradeMarket = { ...m1, curve };
      const first = M.quoteTrade(live, null, dir, { budget: b / 60n });
      expect(show(first)).toBe(show(M.quoteTrade({ ...m1, curve: m1.curve.slice() }, null, dir, { budget: b / 60n })));
      // The same array, now holding the other market's curve (and budget): quoted on the new values.
      for (let i = 0; i < n; i++) curve[i] = m2.curve[i] as bigint;
      const moved: M.TradeMarket = { ...m2, curve };
      expect(show(M.quoteTrade(moved, null, dir, { budget: b / 60n }))).toBe(show(M.quoteTrade({ ...m2, curve: m2.curve.slice() }, null, dir, { budget: b / 60n })));
      // One value changed by one unit.
      curve[Math.floor(n / 2)] = (curve[Math.floor(n / 2)] as bigint) - 1n;
      expect(show(M.quoteTrade(moved, null, dir, { budget: b / 60n }))).toBe(show(M.quoteTrade({ ...m2, curve: curve.slice() }, null, dir, { budget: b / 60n })));
    }
  });

  it("the shape values of a direction are computed once per (grid, shape) and shared read-only", () => {
    const grid = { lo: 0n, hi: 1000n, n: 101 };
    const shape: M.TradeDirectionInput = { kind: "shape", shape: { kind: "Normal", mean1e9: 300n * E9, sigma1e9: 50n * E9 } };
    const a = M.directionVector(shape, grid) as M.DirectionVector & { kind: "shape" };
    const b = M.directionVector({ kind: "shape", shape: { kind: "Normal", mean1e9: 300n * E9, sigma1e9: 50n * E9 } }, grid) as M.DirectionVector & { kind: "shape" };
    expect(b.phi).toBe(a.phi);
    expect(a.phi).toEqual(M.shapeValues(grid, { kind: "Normal", mean1e9: 300n * E9, sigma1e9: 50n * E9 }));
    expect(Object.isFrozen(a.phi)).toBe(true);
    const other = M.directionVector({ kind: "shape", shape: { kind: "Normal", mean1e9: 301n * E9, sigma1e9: 50n * E9 } }, grid) as M.DirectionVector & { kind: "shape" };
    expect(other.phi).not.toBe(a.phi);
    expect(other.phi).toEqual(M.shapeValues(grid, { kind: "Normal", mean1e9: 301n * E9, sigma1e9: 50n * E9 }));
  });
});
