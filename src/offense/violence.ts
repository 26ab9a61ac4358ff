/**
 * The two definitions of "violent" that metrics may use. Each metric names the one it uses by id, so a
 * reader can always tell which set of offense categories a "violent" count covers.
 */
import { HandoffError } from '../core/errors.ts';

/** Ids of the violence definitions. */
export type ViolenceDefinitionId = 'violent_ucr' | 'violent_broad';

/** One named definition of "violent offense" as a set of offense categories. */
export interface ViolenceDefinition {
  /** Stable id that metrics cite, e.g. `violent_ucr`. */
  readonly id: ViolenceDefinitionId;
  /** Short plain-language name. */
  readonly label: string;
  /** What the set includes and how it differs from its model. */
  readonly description: string;
  /** Offense categories (ids from `reference/offenses/categories.csv`) counted as violent. */
  readonly categories: readonly string[];
  /** The column of `categories.csv` that must agree with `categories`. */
  readonly column: 'ucr_violent' | 'broad_violent';
}

const UCR_CATEGORIES = ['homicide', 'sexual_assault', 'robbery', 'aggravated_assault'] as const;

/**
 * The violence definitions. `violent_ucr` follows the FBI UCR violent-crime offenses; `violent_broad`
 * adds the other offenses against a person and weapons offenses (weapons possession included; see
 * DESIGN.md, "Two definitions of violent", for why it is not BJS's group). `loadOffenseReference` checks that the `ucr_violent` and
 * `broad_violent` columns of `categories.csv` say the same thing.
 */
export const VIOLENCE_DEFINITIONS: Readonly<Record<ViolenceDefinitionId, ViolenceDefinition>> = {
  violent_ucr: {
    id: 'violent_ucr',
    label: 'Violent offense (UCR set)',
    description:
      'The four FBI UCR violent-crime offenses: murder and non-negligent manslaughter (homicide), rape ' +
      '(sexual_assault), robbery and aggravated assault. Applied to the most serious conviction, not to ' +
      'UCR incident reports; sexual_assault is wider than UCR rape (it includes sexual assaults the charge ' +
      'does not describe as rape), and assaults not named as aggravated are left out.',
    categories: UCR_CATEGORIES,
    column: 'ucr_violent',
  },
  violent_broad: {
    id: 'violent_broad',
    label: 'UCR violent, other person offenses and weapons (broad set)',
    description:
      'The UCR set plus simple or unspecified assault (including threats and domestic assault), ' +
      'kidnapping, other sexual offenses (including non-contact ones such as indecent exposure) and ' +
      'weapons offenses, including possessing or carrying a weapon with no other offense named. It is ' +
      'not the BJS violent-offense group: BJS counts negligent manslaughter and leaves weapons out ' +
      '(a public-order offense in BJS and a crime against society in NIBRS).',
    categories: [
      ...UCR_CATEGORIES,
      'simple_assault',
      'kidnapping',
      'weapons',
      'other_sexual_offense',
    ],
    column: 'broad_violent',
  },
};

/** True when `category` counts as violent under the named definition. Unknown ids throw. */
export function isViolent(category: string, definition: ViolenceDefinitionId): boolean {
  const def = VIOLENCE_DEFINITIONS[definition];
  if (!def) throw new HandoffError('bad_argument', `unknown violence definition: ${String(definition)}`);
  return def.categories.includes(category);
}
