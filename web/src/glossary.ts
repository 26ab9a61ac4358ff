/**
 * The glossary: the one home of the plain-language definitions the dashboard links to. The About page
 * (`/about`) renders it; labels, legends and headings link to `/about#g-<id>` through `termLink`.
 * Each definition that rests on a rule in the code names that file in `source`; keep them in step.
 * Wording is neutral: what a term means in ICE's records and in Handoff's counts, never a judgement.
 */

export interface GlossaryEntry {
  /** Anchor id on the About page is `g-<id>`. */
  id: string;
  term: string;
  definition: string;
  /** Where the rule is written in Handoff (repository paths), when the definition depends on one. */
  source?: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'detainer',
    term: 'Detainer',
    definition:
      'A request from ICE to a jail, prison or other law-enforcement agency that holds a person. Depending on the form, it asks the agency to keep the person for up to 48 hours past the time they would otherwise be released so ICE can take custody, to tell ICE before the person is released, or to transfer the person to ICE. Handoff counts every form found in the detainer table of a release.',
    source: 'src/link/lifecycle/vocabularies.ts (detainerTypeClass); docs/metrics.md (detainers_issued)',
  },
  {
    id: 'i-247a',
    term: 'I-247A (hold request)',
    definition:
      'The detainer form that asks the holding agency to keep the person for up to 48 hours beyond their release time so ICE can assume custody. Older releases record the earlier hold forms I-247 and I-247D; Handoff counts all three as hold requests.',
    source: 'src/link/lifecycle/vocabularies.ts (hold_request)',
  },
  {
    id: 'i-247n',
    term: 'I-247N (notification only)',
    definition:
      'A request that the holding agency notify ICE before it releases the person. It asks for no hold. Because nothing is asked to be held, "declined" and "transferred" do not mean the same for this form as for a hold request.',
    source: 'src/link/lifecycle/vocabularies.ts (notification_request)',
  },
  {
    id: 'i-247g',
    term: 'I-247G (voluntary transfer)',
    definition:
      'A request that the holding agency transfer the person to ICE, with no hold. ICE releases record it as I-247X; Handoff’s synthetic demo releases write I-247G. Both are counted as transfer requests.',
    source: 'src/link/lifecycle/vocabularies.ts (transfer_request)',
  },
  {
    id: 'lift-reason',
    term: 'Lift reason',
    definition:
      'The text ICE records when a detainer ends, for example “Booked into Detention” or “Detainer Declined by LEA”. Handoff maps each known lift reason to an outcome; a blank lift reason is common, especially for detainers prepared shortly before a release’s cut-off, when the person may still be held.',
    source: 'reference/link/lift-reasons.csv',
  },
  {
    id: 'outcome',
    term: 'Outcome (of a detainer)',
    definition:
      'What the release shows became of a detainer: transferred to ICE; in ICE custody with no linked arrest; declined; lifted by ICE (ICE withdrew it); released otherwise; or open or unknown. The outcome comes from the lift reason, and for a blank lift reason from what the same person’s later records show.',
    source: 'src/link/lifecycle/ ; docs/metrics.md (detainer_outcomes)',
  },
  {
    id: 'transferred',
    term: 'Transfer to ICE custody',
    definition:
      'The outcome in which the person passed from the holding agency to ICE: the lift reason says so (for example “Booked into Detention”), or the lift reason is blank and an ICE detention stay follows whose linked ICE arrest is custodial. An ICE stay with no arrest record tying it to the jail is counted apart, as “in ICE custody, no linked arrest”, not as a transfer.',
    source: 'reference/link/lift-reasons.csv; docs/metrics.md (detainer_outcomes)',
  },
  {
    id: 'declined',
    term: 'Declined',
    definition:
      'The outcome whose lift reason is “Detainer Declined by LEA”: ICE recorded that the holding agency did not honor the request. ICE records it when it learns of it, and many releases of a person without a handoff carry a blank lift reason instead, so this count is a floor, not the number of times an agency did not hold someone. For a notification or transfer request, no hold was asked for.',
    source: 'reference/link/lift-reasons.csv; src/metrics/definitions.ts',
  },
  {
    id: 'release',
    term: 'Release (FOIA release)',
    definition:
      'One production of ICE records under the Freedom of Information Act, loaded as a unit. ICE gives people new anonymized identifiers in each release, so Handoff links records of the same person only within one release. (Released otherwise, an outcome, means the person left the holding agency’s custody other than to ICE.)',
    source: 'README.md (Data model)',
  },
  {
    id: 'at-large',
    term: 'At large (community arrest)',
    definition:
      'An ICE arrest of a person who was in no agency’s custody at the time (for example a non-custodial, fugitive-operations or worksite arrest), as ICE’s apprehension method records it. Handoff calls these community arrests.',
    source: 'reference/link/apprehension-methods.csv (arrest_setting community)',
  },
  {
    id: 'custodial',
    term: 'Custodial arrest',
    definition:
      'An ICE arrest of a person taken from a jail or prison (for example a Criminal Alien Program or 287(g) arrest), as ICE’s apprehension method records it.',
    source: 'reference/link/apprehension-methods.csv (arrest_setting custodial)',
  },
  {
    id: '287g',
    term: '287(g) agreement',
    definition:
      'An agreement under section 287(g) of the Immigration and Nationality Act by which ICE delegates some immigration functions to officers of a state or local agency. Handoff reads the agreements and their models from ICE’s published lists of participating agencies.',
    source: 'src/metrics/definitions.ts (policy_context)',
  },
  {
    id: '287g-jail',
    term: 'Jail enforcement model (287(g))',
    definition: 'The 287(g) model in which trained officers identify and process people already held in the agency’s jail.',
  },
  {
    id: '287g-task-force',
    term: 'Task force model (287(g))',
    definition: 'The 287(g) model in which trained officers exercise some immigration authority during their regular policing, outside the jail.',
  },
  {
    id: '287g-wso',
    term: 'Warrant service officer model (287(g))',
    definition: 'The 287(g) model in which trained jail officers serve and execute ICE administrative warrants on people in the agency’s custody.',
  },
  {
    id: 'fiscal-year',
    term: 'Federal fiscal year',
    definition: 'October 1 to September 30, named by the year it ends: FY2025 runs from 2024-10-01 to 2025-09-30. ICE’s releases and totals are organized by fiscal year.',
    source: 'docs/metrics.md (grain)',
  },
  {
    id: 'withheld',
    term: 'Withheld',
    definition:
      'In public mode, a count of 1 to 10 is never published, and some larger counts are withheld as well so that no combination of published figures reveals a small one. A withheld figure is shown as “withheld” or “<11”, never as zero, and maps and charts draw it hatched.',
    source: 'src/metrics/cube.ts; docs/metrics.md (Suppression)',
  },
  {
    id: 'at-least',
    term: 'At least N',
    definition: 'A figure that includes one or more withheld cells: N is the sum of the published parts, so the true count is N or more.',
    source: 'src/metrics/cube.ts (status at_least)',
  },
  {
    id: 'not-available',
    term: 'Not available',
    definition:
      'The release cannot give this figure: for example it has no records of the kind needed, or the period is too close to the release’s cut-off for the follow-up window the metric requires. It is not a zero and not a withheld count.',
    source: 'src/metrics/cube.ts (status not_available)',
  },
  {
    id: 'violent-ucr',
    term: 'Violent offense (UCR set)',
    definition:
      'A most serious conviction in one of the four FBI Uniform Crime Reporting violent-crime categories: homicide (murder and non-negligent manslaughter), sexual assault (wider than UCR rape), robbery and aggravated assault. Assaults not described as aggravated are not in it, and neither is weapons possession.',
    source: 'src/offense/violence.ts (violent_ucr); reference/offenses/categories.csv (ucr_violent)',
  },
  {
    id: 'violent-broad',
    term: 'Violent offense (broad set)',
    definition:
      'The UCR set plus simple or unspecified assault (threats and domestic assault included), kidnapping, other sexual offenses (non-contact ones such as indecent exposure included) and weapons offenses, including possessing or carrying a weapon where the charge names no other offense. It differs from the Bureau of Justice Statistics violent group, which leaves weapons out.',
    source: 'src/offense/violence.ts (violent_broad); reference/offenses/categories.csv (broad_violent)',
  },
];

export const glossaryHref = (id: string): string => `/about#g-${id}`;
