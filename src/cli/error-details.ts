/**
 * The details of error lines in Chinese (issue 18 item 5: `--lang zh` output is Chinese throughout). Under zh the
 * command line prints `error <CODE>: <the code's meaning>。详情：<detail>` (src/cli/error-words.ts); this module turns
 * the library's English detail into Chinese:
 * - by structure where the error carries it: a ValidationError's issues (path and code), an EncodingError's byte
 *   offset, a PolicyError's further reasons and the entry that recorded the refusal;
 * - by the catalogue DETAIL_ZH otherwise: every message template of src/ (`new XxxError(code, '…${x}…')`, the
 *   TypeError/RangeError of a refused argument, the literal arguments of message helpers, the reasons of policy
 *   refusals; each `${…}` a numbered placeholder) with its Chinese template. A message is matched against the templates (the most
 *   specific first); the placeholders carry the paths, ids and values verbatim, and a placeholder that holds another
 *   message (`cannot decode: {0}`) is itself rendered. test/cli/error-catalogue.test.ts reads src/ with the TypeScript
 *   compiler and fails when a message has no template here, so the catalogue cannot fall behind the code.
 * A message that matches nothing (a new one, or text from outside: a database driver) is printed as it is. The inspector's
 * page uses it too (a refused anchor's reason), so this file imports nothing but the error classes.
 */
import { EncodingError, type Issue, PolicyError, ValidationError } from '../errors';

