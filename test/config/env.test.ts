import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { agentSilenceMs } from '../../src/config/env.js';

describe('configuration from the environment', () => {
  it('defaults to the embedded store in ./data on 127.0.0.1:3000 with no Kafka', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', simulate: 'auto', logLevel: 'info' });
    expect(config.store).toEqual({ kind: 'embedded', dataDir: './data', database: 'default', writeSharePercent: 60 });
    expect(config.kafka).toBeUndefined();
    expect(config.ingest).toEqual({ batchRows: 25_000, flushMs: 500 });
    expect(config.rollupIntervalMs).toBe(60_000);
    expect(config.agentSilenceMs).toBe(900_000);
  });

  it('reads the rollup interval and the agents silence in seconds (0 turns the re-roll off)', () => {
    const config = loadConfig({ CALLCAST_ROLLUP_INTERVAL_S: '300', CALLCAST_AGENT_SILENCE_S: '3600' });
    expect(config.rollupIntervalMs).toBe(300_000);
    expect(config.agentSilenceMs).toBe(3_600_000);
    expect(loadConfig({ CALLCAST_ROLLUP_INTERVAL_S: '0' }).rollupIntervalMs).toBe(0);
    expect(agentSilenceMs({ CALLCAST_AGENT_SILENCE_S: '10' })).toBe(10_000);
  });

  it('uses a ClickHouse server and Kafka when their variables are set', () => {
    const config = loadConfig({
      CLICKHOUSE_URL: 'http://ch:8123',
      CLICKHOUSE_USER: 'u',
      CLICKHOUSE_PASSWORD: 'p',
      CLICKHOUSE_DATABASE: 'cc',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      KAFKA_TOPIC: 'a,b',
      KAFKA_GROUP_ID: 'g',
    });
    expect(config.store).toMatchObject({
      kind: 'server',
      url: 'http://ch:8123',
      user: 'u',
      password: 'p',
      database: 'cc',
    });
    expect(config.kafka).toEqual({ brokers: ['k1:9092', 'k2:9093'], topics: ['a', 'b'], groupId: 'g' });
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number/],
    ['PORT', '70000', /PORT: must be between 0 and 65535/],
    ['CLICKHOUSE_URL', 'ch:8123', /CLICKHOUSE_URL: expected an http\(s\) URL/],
    ['CLICKHOUSE_DATABASE', 'drop table;', /CLICKHOUSE_DATABASE: .* not a valid database name/],
    ['KAFKA_BROKERS', 'localhost', /KAFKA_BROKERS: expected host:port/],
    ['CALLCAST_SIMULATE', 'maybe', /CALLCAST_SIMULATE: expected one of on, off, auto/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of/],
    ['CALLCAST_STORE_WRITE_SHARE', '95', /CALLCAST_STORE_WRITE_SHARE: must be between 10 and 90, got 95/],
    ['CALLCAST_STORE_WRITE_SHARE', '0.6', /CALLCAST_STORE_WRITE_SHARE: expected a whole number/],
    ['CALLCAST_ROLLUP_INTERVAL_S', '1m', /CALLCAST_ROLLUP_INTERVAL_S: expected a whole number, got "1m"/],
    ['CALLCAST_ROLLUP_INTERVAL_S', '90000', /CALLCAST_ROLLUP_INTERVAL_S: must be between 0 and 86400, got 90000/],
    ['CALLCAST_AGENT_SILENCE_S', '15m', /CALLCAST_AGENT_SILENCE_S: expected a whole number, got "15m"/],
    ['CALLCAST_AGENT_SILENCE_S', '5', /CALLCAST_AGENT_SILENCE_S: must be between 10 and 604800, got 5/],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    const env: Record<string, string> = { [name]: value };
    if (name === 'CLICKHOUSE_DATABASE') env.CLICKHOUSE_URL = 'http://ch:8123';
    expect(() => loadConfig(env)).toThrow(message);
  });
});
