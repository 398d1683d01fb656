import { describe, expect, it } from 'vitest';
import type { FanoutMeasurement } from '../fanout/run-fanout';
import type { ParserShapeResult } from '../parser/run-parser-bench';
import { renderFanoutChart } from './fanout-chart';
import { renderParserChart } from './parser-chart';
import { escapeXml, niceCeil } from './svg';

function measurement(kind: FanoutMeasurement['kind'], connections: number, scale: number): FanoutMeasurement {
  return {
    kind,
    label: kind,
    connections,
    error: null,
    connectSeconds: 1,
    burstEvents: 20,
    deliveriesPerSecond: [scale * 100_000],
    serverCpuMicrosPerDelivery: [2],
    loadUtilization: [0.5],
    latencyP50Ms: connections / 100 / scale,
    latencyP99Ms: connections / 50 / scale,
    fanoutCompleteMs: 1,
    burstLatencyP50Ms: 5,
    burstLatencyP99Ms: 9,
    rssPerConnectionBytes: 8000,
    heapPerConnectionBytes: 4000,
  };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('svg helpers', () => {
  it('escapes markup characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('rounds axis maxima up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceCeil(347)).toBe(500);
    expect(niceCeil(200)).toBe(200);
    expect(niceCeil(2.2)).toBe(2.5);
    expect(niceCeil(0.83)).toBe(1);
    expect(niceCeil(0)).toBe(1);
  });
});

describe('renderFanoutChart', () => {
  const measurements = [1000, 5000, 10000].flatMap((n) => [
    measurement('ours-express', n, 1.2),
    measurement('better-sse', n, 0.4),
    measurement('raw', n, 1),
  ]);

  it('draws throughput, p99 and p50 for each server against the connection count', () => {
    const svg = renderFanoutChart(measurements);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(count(svg, '<path ')).toBe(3 + 3 * 2);
    expect(count(svg, '<circle ')).toBe(9 * 3);
    expect(count(svg, 'stroke-dasharray="6 4"')).toBe(3 + 1); // p50 lines + the legend key
    for (const label of ['ours, Express', 'better-sse', 'raw node:http', '10,000', 'connections']) {
      expect(svg).toContain(label);
    }
    expect(svg).not.toContain('NaN');
  });

  it('leaves out a server that failed instead of drawing NaN', () => {
    const svg = renderFanoutChart([
      ...measurements.slice(0, 8),
      { ...measurement('raw', 10000, 1), error: 'boom' },
    ]);
    expect(svg).not.toContain('NaN');
    expect(count(svg, '<circle ')).toBe(9 * 3 - 3);
  });
});

describe('renderParserChart', () => {
  it('draws one bar per shape, green when ours is faster and red when slower', () => {
    const results: ParserShapeResult[] = [
      {
        shape: 'fast',
        description: '',
        bytes: 1,
        chunks: 1,
        events: 1,
        oursOpsPerSecond: 2,
        theirsOpsPerSecond: 1,
        ratio: 1.4,
        ratioLow: 1.2,
        ratioHigh: 1.6,
      },
      {
        shape: 'slow<&>',
        description: '',
        bytes: 1,
        chunks: 1,
        events: 1,
        oursOpsPerSecond: 1,
        theirsOpsPerSecond: 2,
        ratio: 0.8,
        ratioLow: 0.7,
        ratioHigh: 0.9,
      },
    ];
    const svg = renderParserChart(results);
    expect(count(svg, 'fill="#16a34a"')).toBe(1);
    expect(count(svg, 'fill="#dc2626"')).toBe(1);
    expect(svg).toContain('slow&lt;&amp;&gt;');
    expect(svg).toContain('parity');
    expect(svg).not.toContain('NaN');
  });
});
