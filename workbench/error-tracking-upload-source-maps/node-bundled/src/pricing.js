const RATES = { standard: 4.5, express: 9.75, overnight: 19 };

export function quote({ weightKg, service }) {
  const rate = RATES[service];
  if (rate === undefined) {
    throw new Error(`unknown service "${service}"; use one of ${Object.keys(RATES).join(", ")}`);
  }
  if (!(weightKg > 0)) {
    throw new RangeError(`weight must be positive, got ${weightKg}`);
  }
  return Math.round(rate * Math.max(1, weightKg) * 100) / 100;
}
