// The evaluator as the service runs it: metrics on the service registry, webhooks when configured.
// The service starts an evaluator each time its process takes the jobs lease and stops it when
// the lease goes (src/api/server.ts), so the metrics are registered once, by alertStarter.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AlertsConfig } from '../config/env.js';
import { AlertEvaluator } from './evaluator.js';
import { createAlertMetrics } from './prometheus.js';
import { WebhookSender } from './webhooks.js';

/** Registers the alert metrics once; each call of the function it returns starts a new evaluator. */
export function alertStarter(
  client: ClickHouseClient,
  config: AlertsConfig | undefined,
  registry: Registry,
  logger: Logger,
): () => AlertEvaluator {
  const metrics = createAlertMetrics(registry);
  const urls = config?.webhooks ?? [];
  return () => {
    const webhooks =
      urls.length > 0
        ? new WebhookSender({
            urls,
            secret: config?.webhookSecret,
            logger,
            onOutcome: (outcome) => metrics.webhooks.inc({ outcome }),
          })
        : undefined;
    const evaluator = new AlertEvaluator({ client, logger, metrics, webhooks, periodMs: config?.periodMs });
    void evaluator.start();
    logger.info({ period_s: evaluator.periodMs / 1000, webhooks: urls.length }, 'alert evaluator started');
    return evaluator;
  };
}

export function startAlerts(
  client: ClickHouseClient,
  config: AlertsConfig | undefined,
  registry: Registry,
  logger: Logger,
): AlertEvaluator {
  return alertStarter(client, config, registry, logger)();
}
