import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/ids.js';
import type { Bus } from '../platform/bus/bus.js';
import type { InstanceRow } from './db/instance-store.js';
import type { FlavorSnapshot } from './request-spec.js';

/** The `[notifications]` and `[oslo_messaging_notifications]` settings that decide what is sent. */
export interface NotifierSettings {
  notificationFormat: 'unversioned' | 'versioned' | 'both';
  /** oslo's notification drivers; none configured means notifications are off, as upstream. */
  drivers: string[];
  versionedTopics: string[];
}

/** Reads the notifier settings from the platform's config sections. */
export function notifierSettings(config: {
  notifications: {
    notification_format: NotifierSettings['notificationFormat'];
    versioned_notifications_topics: string[];
  };
  oslo_messaging_notifications: { driver: string[] };
}): NotifierSettings {
  return {
    notificationFormat: config.notifications.notification_format,
    drivers: config.oslo_messaging_notifications.driver,
    versionedTopics: config.notifications.versioned_notifications_topics,
  };
}

// Nova's payload versions for the objects sent here.
const PAYLOAD_VERSION = {
  InstanceActionPayload: '1.8',
  InstanceCreatePayload: '1.12',
  InstanceUpdatePayload: '1.9',
};

function flavorPayload(f: FlavorSnapshot) {
  return {
    'nova_object.name': 'FlavorPayload',
    'nova_object.namespace': 'nova',
    'nova_object.version': '1.4',
    'nova_object.data': {
      flavorid: f.id,
      name: f.name,
      vcpus: f.vcpus,
      memory_mb: f.memoryMb,
      root_gb: f.rootGb,
      ephemeral_gb: f.ephemeralGb,
      swap: f.swapMb,
      extra_specs: f.extraSpecs,
      description: f.description,
    },
  };
}

/**
 * Publishes Nova's versioned instance notifications (instance.create.start/end/error,
 * instance.delete.start/end, instance.update) on the bus, in Nova's payload shape, when
 * `[notifications] notification_format` asks for versioned ones and a driver is configured.
 */
export class InstanceNotifier {
  constructor(
    private readonly bus: Bus,
    private readonly settings: NotifierSettings,
    private readonly publisherId: string,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Whether versioned notifications are sent at all. */
  get enabled(): boolean {
    const drivers = this.settings.drivers.filter((d) => d !== 'noop');
    return drivers.length > 0 && this.settings.notificationFormat !== 'unversioned';
  }

  /** Sends `instance.<action>.<phase>` (phase may be empty for `instance.update`). */
  async instance(
    action: 'create' | 'delete' | 'update',
    phase: 'start' | 'end' | 'error' | '',
    row: InstanceRow,
    extra: { fault?: { message: string; exception: string } | null; requestId?: string } = {},
  ): Promise<void> {
    if (!this.enabled) return;
    const name =
      action === 'create'
        ? 'InstanceCreatePayload'
        : action === 'update'
          ? 'InstanceUpdatePayload'
          : 'InstanceActionPayload';
    const flavor = JSON.parse(row.flavor) as FlavorSnapshot;
    const data = {
      uuid: row.uuid,
      user_id: row.user_id,
      tenant_id: row.project_id,
      reservation_id: row.reservation_id,
      display_name: row.display_name,
      display_description: row.display_description,
      host_name: row.hostname,
      host: row.host,
      node: row.node,
      availability_zone: row.availability_zone,
      flavor: flavorPayload(flavor),
      image_uuid: row.image_ref,
      key_name: row.key_name,
      created_at: row.created_at,
      launched_at: row.launched_at,
      terminated_at: row.terminated_at,
      deleted_at: row.deleted_at,
      updated_at: row.updated_at,
      state: row.vm_state,
      power_state: String(row.power_state),
      task_state: row.task_state,
      progress: row.progress,
      locked: row.locked === 1,
      locked_reason: row.locked_reason,
      action_initiator_user: row.user_id,
      action_initiator_project: row.project_id,
      request_id: extra.requestId ?? null,
      fault: extra.fault
        ? {
            'nova_object.name': 'ExceptionPayload',
            'nova_object.namespace': 'nova',
            'nova_object.version': '1.1',
            'nova_object.data': {
              exception: extra.fault.exception,
              exception_message: extra.fault.message,
            },
          }
        : null,
    };
    const eventType = phase ? `instance.${action}.${phase}` : `instance.${action}`;
    for (const topic of this.settings.versionedTopics) {
      await this.bus.publish({
        topic,
        eventType,
        priority: phase === 'error' ? 'ERROR' : 'INFO',
        publisherId: this.publisherId,
        timestamp: new Date(this.clock.now()).toISOString(),
        messageId: this.ids.uuid(),
        payload: {
          'nova_object.name': name,
          'nova_object.namespace': 'nova',
          'nova_object.version': PAYLOAD_VERSION[name],
          'nova_object.data': data,
        },
      });
    }
  }
}
