/**
 * MQTT topic names of the fleet protocol, version 1 (docs/fleet.md):
 *
 *   vk/v1/<county>/<terminal>/state       retained, QoS 1, terminal → console
 *   vk/v1/<county>/<terminal>/events      QoS 1, terminal → console
 *   vk/v1/<county>/<terminal>/cmd         QoS 1, console → terminal (signed)
 *   vk/v1/<county>/<terminal>/cmd/reply   QoS 1, terminal → console
 *
 * Ids are letters, digits and dashes only, so no id can smuggle a `/`, `+` or `#` into a topic
 * (the broker's ACL patterns rely on that too).
 */
import { countyIdSchema, terminalIdSchema } from '../../kiosk-config/config-schema';

export const topicRoot = 'vk/v1';

export { countyIdSchema };
export const fleetTerminalIdSchema = terminalIdSchema;

export const topicKinds = ['state', 'events', 'cmd', 'cmd/reply'] as const;
export type TopicKind = (typeof topicKinds)[number];

export interface TerminalAddress {
  readonly county: string;
  readonly terminal: string;
}

export function terminalTopic(address: TerminalAddress, kind: TopicKind): string {
  return `${topicRoot}/${address.county}/${address.terminal}/${kind}`;
}

/** Every terminal of a county: `vk/v1/<county>/+/<kind>`. */
export function countyTopicFilter(county: string, kind: TopicKind): string {
  return `${topicRoot}/${county}/+/${kind}`;
}

export interface ParsedTopic extends TerminalAddress {
  readonly kind: TopicKind;
}

/** The address and kind of a fleet topic, or null for anything else (never throws). */
export function parseTopic(topic: string): ParsedTopic | null {
  const prefix = `${topicRoot}/`;
  if (!topic.startsWith(prefix)) return null;
  const parts = topic.slice(prefix.length).split('/');
  const [county, terminal, ...rest] = parts;
  if (county === undefined || terminal === undefined) return null;
  if (!countyIdSchema.safeParse(county).success || !fleetTerminalIdSchema.safeParse(terminal).success) return null;
  const kind = rest.join('/');
  return (topicKinds as readonly string[]).includes(kind) ? { county, terminal, kind: kind as TopicKind } : null;
}
