/**
 * The Chinese meaning of each error code the command line prints (issue 18 item 5: `--lang zh` output is Chinese
 * throughout). The line keeps its stable form `error <CODE>: <text>` — scripts match the code — and under zh the text
 * is the code's meaning in Chinese followed by the detail (`详情：`) in Chinese (src/cli/error-details.ts), which keeps
 * the paths, files and values involved as the library reported them. Codes of the problem catalogue (src/problems.ts: policy refusals such as a
 * missing role or a purge before expiry) take the catalogue's words; the error families' codes take the table below;
 * a code in neither is described by its exit class, so no line is left without Chinese.
 */
import { describeProblem, isProblemCode } from '../problems';
import { errorDetailZh } from './error-details';
import { EXIT, type ExitCode } from './exit';

export const ERROR_ZH: Readonly<Record<string, string>> = {
  // Command line.
  USAGE: '命令用法有误（参数缺失、取值不合法或相互冲突）',
  NOT_FOUND: '找不到所指的对象（台账目录、记录、文件或条目）',
  INTERNAL: '内部错误：请保留输出并报告',
  INPUT_ENCODING: '输入文件的字符编码无法按所给编码读取',
  HOLD_RELEASED: '该保全已经解除',
  EXCERPT_MALFORMED: '摘录文件格式不正确',
  RECORD_INVALID: '记录不符合其格式要求',
  KIND_UNDECLARED: '该台账未声明此类条目',
  NOTHING_TO_PURGE: '没有可以销毁的内容',
  BUNDLE_MALFORMED: '证据包格式不正确',
  ORIGIN_UNTRUSTED: '该台账不是您信任的台账',
  ANCHOR_BAD_KEY: '所给的台账公钥无效',
  ANCHOR_BAD_NONCE: '所给的随机数无效',
  ANCHOR_BAD_ORIGIN: '所给的台账名称无效',
  ANCHOR_BAD_QUORUM: '所给的见证法定数无效',
  ANCHOR_BAD_RULE_SET: '所给的规则集标识无效',
  ANCHOR_ORIGIN_MISMATCH: '所给的台账名称与台账公钥不一致',
  // Bytes and encodings.
  ENCODING_MALFORMED: '数据不是有效的编码',
  ENCODING_TRAILING_BYTES: '数据末尾有多余的字节',
  ENCODING_NON_CANONICAL: '数据不是规范编码',
  ENCODING_NON_SHORTEST_INT: '整数没有使用最短编码',
  ENCODING_INDEFINITE_LENGTH: '数据使用了不定长编码',
  ENCODING_UNSORTED_KEYS: '映射的键没有按规范顺序排列',
  ENCODING_DUPLICATE_KEY: '映射中有重复的键',
  ENCODING_FLOAT: '数据中含有浮点数（不允许）',
  ENCODING_TAG: '数据中含有不支持的标签',
  ENCODING_UNSUPPORTED_TYPE: '数据中含有不支持的类型',
  ENCODING_INTEGER_RANGE: '整数超出允许的范围',
  ENCODING_TOO_DEEP: '数据嵌套层数过深',
  ENCODING_BAD_TEXT: '文本不是有效的 UTF-8',
  ENCODING_BAD_HEX: '十六进制文本无效',
  // Keys, signatures, suites.
  CRYPTO_UNKNOWN_SUITE: '未知的密码套件',
  CRYPTO_BAD_KEY: '密钥无效',
  CRYPTO_BAD_SIGNATURE: '签名无效',
  CRYPTO_BAD_PEM: '密钥文件（PEM）格式不正确',
  CRYPTO_SIGNER_FAILED: '签名设备或签名程序返回了无效的签名，未写入任何内容',
  CRYPTO_BAD_NOTE: '检查点文本格式不正确',
  CRYPTO_BAD_PROOF: '证明无效',
  // Storage.
  STORAGE_LOCKED: '台账正被另一个进程写入（每个台账只允许一个写入进程）',
  STORAGE_NOT_FOUND: '找不到台账或文件',
  STORAGE_EXISTS: '目标已经存在',
  STORAGE_IO: '存储或文件读写失败',
  STORAGE_CORRUPT: '数据库已损坏',
  STORAGE_CLOSED: '台账已关闭',
  STORAGE_CONTENT_MISSING: '内容存储中缺少该文件',
  STORAGE_VERSION: '存储格式版本比本程序新',
  // Records and workers.
  VALIDATION_FAILED: '记录或参数未通过格式校验',
  WORKER_FAILED: '辅助线程失败，本次操作未写入任何内容',
};

const BY_EXIT: Readonly<Record<ExitCode, string>> = {
  [EXIT.ok]: '完成',
  [EXIT.problems]: '发现问题',
  [EXIT.usage]: '请求或输入被拒绝，未写入任何内容',
  [EXIT.io]: '存储或文件读写失败',
};

/** The Chinese meaning of an error code. */
export function errorMeaningZh(code: string, exit: ExitCode): string {
  const own = ERROR_ZH[code];
  if (own !== undefined) return own;
  if (isProblemCode(code)) return describeProblem(code, 'zh');
  return BY_EXIT[exit];
}

/**
 * The text after `error <CODE>: ` in the given language: under zh the code's meaning, then the detail in Chinese
 * (src/cli/error-details.ts; `err` is the thrown error, whose issues, offset or reasons are rendered from their codes).
 */
export function errorText(
  c: { code: string; message: string; exit: ExitCode },
  lang: 'zh' | 'en',
  err?: unknown,
): string {
  return lang === 'zh'
    ? `${errorMeaningZh(c.code, c.exit)}。详情：${errorDetailZh(c.message, err)}`
    : c.message;
}
