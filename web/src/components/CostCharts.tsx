import type { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CostUsage } from '../api/types';
import { frameworkInfo, frameworkLabel } from '../lib/frameworks';

const usd = (v: unknown) => `$${Number(v).toFixed(6)}`;
const tick = (v: number) => (v === 0 ? '$0' : `$${v.toPrecision(2)}`);
const PALETTE = ['#4f46e5', '#0891b2', '#db2777', '#ea580c', '#65a30d', '#7c3aed', '#0d9488'];

function ChartCard({
  title,
  children,
  empty,
}: {
  title: string;
  children: ReactNode;
  empty: boolean;
}) {
  return (
    <figure className="card p-4">
      <figcaption className="mb-3 text-sm font-semibold text-slate-800">{title}</figcaption>
      {empty ? (
        <p className="flex h-[240px] items-center justify-center text-sm text-slate-400">
          No data in this period
        </p>
      ) : (
        <div className="h-[240px]">{children}</div>
      )}
    </figure>
  );
}

export function DailyCostChart({ usage }: { usage: CostUsage }) {
  const data = usage.daily_usage.map((d) => ({ ...d, label: d.date.slice(5) }));
  return (
    <ChartCard title="Daily spend (USD)" empty={data.every((d) => d.request_count === 0)}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 8 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={tick} width={64} />
          <Tooltip
            formatter={(v) => usd(v)}
            labelFormatter={(l) => `Date: ${typeof l === 'string' ? l : ''}`}
          />
          <Bar
            dataKey="total_cost_usd"
            name="Cost"
            fill="#4f46e5"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function FrameworkCostChart({ usage }: { usage: CostUsage }) {
  const data = usage.by_method.map((m) => ({
    name: frameworkLabel(m.method),
    cost: m.total_cost_usd,
    requests: m.request_count,
    color: frameworkInfo(m.method)?.color,
  }));
  return (
    <ChartCard title="Spend by framework" empty={data.length === 0}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={data}
          layout="vertical"
          margin={{ top: 4, right: 16, bottom: 0, left: 8 }}
          accessibilityLayer
        >
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
          <XAxis type="number" tick={{ fontSize: 11 }} tickFormatter={tick} />
          <YAxis type="category" dataKey="name" tick={{ fontSize: 11 }} width={110} />
          <Tooltip formatter={(v, n) => (n === 'Cost' ? usd(v) : String(v))} />
          <Bar dataKey="cost" name="Cost" radius={[0, 3, 3, 0]} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.name} fill={d.color ?? PALETTE[i % PALETTE.length]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function ModelCostChart({ usage }: { usage: CostUsage }) {
  const data = usage.by_model.map((m) => ({
    name: m.model,
    cost: m.total_cost_usd,
    requests: m.request_count,
  }));
  return (
    <ChartCard title="Spend by model" empty={data.length === 0}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={data}
          layout="vertical"
          margin={{ top: 4, right: 16, bottom: 0, left: 8 }}
          accessibilityLayer
        >
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
          <XAxis type="number" tick={{ fontSize: 11 }} tickFormatter={tick} />
          <YAxis type="category" dataKey="name" tick={{ fontSize: 11 }} width={130} />
          <Tooltip formatter={(v) => usd(v)} />
          <Bar dataKey="cost" name="Cost" radius={[0, 3, 3, 0]} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.name} fill={PALETTE[i % PALETTE.length]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
