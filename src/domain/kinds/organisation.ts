/** Agency, people and recording devices (Art. 19–21). People and devices are bound to keys by `core/key.register`. */
import { z } from 'zod';
import { Id, PERSON_ROLES, Text, Version } from '../common';
import { KIND } from '../kind-names';
import { type KindSpec, requiredWhen } from '../spec';

export const AgencySchema = z.strictObject({
  v: Version,
  agencyId: Id,
  name: Text,
  /** Administrative division code or name, e.g. `140500` (晋城市). */
  region: Text.optional(),
  /** The superior agency that inspects this one (Art. 29). */
  parentAgencyId: Id.optional(),
  /** Unified social credit code. */
  creditCode: Text.optional(),
  /**
   * Art. 32 受委托实施卫生健康行政执法组织: the agency that entrusted this organisation. Its officers' records fall under
   * the same rules and are reported under the entrusting agency.
   */
  entrustedBy: Id.optional(),
});
export type AgencyBody = z.infer<typeof AgencySchema>;

export const agencySpec: KindSpec = {
  kind: KIND.agency,
  roles: ['admin'],
  schema: AgencySchema,
  defines: { space: 'agency', field: 'agencyId' },
  refs: [
    { field: 'parentAgencyId', space: 'agency', kinds: [KIND.agency] },
    { field: 'entrustedBy', space: 'agency', kinds: [KIND.agency] },
  ],
};

export const PersonRoleSchema = z.enum(PERSON_ROLES);
export const PersonSchema = z.strictObject({
  v: Version,
  personId: Id,
  agencyId: Id,
  name: Text,
  roles: z
    .array(PersonRoleSchema)
    .min(1)
    .refine((a) => new Set(a).size === a.length, {
      message: 'must not repeat',
      params: { code: 'duplicate_item' },
    }),
  /** Law-enforcement certificate number (执法证号); required for officers (Art. 9). */
  certificateNo: Text.optional(),
  title: Text.optional(),
});
export type PersonBody = z.infer<typeof PersonSchema>;

export const personSpec: KindSpec = {
  kind: KIND.person,
  roles: ['admin'],
  schema: PersonSchema,
  defines: { space: 'person', field: 'personId' },
  refs: [{ field: 'agencyId', space: 'agency', kinds: [KIND.agency] }],
  crossCheck: (b) =>
    requiredWhen(
      b,
      'certificateNo',
      Array.isArray(b.roles) && b.roles.includes('officer'),
      'for an officer (Art. 9)',
    ),
};

export const DEVICE_TYPES = [
  'body_camera', // 执法记录仪
  'audio_recorder',
  'mobile_terminal', // 移动执法终端
  'fixed_camera',
  'vehicle_camera',
  'drone',
  'other',
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const DeviceSchema = z.strictObject({
  v: Version,
  deviceId: Id,
  agencyId: Id,
  deviceType: z.enum(DEVICE_TYPES),
  serialNo: Text,
  model: Text.optional(),
  /** The officer the device is issued to (Art. 19–20: used only by officers on duty). */
  assignedOfficerId: Id,
});
export type DeviceBody = z.infer<typeof DeviceSchema>;

export const deviceSpec: KindSpec = {
  kind: KIND.device,
  roles: ['admin'],
  schema: DeviceSchema,
  defines: { space: 'device', field: 'deviceId' },
  refs: [
    { field: 'agencyId', space: 'agency', kinds: [KIND.agency] },
    { field: 'assignedOfficerId', space: 'person', kinds: [KIND.person], role: 'officer' },
  ],
};