/** English message template → Chinese template (the library's and the command line's own messages). */
export const DETAIL_ZH: Readonly<Record<string, string>> = {
  // Retrieval and disclosure (src/access/): the reasons of a refused 调阅 or 对外提供.
  'the content of entry {0} was purged after its retention expired': '第 {0} 条的内容已在保存期满后依法销毁',
  'the content of entry {0} is missing from the store': '内容存储中缺少第 {0} 条的内容',
  'no retrieval approval {0}': '没有调阅审批 {0}',
  'approval {0} was rejected': '审批 {0} 为否决',
  'approval {0} is valid from {1}': '审批 {0} 自 {1} 起生效',
  'approval {0} expired at {1}': '审批 {0} 已于 {1} 到期',
  'request {0} is by {1}, approval names {2}': '申请 {0} 的申请人为 {1}，审批所列为 {2}',
  'approval {0} is for {1}, not {2}': '审批 {0} 针对 {1}，而非 {2}',
  'approval {0} does not cover entry {1}': '审批 {0} 不包括第 {1} 条',
  'approval {0} allowed {1} retrieval(s), used {2}': '审批 {0} 准予调阅 {1} 次，已调阅 {2} 次',
  'no disclosure approval {0}': '没有对外提供审批 {0}',
  'approval {0} is for case {1}': '审批 {0} 针对案件 {1}',
  'approval {0} is for recipient {1}, not {2}': '审批 {0} 的接收方为 {1}，而非 {2}',
  'approval {0} is for the purpose {1}, not {2}': '审批 {0} 批准的用途为 {1}，而非 {2}',
  'approval {0} covers listed records only, not the whole case': '审批 {0} 仅包括所列记录，不包括整个案件',
  'approval {0} does not cover {1}': '审批 {0} 不包括 {1}',
  'approval {0} allowed {1} disclosure(s), used {2}': '审批 {0} 准予对外提供 {1} 次，已提供 {2} 次',
  'approver {0} holds none of {1} ({2})': '审批人 {0} 不具备 {1} 中的任一角色（{2}）',
  // Proof bundles (src/bundles/).
  'the exporter failed to sign the bundle': '导出人未能对证据包签名',
  'bundle: {0}': '证据包：{0}',
  '{0} must have exactly the keys {1}': '{0} 的键必须恰为 {1}',
  '{0} must be a list of at most 64 hashes': '{0} 必须是至多 64 个哈希值的列表',
  '{0}[{1}] must be 32 bytes': '{0}[{1}] 必须为 32 字节',
  '{0} must be a map': '{0} 必须是映射',
  '{0} is not a finding': '{0} 不是一项检查结论',
  'must be a 4-element array': '必须是含 4 个元素的数组',
  'media type must be text': '媒体类型必须是文本',
  'unsupported media type {0}': '不支持的媒体类型 {0}',
  'payload must be a byte string': '载荷必须是字节串',
  'exporter key id must be 32 bytes': '导出人密钥标识必须为 32 字节',
  'signature must be 64 bytes': '签名必须为 64 字节',
  'payload must be a map': '载荷必须是映射',
  'unsupported bundle version {0}': '不支持的证据包版本 {0}',
  'origin must be text': '来源必须是文本',
  'checkpoint must be the signed note text': '检查点必须是已签名的 note 文本',
  'calendar must be text': '工作日历必须是文本',
  'exported must be ms since epoch': '导出时间必须是自纪元起的毫秒数',
  'entries must be a non-empty list': '条目必须是非空列表',
  'entries[{0}] must be [entry bstr, proof]': 'entries[{0}] 必须是 [条目字节串, 证明]',
  'cases must be a list': '案件必须是列表',
  '{0}.caseId must be text': '{0}.caseId 必须是文本',
  '{0}.asOf must be ms': '{0}.asOf 必须是毫秒数',
  '{0}.seqs must be a list of seqs': '{0}.seqs 必须是条目序号的列表',
  '{0}.seqs must be ascending': '{0}.seqs 必须按升序排列',
  '{0}.findings must be a list': '{0}.findings 必须是列表',
  '{0}.organisation must be a non-empty list of seqs': '{0}.organisation 必须是非空的条目序号列表',
  '{0}.organisation must be ascending': '{0}.organisation 必须按升序排列',
  'ruleSet must be bytes or null': 'ruleSet 必须是字节串或 null',
  'consistency must be a map or null': 'consistency 必须是映射或 null',
  'consistency.size must be a size': 'consistency.size 必须是日志规模',
  'content must be a list of byte strings': 'content 必须是字节串列表',
  'sample must be a map or null': 'sample 必须是映射或 null',
  'sample.nonce must be bytes': 'sample.nonce 必须是字节串',
  'sample.k must be a count': 'sample.k 必须是个数',
  'sample.population must be a list of case ids': 'sample.population 必须是案件编号列表',
  // Hex (src/bytes.ts).
  'not a hex digit: {0}': '不是十六进制数字：{0}',
  'hex must have an even number of digits': '十六进制文本的位数必须为偶数',
  // Checkpoints, signed notes, witnesses (src/checkpoint/).
  'checkpoint must end with a newline': '检查点必须以换行结尾',
  'checkpoint must have origin, size and root hash lines': '检查点必须有来源、规模和根哈希三行',
  'checkpoint origin must be non-empty': '检查点的来源不能为空',
  'checkpoint size must be decimal without leading zeros': '检查点的规模必须是无前导零的十进制数',
  'checkpoint size exceeds 2^53 - 1': '检查点的规模超过 2^53 - 1',
  'checkpoint root hash is not canonical base64': '检查点的根哈希不是规范的 base64',
  'checkpoint root hash must be 32 bytes': '检查点的根哈希必须为 32 字节',
  'checkpoint extension lines must be non-empty': '检查点的扩展行不能为空',
  'checkpoint has no valid signature by a trusted log key': '检查点没有所信任的日志密钥的有效签名',
  'cosigner failed to sign': '见证人未能联署签名',
  'cosigner returned a signature that is not {0} bytes': '见证人返回的签名不是 {0} 字节',
  'cosignature must be {0} bytes': '联署签名必须为 {0} 字节',
  'cosignature timestamp is out of range': '联署签名的时间戳超出范围',
  'cosigned note is not a checkpoint': '联署的 note 不是检查点',
  'note signer failed': 'note 签名失败',
  'note signer returned a signature that is not {0} bytes': 'note 签名程序返回的签名不是 {0} 字节',
  'note text must end with a newline': 'note 文本必须以换行结尾',
  'note text must not contain control characters other than newline': 'note 文本除换行外不得含控制字符',
  'note text must be valid Unicode': 'note 文本必须是有效的 Unicode',
  'note is not valid UTF-8': 'note 不是有效的 UTF-8',
  'note must not contain control characters other than newline': 'note 除换行外不得含控制字符',
  'note must be valid Unicode': 'note 必须是有效的 Unicode',
  'note must end with a newline': 'note 必须以换行结尾',
  'note has no blank line before its signatures': 'note 的签名之前没有空行',
  'note has no signatures': 'note 没有签名',
  'note has more than {0} signatures': 'note 的签名多于 {0} 个',
  'signature line must start with an em dash and a space': '签名行必须以破折号“—”和一个空格开头',
  'signature line must be "— <name> <base64>"': '签名行的格式必须是“— <名称> <base64>”',
  'signature line has an invalid key name': '签名行中的密钥名称无效',
  'signature is not canonical base64': '签名不是规范的 base64',
  'signature is shorter than a key id and one byte': '签名短于密钥标识加一个字节',
  'ambiguous key {0}': '密钥 {0} 不唯一',
  'invalid signature for key {0}': '密钥 {0} 的签名无效',
  'note has no verifiable signatures': 'note 没有可验证的签名',
  'request has no empty line before the checkpoint': '请求在检查点之前没有空行',
  'first line must be "old <size>"': '第一行必须是“old <规模>”',
  'too many proof lines': '证明行过多',
  'proof line is not canonical base64': '证明行不是规范的 base64',
  'proof line is not a 32-byte hash': '证明行不是 32 字节的哈希值',
  'bad old size': '原规模无效',
  'checkpoint size {0} is below the cosigned {1}': '检查点的规模 {0} 小于已联署的 {1}',
  'old size is greater than the checkpoint size': '原规模大于检查点的规模',
  'latest cosigned size is {0}': '最近联署的规模为 {0}',
  'proof must be empty when old size is 0': '原规模为 0 时证明必须为空',
  'proof must be empty for equal sizes': '规模相同时证明必须为空',
  'two roots signed for size {0}': '规模 {0} 有两个不同的根哈希被签名',
  'consistency proof does not verify': '一致性证明验证不通过',
  "checkpoint origin {0} is not this ledger's": '检查点的来源 {0} 不是本台账的',
  'the ledger has no checkpoint': '台账中没有检查点',
  'no checkpoint of size {0}': '没有规模为 {0} 的检查点',
  // The command line (src/cli/).
  'no {0} {1} in this ledger': '本台账中没有{0} {1}',
  'retrieval request': '调阅申请',
  'purge request': '销毁申请',
  'no retrieval request {0} in this ledger': '本台账中没有调阅申请 {0}',
  'no purge request {0} in this ledger': '本台账中没有销毁申请 {0}',
  '--max-uses must be a whole number (1–1000)': '--max-uses 必须是整数（1–1000）',
  '--max-uses must be between 1 and 1000': '--max-uses 必须在 1 到 1000 之间',
  'give --request <requestId> (the request approved), or --requester <personId> and --case <caseId>':
    '请给出 --request <申请编号>（所批准的申请），或 --requester <人员编号> 和 --case <案件编号>',
  'request {0} names {1}, not --requester {2}': '申请 {0} 所列申请人为 {1}，而非 --requester {2}',
  'request {0} is for case {1}, not --case {2}': '申请 {0} 针对案件 {1}，而非 --case {2}',
  'no case {0} in this ledger': '本台账中没有案件 {0}',
  'give --purpose <text> (the purpose approved)': '请给出 --purpose <文字>（所批准的用途）',
  '--nonce must be hex': '--nonce 必须是十六进制',
  '{0} must be a positive integer': '{0} 必须是正整数',
  '{0}: not a verifier key (name+keyid+base64): {1}': '{0}：不是验证密钥（名称+密钥标识+base64）：{1}',
  'give --case <id> (repeatable) or --sample <k>': '请给出 --case <编号>（可重复）或 --sample <k>',
  '--case and --sample exclude each other': '--case 与 --sample 不能同时使用',
  '--quorum must be between 1 and the number of --witness keys':
    '--quorum 必须在 1 到 --witness 密钥个数之间',
  '--rule-set must be a rule-set hash (64 hex digits)': '--rule-set 必须是规则集哈希（64 位十六进制）',
  '--suite {0}: one of {1}': '--suite {0}：应为 {1} 之一',
  '--defect {0}: one of {1}': '--defect {0}：应为 {1} 之一',
  '{0} already holds a ledger folder': '{0} 处已有台账目录',
  'give --recipient <who receives the records> (or an --approval that names one)':
    '请给出 --recipient <记录的接收方>（或给出列明接收方的 --approval）',
  '--chunk must be a chunk number (0 is the first MiB)': '--chunk 必须是分块编号（0 为第一个 MiB）',
  '--digest must be 64 hex digits (SHA-256)': '--digest 必须是 64 位十六进制（SHA-256）',
  '--out {0} exists (not overwritten)': '--out {0} 已存在（未覆盖）',
  'entry #{0} ({1}) commits {2}': '第 {0} 条（{1}）{2}',
  'no file with that digest': '未登记该摘要的文件',
  'no file': '未登记文件',
  '--chunk {0}: the file of entry #{1} ({2} bytes) has {3} chunk(s){4}':
    '--chunk {0}：第 {1} 条的文件（{2} 字节）共有 {3} 个分块{4}',
  'the file of entry #{0} was purged after its retention expired': '第 {0} 条的文件已在保存期满后依法销毁',
  '--checkpoint {0} (size {1}) does not cover entry {2}': '--checkpoint {0}（规模 {1}）不包括第 {2} 条',
  'no legal hold {0} in this ledger': '本台账中没有保全 {0}',
  'legal hold {0} was released already (entry #{1})': '保全 {0} 已经解除（第 {1} 条）',
  '--position must be an integer ≥ 0': '--position 必须是不小于 0 的整数',
  '--device is required: the key is not registered to a device':
    '需要 --device：该密钥未登记到任何执法记录仪',
  '--officer is required: the device has no assigned officer':
    '需要 --officer：该执法记录仪没有指定的执法人员',
  'unknown rule set {0} (known: {1})': '未知的规则集 {0}（已知：{1}）',
  '--agency-id and --agency-name go together': '--agency-id 与 --agency-name 必须同时给出',
  '--ledger takes a postgres:// or postgresql:// URL': '--ledger 需要 postgres:// 或 postgresql:// 地址',
  'this Node has no {0} decoder (it needs full ICU)': '当前 Node 没有 {0} 解码器（需要完整的 ICU）',
  '{0} is not {1} text (invalid bytes near offset {2}){3}; nothing written':
    '{0} 不是 {1} 文本（在偏移 {2} 附近有无效字节）{3}；未写入任何内容',
  '; if it is GB18030 or GBK, give --encoding gb18030': '；如为 GB18030 或 GBK 编码，请加 --encoding gb18030',
  'the inspector page is not built (dist/inspector.html): run `npm run build` in the package':
    '检查人员页面尚未构建（dist/inspector.html）：请在软件包中运行 `npm run build`',
  "witness name {0}: no spaces, '+' or control characters": "见证人名称 {0}：不得含空格、'+' 或控制字符",
  "{0} is not this ledger's checkpoint key: it has no log verifier key":
    '{0} 不是本台账的检查点密钥：它没有日志验证密钥',
  'give --label <{0}>': '请给出 --label <{0}>',
  '--label {0}: one of {1} (or 国家秘密, 商业秘密, 个人隐私)':
    '--label {0}：应为 {1} 之一（或 国家秘密、商业秘密、个人隐私）',
  '{0} is required': '需要 {0}',
  '--agency (or init --agency-id)': '--agency（或 init --agency-id）',
  '--external needs --organisation <unit> and --contact <personId> (the staff member handling it)':
    '--external 需要 --organisation <单位> 和 --contact <人员编号>（经办的工作人员）',
  '--organisation and --contact are for an --external request':
    '--organisation 和 --contact 只用于 --external 申请',
  '--seq {0}: an entry number': '--seq {0}：应为条目序号',
  'give --case <caseId>, --record <id> or --seq <n> (the files to purge)':
    '请给出 --case <案件编号>、--record <编号> 或 --seq <n>（要销毁的文件）',
  'entry {0} commits no file (see retention schedule)': '第 {0} 条未登记文件（见 retention schedule）',
  'no file to purge: {0}': '没有要销毁的文件：{0}',
  'this ledger does not declare {0} (a folder made before the retention and access kinds): run `enforcement-ledger declare-kinds`':
    '本台账未声明 {0}（该目录建于保存与调阅类条目之前）：请运行 `enforcement-ledger declare-kinds`',
  'give --record <id>, --seq <n> or --digest <hex> (the content to retrieve)':
    '请给出 --record <编号>、--seq <n> 或 --digest <十六进制>（要调阅的内容）',
  'give --record <id> or --seq <n>, not both': '请给出 --record <编号> 或 --seq <n>，不能同时给出',
  '--seq must be an entry number': '--seq 必须是条目序号',
  'no record commits content {0}': '没有记录登记内容 {0}',
  'no entry {0} (the log has {1})': '没有第 {0} 条（日志共有 {1} 条）',
  'the stored content of entry {0} does not match its digest {1}: not written (run verify --content)':
    '第 {0} 条存储的内容与其摘要 {1} 不符：未写出（请运行 verify --content）',
  'give --case <caseId> or --record <id> (what it covers)':
    '请给出 --case <案件编号> 或 --record <编号>（所涵盖的范围）',
  '--record: an id is given twice': '--record：同一编号给出了两次',
  'no document, segment or data record {0}': '没有文书、录像片段或数据记录 {0}',
  '--record {0} names records of several kinds ({1})': '--record {0} 对应多种记录（{1}）',
  'record {0} belongs to no case': '记录 {0} 不属于任何案件',
  'record {0} is in case {1}, not {2}': '记录 {0} 属于案件 {1}，而非 {2}',
  '{0} names records of several kinds (entries {1}): give the seq':
    '{0} 对应多种记录（第 {1} 条）：请给出条目序号',
  '--to must not be before --from': '--to 不得早于 --from',
  '--to {0} is after now: a period not yet over': '--to {0} 晚于当前时间：该期间尚未结束',
  'key {0} is not registered in this ledger': '密钥 {0} 未在本台账中登记',
  'no agency is registered in this ledger': '本台账中没有登记任何机构',
  '--agency is required: this ledger has {0} agencies ({1})': '需要 --agency：本台账有 {0} 个机构（{1}）',
  '{0} exists (not overwritten)': '{0} 已存在（未覆盖）',
  '--port {0}: a port number 0–65535': '--port {0}：应为 0–65535 之间的端口号',
  'the checkpoint interval must be at least {0} ms': '检查点间隔不得短于 {0} 毫秒',
  '--checkpoint-every {0}: a duration of at least {1}ms (500ms, 30s, 5m, 1h)':
    '--checkpoint-every {0}：应为不短于 {1}ms 的时长（如 500ms、30s、5m、1h）',
  '--checkpoint-every needs a checkpointKey in the server configuration':
    '--checkpoint-every 需要服务配置中的 checkpointKey',
  '{0}: {1} is not a time (ms, or ISO 8601 such as 2026-03-03T09:30 or 2026-03-03)':
    '{0}：{1} 不是时间（应为毫秒数，或 ISO 8601 格式，如 2026-03-03T09:30 或 2026-03-03）',
  '--content needs the ledger folder (its content store); a postgres:// URL is the ledger only':
    '--content 需要台账目录（其中的内容存储）；postgres:// 地址只含台账本身',
  '{0} is not JSON: {1}': '{0} 不是 JSON：{1}',
  '{0} is not an {1} file: {2}': '{0} 不是 {1} 文件：{2}',
  "key name {0}: use letters, digits, '.', '_' or '-'": "密钥名称 {0}：只能使用字母、数字、'.'、'_' 或 '-'",
  'no ledger folder at {0} (run init)': '{0} 处没有台账目录（请先运行 init）',
  '{0} is not a ledger folder: no config.json (run init)':
    '{0} 不是台账目录：没有 config.json（请先运行 init）',
  '{0} is not JSON': '{0} 不是 JSON',
  '{0} is not a {1} config': '{0} 不是 {1} 配置文件',
  "{0} names suite {1}, the ledger's manifest {2}": '{0} 所列密码套件为 {1}，台账清单所列为 {2}',
  // The content store (src/content/).
  'stored object is longer than recorded': '存储的文件比登记的长',
  'stored object is shorter than recorded': '存储的文件比登记的短',
  'stored object {0} differs from its record (verifyContent locates the change)':
    '存储的文件 {0} 与登记不符（verifyContent 可定位改动之处）',
  'chunk {0} (bytes {1}–{2}) of stored object {3} differs from the recorded chunk':
    '存储的文件 {3} 的第 {0} 分块（第 {1}–{2} 字节）与登记的分块不符',
  'content {0} is not in the store': '内容存储中没有 {0}',
  'tombstone {0} is malformed': '销毁记录文件 {0} 格式不正确',
  'cannot stat {0}': '无法读取 {0} 的文件信息',
  'cannot open content store {0}': '无法打开内容存储 {0}',
  'cannot create temporary file': '无法创建临时文件',
  'cannot store object {0}': '无法存入文件 {0}',
  'cannot open {0}': '无法打开 {0}',
  'cannot read {0}': '无法读取 {0}',
  'cannot purge {0}': '无法销毁 {0}',
  'short write to temporary file': '临时文件未能完整写入',
  '{0}: no such file': '{0}：文件不存在',
  'cannot write temporary file': '无法写入临时文件',
  'cannot fsync temporary file': '无法将临时文件同步到磁盘',
  // DER (src/crypto/der.ts, sm2-keys.ts): the reason a key or signature file is refused.
  truncated: '数据被截断',
  'multi-byte tag': '多字节标签',
  'indefinite or oversized length': '不定长或过长的长度',
  'truncated length': '长度被截断',
  'non-minimal length': '长度不是最短编码',
  'truncated value': '值被截断',
  '{0}: expected tag 0x{1}, got 0x{2}': '{0}：应为标签 0x{1}，实为 0x{2}',
  'empty INTEGER': 'INTEGER 为空',
  'negative INTEGER': 'INTEGER 为负数',
  'non-minimal INTEGER': 'INTEGER 不是最短编码',
  'INTEGER too large': 'INTEGER 过大',
  'trailing bytes': '末尾有多余的字节',
  'PKCS#8 version is not 0': 'PKCS#8 版本不是 0',
  'algorithm is not id-ecPublicKey with the SM2 curve (1.2.156.10197.1.301)':
    '算法不是使用 SM2 曲线（1.2.156.10197.1.301）的 id-ecPublicKey',
  'attributes or trailing bytes after privateKey': 'privateKey 之后有属性或多余的字节',
  'trailing bytes after ECPrivateKey': 'ECPrivateKey 之后有多余的字节',
  'ECPrivateKey version is not 1': 'ECPrivateKey 版本不是 1',
  'private key is {0} bytes, not 32': '私钥为 {0} 字节，而非 32 字节',
  'private key is not in [1, n-2]': '私钥不在 [1, n-2] 范围内',
  'parameters name a curve other than SM2': '参数指定的曲线不是 SM2',
  'publicKey is not a whole-byte BIT STRING': 'publicKey 不是整字节的 BIT STRING',
  'the public key in the file does not belong to its private key': '文件中的公钥与其私钥不匹配',
  'unexpected fields in ECPrivateKey': 'ECPrivateKey 中有多余的字段',
  'trailing fields': '末尾有多余的字段',
  'not a DER SM2Signature: {0}': '不是 DER 编码的 SM2Signature：{0}',
  'expected id-ecPublicKey, the SM2 curve and a 65-byte uncompressed point':
    '应为 id-ecPublicKey、SM2 曲线和 65 字节的非压缩点',
  'the point is not uncompressed': '该点不是非压缩形式',
  // Keys and signatures (src/crypto/).
  'public key must be 32 bytes, got {0}': '公钥必须为 32 字节，实为 {0}',
  'signature must be 64 bytes, got {0}': '签名必须为 64 字节，实为 {0}',
  '{0} must be 32 bytes, got {1}': '{0} 必须为 32 字节，实为 {1}',
  'seed must be 32 bytes, got {0}': '种子必须为 32 字节，实为 {0}',
  '{0} {1}: no such file': '{0} {1}：文件不存在',
  '{0} {1}: file exists': '{0} {1}：文件已存在',
  '{0} {1}: {2}': '{0} {1}：{2}',
  'cannot write private key file': '无法写入私钥文件',
  // The helper's literal part spelled out: a placeholder cannot tell where a phrase ends and a path begins.
  'cannot read private key file {0}: no such file': '无法读取私钥文件 {0}：文件不存在',
  'cannot write private key file {0}: file exists': '无法写入私钥文件 {0}：文件已存在',
  'cannot read private key file {0}: {1}': '无法读取私钥文件 {0}：{1}',
  'cannot write private key file {0}: {1}': '无法写入私钥文件 {0}：{1}',
  'cannot read private key file': '无法读取私钥文件',
  'I/O error': '读写错误',
  '{0} is too large for a key file': '{0} 过大，不是密钥文件',
  '{0} is not text': '{0} 不是文本',
  'not an Ed25519 {0} (expected the RFC 8410 DER form)': '不是 Ed25519 {0}（应为 RFC 8410 的 DER 形式）',
  'PKCS#8 private key': 'PKCS#8 私钥',
  'Ed25519 signing failed': 'Ed25519 签名失败',
  'not a strict "{0}" PEM: {1}': '不是严格的“{0}” PEM：{1}',
  'not a strict "{0}" PEM: bad base64': '不是严格的“{0}” PEM：base64 无效',
  'too long': '过长',
  'too few lines': '行数过少',
  'missing or wrong BEGIN line': 'BEGIN 行缺失或不正确',
  'missing or wrong END line': 'END 行缺失或不正确',
  'line {0} is not base64': '第 {0} 行不是 base64',
  'line {0} is not 64 characters': '第 {0} 行不是 64 个字符',
  'signer is closed': '签名程序已关闭',
  'signing process exited ({0}){1}': '签名进程已退出（{0}）{1}',
  'cannot run signing process {0}': '无法运行签名进程 {0}',
  'signing process did not answer {0} within {1} ms': '签名进程未在 {1} 毫秒内答复 {0}',
  'signing process refused: {0}': '签名进程拒绝：{0}',
  'signing process reply has no {0}': '签名进程的答复中没有 {0}',
  'signing process reply field {0} is not base64': '签名进程答复的字段 {0} 不是 base64',
  'signing process gave an unusable {0} public key': '签名进程给出的 {0} 公钥不可用',
  'signing process returned a signature that does not verify under its {0} key':
    '签名进程返回的签名无法用其 {0} 密钥验证',
  'signing process wrote a line that is not JSON': '签名进程输出的一行不是 JSON',
  'unknown crypto suite {0} (known: {1})': '未知的密码套件 {0}（已知：{1}）',
  'not a private key of a known suite (PKCS#8 {0})': '不是已知密码套件的私钥（PKCS#8 {0}）',
  'not an SM2 {0}: {1}': '不是 SM2 {0}：{1}',
  'public key must be {0} bytes, got {1}': '公钥必须为 {0} 字节，实为 {1}',
  '{0} must be {1} bytes, got {2}': '{0} 必须为 {1} 字节，实为 {2}',
  '{0} must be an uncompressed point (first byte 0x04)': '{0} 必须是非压缩点（首字节为 0x04）',
  '{0} is not in [1, n-2] (GB/T 32918.2 §6.1)': '{0} 不在 [1, n-2] 范围内（GB/T 32918.2 第 6.1 节）',
  'public key is not a point of the SM2 curve': '公钥不是 SM2 曲线上的点',
  'SM2 signing failed': 'SM2 签名失败',
  'SM2 signing gave {0} bytes, not 64': 'SM2 签名得到 {0} 字节，而非 64 字节',
  // Canonical CBOR (src/encoding/).
  'cannot decode: {0}': '无法解码：{0}',
  'unexpected end of input': '输入意外结束',
  'argument fits in the initial byte': '参数可放入首字节（不是最短编码）',
  'argument fits in 1 byte': '参数可放入 1 个字节（不是最短编码）',
  'argument fits in 2 bytes': '参数可放入 2 个字节（不是最短编码）',
  'argument fits in 4 bytes': '参数可放入 4 个字节（不是最短编码）',
  'indefinite length': '不定长编码',
  'unexpected break': '意外的 break 标记',
  'invalid additional information': '附加信息无效',
  'reserved additional information': '附加信息为保留值',
  'length exceeds remaining input': '长度超出剩余输入',
  'invalid UTF-8 in text string': '文本串中有无效的 UTF-8',
  'nesting deeper than {0}': '嵌套超过 {0} 层',
  'tags are not allowed': '不允许使用标签',
  'floating-point value': '浮点数值',
  'map key is not a text string': '映射的键不是文本串',
  'duplicate map key {0}': '映射的键 {0} 重复',
  'map key {0} out of order': '映射的键 {0} 顺序不对',
  'undefined is not allowed': '不允许 undefined',
  'invalid simple value encoding': '简单值的编码无效',
  'unassigned simple value': '未分配的简单值',
  'bytes after the data item': '数据项之后还有字节',
  'string has a lone surrogate': '字符串含有孤立的代理项',
  'integer {0} outside CBOR range': '整数 {0} 超出 CBOR 范围',
  '{0} is not an integer': '{0} 不是整数',
  '{0} is not a safe integer; pass a bigint': '{0} 不是安全整数；请使用 bigint',
  'cannot encode {0}': '无法编码 {0}',
  'cannot encode value: {0}': '无法编码该值：{0}',
  // Entries and the ledger (src/ledger/).
  'entry: {0}': '条目：{0}',
  'signed entry must be a 2-element array': '已签名条目必须是含 2 个元素的数组',
  'entry must be a byte string': '条目必须是字节串',
  'signature must be a 64-byte string': '签名必须是 64 字节的字节串',
  'entry must be a map': '条目必须是映射',
  'entry keys must be exactly {0}': '条目的键必须恰为 {0}',
  'v must be an unsigned integer': 'v 必须是无符号整数',
  'l (ledger id) must be 32 bytes': 'l（台账标识）必须为 32 字节',
  's (seq) must be an unsigned integer': 's（序号）必须是无符号整数',
  'p (prev) must be 32 bytes': 'p（前一条目哈希）必须为 32 字节',
  't (time) must be an unsigned integer': 't（时间）必须是无符号整数',
  'k (kind) must be a non-empty text string': 'k（条目类型）必须是非空文本串',
  'a (signer key id) must be 32 bytes': 'a（签名密钥标识）必须为 32 字节',
  'c (content) must be an array': 'c（内容）必须是数组',
  'c[{0}] must be [digest(32), size, chunkRoot(32)]': 'c[{0}] 必须是 [摘要(32), 大小, 分块根(32)]',
  'this ledger uses suite {0}, not {1}': '本台账使用密码套件 {0}，而非 {1}',
  'a ledger already exists here; use Ledger.open': '此处已有台账；请使用 Ledger.open',
  'no ledger here (no manifest entry)': '此处没有台账（没有清单条目）',
  '{0}: {1}; run verify': '{0}：{1}；请运行 verify',
  'stored tree does not match the last entry; run verify': '存储的默克尔树与最后一个条目不符；请运行 verify',
  'entry {0} is {1}, not {2}': '第 {0} 条是 {1}，而非 {2}',
  'no entry {0}': '没有第 {0} 条',
  'entry {0} is not a valid entry; run verify': '第 {0} 条不是有效的条目；请运行 verify',
  'tree node ({0}, {1}) is missing or malformed; run verify':
    '默克尔树节点（{0}, {1}）缺失或格式不正确；请运行 verify',
  'checkpointSigner is not the checkpoint key of the manifest': 'checkpointSigner 不是清单中的检查点密钥',
  'refusing to sign: the checkpoint at size {0} does not match this log; run verify':
    '拒绝签名：规模为 {0} 的检查点与本日志不符；请运行 verify',
  'ledger is closed': '台账已关闭',
  'the log moved under a staged batch': '暂存批次所依据的日志已被改动',
  'the store holds {0} entries, fewer than the {1} this ledger has seen; run verify':
    '存储中只有 {0} 个条目，少于本台账曾有的 {1} 个；请运行 verify',
  'entry {0} is missing below the head {1}; run verify': '末尾第 {1} 条之前缺少第 {0} 条；请运行 verify',
  'a manifest may only be entry 0': '清单只能是第 0 条',
  'the manifest must be signed by one of its root keys': '清单必须由其列明的根密钥之一签名',
  'signer public key differs from the registered key': '签名人的公钥与登记的密钥不同',
  'signer returned a signature that does not verify for this entry under its public key; nothing written':
    '签名程序返回的签名无法用其公钥验证该条目；未写入任何内容',
  'signer failed: {0}': '签名失败：{0}',
  'signer returned a signature that is not {0} bytes': '签名程序返回的签名不是 {0} 字节',
  'the store is closed': '存储已关闭',
  '{0} is locked by another process (one writer per ledger)':
    '{0} 已被另一个进程锁定（每个台账只允许一个写入进程）',
  '{0}: no ledger here': '{0}：此处没有台账',
  '{0}: database corrupt: {1}': '{0}：数据库已损坏：{1}',
  '{0} is closed': '{0} 已关闭',
  "{0}: schema version {1} predates this library's {2}; open it for writing once to migrate":
    '{0}：数据库结构版本 {1} 早于本程序的 {2}；以写入方式打开一次即可迁移',
  '{0}: the head row is missing': '{0}：缺少末尾记录行',
  "{0}: schema version {1} is newer than this library's {2}; upgrade enforcement-ledger":
    '{0}：数据库结构版本 {1} 新于本程序的 {2}；请升级 enforcement-ledger',
  '{0}: a key is already stored (the store was written outside the head lock); run verify':
    '{0}：该键已存在（存储曾在末尾锁之外被写入）；请运行 verify',
  '{0}: {1}{2}': '{0}：{1}{2}',
  '{0}: connect': '{0}：连接',
  '{0}: append': '{0}：追加',
  '{0}: snapshot': '{0}：快照',
  'signer {0}… is not registered': '签名密钥 {0}… 未登记',
  'signer {0} was revoked at seq {1}': '签名人 {0} 已于第 {1} 条被撤销',
  'kind {0} is not declared in this ledger': '本台账未声明条目类型 {0}',
  '{0} holds [{1}] but {2} needs one of [{3}]': '{0} 具有角色 [{1}]，而 {2} 需要 [{3}] 中的一个',
  // Merkle proofs (src/merkle/).
  '{0} must be a safe non-negative integer': '{0} 必须是安全的非负整数',
  'proof must have {0} hashes for these sizes, got {1}': '对这些规模，证明应有 {0} 个哈希值，实有 {1} 个',
  'index {0} is not below size {1}': '索引 {0} 不小于规模 {1}',
  'proof is longer than the path': '证明比路径长',
  'proof is shorter than the path': '证明比路径短',
  'size1 {0} is greater than size2 {1}': 'size1 {0} 大于 size2 {1}',
  'no consistency proof exists from the empty tree': '从空树出发不存在一致性证明',
  // Retention and purge (src/retention/): the reasons of a refused 销毁.
  'the purge cites policy {0}…, not {1} v{2}': '销毁所引用的保存策略为 {0}…，而非 {1} 第 {2} 版',
  'no purge request {0} by an archivist precedes the purge': '销毁之前没有档案管理人员提出的销毁申请 {0}',
  'no purge approval {0} by the head precedes the purge': '销毁之前没有机构负责人的销毁批准 {0}',
  'purge approval {0} was rejected': '销毁审批 {0} 为否决',
  '{0} both requested and approved the purge (two people are required)':
    '{0} 既申请又批准了销毁（须由两人分别办理）',
  'target {0} is not in purge request {1}': '对象 {0} 不在销毁申请 {1} 之列',
  'target {0} is not in purge approval {1}': '对象 {0} 不在销毁批准 {1} 之列',
  'entry {0} commits no such content': '第 {0} 条未登记该内容',
  'entry {0} is kept permanently ({1})': '第 {0} 条应永久保存（{1}）',
  'entry {0} has no expiry yet ({1})': '第 {0} 条尚无到期日（{1}）',
  'entry {0} ({1}) is retained until {2}': '第 {0} 条（{1}）保存至 {2}',
  'entry {0}: cited expiry {1} is not the computed {2}': '第 {0} 条：所引用的到期日 {1} 与计算结果 {2} 不符',
  'entry {0} is under legal hold (seq {1})': '第 {0} 条处于保全之中（第 {1} 条）',
  'the content of entry {0} is also committed by entries {1}': '第 {0} 条的内容也由第 {1} 条登记',
  '{0} names entry {1}, not a purge': '{0} 指向第 {1} 条，不是销毁',
  'no purge request {0}': '没有销毁申请 {0}',
  // Witnesses (src/witness/).
  'origin {0} is not a log this witness follows': '来源 {0} 不是本见证人所跟踪的日志',
  '{0} is not a {1} file': '{0} 不是 {1} 文件',
  'witness refused: {0}': '见证人拒绝：{0}',
  'witness state {0}: {1}': '见证状态 {0}：{1}',
  'cannot read witness state {0}': '无法读取见证状态 {0}',
  'cannot write witness state {0}': '无法写入见证状态 {0}',
  'not JSON': '不是 JSON',
  'not a {0} file': '不是 {0} 文件',
  'bad state for {0}': '{0} 的状态无效',
  'bad root hash for {0}': '{0} 的根哈希无效',
  'store must be a LedgerStore': 'store 必须是 LedgerStore',
  'name must be a non-empty string without NUL': 'name 必须是不含 NUL 的非空字符串',
  'origin must be a non-empty string': 'origin 必须是非空字符串',
  'no valid cosignature by {0} in the witness response': '见证人的答复中没有 {0} 的有效联署签名',
  // Worker threads (src/workers/).
  '{0} pool is closed': '{0} 线程池已关闭',
  '{0} worker {1}': '{0} 辅助线程{1}',
  '{0} worker failed: {1}': '{0} 辅助线程失败：{1}',
  '{0} job could not be posted': '{0} 任务无法提交',
  'received a message it could not read': '收到了无法读取的消息',
  'failed: {0}': '失败：{0}',
  'exited (code {0})': '已退出（代码 {0}）',
  // Arguments the library refuses (TypeError / RangeError): the command line prints them as USAGE.
  'body must be an object': 'body 必须是对象',
  "chunk {0} is beyond the content's {1} chunk(s)": '第 {0} 分块超出该内容的 {1} 个分块',
  'd.caseId must be an id': 'd.caseId 必须是编号',
  'd.recipient must be text': 'd.recipient 必须是文本',
  'entry {0} commits no {1}content': '第 {0} 条未登记{1}内容',
  'index must be a non-negative integer': 'index 必须是非负整数',
  'opts.requesterId must be an id': 'opts.requesterId 必须是编号',
  'target must be an entry seq or { seq, digest }': 'target 必须是条目序号或 { seq, digest }',
  'exporter must be a Signer': 'exporter 必须是 Signer',
  'parts must be an object': 'parts 必须是对象',
  'parts.ruleSet is required with cases': '含案件时必须给出 parts.ruleSet',
  'case {0} has no records at size {1}': '案件 {0} 在规模 {1} 时没有记录',
  'give exactly one of opts.caseIds and opts.sample': 'opts.caseIds 与 opts.sample 必须且只能给出其一',
  'opts must be an object': 'opts 必须是对象',
  'bytes must be a Uint8Array': 'bytes 必须是 Uint8Array',
  'exporterKeyId must be 32 bytes': 'exporterKeyId 必须为 32 字节',
  'checkpointBody must be a non-empty string': 'checkpointBody 必须是非空字符串',
  'k must be an integer in [0, n]': 'k 必须是 [0, n] 范围内的整数',
  'k must be an integer in [0, population.length]': 'k 必须是 [0, population.length] 范围内的整数',
  'n must be a safe non-negative integer': 'n 必须是安全的非负整数',
  'nonce must be a Uint8Array': 'nonce 必须是 Uint8Array',
  'nonce must be {0}..{1} bytes': 'nonce 必须为 {0}..{1} 字节',
  'population must be an array': 'population 必须是数组',
  'population must be sorted ascending with no duplicates': 'population 必须按升序排列且无重复',
  'seed must be 32 bytes': '种子必须为 32 字节',
  'case record names another case': '案件记录指向另一案件',
  'no rule set': '没有规则集',
  'trust must be an object': 'trust 必须是对象',
  'trust.content must be an array of Uint8Array': 'trust.content 必须是 Uint8Array 数组',
  'trust.nonce must be a Uint8Array': 'trust.nonce 必须是 Uint8Array',
  'trust.witnesses must be { witnesses, quorum }': 'trust.witnesses 必须是 { witnesses, quorum }',
  'base64 length must be a multiple of 4': 'base64 的长度必须是 4 的倍数',
  'base64 text must be a string': 'base64 文本必须是字符串',
  'hex must be a string': '十六进制文本必须是字符串',
  'invalid base64 character at {0}': '第 {0} 个字符不是 base64 字符',
  'non-canonical base64 (trailing bits)': '不是规范的 base64（末尾有多余的位）',
  'checkpoint body must be a string': '检查点正文必须是字符串',
  'rootHash must be 32 bytes': 'rootHash 必须为 32 字节',
  'size must be a safe non-negative integer': 'size 必须是安全的非负整数',
  'trustedKeys must be type 0x01 log keys': 'trustedKeys 必须是类型 0x01 的日志密钥',
  'witnesses must be type 0x04 keys': 'witnesses 必须是类型 0x04 的密钥',
  '{0} must be a non-empty single line': '{0} 必须是非空的单行文本',
  'checkpoint body must be at least three newline-terminated lines':
    '检查点正文必须至少有三行且每行以换行结尾',
  'key is not a cosignature/v1 key': '该密钥不是 cosignature/v1 密钥',
  'timeSeconds must be a safe non-negative integer': 'timeSeconds 必须是安全的非负整数',
  'key must be an object': 'key 必须是对象',
  'key name must be non-empty with no spaces, "+" or control characters':
    '密钥名称不能为空，且不得含空格、"+" 或控制字符',
  'key {0} has a wrong keyId': '密钥 {0} 的 keyId 不正确',
  'publicKey must be a Uint8Array': 'publicKey 必须是 Uint8Array',
  'publicKey must be a {0}-byte {1} key': 'publicKey 必须是 {0} 字节的 {1} 密钥',
  'type must be 0x01 or 0x04': 'type 必须是 0x01 或 0x04',
  'vkey has an unknown signature type': '验证密钥的签名类型未知',
  'vkey key id does not match its name and key': '验证密钥的密钥标识与其名称和密钥不符',
  'vkey key id must be 8 lowercase hex digits': '验证密钥的密钥标识必须是 8 位小写十六进制',
  'vkey key is not canonical base64': '验证密钥的密钥部分不是规范的 base64',
  'vkey must be <name>+<hex key id>+<base64 key>':
    '验证密钥的格式必须是 <名称>+<十六进制密钥标识>+<base64 密钥>',
  'vkey must be a string': '验证密钥必须是字符串',
  'a note holds at most {0} signatures': '一个 note 至多有 {0} 个签名',
  'a note needs at least one signature': '一个 note 至少需要一个签名',
  'known keys must be of the verifying suite {0}': '已知密钥必须属于验证所用的密码套件 {0}',
  'knownKeys must be an array': 'knownKeys 必须是数组',
  'note must be a string or Uint8Array': 'note 必须是字符串或 Uint8Array',
  'note text must be a string': 'note 文本必须是字符串',
  'at most 63 proof hashes': '证明至多有 63 个哈希值',
  'body must be a string': 'body 必须是字符串',
  'oldSize must be a safe integer ≥ 0': 'oldSize 必须是不小于 0 的安全整数',
  'stdin input is larger than 16 MiB': '标准输入超过 16 MiB',
  'calendar has no working day within two years': '工作日历在两年内没有工作日',
  'calendar must be a WorkingDayCalendar': 'calendar 必须是 WorkingDayCalendar',
  'data must be a CalendarData object': 'data 必须是 CalendarData 对象',
  'data.version must be a non-empty string': 'data.version 必须是非空字符串',
  'data.years must be an array': 'data.years 必须是数组',
  'n must be an integer from 0 to 366': 'n 必须是 0 到 366 之间的整数',
  'records must be an array of records': 'records 必须是记录数组',
  'records must hold exactly one enf/case record, found {0}':
    'records 必须恰有一条 enf/case 记录，实有 {0} 条',
  'records: seq {0} appears twice': 'records：序号 {0} 出现了两次',
  'ms must be a finite number': 'ms 必须是有限数值',
  '{0} must be a finite ms timestamp or a YYYY-MM-DD string':
    '{0} 必须是有限的毫秒时间戳或 YYYY-MM-DD 字符串',
  '{0} must be a valid YYYY-MM-DD date, got {1}': '{0} 必须是有效的 YYYY-MM-DD 日期，实为 {1}',
  'options.asOf must be an integer ms timestamp': 'options.asOf 必须是整数毫秒时间戳',
  'ruleSets must be a non-empty array': 'ruleSets 必须是非空数组',
  'view must be a CaseView { case, records }': 'view 必须是 CaseView { case, records }',
  'views must be an array of CaseView': 'views 必须是 CaseView 数组',
  'ruleSet must be a RuleSet object': 'ruleSet 必须是 RuleSet 对象',
  'chunk hashes must be a multiple of 32 bytes': '分块哈希的长度必须是 32 字节的倍数',
  'excerpt must be { index, bytes, proof }': 'excerpt 必须是 { index, bytes, proof }',
  'excerpt.bytes must be a Uint8Array': 'excerpt.bytes 必须是 Uint8Array',
  'excerpt.proof must be an array of Uint8Array': 'excerpt.proof 必须是 Uint8Array 数组',
  'hash must be a function': 'hash 必须是函数',
  'index {0} is not below the chunk count {1}': '索引 {0} 不小于分块数 {1}',
  'leafHashes must be an array of Uint8Array': 'leafHashes 必须是 Uint8Array 数组',
  'target must be { size, chunkRoot }': 'target 必须是 { size, chunkRoot }',
  'target.chunkRoot must be a 32-byte Uint8Array': 'target.chunkRoot 必须是 32 字节的 Uint8Array',
  'target.size must be a non-negative integer': 'target.size 必须是非负整数',
  'dir must be a non-empty path': 'dir 必须是非空路径',
  'opts.directIO must be a boolean': 'opts.directIO 必须是布尔值',
  'purgeSeq must be a non-negative integer': 'purgeSeq 必须是非负整数',
  'range.end must be an integer ≥ range.start': 'range.end 必须是不小于 range.start 的整数',
  'range.start must be a non-negative integer': 'range.start 必须是非负整数',
  'lookup must be a function': 'lookup 必须是函数',
  'source must be a non-empty path or a stream': 'source 必须是非空路径或流',
  'source must be a path or a stream': 'source 必须是路径或流',
  'source must yield Uint8Array chunks': 'source 必须产出 Uint8Array 数据块',
  '{0} must be 32 bytes': '{0} 必须为 32 字节',
  '{0} must be 64 hex characters': '{0} 必须是 64 位十六进制字符',
  '{0} must be a ContentRef': '{0} 必须是 ContentRef',
  '{0} must be a Uint8Array or a hex string': '{0} 必须是 Uint8Array 或十六进制字符串',
  '{0}.size must be a non-negative integer': '{0}.size 必须是非负整数',
  '{0}.{1} must be 32 bytes': '{0}.{1} 必须为 32 字节',
  '{0}.{1} must be a Uint8Array': '{0}.{1} 必须是 Uint8Array',
  'opts.chunkHashes must be a Uint8Array': 'opts.chunkHashes 必须是 Uint8Array',
  'path must be a non-empty string': 'path 必须是非空字符串',
  'message must be a Uint8Array': 'message 必须是 Uint8Array',
  'seed must be a Uint8Array': 'seed 必须是 Uint8Array',
  'signature must be a Uint8Array': 'signature 必须是 Uint8Array',
  '{0} must be a Uint8Array': '{0} 必须是 Uint8Array',
  'data must be a Uint8Array': 'data 必须是 Uint8Array',
  'pem must be a string': 'pem 必须是字符串',
  'options.suite must be a suite id, got {0}': 'options.suite 必须是密码套件标识，实为 {0}',
  'options.threads must be 1…64': 'options.threads 必须在 1…64 之间',
  'options.command must be a non-empty string': 'options.command 必须是非空字符串',
  'options.timeoutMs must be a positive integer': 'options.timeoutMs 必须是正整数',
  "options.impl must be 'node' or 'portable', got {0}": "options.impl 必须是 'node' 或 'portable'，实为 {0}",
  'der must be a Uint8Array': 'der 必须是 Uint8Array',
  'e must be 32 bytes': 'e 必须为 32 字节',
  'document type name {0} is used by both {1} and {2}': '文书种类名称 {0} 同时被 {1} 和 {2} 使用',
  'document type {0} is declared twice': '文书种类 {0} 声明了两次',
  'extra must be an array of document types': 'extra 必须是文书种类数组',
  'extra: document type id {0} must be upper snake case (A-Z, 0-9, _)':
    'extra：文书种类标识 {0} 必须是大写下划线形式（A-Z、0-9、_）',
  'extra: {0} needs a Chinese name': 'extra：{0} 需要中文名称',
  'opts.defects: unknown defect {0}': 'opts.defects：未知的缺陷 {0}',
  'content must be an array of ContentRef': 'content 必须是 ContentRef 数组',
  'ledger must be a Ledger': 'ledger 必须是 Ledger',
  'principal must be an id': 'principal 必须是编号',
  'subject must be one of {0}': 'subject 必须是 {0} 之一',
  '{0} must be a Signer': '{0} 必须是 Signer',
  '{0} must be an object': '{0} 必须是对象',
  '{0} must be ms since epoch': '{0} 必须是自纪元起的毫秒数',
  'options.from must be a non-negative integer': 'options.from 必须是非负整数',
  'seq {0} is not before {1}': '序号 {0} 不在 {1} 之前',
  'opts.maxDepth must be an integer ≥ 0': 'opts.maxDepth 必须是不小于 0 的整数',
  'begin and end must be integers with 0 ≤ begin ≤ end': 'begin 与 end 必须是满足 0 ≤ begin ≤ end 的整数',
  'clock must return integer ms since epoch': 'clock 必须返回自纪元起的整数毫秒',
  'inputs must be a non-empty array': 'inputs 必须是非空数组',
  'keyId must be 64 hex digits': 'keyId 必须是 64 位十六进制',
  'level must be in [0, 52]': 'level 必须在 [0, 52] 范围内',
  'no checkpointSigner: pass one to Ledger.open to sign checkpoints':
    '没有 checkpointSigner：签署检查点须在 Ledger.open 时传入',
  'options are required': '必须给出 options',
  'origin must be a string': 'origin 必须是字符串',
  'seq must be < treeSize': 'seq 必须小于 treeSize',
  'seq must be a non-negative integer': 'seq 必须是非负整数',
  'signer must be a Signer': 'signer 必须是 Signer',
  "signatureChecks must be 'auto', 'workers' or 'here'": "signatureChecks 必须是 'auto'、'workers' 或 'here'",
  'signer.keyId does not match signer.publicKey': 'signer.keyId 与 signer.publicKey 不符',
  'size1 must be in [1, size2]': 'size1 必须在 [1, size2] 范围内',
  'subtrees [{0}, {1}) at level {2} are not complete at size {3}':
    '第 {2} 层的子树 [{0}, {1}) 在规模 {3} 时不完整',
  '{0} must be in [0, {1}]': '{0} 必须在 [0, {1}] 范围内',
  'location must be a folder path or an abstract-level database':
    'location 必须是目录路径或 abstract-level 数据库',
  'poolSize must be an integer ≥ 2': 'poolSize 必须是不小于 2 的整数',
  '{0} must be an integer number of milliseconds ≥ 0': '{0} 必须是不小于 0 的整数毫秒数',
  'a state key is at most {0} bytes, not {1}': '状态键最多 {0} 字节，而不是 {1} 字节',
  '{0}: the append lock (head row) is held by another session beyond the lock timeout; a hung appender? (pg_stat_activity shows it)':
    '{0}：追加锁（head 行）被另一会话持有，超过了锁等待时限；可能有追加进程挂起（可在 pg_stat_activity 中查看）',
  "a log key must not start with 0x{0} (the state rows' prefix)": '日志键不得以 0x{0} 开头（状态行的前缀）',
  'content index row of {0} is malformed': '内容索引中 {0} 的记录格式错误',
  'index must be a LedgerStore': 'index 必须是 LedgerStore',
  'schema must be lowercase letters, digits and _, starting with a letter or _':
    'schema 只能由小写字母、数字和 _ 组成，并以字母或 _ 开头',
  'url is not a valid URL': 'url 不是有效的地址',
  'url must be a postgres:// or postgresql:// URL': 'url 必须是 postgres:// 或 postgresql:// 地址',
  'kind {0} produced an invalid index row ({1})': '条目类型 {0} 生成了无效的索引行（{1}）',
  'unknown signature algorithm {0}': '未知的签名算法 {0}',
  'location must be a folder path, a postgres:// URL, an abstract-level database or a store':
    'location 必须是目录路径、postgres:// 地址、abstract-level 数据库或存储',
  'options.maxProblems must be a positive integer': 'options.maxProblems 必须是正整数',
  'hashes must hold {0} node hashes for size {1}': '规模为 {1} 时 hashes 必须含 {0} 个节点哈希',
  'hashes[{0}] must be 32 bytes': 'hashes[{0}] 必须为 32 字节',
  'leafHash must be 32 bytes': 'leafHash 必须为 32 字节',
  'tree size would exceed 2^53 - 1': '树的规模将超过 2^53 - 1',
  'begin must be <= end': 'begin 必须不大于 end',
  'hashes must not be empty': 'hashes 不能为空',
  'getMany must return one hash per id': 'getMany 必须为每个编号返回一个哈希值',
  'index must be < size': 'index 必须小于 size',
  'size1 must be <= size2': 'size1 必须不大于 size2',
  'size1 must be > 0': 'size1 必须大于 0',
  'proof must be an array of Uint8Array': 'proof 必须是 Uint8Array 数组',
  'from must be ms since epoch': 'from 必须是自纪元起的毫秒数',
  'months must be a non-negative integer': 'months 必须是非负整数',
  '{0} must be a RetentionPolicy': '{0} 必须是 RetentionPolicy',
  '{0}.{1} is malformed': '{0}.{1} 格式不正确',
  'seq {0} is not visible (size {1})': '序号 {0} 不可见（规模 {1}）',
  'at must be ms since epoch': 'at 必须是自纪元起的毫秒数',
  'entry {0} commits no content': '第 {0} 条未登记内容',
  'req must be an object': 'req 必须是对象',
  'req.purgeId must be an id': 'req.purgeId 必须是编号',
  'target must be a folder or a URL': 'target 必须是目录或地址',
  "entry {0} is {1} bytes: too long for an entry bundle's uint16 length":
    '第 {0} 条为 {1} 字节：超过条目包 uint16 长度的上限',
  'path must be a file path': 'path 必须是文件路径',
  'policy must be { witnesses, quorum }': 'policy 必须是 { witnesses, quorum }',
  'policy.quorum must be an integer in [0, witnesses.length]':
    'policy.quorum 必须是 [0, witnesses.length] 范围内的整数',
  'policy.witnesses must have distinct names': 'policy.witnesses 的名称不得重复',
  'options.size must be ≥ 1': 'options.size 必须不小于 1',
  'task.builtins must name worker_threads': 'task.builtins 必须列出 worker_threads',
  // Not errors of their own: a verify line, a refusal's suffix, a CLI message outside `new CliError`.
  'retention and access not checked: {0}': '未核查保存与调阅：{0}',
  '{0} (at byte {1})': '{0}（位于第 {1} 字节）',
  'a subcommand is required (see --help)': '需要给出子命令（见 --help）',
  'not a proof bundle': '不是证据包',
};

