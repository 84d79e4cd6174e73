/** Every rule this library ships, by id. A rule set chooses which of them apply. */
import type { Rule } from './rule';
import type { RuleId } from './rule-set';
import { art08DataConsistency } from './rules/art08-data-consistency';
import { art09Officers } from './rules/art09-officers';
import { art11MandatoryAv } from './rules/art11-mandatory-av';
import { art12AvAsRequired } from './rules/art12-av-as-required';
import { art13AvMetadata } from './rules/art13-av-metadata';
import { art14to16RequiredDocuments } from './rules/art14-16-required-documents';
import { art15DocumentOrder } from './rules/art15-document-order';
import { art15Service } from './rules/art15-service';
import { art16Coercion } from './rules/art16-coercion';
import { art17AvContinuity } from './rules/art17-av-continuity';
import { art20Devices } from './rules/art20-devices';
import { art22_1Deposit } from './rules/art22-1-deposit';
import { art22_2Archive } from './rules/art22-2-archive';
import { art31Obstruction } from './rules/art31-obstruction';

export const RULES: Readonly<Record<RuleId, Rule>> = Object.freeze({
  'art08-data-consistency': art08DataConsistency,
  'art09-officers': art09Officers,
  'art11-mandatory-av': art11MandatoryAv,
  'art12-av-as-required': art12AvAsRequired,
  'art13-av-metadata': art13AvMetadata,
  'art14-16-required-documents': art14to16RequiredDocuments,
  'art15-document-order': art15DocumentOrder,
  'art15-service': art15Service,
  'art16-coercion': art16Coercion,
  'art17-av-continuity': art17AvContinuity,
  'art20-devices': art20Devices,
  'art22-1-deposit': art22_1Deposit,
  'art22-2-archive': art22_2Archive,
  'art31-obstruction': art31Obstruction,
});
