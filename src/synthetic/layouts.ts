/**
 * The July 2025 ERO-LESA workbook layouts (FOIA 2024-ICFO-39357, released under 2025-ICLI-00019) that the
 * synthetic releases copy: header names in their published order, the workbook file names and the
 * columns ICE redacts in full. Source: /work/shared/ICE-RELEASES.md ("July 2025" lists); a test parses
 * that file and compares.
 */

/** The five families, spelled as the ingest module spells them. */
export const SYNTHETIC_FAMILIES = [
  'detainers',
  'arrests',
  'encounters',
  'detention_stints',
  'removals',
] as const;
/** One of the five table families. */
export type SyntheticFamily = (typeof SYNTHETIC_FAMILIES)[number];

/** Detainers, 65 columns; "Final Order Yes No" appears twice (columns 33 and 56). */
export const DETAINER_HEADERS = [
  'Detainer Prepare Date', 'Facility State', 'Facility AOR', 'Port of Departure', 'Departure Country',
  'Departed Date', 'Case Status', 'Detainer Prepared Criminality', 'Detention Facility',
  'Detention Facility Code', 'Facility City', 'Detainer Prep Threat Level', 'Gender',
  'Citizenship Country', 'Birth Country', 'Birth Date', 'Birth Year', 'Entry Status',
  'Most Serious Conviction (MSC) Charge', 'MSC Sentence Days', 'MSC Sentence Months',
  'MSC Sentence Years', 'MSC Charge Code', 'MSC Charge Date', 'MSC Conviction Date', 'Felon',
  'Processing Disposition', 'Case Category', 'Final Program', 'Time of Apprehension Case Category',
  'Time of Apprehension Current Program', 'Apprehension Method', 'Final Order Yes No',
  'Final Order Date', 'Apprehension Date', 'Entry Date', 'Prior Felony Yes No',
  'Multiple Prior MISD Yes No', 'Violent Misdemeanor Yes No', 'Illegal Entry Yes No',
  'Illegal Reentry Yes No', 'Immigration Fraud Yes No', 'Significant Risk Yes No',
  'Other Removal Reason Yes No', 'Other Removal Reason', 'Criminal Street Gang Yes No',
  'Aggravated Felony Yes No', 'Deportation Ordered Yes No', 'Order to Show Cause Served Yes No',
  'Order to Show Cause Served Date', 'Biometric Match Yes No', 'Statements Made Yes No',
  'Unlawful Attempt Yes No', 'Unlawful Entry Yes No', 'Visa Yes No', 'Final Order Yes No',
  'Federal Interest Yes No', 'Resume Custody Yes No', 'Detainer Lift Reason', 'Detainer Type',
  'Alien File Number', 'EID Case ID', 'EID Subject ID', 'EID DTA ID', 'Unique Identifier',
] as const;

/** Admin arrests, 23 columns. */
export const ARREST_HEADERS = [
  'Apprehension Date', 'Apprehension State', 'Apprehension County', 'Apprehension AOR',
  'Final Program', 'Final Program Group', 'Apprehension Method', 'Apprehension Criminality',
  'Case Status', 'Case Category', 'Departed Date', 'Departure Country', 'Final Order Yes No',
  'Final Order Date', 'Birth Date', 'Birth Year', 'Citizenship Country', 'Gender',
  'Apprehension Site Landmark', 'Alien File Number', 'EID Case ID', 'EID Subject ID',
  'Unique Identifier',
] as const;

/** Encounters, 25 columns. */
export const ENCOUNTER_HEADERS = [
  'Event Date', 'Responsible AOR', 'Responsible Site', 'Lead Event Type', 'Lead Source',
  'Event Type', 'Final Program', 'Final Program Group', 'Encounter Criminality',
  'Processing Disposition', 'Case Status', 'Case Category', 'Departed Date', 'Departure Country',
  'Final Order Yes No', 'Final Order Date', 'Birth Date', 'Birth Year', 'Citizenship Country',
  'Gender', 'Event Landmark', 'Alien File Number', 'EID Case ID', 'EID Subject ID',
  'Unique Identifier',
] as const;