/** Messages from outside the library that its errors carry: commander (usage), V8's JSON.parse, Node's file system. */
export const EXTERNAL_ZH: Readonly<Record<string, string>> = {
  // commander (the `error: ` prefix is dropped before).
  "unknown option '{0}'": "未知选项 '{0}'",
  "unknown option '{0}' (Did you mean {1}?)": "未知选项 '{0}'（是否要用 {1}？）",
  "unknown option '{0}' (Did you mean one of {1}?)": "未知选项 '{0}'（是否要用 {1} 之一？）",
  "unknown command '{0}'": "未知命令 '{0}'",
  "unknown command '{0}' (Did you mean {1}?)": "未知命令 '{0}'（是否要用 {1}？）",
  "unknown command '{0}' (Did you mean one of {1}?)": "未知命令 '{0}'（是否要用 {1} 之一？）",
  "missing required argument '{0}'": "缺少必需的参数 '{0}'",
  "option '{0}' argument missing": "选项 '{0}' 缺少取值",
  "required option '{0}' not specified": "未给出必需的选项 '{0}'",
  '{0} cannot be used with {1}': '{0} 不能与 {1} 同时使用',
  "option '{0}'": "选项 '{0}'",
  "environment variable '{0}'": "环境变量 '{0}'",
  'too many arguments. Expected {0} argument but got {1}.': '参数过多：应有 {0} 个，实有 {1} 个',
  'too many arguments. Expected {0} arguments but got {1}.': '参数过多：应有 {0} 个，实有 {1} 个',
  "too many arguments for '{0}'. Expected {1} argument but got {2}.":
    "'{0}' 的参数过多：应有 {1} 个，实有 {2} 个",
  "too many arguments for '{0}'. Expected {1} arguments but got {2}.":
    "'{0}' 的参数过多：应有 {1} 个，实有 {2} 个",
  "option '{0}' argument '{1}' is invalid. {2}": "选项 '{0}' 的取值 '{1}' 无效。{2}",
  "command-argument value '{0}' is invalid for argument '{1}'. {2}": "参数 '{1}' 的取值 '{0}' 无效。{2}",
  'Allowed choices are {0}.': '可选值为 {0}。',
  // V8's JSON.parse (Node 20; newer V8 adds the line and column).
  'Unexpected end of JSON input': 'JSON 输入意外结束',
  'Unexpected token {0} in JSON at position {1}': 'JSON 第 {1} 个字符处有意外的符号 {0}',
  'Unexpected token \'{0}\', "{1}" is not valid JSON': '意外的符号 \'{0}\'，"{1}" 不是有效的 JSON',
  'Unexpected token \'{0}\', "{1}"... is not valid JSON': '意外的符号 \'{0}\'，"{1}"... 不是有效的 JSON',
  'Unexpected token \'{0}\', ..."{1}"... is not valid JSON':
    '意外的符号 \'{0}\'，..."{1}"... 不是有效的 JSON',
  'Unexpected token \'{0}\', ..."{1}" is not valid JSON': '意外的符号 \'{0}\'，..."{1}" 不是有效的 JSON',
  '"{0}" is not valid JSON': '"{0}" 不是有效的 JSON',
  "Expected property name or '}' in JSON at position {0}": "JSON 第 {0} 个字符处应为属性名或 '}'",
  "Expected ',' or '}' after property value in JSON at position {0}":
    "JSON 第 {0} 个字符处：属性值之后应为 ',' 或 '}'",
  "Expected ',' or ']' after array element in JSON at position {0}":
    "JSON 第 {0} 个字符处：数组元素之后应为 ',' 或 ']'",
  "Expected ':' after property name in JSON at position {0}": "JSON 第 {0} 个字符处：属性名之后应为 ':'",
  'Expected double-quoted property name in JSON at position {0}': 'JSON 第 {0} 个字符处应为带双引号的属性名',
  'Unterminated string in JSON at position {0}': 'JSON 第 {0} 个字符处字符串没有结束',
  'Bad control character in string literal in JSON at position {0}': 'JSON 第 {0} 个字符处字符串中有控制字符',
  'Bad escaped character in JSON at position {0}': 'JSON 第 {0} 个字符处有无效的转义字符',
  'Bad Unicode escape in JSON at position {0}': 'JSON 第 {0} 个字符处有无效的 Unicode 转义',
  'Unexpected non-whitespace character after JSON at position {0}': 'JSON 第 {0} 个字符处：JSON 之后还有内容',
  'Exponent part is missing a number in JSON at position {0}': 'JSON 第 {0} 个字符处：指数部分缺少数字',
  'No number after minus sign in JSON at position {0}': 'JSON 第 {0} 个字符处：负号之后没有数字',
  'Unterminated fractional number in JSON at position {0}': 'JSON 第 {0} 个字符处：小数没有结束',
  'Unexpected number in JSON at position {0}': 'JSON 第 {0} 个字符处有意外的数字',
  'Unexpected string in JSON at position {0}': 'JSON 第 {0} 个字符处有意外的字符串',
  '{0} (line {1} column {2})': '{0}（第 {1} 行第 {2} 列）',
  // Node's file system errors: `<code>: <description>, <syscall> '<path>'`.
  "ENOENT: no such file or directory, {0} '{1}'": "ENOENT：文件或目录不存在（{0} '{1}'）",
  "EACCES: permission denied, {0} '{1}'": "EACCES：权限不足（{0} '{1}'）",
  "EPERM: operation not permitted, {0} '{1}'": "EPERM：操作不被允许（{0} '{1}'）",
  "EISDIR: illegal operation on a directory, {0} '{1}'": "EISDIR：不能对目录进行此操作（{0} '{1}'）",
  "ENOTDIR: not a directory, {0} '{1}'": "ENOTDIR：不是目录（{0} '{1}'）",
  "EEXIST: file already exists, {0} '{1}'": "EEXIST：文件已存在（{0} '{1}'）",
  "ENOSPC: no space left on device, {0} '{1}'": "ENOSPC：设备空间不足（{0} '{1}'）",
  "EROFS: read-only file system, {0} '{1}'": "EROFS：只读文件系统（{0} '{1}'）",
};

