/**
 * Exchange and queue names on the broker, in oslo.messaging's rabbit driver layout: one topic
 * exchange per control_exchange carrying `topic` and `topic.server` keys, one fanout exchange per
 * topic, one exclusive reply queue per process.
 */

/** The queue every server of a topic shares (round robin). */
export function topicQueue(topic: string): string {
  return topic;
}

/** The queue of one server of a topic, for `topic.server` calls. */
export function directQueue(topic: string, server: string): string {
  return `${topic}.${server}`;
}

/** The fanout exchange of a topic. */
export function fanoutExchange(topic: string): string {
  return `${topic}_fanout`;
}

/** One process's own queue on a topic's fanout exchange. */
export function fanoutQueue(topic: string, uniqueId: string): string {
  return `${topic}_fanout_${uniqueId.replaceAll('-', '')}`;
}

/** The process's reply queue, which every server answers into by correlation id. */
export function replyQueue(uniqueId: string): string {
  return `reply_${uniqueId.replaceAll('-', '')}`;
}

/** The queue of a notification listener pool; listeners without a pool share the topic's queue. */
export function notificationQueue(topic: string, pool?: string): string {
  return pool ? `${topic}.${pool}` : topic;
}
