// Prometheus figures of the alert evaluator (registered on the service's /metrics registry).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export function createAlertMetrics(registry: Registry) {
  return {
    active: new Gauge({
      name: 'callcast_alerts_active',
      help: 'Alert episodes open now',
      labelNames: ['queue', 'rule'],
      registers: [registry],
    }),
    opened: new Counter({
      name: 'callcast_alerts_opened_total',
      help: 'Alert episodes opened',
      labelNames: ['queue', 'rule'],
      registers: [registry],
    }),
    resolved: new Counter({
      name: 'callcast_alerts_resolved_total',
      help: 'Alert episodes resolved',
      labelNames: ['queue', 'rule'],
      registers: [registry],
    }),
    evaluations: new Counter({
      name: 'callcast_alert_evaluations_total',
      help: 'Alert evaluations by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    evaluationSeconds: new Histogram({
      name: 'callcast_alert_evaluation_seconds',
      help: 'Time to evaluate every rule of every queue',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    webhooks: new Counter({
      name: 'callcast_alert_webhook_deliveries_total',
      help: 'Alert webhook outcomes (delivered, retried, failed, dropped)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
export type AlertMetrics = ReturnType<typeof createAlertMetrics>;