/**
 * The Chinese name of each issue code of a ValidationError: every code src/ makes (test/cli/error-catalogue.test.ts
 * checks) and zod's; a code not here is printed as it is.
 */
export const ISSUE_ZH: Readonly<Record<string, string>> = {
  required: '缺少必填字段',
  invalid_type: '类型不正确',
  invalid_value: '取值无效',
  invalid_enum_value: '取值不在允许的范围内',
  invalid_literal: '取值不正确',
  invalid_string: '文本格式不正确',
  invalid_format: '格式不正确',
  invalid_union: '不符合任何一种允许的形式',
  invalid_json: '不是 JSON',
  invalid_bytes: '字节值无效',
  invalid_time: '时间无效',
  invalid_length: '长度不正确',
  invalid_id: '编号无效',
  invalid_kind: '条目类型无效',
  invalid_origin: '来源无效',
  invalid_chain: '先后关系无效',
  not_integer: '不是整数',
  not_encodable: '无法编码',
  too_small: '过小或过短',
  too_big: '过大或过长',
  too_large: '过大',
  too_deep: '嵌套层数过深',
  unrecognized_key: '不允许的字段',
  unrecognized_keys: '不允许的字段',
  unknown_field: '未知字段',
  unexpected_field: '不应有的字段',
  unknown_key: '未登记的密钥',
  unknown_kind: '未声明的条目类型',
  unknown_suite: '未知的密码套件',
  unknown_document_type: '未知的文书种类',
  unsupported_version: '不支持的版本',
  one_of: '应为所列取值之一',
  duplicate_item: '重复的项',
  duplicate_key: '重复的密钥或键',
  duplicate_id: '编号重复',
  duplicate_kind: '条目类型重复',
  duplicate_year: '年份重复',
  duplicate_token: '令牌重复',
  dangling_reference: '引用的记录不存在',
  reference_mismatch: '引用的记录不一致',
  reference_lacks_role: '被引用的人员不具备所需角色',
  end_before_start: '结束时间早于开始时间',
  case_archived: '案件已归档',
  action_not_ended: '执法活动尚未结束',
  mark_outside_segment: '标记不在录像片段的时间之内',
  revoked_key: '密钥已被撤销',
  already_revoked: '已经撤销',
  calendar_unknown: '未知的工作日历',
  wrong_reference_kind: '引用的记录种类不对',
  not_remote: '仅远程执法活动可有此字段',
  signer_mismatch: '签名人不是该执法记录仪',
  duplicate_position: '会话中该位置已有录像片段',
  session_mismatch: '会话属于另一执法记录仪或执法活动',
  session_gap: '会话中前一位置缺少录像片段',
  chain_mismatch: '与前一录像片段的摘要不衔接',
  case_not_closed: '案件须先结案才能归档',
  custodian_is_officer: '保管人是该执法活动的执法人员（第二十二条第一款）',
  content_mismatch: '所列文件与条目登记的文件数不符',
  already_superseded: '文书已被更正替代',
  check_failed: '核查失败',
  unknown_retention_class: '未知的保存类别',
  segment_content: '录像片段须恰有一个内容引用',
  restart_required: '该项修改须重启服务才能生效',
  wrong_suite: '密钥的密码套件与账本不符',
  attach_one: '--attach 须恰好对应一条记录',
  custom: '不符合要求',
};

