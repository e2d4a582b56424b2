// Draws the users-online series with uPlot. Imported lazily with uPlot itself (ADR 0017), so
// the dashboard's first load carries no plotting code.
import UPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DashboardSummary } from '#lib/dashboard-view.ts';
import { followScheme, themedAxis, token } from './plot-theme.ts';

const HEIGHT = 180;

export function drawOnline(box: HTMLElement, s: DashboardSummary): () => void {
  const width = () => Math.max(260, box.clientWidth);
  const chart = new UPlot(
    {
      width: width(),
      height: HEIGHT,
      tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1000), s.timezone),
      legend: { show: false },
      series: [
        {},
        {
          label: 'Users online',
          stroke: token(box, '--plot-1'),
          fill: token(box, '--plot-1-fill'),
          width: 2,
        },
      ],
      axes: [themedAxis(box), themedAxis(box, { size: 40 })],
      scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
    },
    [s.online24h.map((p) => p.at), s.online24h.map((p) => p.users)],
    box,
  );
  const resize = new ResizeObserver(() => chart.setSize({ width: width(), height: HEIGHT }));
  resize.observe(box);
  const unfollow = followScheme(chart);
  return () => {
    unfollow();
    resize.disconnect();
    chart.destroy();
  };
}
