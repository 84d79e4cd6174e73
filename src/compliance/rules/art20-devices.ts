/**
 * Art. 20: "执法全过程记录设备仅限于执法人员在从事具体执法行为时记录使用，不得挪作他用或借给他人使用"; Art. 28 设备设施管理 and
 * Art. 30(2) 未按照规定维护现场执法记录设备. Needs the organisation records (devices, custody and status events) in the
 * case view; without them it is silent.
 *
 * A device is held by the officer its record names until a custody event says otherwise (`assign` hands it to an
 * officer, `return` to nobody). A segment recorded while the device was held by someone other than the segment's
 * officer is `device_lent`; while nobody held it, `device_not_assigned` (Art. 20; Art. 30 lists no item). A segment
 * from a device whose latest status before it was `lost` or `retired` is a violation, `damaged` a warning (Art. 28,
 * item 30(2)). Segments outside their action's time are Art. 13's `segment_outside_action`.
 */
import type { DeviceCustodyBody, DeviceStatusBody } from '../../domain/kinds/device-log';
import type { DeviceBody } from '../../domain/kinds/organisation';
import { KIND } from '../../domain/kind-names';
import { type CaseView, type ViewRecord, isKind } from '../case-view';
import { indexCase } from '../case-index';
import { chinaDateTime } from '../civil-date';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art20-devices', article: '20', liability: 'none' } as const;

interface DeviceLog {
  readonly device: ViewRecord<string, DeviceBody>;
  readonly custody: Array<ViewRecord<string, DeviceCustodyBody>>;
  readonly status: Array<ViewRecord<string, DeviceStatusBody>>;
}

const logs = new WeakMap<readonly ViewRecord[], Map<string, DeviceLog>>();

function deviceLogs(org: readonly ViewRecord[]): Map<string, DeviceLog> {
  const hit = logs.get(org);
  if (hit) return hit;
  const out = new Map<string, DeviceLog>();
  for (const r of org)
    if (isKind(r, KIND.device) && !out.has(r.body.deviceId))
      out.set(r.body.deviceId, { device: r, custody: [], status: [] });
  for (const r of org) {
    if (isKind(r, KIND.deviceCustody)) out.get(r.body.deviceId)?.custody.push(r);
    if (isKind(r, KIND.deviceStatus)) out.get(r.body.deviceId)?.status.push(r);
  }
  const byAt = (a: ViewRecord<string, { at: number }>, b: ViewRecord<string, { at: number }>) =>
    a.body.at - b.body.at || a.seq - b.seq;
  for (const l of out.values()) {
    l.custody.sort(byAt);
    l.status.sort(byAt);
  }
  logs.set(org, out);
  return out;
}

/** Who held the device at `t` (null: nobody), and the custody event that says so (undefined: its registration). */
function holderAt(log: DeviceLog, t: number): { holder: string | null; seq: number } {
  let holder: string | null = log.device.body.assignedOfficerId;
  let seq = log.device.seq;
  for (const e of log.custody) {
    if (e.body.at > t) break;
    holder = e.body.action === 'assign' ? e.body.officerId : null;
    seq = e.seq;
  }
  return { holder, seq };
}

export const art20Devices: Rule = {
  ...META,
  check(view: CaseView, _ctx: RuleContext): Finding[] {
    if (!view.organisation) return [];
    const devices = deviceLogs(view.organisation);
    const out: Finding[] = [];
    for (const a of indexCase(view).actions)
      for (const s of a.segments) {
        const log = devices.get(s.body.deviceId);
        if (!log) continue;
        const t = s.body.startedAt;
        const { holder, seq } = holderAt(log, t);
        const base = { segmentId: s.body.segmentId, deviceId: s.body.deviceId, officerId: s.body.officerId };
        if (holder === null)
          out.push(
            finding(META, {
              code: 'device_not_assigned',
              severity: 'violation',
              seqs: [seq, s.seq],
              zh: `音像记录片段 ${s.body.segmentId} 由设备 ${s.body.deviceId} 于 ${chinaDateTime(t)} 录制，当时该设备已归还、未分配给任何执法人员`,
              en: `AV segment ${s.body.segmentId} was recorded by device ${s.body.deviceId} at ${chinaDateTime(t)}, when it was assigned to nobody`,
              evidence: base,
            }),
          );
        else if (holder !== s.body.officerId)
          out.push(
            finding(META, {
              code: 'device_lent',
              severity: 'violation',
              seqs: [seq, s.seq],
              zh: `音像记录片段 ${s.body.segmentId} 由 ${s.body.officerId} 使用设备 ${s.body.deviceId} 录制，当时该设备配发给 ${holder}（不得借给他人使用）`,
              en: `AV segment ${s.body.segmentId} was recorded by ${s.body.officerId} on device ${s.body.deviceId}, which was then assigned to ${holder} (devices are not lent)`,
              evidence: { ...base, holder },
            }),
          );
        let status: ViewRecord<string, DeviceStatusBody> | undefined;
        for (const e of log.status) if (e.body.at <= t) status = e;
        const st = status?.body.status;
        if (status && (st === 'lost' || st === 'retired' || st === 'damaged'))
          out.push(
            finding(META, {
              article: '28',
              liability: '30(2)',
              code: st === 'damaged' ? 'device_damaged' : 'device_lost_or_retired',
              severity: st === 'damaged' ? 'warning' : 'violation',
              seqs: [status.seq, s.seq],
              zh: `音像记录片段 ${s.body.segmentId} 由设备 ${s.body.deviceId} 录制，但该设备此前已登记为${st === 'lost' ? '丢失' : st === 'retired' ? '报废' : '损坏'}（${chinaDateTime(status.body.at)}）`,
              en: `AV segment ${s.body.segmentId} was recorded by device ${s.body.deviceId}, reported ${st} since ${chinaDateTime(status.body.at)}`,
              evidence: { ...base, status: st, since: status.body.at },
            }),
          );
      }
    return out;
  },
};
