/** `register officer|device|role`: binds a key to a person, a device or a role, signed by an admin key. */
import { CliError } from '../exit';
import type { Ctx, Outcome } from '../context';
import { loadSigner, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince, entryLines } from './appended';
import type { DeviceType } from '../../domain/kinds/organisation';

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export interface RegisterOptions {
  readonly key: string;
  readonly admin: string;
  readonly id?: string;
  readonly name?: string;
  readonly roles?: string;
  readonly cert?: string;
  readonly agency?: string;
  readonly title?: string;
  readonly type?: string;
  readonly serial?: string;
  readonly model?: string;
  readonly assignedOfficer?: string;
  readonly principal?: string;
}

const need = (v: string | undefined, flag: string): string => {
  if (v === undefined || v === '') throw new CliError('USAGE', `${flag} is required`);
  return v;
};

export async function register(
  ctx: Ctx,
  what: 'officer' | 'device' | 'role',
  o: RegisterOptions,
): Promise<Outcome> {
  const subject = await loadSigner(ctx.dir, o.key);
  const admin = await loadSigner(ctx.dir, o.admin);
  return withFolder(ctx, async (f) => {
    const er = f.records;
    const from = er.ledger.size;
    const agencyId = o.agency ?? f.config.agencyId;
    let principal: string;
    let roles: string[];
    if (what === 'officer') {
      principal = need(o.id, '--id');
      roles = list(o.roles ?? 'officer');
      await er.registerOfficer(
        {
          personId: principal,
          agencyId: need(agencyId, '--agency (or init --agency-id)'),
          name: need(o.name, '--name'),
          roles: roles as never,
          ...(o.cert !== undefined ? { certificateNo: o.cert } : {}),
          ...(o.title !== undefined ? { title: o.title } : {}),
        },
        subject.publicKey,
        admin,
      );
    } else if (what === 'device') {
      principal = need(o.id, '--id');
      roles = ['device'];
      await er.registerDevice(
        {
          deviceId: principal,
          agencyId: need(agencyId, '--agency (or init --agency-id)'),
          deviceType: (o.type ?? 'body_camera') as DeviceType,
          serialNo: need(o.serial, '--serial'),
          assignedOfficerId: need(o.assignedOfficer, '--assigned-officer'),
          ...(o.model !== undefined ? { model: o.model } : {}),
        },
        subject.publicKey,
        admin,
      );
    } else {
      principal = need(o.principal, '--principal');
      roles = list(need(o.roles, '--roles'));
      await er.ledger.registerKey({ publicKey: subject.publicKey, principal, roles }, admin);
    }
    const entries = await appendedSince(er.ledger, from);
    const data: Omit<OutputOf<'register'>, 'format' | 'command'> = {
      what,
      principal,
      keyId: subject.keyId,
      roles,
      entries,
    };
    return {
      command: 'register',
      exit: 0,
      data,
      human: (l) =>
        (l === 'zh'
          ? `已登记 ${principal}（${roles.join('、')}），密钥 ${subject.keyId}\n`
          : `Registered ${principal} (${roles.join(', ')}) with key ${subject.keyId}\n`) +
        entryLines(entries),
    };
  });
}
