// Money in integer cents (BigInt), from and to the contract's decimal
// strings: no floats, so nothing is rounded on the way.

/** "1234.5" -> 123450n; null for anything that is not a plain non-negative amount. */
export function toCents(text) {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text ?? "").trim());
  return match ? BigInt(match[1]) * 100n + BigInt((match[2] || "").padEnd(2, "0")) : null;
}

/** 123450n -> "1234.50". */
export function fromCents(cents) {
  const text = cents.toString().padStart(3, "0");
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** "0.30" -> [30n, 100n] (numerator, denominator); null when not a fraction. */
function fraction(text) {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(text ?? "").trim());
  if (!match) return null;
  const decimals = match[2] || "";
  return [BigInt(match[1] + decimals), 10n ** BigInt(decimals.length)];
}

/**
 * How much cost the ceiling left still covers at `rate`: left ÷ rate, rounded
 * down to the cent ("1500.00", "0.30" -> "5000.00"); null when the rate is 0
 * or not a number.
 */
export function costCovered(left, rate) {
  const cents = toCents(left);
  const parts = fraction(rate);
  if (cents === null || !parts || parts[0] === 0n) return null;
  return fromCents((cents * parts[1]) / parts[0]);
}
