// GET /v1/queues, GET|PUT /v1/queues/:id/settings: per-queue settings, versioned.
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { listQueues } from '../../metrics/realtime.js';
import {
  OpeningHours,
  SettingsError,
  SettingsValues,
  SettingsVersion,
  currentVersion,
  loadVersions,
  saveSettings,
} from '../../metrics/settings.js';
import type { AppDeps } from '../app.js';
import { BadRequest, ErrorBody, fromStore, installErrorHandler } from './errors.js';
import { parseTime } from './params.js';
import { requireKnownQueue } from './known-queue.js';
import { isTimeZone } from '../../metrics/tz.js';

const QueueId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s/]+$' }) });
const SettingsPatch = Type.Partial(SettingsValues, { additionalProperties: false });
const PutBody = Type.Object(
  {
    ...SettingsPatch.properties,
    effective_from: Type.Optional(
      Type.String({ description: 'ISO-8601 instant from which contacts use the new values; default now' }),
    ),
  },
  { additionalProperties: false },
);
const SettingsAnswer = Type.Object({
  queue: Type.String(),
  current: SettingsVersion,
  versions: Type.Array(SettingsVersion),
});

export const queueRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
  const now = () => deps.now?.() ?? Date.now();

  app.get(
    '/v1/queues',
    {
      schema: {
        summary: 'Queues seen in contacts or configured, with their current settings',
        response: {
          200: Type.Object({ queues: Type.Array(Type.Object({ queue: Type.String(), settings: SettingsVersion })) }),
          503: ErrorBody,
        },
      },
    },
    async () => {
      const names = await fromStore(() => listQueues(deps.store.client), timeoutMs);
      const versions = await fromStore(() => loadVersions(deps.store.client, names), timeoutMs);
      return { queues: names.map((queue) => ({ queue, settings: currentVersion(versions.get(queue)!, now()) })) };
    },
  );

  const answer = async (queue: string) => {
    const versions = (await fromStore(() => loadVersions(deps.store.client, [queue]), timeoutMs)).get(queue)!;
    return { queue, current: currentVersion(versions, now()), versions };
  };

  app.get(
    '/v1/queues/:id/settings',
    {
      schema: {
        summary: "A queue's settings: the version in force now and every version",
        params: QueueId,
        response: { 200: SettingsAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      await requireKnownQueue(deps.store.client, request.params.id, timeoutMs);
      return answer(request.params.id);
    },
  );

  app.put(
    '/v1/queues/:id/settings',
    {
      schema: {
        summary:
          "Change a queue's settings (admin): a new version from effective_from; omitted fields keep their values",
        params: QueueId,
        body: PutBody,
        response: { 200: SettingsAnswer, 400: ErrorBody, 503: ErrorBody },
      },
      // Fastify's validator drops unknown fields; a misspelt setting must be refused, not ignored.
      preValidation: async (request) => {
        const body = request.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body))
          throw new BadRequest('body', 'expected a JSON object of settings');
        const unknown = Object.keys(body).find((k) => !Object.hasOwn(PutBody.properties, k));
        if (unknown !== undefined)
          throw new BadRequest(unknown, `not a setting (known: ${Object.keys(PutBody.properties).join(', ')})`);
        // A misspelt day ("monday") must not pass as "no days given" and wipe the hours.
        const hours = (body as { opening_hours?: unknown }).opening_hours;
        if (hours !== null && typeof hours === 'object' && !Array.isArray(hours)) {
          const day = Object.keys(hours).find((k) => !Object.hasOwn(OpeningHours.properties, k));
          if (day !== undefined)
            throw new BadRequest(
              `opening_hours.${day}`,
              `not a weekday (known: ${Object.keys(OpeningHours.properties).join(', ')})`,
            );
        }
      },
    },
    async (request) => {
      const { effective_from, ...patch } = request.body;
      const effective = parseTime('effective_from', effective_from, 'UTC') ?? now();
      if (patch.time_zone !== undefined && !isTimeZone(patch.time_zone))
        throw new BadRequest('time_zone', `unknown time zone "${patch.time_zone}"`);
      const who = request.apiKey?.name ?? 'anonymous (open API)';
      try {
        await fromStore(
          () => saveSettings(deps.store.client, request.params.id, patch, who, effective, now()),
          timeoutMs,
        );
      } catch (error) {
        if (error instanceof SettingsError) throw new BadRequest(error.field, error.message.replace(/^[^:]+: /, ''));
        throw error;
      }
      return answer(request.params.id);
    },
  );
};
