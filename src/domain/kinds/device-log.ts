/**
 * Recording devices over time (Art. 20, 28): who holds a device (assignment and return) and its status (in service,
 * damaged, lost, repaired, retired). Art. 20: "执法全过程记录设备仅限于执法人员在从事具体执法行为时记录使用，不得挪作他用或
 * 借给他人使用"; Art. 28 asks for 设备设施管理 checks; Art. 30(2) names devices not maintained so that AV is lost.
 */
import { z } from 'zod';
import { Id, LongText, Time, Version } from '../common';
import { KIND } from '../kind-names';
import type { KindSpec } from '../spec';

export const DeviceCustodySchema = z.strictObject({
  v: Version,
  eventId: Id,
  deviceId: Id,
  /** `assign`: the officer receives the device; `return`: the officer hands it back (nobody holds it). */
  action: z.enum(['assign', 'return']),
  officerId: Id,
  at: Time,
  remark: LongText.optional(),
});
export type DeviceCustodyBody = z.infer<typeof DeviceCustodySchema>;

export const deviceCustodySpec: KindSpec = {
  kind: KIND.deviceCustody,
  roles: ['admin', 'archivist', 'supervisor'],
  schema: DeviceCustodySchema,
  defines: { space: 'device-event', field: 'eventId' },
  refs: [
    { field: 'deviceId', space: 'device', kinds: [KIND.device] },
    { field: 'officerId', space: 'person', kinds: [KIND.person], role: 'officer' },
  ],
  eventTime: 'at',
};

export const DEVICE_STATUSES = ['in_service', 'damaged', 'lost', 'repaired', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const DeviceStatusSchema = z.strictObject({
  v: Version,
  eventId: Id,
  deviceId: Id,
  status: z.enum(DEVICE_STATUSES),
  at: Time,
  reason: LongText.optional(),
});
export type DeviceStatusBody = z.infer<typeof DeviceStatusSchema>;

export const deviceStatusSpec: KindSpec = {
  kind: KIND.deviceStatus,
  roles: ['admin', 'archivist', 'supervisor'],
  schema: DeviceStatusSchema,
  defines: { space: 'device-event', field: 'eventId' },
  refs: [{ field: 'deviceId', space: 'device', kinds: [KIND.device] }],
  eventTime: 'at',
};
