/**
 * Notifications on the wire use oslo.messaging's v2 envelope (`oslo.version` + `oslo.message`
 * holding snake_case fields), so OpenStack tools that read nova's notifications can read ours.
 */
import type { Notification } from './bus.js';

/**
 * The bus topic a notification goes to: `<topic>.<priority>`, where the topic is oslo's
 * notification topic (`notifications`, or Nova's `versioned_notifications`).
 */
export function notificationTopic(priority: string, topic = 'notifications'): string {
  return `${topic}.${priority.toLowerCase()}`;
}

/** Encodes a notification as oslo's v2 envelope. */
export function encodeNotification(n: Notification): string {
  const inner = {
    message_id: n.messageId,
    publisher_id: n.publisherId,
    event_type: n.eventType,
    priority: n.priority,
    payload: n.payload,
    timestamp: n.timestamp,
  };
  return JSON.stringify({ 'oslo.version': '2.0', 'oslo.message': JSON.stringify(inner) });
}

/** Decodes oslo's v2 envelope (or its bare inner message); undefined when it is not one. */
export function decodeNotification(text: string): Notification | undefined {
  try {
    let v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v['oslo.message'] === 'string') {
      v = JSON.parse(v['oslo.message']) as Record<string, unknown>;
    }
    if (typeof v.event_type !== 'string') return undefined;
    return {
      eventType: v.event_type,
      priority: String(v.priority ?? 'INFO'),
      publisherId: String(v.publisher_id ?? ''),
      payload: v.payload,
      timestamp: String(v.timestamp ?? ''),
      messageId: String(v.message_id ?? ''),
    };
  } catch {
    return undefined;
  }
}