/** Detention stints, 37 columns. */
export const DETENTION_HEADERS = [
  'Stay Book In Date Time', 'Book In Date Time', 'Detention Facility', 'Detention Facility Code',
  'Detention Book Out Date Time', 'Stay Book Out Date Time', 'Detention Release Reason',
  'Stay Book Out Date', 'Stay Release Reason', 'Religion', 'Gender', 'Marital Status', 'Birth Date',
  'Birth Year', 'Ethnicity', 'Entry Status', 'Felon', 'Bond Posted Date', 'Bond Posted Amount',
  'Case Status', 'Case Category', 'Final Order Yes No', 'Final Order Date', 'Case Threat Level',
  'Book In Criminality', 'Final Charge', 'Departed Date', 'Departure Country',
  'Initial Bond Set Amount', 'Citizenship Country', 'Final Program',
  'Most Serious Conviction (MSC) Charge Code', 'MSC Charge', 'Alien File Number', 'EID Case ID',
  'EID Subject ID', 'Unique Identifier',
] as const;

/** Removals, 41 columns (late July 2025). */
export const REMOVAL_HEADERS = [
  'Departed Date', 'Port of Departure', 'Departure Country', 'Docket AOR', 'Apprehension State',
  'Apprehension County', 'Case Status', 'Gender', 'Birth Country', 'Citizenship Country',
  'Birth Date', 'Birth Year', 'Entry Date', 'Entry Status', 'MSC NCIC Charge', 'MSC NCIC Charge Code',
  'MSC Charge Date', 'MSC Criminal Charge Status', 'MSC Criminal Charge Status Code',
  'MSC Conviction Date', 'Case Threat Level', 'Case Criminality', 'Felon', 'Processing Disposition',
  'Case Category', 'Final Program', 'Final Program Code', 'Case Category Time of Arrest',
  'Latest Arrest Program Current', 'Latest Arrest Program Current Code',
  'Latest Person Apprehension Date', 'Final Order Yes No', 'Final Order Date', 'Final Charge Code',
  'Final Charge Section Code', 'Prior Deport Yes No', 'Latest Person Departed Date',
  'Alien File Number', 'EID Case ID', 'EID Subject ID', 'Unique Identifier',
] as const;

/** Header list per family, in published order. */
export const HEADERS: Readonly<Record<SyntheticFamily, readonly string[]>> = {
  detainers: DETAINER_HEADERS,
  arrests: ARREST_HEADERS,
  encounters: ENCOUNTER_HEADERS,
  detention_stints: DETENTION_HEADERS,
  removals: REMOVAL_HEADERS,
};

/** The part of ICE's file name that names the family ("ERO Detainers", "ICE Detentions", ...). */
export const FILE_FAMILY_LABEL: Readonly<Record<SyntheticFamily, string>> = {
  detainers: 'ERO Detainers',
  arrests: 'ERO Admin Arrests',
  encounters: 'ERO Encounters',
  detention_stints: 'ICE Detentions',
  removals: 'ICE Removals',
};

/** Title text ICE puts in the first preamble row, per family. */
export const TITLE: Readonly<Record<SyntheticFamily, string>> = {
  detainers: 'ICE Enforcement and Removal Operations (ERO) Detainers',
  arrests: 'ICE Enforcement and Removal Operations (ERO) Administrative Arrests',
  encounters: 'ICE Enforcement and Removal Operations (ERO) Encounters',
  detention_stints: 'ICE Detentions (Detention Stints)',
  removals: 'ICE Removals',
};

/** The columns ICE withholds in full in 2025 ("b(6), b(7)c" in every non-blank cell). */
export const FULLY_REDACTED = [
  'Birth Date',
  'Alien File Number',
  'EID Case ID',
  'EID Subject ID',
  'EID DTA ID',
] as const;

/** The redaction marker written in redacted cells. */
export const REDACTION_MARKER = 'b(6), b(7)c';

/** Number of title/notes rows above the header (the header is on row 7). */
export const PREAMBLE_ROWS = 6;

/** Excel's sheet size: 1,048,576 rows, of which the preamble and header take 7. */
export const EXCEL_MAX_ROWS = 1_048_576;

/**
 * ICE-style workbook file name with a SYNTHETIC prefix, e.g.
 * `SYNTHETIC_2025-ICLI-00019_2024-ICFO-39357_ERO Detainers_LESA-STU_FINAL Redacted.xlsx`.
 */
export function syntheticFileName(family: SyntheticFamily, releaseLabel?: string): string {
  const label = releaseLabel ? `${releaseLabel.replace(/[^A-Za-z0-9._-]+/g, '-')}_` : '';
  return `SYNTHETIC_${label}2025-ICLI-00019_2024-ICFO-39357_${FILE_FAMILY_LABEL[family]}_LESA-STU_FINAL Redacted.xlsx`;
}
