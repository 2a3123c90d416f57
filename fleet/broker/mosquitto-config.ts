/**
 * The county broker's configuration and ACL, as text for Mosquitto 2.0 (docs/fleet.md explains each
 * line). Tests, the bench and `npm run fleet -- local` write exactly what a county installs.
 */
import { countyTopicFilter, topicRoot } from '../contract/fleet-topics';

export interface BrokerListener {
  readonly port: number;
  readonly host: string;
  /** Without TLS only for loopback (the bench's simulated terminals); terminals always use TLS. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

export interface BrokerConfigOptions {
  readonly listeners: readonly BrokerListener[];
  readonly passwordFile: string;
  readonly aclFile: string;
  /** Folder for retained states and queued commands, kept across broker restarts. */
  readonly persistenceDir: string;
  /** Log every connect and disconnect (off for 10,000-terminal benches). */
  readonly connectionMessages?: boolean;
  /**
   * The account the broker runs as. Started as root, Mosquitto switches to `mosquitto` unless told
   * otherwise; the test and demonstration launcher keeps the caller's own account.
   */
  readonly user?: string;
  /** Client connections the broker accepts (-1: as many as its open-file limit allows). */
  readonly maxConnections?: number;
  /**
   * QoS 1 messages held per offline persistent session: the console's, while it restarts (about a
   * minute of a 10,000-terminal county), and commands for an offline terminal.
   */
  readonly maxQueuedMessages?: number;
}

/** Mosquitto settings that belong to a listener even with `per_listener_settings false`. */
export const listenerSettings = [
  'max_connections',
  'use_username_as_clientid',
  'protocol',
  'mount_point',
  'bind_interface',
  'socket_domain',
  'certfile',
  'keyfile',
  'cafile',
  'tls_version',
  'require_certificate',
] as const;

export function mosquittoConfig(options: BrokerConfigOptions): string {
  for (const listener of options.listeners)
    if (listener.tls === undefined && listener.host !== '127.0.0.1' && listener.host !== '::1')
      throw new Error(`listener ${listener.host}:${listener.port}: plain MQTT only on loopback`);
  const lines = [
    '# village-kiosk county fleet broker (generated; see docs/fleet.md)',
    'per_listener_settings false',
    'allow_anonymous false',
    `password_file ${options.passwordFile}`,
    `acl_file ${options.aclFile}`,
    'persistence true',
    `persistence_location ${options.persistenceDir.endsWith('/') ? options.persistenceDir : `${options.persistenceDir}/`}`,
    'autosave_interval 60',
    // Messages queued for an offline persistent session (the console restarting, a terminal away), bounded.
    `max_queued_messages ${options.maxQueuedMessages ?? 10_000}`,
    'max_packet_size 65536',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    `connection_messages ${options.connectionMessages === false ? 'false' : 'true'}`,
    ...(options.user === undefined ? [] : [`user ${options.user}`]),
  ];
  for (const listener of options.listeners) {
    // Listener settings (listenerSettings): written before any listener, Mosquitto would open its
    // default listener (plain 1883, every interface) to carry them.
    lines.push(
      '',
      `listener ${listener.port} ${listener.host}`,
      `max_connections ${options.maxConnections ?? -1}`,
      // A terminal's client id is its username: no one can take over another terminal's session.
      'use_username_as_clientid true',
    );
    if (listener.tls !== undefined)
      lines.push(`certfile ${listener.tls.certFile}`, `keyfile ${listener.tls.keyFile}`, 'tls_version tlsv1.2');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The ACL: the console reads the county and writes commands; every other user is a terminal whose
 * username is its terminal id, and may write only its own state, events and replies and read only
 * its own commands (Mosquitto refuses %u substitution for names holding `+`, `#` or `/`).
 */
export function mosquittoAcl(county: string, consoleUsers: readonly string[]): string {
  const own = `${topicRoot}/${county}/%u`;
  const lines = ['# village-kiosk county fleet ACL (generated; see docs/fleet.md)'];
  for (const user of consoleUsers)
    lines.push(
      '',
      `user ${user}`,
      `topic read ${topicRoot}/${county}/#`,
      `topic write ${countyTopicFilter(county, 'cmd')}`,
    );
  lines.push(
    '',
    '# terminals (username = terminal id)',
    `pattern write ${own}/state`,
    `pattern write ${own}/events`,
    `pattern write ${own}/cmd/reply`,
    `pattern read ${own}/cmd`,
  );
  return `${lines.join('\n')}\n`;
}
