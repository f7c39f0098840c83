/**
 * One indicator's streets side by side against the target (Apache ECharts, bundled: no CDN), with PNG export.
 * The chart is described for screen readers by ECharts' aria option and the figure's caption.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useT } from '../i18n';
import { download } from './common';

echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

export interface StreetBar {
  name: string;
  value: number | null;
  /** Why there is no bar (status or the department's error). */
  missing?: string;
}

export function StreetChart({
  title,
  unit,
  bars,
  target,
  fileName,
}: {
  title: string;
  unit: string;
  bars: StreetBar[];
  target: number | null;
  fileName: string;
}) {
  const t = useT();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        aria: {
          enabled: true,
          label: { description: `${title}: ${bars.map((b) => `${b.name} ${b.value ?? b.missing ?? '—'}`).join('; ')}` },
        },
        grid: { left: 44, right: 16, top: 24, bottom: 64 },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v} ${unit}` : '—') },
        xAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { rotate: 40, fontSize: 10, color: '#333' } },
        yAxis: { type: 'value', axisLabel: { fontSize: 10, color: '#333' } },
        series: [
          {
            type: 'bar',
            name: title,
            data: bars.map((b) => b.value),
            itemStyle: { color: '#1f5fa8' },
            markLine:
              target === null
                ? undefined
                : {
                    symbol: 'none',
                    lineStyle: { color: '#b3261e', type: 'dashed', width: 2 },
                    label: { formatter: `${t('目标', 'Target')} ${target}`, color: '#b3261e', position: 'insideEndTop' },
                    data: [{ yAxis: target }],
                  },
          },
        ],
      },
      true,
    );
  }, [title, unit, bars, target, t]);

  const exportPng = () => {
    const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    if (url) download(`${fileName}.png`, url);
  };

  const missing = bars.filter((b) => b.value === null && b.missing);
  return (
    <figure className="chart">
      <figcaption>
        <span>{title}</span>
        <button type="button" className="small" onClick={exportPng} aria-label={`${t('导出 PNG', 'Export PNG')}: ${title}`}>
          PNG
        </button>
      </figcaption>
      <div
        ref={element}
        className="chart-canvas"
        role="img"
        aria-label={`${title} — ${t('各街道与目标对比', 'streets against the target')}`}
      />
      {missing.length > 0 ? (
        <p className="chart-missing">
          {t('无柱：', 'No bar: ')}
          {missing.map((b) => `${b.name} (${b.missing})`).join('; ')}
        </p>
      ) : null}
    </figure>
  );
}
