/**
 * The README's quickstart snippet, verbatim from the first import on (test/examples.test.ts checks that the README
 * shows exactly this, and runs it). Compact on purpose, so it is kept out of the formatter:
 */
// biome-ignore-all format: laid out as printed in the README
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnforcementRecords, FsContentStore, JINCHENG_RULE_SET, caseViewOf, checkCase, createSigner, defaultCalendar,
  generateSeed, renderCaseReport } from 'enforcement-ledger';

const dir = mkdtempSync(join(tmpdir(), 'quickstart-'));
let now = Date.UTC(2026, 2, 2, 1, 0);                  // 2026-03-02 09:00 in China; an injected clock (default Date.now)
const clock = () => now;
// Keys: in production in files (writePrivateKeyFile) or behind an HSM: any { keyId, publicKey, sign(msg) } is a Signer.
const key = () => createSigner(generateSeed());
const [root, wang, li, archivist, camera] = [key(), key(), key(), key(), key()];
const records = await EnforcementRecords.create(join(dir, 'ledger'), { origin: 'ledger.example.gov.cn/jc', signer: root, clock });
const store = await FsContentStore.open(join(dir, 'content'));

const agencyId = 'jc-wjw';
await records.registerAgency({ agencyId, name: '晋城市卫生健康委员会', region: '140500' }, root);
await records.registerOfficer({ personId: 'P-wang', name: '王军', roles: ['officer'], certificateNo: '14050012001', agencyId },
  wang.publicKey, root);
await records.registerOfficer({ personId: 'P-li', name: '李娜', roles: ['officer'], certificateNo: '14050012002', agencyId },
  li.publicKey, root);
await records.registerOfficer({ personId: 'P-sun', name: '孙档案', roles: ['archivist'], agencyId }, archivist.publicKey, root);
await records.registerDevice({ deviceId: 'BC-0107', agencyId, deviceType: 'body_camera', model: '执法记录仪 X6',
  serialNo: 'DSJ-0107', assignedOfficerId: 'P-wang' }, camera.publicKey, root);

const caseId = 'JC-2026-INS-0001';
const target = { name: '晋城市某某宾馆', kind: 'organisation' as const };
const officers = ['P-wang', 'P-li'];
await records.openCase({ caseId, agencyId, matterType: 'inspection', documentNumber: '晋市卫监〔2026〕1号',
  title: '公共场所卫生监督检查', target, openedAt: now, officers }, wang);
const arrive = now;
await records.startAction({ actionId: 'ACT-1', caseId, actionTypes: ['on_site_inspection'], officers, target,
  location: '晋城市城区某某路 8 号', startedAt: arrive }, wang);
now += 40 * 60_000;
const leave = now;
writeFileSync(join(dir, '0001.mp4'), 'stand-in for the body camera video');
const video = await store.put(join(dir, '0001.mp4'));   // one streaming pass: digest + chunk root, fsynced, deduplicated
await records.recordSegment({ segmentId: 'SEG-1', caseId, actionId: 'ACT-1', deviceId: 'BC-0107', officerId: 'P-wang',
  startedAt: arrive, endedAt: leave, sessionId: 'S-1', position: 0, prevDigest: null, mediaType: 'video/mp4' },
  video, camera);                                         // signed by the body camera's own key
writeFileSync(join(dir, 'record.pdf'), 'stand-in for the scan of the 现场笔录');
const scan = await store.put(join(dir, 'record.pdf'));
await records.recordDocument({ documentId: 'DOC-1', caseId, actionId: 'ACT-1', type: '现场笔录', number: '晋卫监现〔2026〕1号',
  officers, startedAt: arrive, endedAt: leave, signatures: { officers: true, party: 'signed' },
  files: [{ mediaType: 'application/pdf' }] }, wang, [scan]);
await records.endAction({ actionId: 'ACT-1', caseId, endedAt: leave }, wang);
now += 60 * 60_000;
await records.deposit({ depositId: 'DEP-1', caseId, actionId: 'ACT-1', depositedAt: now, basis: 'on_site_end',
  basisAt: leave, documentIds: ['DOC-1'], segmentIds: ['SEG-1'], custodianId: 'P-sun' }, archivist);

const checkpoint = await records.ledger.checkpoint();   // hand this to the superior agency's witness
const report = await records.ledger.verify({ checkpoints: [checkpoint] });   // { ok, size, root, problems }
const findings = checkCase(caseViewOf(await records.caseRecords(caseId)),
  { ruleSet: JINCHENG_RULE_SET, calendar: defaultCalendar });   // Art. 9, 11–18, 22 …, each naming its article
console.log(report.ok ? `verified ${report.size} entries` : report.problems, renderCaseReport(findings, 'en'));
await records.ledger.close();
console.log(`ledger and files kept in ${dir}`);
