import { ConfigError } from '../../../common/errors.js';

/** One broker of a transport_url. */
export interface AmqpHost {
  hostname: string;
  port: number;
  username: string;
  password: string;
}

/** A parsed `rabbit://` transport_url: the brokers to try in order and the virtual host. */
export interface TransportUrl {
  hosts: AmqpHost[];
  vhost: string;
}

const DEFAULT_PORT = 5672;

/**
 * Parses oslo.messaging's `rabbit://user:pass@host1:port1,user:pass@host2:port2/vhost`.
 * A host without credentials takes the previous host's (as oslo does), else guest/guest.
 * User, password and vhost are percent-decoded; an empty vhost means `/`.
 */
export function parseTransportUrl(url: string): TransportUrl {
  const m = /^rabbit:\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(url);
  if (!m) throw invalid(url, 'expected rabbit://[user:pass@]host[:port][,...]/[vhost]');
  const [, netloc = '', path = '', query] = m;
  if (query && query.length > 1) {
    throw invalid(url, `query options are not supported (${query}); use the config file`);
  }
  if (netloc === '') throw invalid(url, 'no host');
  let user = 'guest';
  let password = 'guest';
  const hosts = netloc.split(',').map((part) => {
    const at = part.lastIndexOf('@');
    if (at >= 0) {
      const cred = part.slice(0, at);
      const colon = cred.indexOf(':');
      user = decode(url, colon >= 0 ? cred.slice(0, colon) : cred);
      password = colon >= 0 ? decode(url, cred.slice(colon + 1)) : '';
    }
    const { hostname, port } = splitHostPort(url, part.slice(at + 1));
    return { hostname, port, username: user, password };
  });
  const vhost = path.length <= 1 ? '/' : decode(url, path.slice(1));
  return { hosts, vhost };
}

/** `host:port`, for logs and error messages: never the password. */
export function describeHost(h: AmqpHost): string {
  const host = h.hostname.includes(':') ? `[${h.hostname}]` : h.hostname;
  return `${h.username}@${host}:${h.port}`;
}

function splitHostPort(url: string, hp: string): { hostname: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(hp);
  if (!m) throw invalid(url, `bad host "${hp}"`);
  const port = m[3] === undefined ? DEFAULT_PORT : Number(m[3]);
  if (port < 1 || port > 65_535) throw invalid(url, `bad port in "${hp}"`);
  return { hostname: (m[1] ?? m[2])!, port };
}

function decode(url: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // The value may be the password, so it is not echoed.
    throw invalid(url, 'bad percent-encoding');
  }
}

function invalid(url: string, why: string): ConfigError {
  // Never echo the URL itself: it carries the broker password.
  const safe = url.replace(/\/\/[^@/]*@/, '//***@');
  return new ConfigError(`invalid transport_url ${safe}: ${why}`, {
    code: 'config.invalid_transport_url',
  });
}
