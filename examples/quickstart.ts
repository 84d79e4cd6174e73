/**
 * Quickstart (the README's first example): an on-site inspection recorded end to end — officers and a body camera
 * registered, a case opened, arrival, a body-camera segment streamed into the content store, the 现场笔录 with its scan,
 * departure, deposit — then a checkpoint, verification of entries and files, and the compliance check.
 *   npx tsx examples/quickstart.ts [dir]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EnforcementRecords,
  FsContentStore,
  JINCHENG_RULE_SET,
  caseViewOf,
  checkCase,
  createSigner,
  defaultCalendar,
  generateSeed,
  renderCaseReport,
  verifyContent,
} from 'enforcement-ledger';

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'quickstart-'));
const t0 = Date.UTC(2026, 2, 2, 1, 0); // 2026-03-02 09:00 in China (UTC+8)
let now = t0;
const clock = () => now;

// Keys. In production these live in files (writePrivateKeyFile) or behind an HSM implementing `Signer`.
const root = createSigner(generateSeed());
const wang = createSigner(generateSeed());
const li = createSigner(generateSeed());
const archivist = createSigner(generateSeed());
const camera = createSigner(generateSeed());

const records = await EnforcementRecords.create(join(dir, 'ledger'), {
  origin: 'ledger.example.gov.cn/quickstart',
  signer: root,
  clock,
});
const store = await FsContentStore.open(join(dir, 'content'));
try {
  const agencyId = 'jc-wjw';
  await records.registerAgency({ agencyId, name: '晋城市卫生健康委员会', region: '140500' }, root);
  await records.registerOfficer(
    { personId: 'P-wang', name: '王军', roles: ['officer'], certificateNo: '14050012001', agencyId },
    wang.publicKey,
    root,
  );
  await records.registerOfficer(
    { personId: 'P-li', name: '李娜', roles: ['officer'], certificateNo: '14050012002', agencyId },
    li.publicKey,
    root,
  );
  await records.registerOfficer(
    { personId: 'P-sun', name: '孙档案', roles: ['archivist'], agencyId },
    archivist.publicKey,
    root,
  );
  await records.registerDevice(
    {
      deviceId: 'BC-0107',
      agencyId,
      deviceType: 'body_camera',
      model: '执法记录仪 X6',
      serialNo: 'DSJ-0107',
      assignedOfficerId: 'P-wang',
    },
    camera.publicKey,
    root,
  );

  const caseId = 'JC-2026-INS-0001';
  const target = { name: '晋城市某某宾馆', kind: 'organisation' as const };
  await records.openCase(
    {
      caseId,
      agencyId,
      matterType: 'inspection',
      documentNumber: '晋市卫监〔2026〕1号',
      title: '公共场所卫生监督检查',
      target,
      openedAt: now,
      officers: ['P-wang', 'P-li'],
    },
    wang,
  );

  const arrive = now;
  await records.startAction(
    {
      actionId: 'ACT-1',
      caseId,
      actionTypes: ['on_site_inspection'],
      officers: ['P-wang', 'P-li'],
      target,
      location: '晋城市城区某某路 8 号',
      startedAt: arrive,
    },
    wang,
  );
  now += 40 * 60_000;
  const leave = now;
  // The body camera's file: streamed into the content store; the ledger keeps its digest, size and chunk root.
  const video = await store.put(
    (async function* () {
      yield new TextEncoder().encode(`body-camera video ${'帧'.repeat(5000)}`);
    })(),
  );
  await records.recordSegment(
    {
      segmentId: 'SEG-1',
      caseId,
      actionId: 'ACT-1',
      deviceId: 'BC-0107',
      officerId: 'P-wang',
      startedAt: arrive,
      endedAt: leave,
      sessionId: 'S-1',
      position: 0,
      prevDigest: null,
      mediaType: 'video/mp4',
    },
    video,
    camera,
  );
  const scan = await store.put(
    (async function* () {
      yield new TextEncoder().encode('scan of the on-site inspection record');
    })(),
  );
  await records.recordDocument(
    {
      documentId: 'DOC-1',
      caseId,
      actionId: 'ACT-1',
      type: '现场笔录',
      number: '晋卫监现〔2026〕1号',
      officers: ['P-wang', 'P-li'],
      startedAt: arrive,
      endedAt: leave,
      signatures: { officers: true, party: 'signed' },
      files: [{ mediaType: 'application/pdf' }],
    },
    wang,
    [scan],
  );
  await records.endAction({ actionId: 'ACT-1', caseId, endedAt: leave }, wang);
  now += 60 * 60_000;
  await records.deposit(
    {
      depositId: 'DEP-1',
      caseId,
      actionId: 'ACT-1',
      depositedAt: now,
      basis: 'on_site_end',
      basisAt: leave,
      documentIds: ['DOC-1'],
      segmentIds: ['SEG-1'],
      custodianId: 'P-sun',
    },
    archivist,
  );

  // A checkpoint to hand to the superior agency; then verify everything.
  const checkpoint = await records.ledger.checkpoint();
  const report = await records.ledger.verify({ checkpoints: [checkpoint] });
  let intact = 0;
  for await (const e of records.ledger.entries())
    for (const ref of e.content) if ((await verifyContent(store, ref)).status === 'ok') intact++;
  const compliance = checkCase(caseViewOf(await records.caseRecords(caseId)), {
    ruleSet: JINCHENG_RULE_SET,
    calendar: defaultCalendar,
  });

  console.log(
    `ledger ${join(dir, 'ledger')}: ${report.size} entries, ${report.ok ? 'verified' : `${report.problems.length} problem(s)`}, ${intact} file(s) intact`,
  );
  console.log(checkpoint.trimEnd());
  console.log(renderCaseReport(compliance, 'en'));
  if (!report.ok || intact !== 2) process.exitCode = 1;
} finally {
  await records.ledger.close();
  if (!process.argv[2]) rmSync(dir, { recursive: true, force: true });
}
