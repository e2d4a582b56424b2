// uPlot draws on a canvas, where CSS cannot reach: these options read the colour tokens of
// app.css (--plot-1, --ink-soft, --plot-grid…) each time the plot draws, and redraw it when
// the system switches between light and dark, so plots follow the theme like the rest.
import type UPlot from 'uplot';

/** A function giving a colour token's current value on `el` (light or dark set). */
export const token = (el: Element, name: string) => () => getComputedStyle(el).getPropertyValue(name).trim();

/** Axis options in the theme: labels in --ink-soft, grid and ticks in --plot-grid. */
export function themedAxis(el: Element, axis: UPlot.Axis = {}): UPlot.Axis {
  const grid = token(el, '--plot-grid');
  return { ...axis, stroke: token(el, '--ink-soft'), grid: { stroke: grid }, ticks: { stroke: grid } };
}

/** Redraws `chart` whenever the system's colour scheme changes; returns the unsubscribe. */
export function followScheme(chart: UPlot): () => void {
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const redraw = () => chart.redraw(true, true);
  scheme.addEventListener('change', redraw);
  return () => scheme.removeEventListener('change', redraw);
}
