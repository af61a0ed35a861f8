// Classification of map values into colour classes.
//
// Quantile classes are easy to read ("the fifth of wijken with the highest rate") and robust against
// outliers. The method is stated here exactly, because the browser tests recompute it from the API's
// numbers: breaks are the linearly interpolated quantiles (the "type 7" estimator, as numpy.quantile
// and R's default) at 1/k, 2/k, ... (k-1)/k of the published values, duplicates removed; a value
// falls in class i = the number of breaks strictly below it.

// Sequential palettes, light (low) to dark (high). Viridis is perceptually uniform and readable with
// the common forms of colour-blindness (and in greyscale).
export const SEQUENTIAL = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"];
// Diverging palette for differences (ColorBrewer PuOr, marked colour-blind safe): orange = A lower,
// purple = A higher than B. The neutral middle ("about the same") is a light warm grey instead of
// PuOr's near-white, so that it cannot be mistaken for "no data" (white with dots).
export const DIVERGING = ["#e66101", "#fdb863", "#d9d3c1", "#b2abd2", "#5e3c99"];

// Markers for patterns: map.js fills such shapes with SVG patterns defined in its renderer.
export const NO_DATA_FILL = "dots";
export const SUPPRESSED_FILL = "hatch";
export const NOT_COVERED_FILL = "#9e9e9e";

export function quantile(sorted, p) {
  // Type 7 estimator on an ascending array.
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function quantileBreaks(values, k = SEQUENTIAL.length) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks = [];
  for (let i = 1; i < k; i += 1) {
    const b = quantile(sorted, i / k);
    if (!breaks.includes(b)) breaks.push(b);
  }
  // A break equal to the maximum would leave its upper class empty.
  return breaks.filter((b) => b < sorted[sorted.length - 1]);
}

export function classIndex(value, breaks) {
  let i = 0;
  for (const b of breaks) if (value > b) i += 1;
  return i;
}

// The palette for n classes: spread over the full palette so that 2 classes still span light to dark.
export function paletteFor(n, palette = SEQUENTIAL) {
  if (n <= 1) return [palette[Math.floor(palette.length / 2)]];
  const out = [];
  for (let i = 0; i < n; i += 1) out.push(palette[Math.round((i * (palette.length - 1)) / (n - 1))]);
  return out;
}

// Symmetric classes around zero for a difference map, so that "no difference" is the neutral colour:
// |d| <= t1 is neutral, t1 < |d| <= t2 light, beyond t2 dark, with t1, t2 the 1/3 and 2/3 quantiles of |d|.
export function differenceBreaks(diffs) {
  const abs = diffs.filter((v) => Number.isFinite(v)).map(Math.abs).sort((a, b) => a - b);
  if (abs.length === 0) return [];
  const t1 = quantile(abs, 1 / 3);
  const t2 = quantile(abs, 2 / 3);
  return t2 > t1 ? [-t2, -t1, t1, t2] : [-t1, t1];
}

export function differenceClass(value, breaks) {
  // Breaks are symmetric; a value on a negative break belongs to the class nearer zero.
  let i = 0;
  for (const b of breaks) if (b < 0 ? value >= b : value > b) i += 1;
  return i;
}