interface Compiled {
  readonly re: RegExp;
  readonly zh: string;
  /** The placeholder index of each capture group, in order. */
  readonly slots: readonly number[];
  /** Literal characters: the more, the more specific. */
  readonly weight: number;
  /** Whether the literal text has an English word: a template that translates something by itself. */
  readonly worded: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(en: string, zh: string): Compiled {
  const parts = en.split(/\{(\d+)\}/);
  let source = '';
  const slots: number[] = [];
  let literal = '';
  parts.forEach((p, i) => {
    if (i % 2) {
      slots.push(Number(p));
      source += '([\\s\\S]*?)';
    } else {
      literal += p;
      source += escapeRe(p);
    }
  });
  return {
    re: new RegExp(`^${source}$`),
    zh,
    slots,
    weight: literal.length,
    worded: /[a-z]{3,}/i.test(literal),
  };
}

let compiled: readonly Compiled[] | undefined;
const templates = (): readonly Compiled[] =>
  (compiled ??= [...Object.entries(DETAIL_ZH), ...Object.entries(EXTERNAL_ZH)]
    .map(([en, zh]) => compile(en, zh))
    .sort((a, b) => b.weight - a.weight));

/**
 * A message in Chinese by the catalogue, or undefined when no template matches it. Of the templates that match, the
 * one that explains the most wins: its literal text plus that of the messages rendered in its values (`<file>: <a
 * catalogued message>` is read as `{0}: {1}` with {1} rendered). A template without words of its own (`{0}: {1}`)
 * counts only when one of its values is rendered.
 */
export function detailZh(message: string): string | undefined {
  return render(message, 0)?.text;
}

function render(message: string, depth: number): { text: string; score: number } | undefined {
  let best: { text: string; score: number } | undefined;
  for (const t of templates()) {
    const m = t.re.exec(message);
    if (!m) continue;
    const values = new Map<number, string>();
    let score = t.weight;
    let rendered = false;
    t.slots.forEach((slot, i) => {
      const v = m[i + 1]!;
      // A value that is itself a message (a cause's text) is rendered too; a path or an id matches no template.
      const inner = depth < 4 ? render(v, depth + 1) : undefined;
      if (inner) {
        rendered = true;
        score += inner.score;
      }
      values.set(slot, inner?.text ?? v);
    });
    if (!t.worded && !rendered) continue;
    if (best && best.score >= score) continue;
    best = { text: t.zh.replace(/\{(\d+)\}/g, (_, n: string) => values.get(Number(n)) ?? ''), score };
  }
  return best;
}

const renderPath = (path: Issue['path']) => (path.length ? path.join('.') : '（根）');

/** A ValidationError's issues in Chinese: path, the code's name, the code (as the en line and --json give it). */
export function issuesZh(issues: readonly Pick<Issue, 'code' | 'path'>[]): string {
  const shown = issues
    .slice(0, 5)
    .map((i) => `${renderPath(i.path)}：${ISSUE_ZH[i.code] ? `${ISSUE_ZH[i.code]}（${i.code}）` : i.code}`);
  return `${shown.join('；')}${issues.length > 5 ? `；另有 ${issues.length - 5} 项` : ''}`;
}

/**
 * The detail of an error line in Chinese. `message` is the one-line English detail the en line prints; `err`, when
 * given, is the thrown error, whose structure is used where it has one. Falls back to the English message.
 */
export function errorDetailZh(message: string, err?: unknown): string {
  if (err instanceof ValidationError && err.message.startsWith('validation failed: '))
    return issuesZh(err.issues);
  if (err instanceof EncodingError && err.offset !== undefined) {
    const suffix = ` (at byte ${err.offset})`;
    const base = err.message.endsWith(suffix) ? err.message.slice(0, -suffix.length) : err.message;
    return `${detailZh(base) ?? base}（位于第 ${err.offset} 字节）`;
  }
  if (err instanceof PolicyError) {
    const others = err.reasons.slice(1).map((r) => r.code);
    const seq = err.eventSeq;
    const first = err.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    return `${detailZh(first) ?? first}${others.length ? `；另有：${others.join('、')}` : ''}${seq === undefined ? '' : `（该拒绝已记录为第 ${seq} 条）`}`;
  }
  return detailZh(message) ?? message;
}
